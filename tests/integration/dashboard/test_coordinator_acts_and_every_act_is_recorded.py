"""Dispatch, withdraw, reassign, inspect and act for a resident without a phone — through the use cases, recorded."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from bench.dashboard_world import COORD1
from store.db import reading, transaction
from store.tables import AuditRecord, Inspection, Lot, Offer, OutboxEvent, Resident, Submission
from tests.entry_buttons import entry_button


def section(open_page, name: str) -> AppTest:
    """The coordinator's page opened at one section (what clicking its button in the section bar does)."""
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = name
    return at.run()


def test_accepting_on_behalf_is_marked_and_audited(world, open_page) -> None:
    at = section(open_page, "proxy")
    at.selectbox(key="proxy_resident").select(world.proxy_for).run()
    assert any("代办" in w.value for w in at.warning)
    offer_id = next(b.key for b in at.button if b.key and b.key.startswith("accept-"))
    at.button(key=offer_id).click().run()
    assert not at.exception
    assert at.session_state["co_section"] == "proxy" and at.selectbox(key="proxy_resident").value == world.proxy_for
    with reading(world.engine) as s:
        offer = s.get(Offer, offer_id.removeprefix("accept-"))
        audit = s.exec(select(AuditRecord).where(AuditRecord.action == "offer.accept")).all()
        events = s.exec(select(OutboxEvent).where(OutboxEvent.type == "offer.accepted")).all()
    assert offer is not None and offer.status == "accepted" and offer.on_behalf and offer.decided_by == "coord1"
    assert [(a.actor, a.on_behalf_of) for a in audit if a.subject == offer.id] == [("coord1", world.proxy_for)]
    assert [e.key for e in events if offer.id in e.payload and '"producer":"dashboard"' in e.payload] == ["comm-001"]


def test_withdraw_then_dispatch_by_hand(world, open_page) -> None:
    at = section(open_page, "dispatch")
    at.selectbox(key="withdraw_lot").select(world.proxy_lot)
    at.text_input(key="withdraw_reason").input("居民临时有事")
    at.button(key="FormSubmitter:withdraw_form-撤回").click().run()
    assert [s.value for s in at.success] == ["已撤回。"]
    with reading(world.engine) as s:
        assert s.get(Lot, world.proxy_lot).status == "open"
    at.selectbox(key="dispatch_lot").select(world.proxy_lot)
    at.selectbox(key="dispatch_resident").select(world.phone_residents["comm-001"][1])
    at.run()
    assert not at.warning, "the chosen resident breaks no rule: nothing to override"
    at.button(key="dispatch_go").click().run()
    code, name = lot_and_name(world, world.proxy_lot, world.phone_residents["comm-001"][1])
    assert [s.value for s in at.success] == [f"已派单：{code} → {name}"], "it says what was dispatched to whom"
    with reading(world.engine) as s:
        offer = s.exec(select(Offer).where(Offer.lot_id == world.proxy_lot, Offer.status == "pending")).one()
    assert offer.resident_id == world.phone_residents["comm-001"][1] and offer.dispatched_by == "coord1"


def lot_and_name(world, lot_id: str, resident_id: str) -> tuple[str, str]:
    """A lot's short code and a resident's name, as the page names them."""
    with reading(world.engine) as s:
        lot, resident = s.get(Lot, lot_id), s.get(Resident, resident_id)
        assert lot is not None and resident is not None
        return str(lot.short_code), resident.name


def test_a_refused_dispatch_reads_in_chinese_only_and_an_override_says_what_was_done(world, open_page) -> None:
    """The refusal names the field as the form labels it and the rule and skill by Chinese names, with no English;
    the override's confirmation names the lot, the person, the rules overridden and the reason."""
    at = section(open_page, "dispatch")
    at.selectbox(key="withdraw_lot").select(world.proxy_lot)
    at.text_input(key="withdraw_reason").input("居民临时有事")
    at.button(key="FormSubmitter:withdraw_form-撤回").click().run()
    unskilled = world.phone_residents["comm-001"][2]
    at.selectbox(key="dispatch_lot").select(world.proxy_lot)
    at.selectbox(key="dispatch_resident").select(unskilled)
    at.run()
    at.button(key="dispatch_go").click().run()
    [refusal] = [e.value for e in at.error]
    assert refusal.startswith("输入有误，请修改「居民」：违反规则「技能」：该居民没有此工序技能（串珠）"), refusal
    assert not re.search(r"[A-Za-z]", refusal), f"no English and no field codes for a Chinese reader: {refusal}"
    at.multiselect(key="dispatch_override_rules").select("skill")
    at.text_input(key="dispatch_override_reason").input("她正在学，社区老师带着做")
    at.button(key="dispatch_go").click().run()
    code, name = lot_and_name(world, world.proxy_lot, unskilled)
    assert [s.value for s in at.success] == [f"已派单：{code} → {name}（已越过：技能，理由：她正在学，社区老师带着做）"]
    assert not at.warning, "no stale warning about the rule just overridden"
    assert [i.value for i in at.info] == [f"这个批次已派给{name}，正在等她确认，不用再派。"]
    assert at.button(key="dispatch_go").disabled


def test_reassign_moves_the_lot_in_one_step(world, open_page) -> None:
    at = section(open_page, "dispatch")
    new = world.phone_residents["comm-001"][2]
    at.selectbox(key="reassign_lot").select(world.proxy_lot)
    at.selectbox(key="reassign_resident").select(new)
    at.text_input(key="reassign_reason").input("换人做")
    at.button(key="FormSubmitter:reassign_form-改派").click().run()
    assert not at.success and any("违反规则「技能」" in e.value for e in at.error), "the new one lacks the skill"
    at.multiselect(key="reassign_override_rules").select("skill")
    at.button(key="FormSubmitter:reassign_form-改派").click().run()
    assert [s.value for s in at.success] == ["已改派。"]
    with reading(world.engine) as s:
        statuses = {o.resident_id: o.status for o in s.exec(select(Offer).where(Offer.lot_id == world.proxy_lot))}
    assert statuses == {world.proxy_for: "withdrawn", new: "pending"}


def test_inspection_offers_only_the_product_s_defects_in_chinese(world, open_page) -> None:
    at = section(open_page, "inspect")
    at.selectbox(key="inspect_submission").select(world.submission_pending)
    assert at.multiselect(key="inspect_defects").options == ["松脱", "颜色不符", "破损"]  # the product's, in Chinese
    at.number_input(key="inspect_passed").set_value(9)
    at.number_input(key="inspect_rejected").set_value(1)
    at.multiselect(key="inspect_defects").select("BROKEN").run()
    entry_button(at, "inspect_go").click().run()
    assert [s.value for s in at.success][-1].startswith("已记录验收：")
    assert at.session_state["co_section"] == "inspect"
    with reading(world.engine) as s:
        ins = s.exec(select(Inspection).where(Inspection.submission_id == world.submission_pending)).one()
    assert (ins.passed, ins.rejected, ins.defect_codes, ins.actor) == (9, 1, ["BROKEN"], "coord1")


def test_passed_and_rejected_are_checked_as_she_types_and_a_record_that_does_not_add_up_changes_nothing(
        world, open_page) -> None:
    """The sum is checked as she types; the button is never greyed out (on a phone a number counts only once its field
    loses focus, so a greyed-out button took a second tap), and a record that does not add up, or rejects pieces
    without a defect, is refused with its reason and records nothing."""
    at = section(open_page, "inspect")
    at.selectbox(key="inspect_submission").select(world.submission_pending)
    at.number_input(key="inspect_passed").set_value(3).run()  # 3 + 0 is not the 10 pieces handed in
    assert not at.exception
    assert [e.value for e in at.error] == ["合格 3 + 不合格 0 = 3 件，应等于交货的 10 件。"]
    assert not entry_button(at, "inspect_go").disabled
    entry_button(at, "inspect_go").click().run()
    assert any("10" in e.value for e in at.error[1:]), [e.value for e in at.error]  # the use case's reason too
    refused = [e.value for e in at.error[1:]]
    assert any("「合格件数」" in e for e in refused) and not any("passed" in e for e in refused), refused  # 2026-12-01
    at.number_input(key="inspect_rejected").set_value(7).run()
    entry_button(at, "inspect_go").click().run()
    assert at.error, "rejected pieces need a defect"
    with reading(world.engine) as s:
        assert s.exec(select(Inspection).where(Inspection.submission_id == world.submission_pending)).first() is None
    at.multiselect(key="inspect_defects").select("LOOSE").run()
    entry_button(at, "inspect_go").click().run()
    with reading(world.engine) as s:
        ins = s.exec(select(Inspection).where(Inspection.submission_id == world.submission_pending)).one()
    assert (ins.passed, ins.rejected, ins.defect_codes) == (3, 7, ["LOOSE"])


def test_two_hand_ins_of_one_lot_read_apart_and_the_confirmation_names_which(world, open_page) -> None:
    """Each hand-in is labelled with its count and time (Asia/Shanghai); the confirmation says which one it was."""
    with transaction(world.engine) as s:  # a second hand-in of the same lot, 75 minutes after the first
        first = s.get(Submission, world.submission_pending)
        assert first is not None
        first.submitted_at = datetime(2026, 11, 30, 6, 5, tzinfo=UTC)
        s.add(Submission(id="sub-later", lot_id=first.lot_id, resident_id=first.resident_id, pieces=7,
                         actor=first.actor, submitted_at=datetime(2026, 11, 30, 7, 20, tzinfo=UTC)))
    at = section(open_page, "inspect")
    picker = at.selectbox(key="inspect_submission")
    labels = [o for o in picker.options if " 10 件 · " in o or " 7 件 · " in o]  # as the dropdown shows them
    assert len(labels) == 2 and len(set(labels)) == 2, labels
    assert any(o.endswith(" · 10 件 · 11-30 14:05") for o in labels), labels
    assert any(o.endswith(" · 7 件 · 11-30 15:20") for o in labels), labels
    picker.select(world.submission_pending)
    at.number_input(key="inspect_passed").set_value(10).run()
    entry_button(at, "inspect_go").click().run()
    done = [s.value for s in at.success][-1]
    assert done.startswith("已记录验收："), done
    assert done.endswith(" 11-30 14:05 交的 10 件）合格 10 件、不合格 0 件。"), "it names which hand-in: " + done


def test_a_refusal_or_a_missing_thing_names_the_field_by_its_label() -> None:
    """ui.explain words every kind of refusal for a Chinese reader with the form's labels, not the command's fields."""
    def page() -> None:
        import streamlit as st

        from dashboard import ui
        from usecases.errors import NotFound, Rejected
        st.session_state["lang"] = "zh"
        st.write(ui.explain(NotFound("lot_id", "no such lot: x")))
        st.write(ui.explain(Rejected("override_reason", "越过规则派单必须写明理由 / a reason is required")))
    at = AppTest.from_function(page).run()
    assert [m.value for m in at.markdown] == ["找不到要找的数据（批次）。",
                                              "输入有误，请修改「越过规则的理由」：越过规则派单必须写明理由"]
