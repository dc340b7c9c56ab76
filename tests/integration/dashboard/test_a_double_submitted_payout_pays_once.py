"""The coordinator's payout forms record a payout once however often they are submitted (issue 16).

Both forms send the transfer or receipt number the coordinator types as the payout's reference (usecases.pay's
idempotency key). A double click is simulated by clicking the button as the browser still shows it (AppTest's
element from before the first answer), with the values typed into the page then.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from bench.dashboard_world import COORD1
from store.db import reading, transaction
from store.ledger import append_entries, entry_row
from store.tables import Payout

OCTOBER = datetime(2026, 10, 20, 2, 0, tzinfo=UTC)  # in 2026-10-B: ended, and its pay long overdue


def pay_section(world, open_page, people: int = 2, *, close: bool = True) -> AppTest:
    """The pay section with October's second half closed, `people` comm-001 residents waiting for ¥25, ¥50, ¥75…"""
    with transaction(world.engine) as session:
        for n, rid in enumerate(world.phone_residents["comm-001"][1:1 + people], start=1):
            append_entries(session, [entry_row(  # as every writer does, so the read models hold them (issue 19)
                entry_key=f"ins-oct-{n}:piece_pay", kind="piece_pay", resident_id=rid, community_id="comm-001",
                pieces=20 * n, rate_centifen=12500, amount_fen=2500 * n, period_id="2026-10-B", posted_at=OCTOBER)])
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "pay"
    at.run()
    if not close:
        return at
    at.selectbox(key="close_period").select("comm-001|2026-10-B")
    at.button(key="close_go").click().run()
    assert not at.exception and at.selectbox(key="payout_who").options, "the closed period has payees"
    return at


def payouts(world) -> list[tuple[str, int, str]]:
    with reading(world.engine) as s:
        return [(p.resident_id, p.amount_fen, p.reference)
                for p in s.exec(select(Payout).order_by(col(Payout.at), col(Payout.id))).all()]


def double_click(at: AppTest, button) -> None:  # noqa: ANN001 - AppTest's Button element
    """Click twice as a browser does on a double click: the second message carries the page as it was drawn before
    the first answer (its typed values, this button's trigger), not as the first answer redrew it."""
    button.click()
    drawn = button.root.get_widget_states()
    at.run()
    at._run(drawn)  # AppTest has no public way to send a message built from an earlier page


def test_one_payout_double_clicked_or_sent_again_is_recorded_once(world, open_page) -> None:
    at = pay_section(world, open_page)
    before = payouts(world)
    who = str(at.selectbox(key="payout_who").value)
    at.text_input(key="payout_amount").input("1.00")
    at.text_input(key="payout_reference").input("WX20261130-777")
    double_click(at, at.button(key="payout_go"))
    assert not at.exception
    mine = [(who.split("|")[0], 100, "WX20261130-777")]
    assert payouts(world) == [*before, *mine]
    at.selectbox(key="payout_who").select(who)  # the same entry typed again, as after an answer that seemed lost
    at.text_input(key="payout_amount").input("1.00")
    at.text_input(key="payout_reference").input("WX20261130-777")
    at.button(key="payout_go").click().run()
    assert [s.value for s in at.success if "发放" in s.value] == ["这笔发放已记录过（同一转账单号），没有重复记录。"]
    assert payouts(world) == [*before, *mine]
    at.selectbox(key="payout_who").select(who)  # a second payout of the same person has its own number
    at.text_input(key="payout_amount").input("2.00")
    at.text_input(key="payout_reference").input("WX20261130-778")
    at.button(key="payout_go").click().run()
    assert payouts(world) == [*before, *mine, (who.split("|")[0], 200, "WX20261130-778")]
    at.selectbox(key="payout_who").select(who)  # a used number for another amount: refused, in Chinese only
    at.text_input(key="payout_amount").input("3.00")
    at.text_input(key="payout_reference").input("WX20261130-778")
    at.button(key="payout_go").click().run()
    [refused] = [e.value for e in at.error if "WX20261130-778" in e.value]
    assert "金额不同" in refused and not re.search(r"[A-Za-z]", refused.replace("WX20261130-778", "")), refused


def test_a_batch_double_clicked_is_recorded_once(world, open_page) -> None:
    at = pay_section(world, open_page)
    before = payouts(world)
    for box in at.checkbox:
        if box.key.startswith("batch_"):
            box.check()
    at.run()
    at.text_input(key="batch_reference").input("YH20261130")
    double_click(at, at.button(key="batch_go"))
    assert not at.exception
    recorded = payouts(world)[len(before):]
    assert sorted(p[1:] for p in recorded) == [(2500, "YH20261130-001"), (5000, "YH20261130-002")], recorded


def test_a_batch_starts_with_nobody_ticked_and_records_exactly_the_ticked(world, open_page) -> None:
    """A click on a name means "pay her": the form starts empty, says what it will record, and records only that."""
    at = pay_section(world, open_page, people=3)
    before = payouts(world)
    boxes = [b for b in at.checkbox if b.key.startswith("batch_")]
    assert len(boxes) == 3 and not any(b.value for b in boxes), "drawing the form ticks nobody"
    assert at.button(key="batch_go").disabled, "nothing ticked: nothing to record"
    assert any(m.value == "将记录 0 笔，共 ¥0.00" for m in at.markdown)
    chosen = [world.phone_residents["comm-001"][1], world.phone_residents["comm-001"][3]]  # ¥25 and ¥75
    for box in boxes:
        if box.key.split("_")[1] in chosen:
            box.check()
    at.run()
    assert any(m.value == "将记录 2 笔，共 ¥100.00" for m in at.markdown)
    assert not at.button(key="batch_go").disabled
    at.text_input(key="batch_reference").input("YH20261130B")
    at.button(key="batch_go").click().run()
    assert not at.exception
    recorded = payouts(world)[len(before):]
    assert sorted(p[:2] for p in recorded) == [(chosen[0], 2500), (chosen[1], 7500)], recorded
    assert sorted(p[2] for p in recorded) == ["YH20261130B-001", "YH20261130B-002"]


def test_a_period_due_but_not_closed_is_named_where_payouts_are_recorded(world, open_page) -> None:
    """The alarm says October is overdue; 发放工资 says the same and points to 结算本期, not "nothing to pay"."""
    at = pay_section(world, open_page, close=False)
    alarm = [e.value for e in at.error if "2026年10月下半月" in e.value]
    assert len(alarm) == 1 and "逾期" in alarm[0], [e.value for e in at.error]
    assert not any("还没有已结算、待发放的工资期" in i.value for i in at.info)
    assert [w.value for w in at.warning if "2026年10月下半月" in w.value] == [
        alarm[0] + "这一期还没有结算，不能发放：请先在上方「结算工资期」点「结算本期」，结算后在这里发放。"]
    at.selectbox(key="close_period").select("comm-001|2026-10-B")
    at.button(key="close_go").click().run()
    assert not [w.value for w in at.warning if "结算本期" in w.value], "closed: nothing left to close"


def test_tick_everyone_then_nobody_and_the_batch_pays_each_once(world, open_page) -> None:
    at = pay_section(world, open_page, people=3)
    boxes = [b for b in at.checkbox if b.key.startswith("batch_")]
    assert len(boxes) == 3 and not any(b.value for b in boxes)  # nobody starts ticked
    at.button(key="batch_all").click().run()
    assert all(b.value for b in at.checkbox if b.key.startswith("batch_"))
    assert "将记录 3 笔，共 ¥150.00" in " ".join(m.value for m in at.markdown)
    at.button(key="batch_none").click().run()
    assert not any(b.value for b in at.checkbox if b.key.startswith("batch_")) and at.button(key="batch_go").disabled
    at.button(key="batch_all").click().run()
    at.text_input(key="batch_reference").input("BANK-1201").run()
    at.button(key="batch_go").click().run()
    assert not at.exception and not at.error
    assert sorted(amount for _, amount, _ in payouts(world)) == [2500, 5000, 7500]
