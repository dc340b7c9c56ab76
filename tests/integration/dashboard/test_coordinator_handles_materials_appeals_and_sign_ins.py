"""The coordinator's other jobs on the board: materials out and back for a lot found by its typed short code, an
appeal decided, and a printable sign-in code for an imported resident with a phone (none for one without)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from bench.dashboard_world import COORD1, World, actor
from schemas import commands as c
from store.db import reading
from store.tables import Appeal, AuditRecord, Inspection, Lot, MaterialIssue, Offer, Resident, User
from tests.entry_buttons import entry_button
from usecases import appeals, offers, registry
from usecases.auth import sign_in
from usecases.errors import Unauthorized
from usecases.execute import execute


def section(open_page, name: str) -> AppTest:
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = name
    return at.run()


def test_materials_go_out_and_come_back_for_a_lot_typed_by_its_short_code(world: World, open_page) -> None:
    with reading(world.engine) as s:
        offer = s.exec(select(Offer).where(Offer.lot_id == world.proxy_lot, Offer.status == "pending")).one()
        code = s.exec(select(Lot.short_code).where(Lot.id == world.proxy_lot)).one()
    execute(world.engine, world.settings, offers.answer_offer, offer.id, c.AnswerOffer(decision="accept"),
            actor=COORD1)
    at = section(open_page, "materials")
    at.radio(key="mat_how").set_value("type").run()
    at.text_input(key="mat_code").input(f" {code} ").run()
    name = next(r.name for r in _residents(world) if r.id == world.proxy_for)
    # who holds it too, as the list names it: she checks the materials go to the right person (new-user trial)
    assert [s.value for s in at.success] == [f"已找到：{code} · 串珠手链 · {name}"]
    at.number_input(key="mat_issue_n").set_value(20).run()
    entry_button(at, "mat_issue_go").click().run()
    assert f"已给 {name} 发料 20 件（{code}）。" in [s.value for s in at.success]
    at.number_input(key="mat_unused").set_value(5)
    at.number_input(key="mat_scrap").set_value(2).run()
    entry_button(at, "mat_return_go").click().run()
    assert f"已记录 {name} 退回 5 件、报废 2 件（{code}）。" in [s.value for s in at.success]
    assert (at.text_input(key="mat_code").value or "").strip() == code, "the coordinator stays on the same lot"
    with reading(world.engine) as s:
        moves = s.exec(select(MaterialIssue).where(MaterialIssue.lot_id == world.proxy_lot)).all()
        issued = s.exec(select(Lot.pieces_issued).where(Lot.id == world.proxy_lot)).one()
    assert sorted((m.pieces, m.unused_returned, m.scrap_returned) for m in moves) == [(0, 5, 2), (20, 0, 0)]
    assert issued == 15


def test_a_code_that_names_no_lot_of_theirs_is_a_sentence(world: World, open_page) -> None:
    at = section(open_page, "materials")
    at.radio(key="mat_how").set_value("type").run()
    at.text_input(key="mat_code").input("网兜-0101-99").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["你的社区没有这个批次：网兜-0101-99"]


def test_an_appeal_is_upheld_with_a_reason(world: World, open_page) -> None:
    with reading(world.engine) as s:
        ins = s.exec(select(Inspection).where(Inspection.lot_id == world.worked_lot)).one()
    resident = actor(world.worker, "resident", resident_id=world.worker, community_ids=frozenset({"comm-001"}))
    execute(world.engine, world.settings, appeals.file_appeal, ins.id, c.FileAppeal(reason="这五件是合格的"),
            actor=resident)
    at = section(open_page, "appeals")
    assert any("这五件是合格的" in i.value for i in at.info)
    at.radio(key="appeal_decision").set_value("uphold")
    at.text_input(key="appeal_why").input("复查后确认合格").run()
    at.button(key="appeal_go").click().run()
    assert [s.value for s in at.success] == ["申诉已处理。"]
    with reading(world.engine) as s:
        appeal = s.exec(select(Appeal)).one()
    assert appeal.status == "upheld" and appeal.decided_by == "coord1"


@pytest.fixture
def imported(world: World) -> tuple[str, str]:
    """Two residents as an import registers them: one with a phone, one without; neither can sign in yet."""
    for rid, phone in (("comm-001-new1", "13912345678"), ("comm-001-new2", None)):
        execute(world.engine, world.settings, registry.register_resident, c.RegisterResident(
            resident_id=rid, community_id="comm-001", name=f"新居民{rid[-1]}", phone=phone), actor=COORD1)
    return "comm-001-new1", "comm-001-new2"


def test_a_resident_with_a_phone_gets_a_printable_code_that_signs_her_in(world: World, open_page,
                                                                          imported: tuple[str, str]) -> None:
    with_phone, without = imported
    at = section(open_page, "signin")
    assert without not in at.selectbox(key="signin_who").options
    table = next(df.value for df in at.dataframe if "居民" in df.value.columns)
    assert list(table[table["居民"] == "新居民2"]["状态"]) == ["无手机，由社区代办"]
    assert list(table[table["居民"] == "新居民1"]["状态"]) == ["尚未开通登录"]
    at.selectbox(key="signin_who").select(with_phone).run()
    at.button(key="signin_go").click().run()
    slip = next(m.value for m in at.markdown if "一次性登录码" in m.value).replace("  \n", "　")
    code = slip.split("密码（一次性登录码）：", 1)[1].split("　", 1)[0].strip()
    # Issues 15, 16: the slip's words are the sign-in form's (手机号, 密码) and the 手机号 is exactly what she types;
    # the code works once, for 7 days (the date it stops is printed), and then she chooses her own PIN.
    form = [x.label for x in open_page("Home.py", None).text_input]  # the sign-in form, signed out
    assert form == ["手机号（工作人员填用户名）", "密码"] and "用户名" not in slip and "登录名" not in slip
    assert "手机号：13912345678" in slip and len(code) == 8
    until = (datetime.now(UTC) + timedelta(days=7)).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d")
    assert f"有效期至：{until}" in slip
    note = " ".join(c.value for c in at.caption)
    assert "只能用一次，7 天内有效" in note and "6 到 12 位数字密码" in note
    assert any(getattr(b, "label", "") == "下载登录单（可打印）" for b in at.get("download_button"))
    table = next(df.value for df in at.dataframe if "居民" in df.value.columns)
    assert list(table[table["居民"] == "新居民1"]["状态"]) == ["登录码待使用"]
    now = datetime.now(UTC)
    _, user = sign_in(world.engine, "13912345678", code, settings=world.settings, now=now)
    assert user.resident_id == with_phone and user.role == "resident"
    with pytest.raises(Unauthorized):  # once only
        sign_in(world.engine, "13912345678", code, settings=world.settings, now=now)

    assert "已为新居民1生成登录码：请打印下面的登录单交给她（登录码只显示这一次）。" in [x.value for x in at.success]
    # A lost slip: a new code, and the old one stops working; not one tap away under the slip just printed.
    assert "重新生成" in at.button(key="signin_go").label and at.button(key="signin_go").disabled
    assert at.button(key="signin_go").proto.type != "primary"
    at.checkbox(key="signin_sure").check().run()
    at.button(key="signin_go").click().run()
    assert at.checkbox(key="signin_sure").value is False and at.button(key="signin_go").disabled
    with reading(world.engine) as s:
        audit = s.exec(select(AuditRecord).where(AuditRecord.action == "sign_in.issue")).all()
    assert [a.subject for a in audit] == [with_phone, with_phone] and all(code not in str(a) for a in audit)


def _residents(world: World) -> list[Resident]:
    with reading(world.engine) as s:
        return list(s.exec(select(Resident)))


def test_a_demo_resident_s_slip_names_her_phone_not_her_internal_username(world: World, open_page) -> None:
    """Issue 16: a resident whose sign-in is named by an internal id (comm-001-r001) gets a slip with her mobile
    number, and that number, typed as a phone would type it, signs her in with the printed code."""
    rid = world.phone_residents["comm-001"][0]
    with reading(world.engine) as s:
        phone = s.exec(select(Resident.phone).where(Resident.id == rid)).one()
        username = s.exec(select(User.username).where(User.resident_id == rid)).one()
    assert phone and username != phone, "the case of the trial: her sign-in is not named by her phone"
    at = section(open_page, "signin")
    at.selectbox(key="signin_who").select(rid).run()
    at.checkbox(key="signin_sure").check().run()  # she has a PIN already: a new code voids it, so it is confirmed
    at.button(key="signin_go").click().run()
    slip = next(m.value for m in at.markdown if "一次性登录码" in m.value).replace("  \n", "　")
    code = slip.split("密码（一次性登录码）：", 1)[1].split("　", 1)[0].strip()
    assert f"手机号：{phone}" in slip and username not in slip and "用户名" not in slip
    typed = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}".translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    _, user = sign_in(world.engine, typed, code, settings=world.settings, now=datetime.now(UTC))
    assert user.resident_id == rid and user.username == username
