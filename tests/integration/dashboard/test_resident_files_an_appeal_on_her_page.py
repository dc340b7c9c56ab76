"""A resident files an appeal (申诉) against rejected pieces from her phone page, by the lot's short code and product,
and follows it there until the coordinator answers (issue 15). The page files through usecases.appeals.file_appeal,
the use case behind POST /inspections/{id}/appeals, so the API's rules hold on the page too."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from bench.dashboard_pages import shown_text
from bench.dashboard_world import COORD1, actor
from schemas import commands as c
from store.db import reading
from store.tables import Appeal, Inspection, Lot
from usecases import appeals
from usecases.errors import NotFound
from usecases.execute import execute

INTERNAL_ID = r"\b(?:ord|res|lot|off|sub|ins|apl)-[0-9a-f]{8,}"


def resident(rid: str, community: str):  # noqa: ANN201
    return actor(rid, "resident", resident_id=rid, community_ids=frozenset({community}))


def filed(world) -> list[Appeal]:  # noqa: ANN001
    with reading(world.engine) as s:
        return list(s.exec(select(Appeal)).all())


def read(at: AppTest) -> str:
    """The page's words as she reads them (markdown's bold marks and badge markup taken out)."""
    return re.sub(r":[a-z]+-badge\[([^\]]*)\]", r"\1", shown_text(at).replace("**", ""))


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_she_files_an_appeal_by_lot_code_and_sees_it_listed(world, open_page) -> None:
    me = resident(world.worker, "comm-001")
    with reading(world.engine) as s:
        lot = s.get(Lot, world.worked_lot)
        inspection = s.exec(select(Inspection).where(Inspection.lot_id == world.worked_lot)).one()
    assert lot is not None and lot.short_code
    at = open_page("views/resident.py", me)
    assert not at.exception
    pick = at.selectbox(key="appeal-pick")
    assert pick.value == inspection.id  # the only inspection with rejected pieces
    shown = pick.options[0]
    assert lot.short_code in shown and "串珠手链" in shown and "退回 5 件" in shown  # as she names it
    assert not re.search(INTERNAL_ID, " ".join(pick.options))  # never an internal id
    assert "我的申诉" in shown_text(at) and "你还没有提交过申诉" in shown_text(at)

    at.text_area(key="appeal-reason").input("这5件是按样品做的，没有松结")
    at.button(key="appeal-send").click().run()
    assert not at.exception and not errors(at)
    assert any(s.value.startswith(f"申诉已提交：{lot.short_code} · 串珠手链") for s in at.success)  # confirmation
    [appeal] = filed(world)
    assert (appeal.inspection_id, appeal.resident_id, appeal.filed_by, appeal.on_behalf, appeal.status) == (
        inspection.id, world.worker, world.worker, False, "open")
    assert appeal.reason == "这5件是按样品做的，没有松结"
    text = read(at)
    assert f"处理中 {lot.short_code} · 串珠手链" in text and "你的理由：这5件是按样品做的，没有松结" in text
    assert "等待社区工作者处理" in text
    # An appeal is open against the only inspection she could appeal: nothing is left to pick.
    assert not [b for b in at.selectbox if b.key == "appeal-pick"] and "没有可以申诉的验收" in text

    execute(world.engine, world.settings, appeals.decide_appeal, appeal.id,
            c.DecideAppeal(decision="reject", reason="复查照片，5件确有松结"), actor=COORD1)
    text = read(open_page("views/resident.py", me))
    assert f"申诉未成立 {lot.short_code} · 串珠手链" in text and "社区答复：复查照片，5件确有松结" in text
    assert not re.search(INTERNAL_ID, text)


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_empty_reason_is_refused_in_chinese_and_nothing_is_filed(world, open_page, reason: str) -> None:
    at = open_page("views/resident.py", resident(world.worker, "comm-001"))
    at.text_area(key="appeal-reason").input(reason)
    at.button(key="appeal-send").click().run()
    assert not at.exception
    assert errors(at) == ["请填写「申诉理由」：不能为空。申诉没有提交。"]
    assert filed(world) == [] and not at.success
    assert at.selectbox(key="appeal-pick").options  # still there to try again


def test_a_one_character_reason_is_refused_by_the_command_s_own_limit(world, open_page) -> None:
    at = open_page("views/resident.py", resident(world.worker, "comm-001"))
    at.text_area(key="appeal-reason").input("错")
    at.button(key="appeal-send").click().run()
    [error] = errors(at)
    assert error.startswith("输入有误，请修改「申诉理由」：") and filed(world) == []


def test_a_resident_without_rejected_pieces_has_nothing_to_appeal_and_cannot_read_another_s(world,
                                                                                           open_page) -> None:
    other = world.phone_residents["comm-001"][3]
    at = open_page("views/resident.py", resident(other, "comm-001"))
    assert not [b for b in at.selectbox if b.key == "appeal-pick"]
    assert "没有可以申诉的验收" in shown_text(at)
    with reading(world.engine) as s:  # her appeals and choices are read in the query, scoped to her
        for read in (lambda: appeals.appeal_choices(s, resident(other, "comm-001"), world.worker,
                                                    now=datetime.now(UTC), appeal_days=7),
                     lambda: appeals.filed_appeals(s, resident(other, "comm-001"), world.worker)):
            with pytest.raises(NotFound):
                read()
