"""Column names and example files for spreadsheet imports, kept in one place (documented in docs/spreadsheets.md)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One CSV/Excel column: required columns must be present and filled in on every row.

    `name` is the English header; `zh` the Chinese headers read as the same column, the first of them the one
    the Chinese template writes.
    """

    name: str
    zh: tuple[str, ...]
    required: bool = False


# The single source of the column names; a file may use the English or the Chinese headers, or mix them.
RESIDENT_COLUMNS = (
    Column("name", ("姓名",), required=True),
    Column("phone", ("手机号", "手机号码", "手机", "联系电话")),
    Column("id_number", ("身份证号", "身份证号码", "公民身份号码")),
    Column("community_id", ("社区编号", "社区"), required=True),
    Column("work_mode", ("工作方式",), required=True),
    Column("skills", ("技能",)),
    Column("availability", ("可工作时间",)),
    Column("reachable_sites", ("可到站点",)),
    Column("priority_group", ("优先群体",)),
)
SITE_COLUMNS = (
    Column("site_id", ("站点编号",), required=True),
    Column("name", ("站点名称", "名称"), required=True),
    Column("community_id", ("社区编号", "社区"), required=True),
    Column("kind", ("站点类型", "类型"), required=True),
    Column("seats", ("工位数",), required=True),
    Column("equipment", ("设备",)),
    Column("opening_hours", ("开放时间",)),
    Column("address", ("地址",)),
)
ORDER_COLUMNS = (
    Column("order_ref", ("订单号",), required=True),
    Column("enterprise_id", ("企业编号",), required=True),
    Column("uscc", ("统一社会信用代码", "信用代码"), required=True),
    Column("product_code", ("产品编号",), required=True),
    Column("quantity", ("数量",), required=True),
    Column("piece_rate_yuan", ("计件单价(元)", "计件单价", "单价(元)", "单价"), required=True),
    Column("due_at", ("交货时间", "交期", "截止时间"), required=True),
    Column("eligible_communities", ("可接单社区",), required=True),
    Column("eligible_sites", ("可接单站点",)),
    Column("take_home_allowed", ("可带回家做",)),
    Column("min_level", ("最低技能等级",)),
    Column("training_required", ("需培训",)),
    Column("pickup_site_id", ("取料站点",)),
    Column("quality_bonus_yuan", ("质量奖励(元)", "质量奖励")),
)


def header_key(text: str) -> str:
    """A header cell as compared: NFKC (full-width brackets), no spaces or required marks, lower case."""
    folded = unicodedata.normalize("NFKC", text).replace("*", "").replace(" ", "")
    return folded.strip().lower()


def canonical_header(header: Sequence[str], columns: Sequence[Column]) -> list[str]:
    """Each header cell as the English column name it stands for; an unknown header is kept as written."""
    known = {header_key(alias): c.name for c in columns for alias in (c.name, *c.zh)}
    return [known.get(header_key(cell), cell) for cell in header]

EXAMPLE_RESIDENTS_CSV = """\
name,phone,id_number,community_id,work_mode,skills,availability,reachable_sites,priority_group
王秀英,13812345678,11010519491231002X,C-001,either,beading:2;sewing:1,\
Mon 09:00-11:30;Wed 14:00-17:00,S-001,yes
李建国,,,C-001,home,packing:1,Mon-Fri 13:30-16:30,,no
"""
EXAMPLE_SITES_CSV = """\
site_id,name,community_id,kind,seats,equipment,opening_hours,address
S-001,幸福里社区微工厂,C-001,workshop,12,sewing_machine;glue_gun,Mon-Fri 08:30-17:30,幸福里12号楼底商
S-002,王秀英家庭微车间,C-001,home,1,,,
"""
EXAMPLE_ORDERS_CSV = """\
order_ref,enterprise_id,uscc,product_code,quantity,piece_rate_yuan,due_at,eligible_communities,\
eligible_sites,take_home_allowed,min_level,training_required,pickup_site_id,quality_bonus_yuan
PO-2025-0001,E-001,91350100M000100Y43,BEAD-BRACELET,600,0.35,2025-07-01 18:00,C-001;C-002,\
S-001,yes,1,no,S-001,0.02
"""
