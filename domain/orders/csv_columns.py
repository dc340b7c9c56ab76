"""Column names and example files for spreadsheet imports, kept in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One CSV column: required columns must be present and filled in on every row."""

    name: str
    required: bool = False


# The single source of the column names; headers are English so any spreadsheet can hold them.
RESIDENT_COLUMNS = (
    Column("name", required=True),
    Column("phone"),
    Column("id_number"),
    Column("community_id", required=True),
    Column("work_mode", required=True),
    Column("skills"),
    Column("availability"),
    Column("reachable_sites"),
    Column("priority_group"),
)
SITE_COLUMNS = (
    Column("site_id", required=True),
    Column("name", required=True),
    Column("community_id", required=True),
    Column("kind", required=True),
    Column("seats", required=True),
    Column("equipment"),
    Column("opening_hours"),
    Column("address"),
)
ORDER_COLUMNS = (
    Column("order_ref", required=True),
    Column("enterprise_id", required=True),
    Column("uscc", required=True),
    Column("product_code", required=True),
    Column("quantity", required=True),
    Column("piece_rate_yuan", required=True),
    Column("due_at", required=True),
    Column("eligible_communities", required=True),
    Column("eligible_sites"),
    Column("take_home_allowed"),
    Column("min_level"),
    Column("training_required"),
    Column("pickup_site_id"),
    Column("quality_bonus_yuan"),
)

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
