"""CSV import shows a preview and every bad cell, and imports all rows in one transaction or none (the API's use
case: a row the database refuses is listed by row too); Chinese headers read as the English ones."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import select

from bench.dashboard_world import COORD1
from store.db import reading
from store.tables import Resident, Site
from tests.unit.services.test_every_import_reason_has_its_chinese import ENGLISH

GOOD = """name,phone,id_number,community_id,work_mode,skills,availability,reachable_sites,priority_group
王秀英,13812345678,11010519491231002X,comm-001,either,beading:2,Mon 09:00-11:30,comm-001-site-1,yes
李建国,,,comm-001,home,packing:1,Mon-Fri 13:30-16:30,,no
"""
BAD_ROW = GOOD.replace("either", "sometimes")
FOREIGN = GOOD.replace("李建国,,,comm-001", "李建国,,,comm-002")


def residents(world) -> int:  # noqa: ANN001
    with reading(world.engine) as s:
        return int(s.exec(select(func.count()).select_from(Resident)).one())


def paste(open_page, text: str):  # noqa: ANN001, ANN201
    at = open_page("views/import_csv.py", COORD1)
    return at.text_area(key="csv_text_residents").input(text).run()


def test_a_clean_file_is_previewed_masked_and_imported(world, open_page) -> None:
    before = residents(world)
    at = paste(open_page, GOOD)
    preview = at.dataframe[0].value
    # Under the Chinese template's headers (docs/spreadsheets.md), each value as people write it: never a field
    # name, 'None', "{'beading': 2}" or 'Slot(weekday=0, …)' (new-user trial).
    assert list(preview.columns) == ["姓名", "手机号", "身份证号", "社区编号", "工作方式", "技能", "可工作时间",
                                     "可到站点", "优先群体"]
    assert list(preview["姓名"]) == ["王秀英", "李建国"]
    assert list(preview["手机号"]) == ["138****5678", ""]
    assert list(preview["工作方式"]) == ["均可", "居家"]
    assert list(preview["技能"]) == ["串珠 2级", "包装 1级"]
    assert list(preview["可工作时间"]) == ["周一 09:00–11:30", "周一至周五 13:30–16:30"]
    assert list(preview["优先群体"]) == ["是", "否"]
    assert not [v for v in preview.to_numpy().ravel() if re.search(r"None|Slot\(|[{}]|^\(", str(v))]
    at.button(key="csv_import_residents").click().run()
    assert [s.value for s in at.success] == ["已导入 2 行。"]
    assert residents(world) == before + 2


def test_a_bad_cell_is_listed_by_row_and_column_and_nothing_is_imported(world, open_page) -> None:
    before = residents(world)
    at = paste(open_page, BAD_ROW)
    errors = at.dataframe[1].value
    assert list(errors["行"]) == [1] and list(errors["列"]) == ["工作方式"]  # as the Chinese template heads it
    assert list(errors["原因"])[0].startswith("「sometimes」不是工作方式")  # issue 15: the reason in Chinese
    assert at.button(key="csv_import_residents").disabled
    assert residents(world) == before


def test_a_row_the_use_case_refuses_rolls_back_the_whole_file(world, open_page) -> None:
    before = residents(world)
    at = paste(open_page, FOREIGN)  # row 2 names another coordinator's community
    at.button(key="csv_import_residents").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["有 1 处问题，一行都没有导入；请按下表改正后再导入。"]
    refused = at.dataframe[1].value  # the same row-level report as the API's upload, under the preview
    assert list(refused["行"]) == [2] and list(refused["列"]) == ["社区编号"]
    assert list(refused["原因"]) == ["不是你负责的社区：comm-002"]
    assert residents(world) == before


def test_sites_are_imported_too(world, open_page) -> None:
    at = open_page("views/import_csv.py", COORD1)
    at.text_area(key="csv_text_sites").input(
        "site_id,name,community_id,kind,seats,equipment,opening_hours,address\n"
        "S-100,幸福里社区微工厂,comm-001,workshop,12,glue_gun,Mon-Fri 08:30-17:30,幸福里12号楼\n").run()
    at.button(key="csv_import_sites").click().run()
    with reading(world.engine) as s:
        site = s.get(Site, "S-100")
    assert site is not None and site.kind == "micro_factory" and site.seats == 12


def test_chinese_headers_and_a_full_width_id_are_read_as_in_the_template(world, open_page) -> None:
    before = residents(world)
    at = open_page("views/import_csv.py", COORD1)
    at.text_area(key="csv_text_residents").input(
        "姓名,手机号,身份证号,社区编号,工作方式\n阿依古丽・买买提,,１１０１０５１９４９１２３１００２ｘ,comm-001,居家\n").run()
    preview = at.dataframe[0].value
    assert list(preview["姓名"]) == ["阿依古丽·买买提"] and list(preview["身份证号"]) == ["1101**********002X"]
    at.button(key="csv_import_residents").click().run()
    assert [s.value for s in at.success] == ["已导入 1 行。"]
    assert residents(world) == before + 1


def test_every_reason_in_the_problem_table_is_chinese(world, open_page) -> None:
    """Issue 15: the cell checks' reasons (skills, weekly hours, yes/no) and pydantic's refusal of a row at import
    read in Chinese on the page; the same English words the unit check looks for (tests/unit/services)."""
    header = GOOD.splitlines()[0]
    at = paste(open_page, f"{header}\n赵六,,,comm-001,either,beading,Mon 09:00-10:00;Mon 09:30-11:00,,也许\n")
    cells = list(at.dataframe[1].value["原因"])
    assert len(cells) == 3 and all(re.search(r"[\u4e00-\u9fff]", r) for r in cells), cells
    at = paste(open_page, f"{header}\n{'王' * 60},,,comm-001,home,,,,no\n")  # longer than a name may be
    at.button(key="csv_import_residents").click().run()
    refused = list(at.dataframe[1].value["原因"])
    assert refused == ["最多 50 个字符"], refused
    left = [ENGLISH.findall(re.sub(r"「[^」]*」", "", r)) for r in cells + refused]
    assert not any(left), left
