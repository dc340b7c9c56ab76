"""A carried debt's two slip lines name the other period as people do (usecases.queries.pay.carry_notes): the closing
period's carry_forward says where the debt went ('转入2026年12月上半月'), the next period's carried_in where it came
from ('来自2026年11月下半月'), rendered from the pair's stored period ids; the stored memos ('debt carried in from
2026-11-B') are never rewritten. The story is the issue's: ¥10.50 taken back from 2026-11-B's pay, carried on."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from store.db import reading
from store.tables import LedgerEntry
from tests.integration.pay.test_a_period_that_ends_negative_is_carried_until_recovered import (
    CLOSE_11_B,
    CLOSE_12_A,
    IN_12_A,
    close,
    debt_story,
    inspected,
    slip,
)


def test_each_half_of_a_carried_debt_names_the_other_period_on_the_slip(pay_world: Any,
                                                                        residents: list[str]) -> None:
    resident = residents[0]
    debt_story(pay_world, resident)
    close(pay_world, "2026-11-B", CLOSE_11_B)
    inspected(pay_world, resident, IN_12_A, pieces=100, rate_fen=30)
    close(pay_world, "2026-12-A", CLOSE_12_A)

    closing = slip(pay_world, resident, "2026-11-B")
    assert [(x.kind, x.amount_fen, x.note) for x in closing.carries] == [
        ("carry_forward", 1050, "转入2026年12月上半月")]
    december = slip(pay_world, resident, "2026-12-A")
    assert [(x.kind, x.amount_fen, x.note) for x in december.carries] == [
        ("carried_in", -1050, "来自2026年11月下半月"), ("carry_forward", 450, "转入2026年12月下半月")]

    with reading(pay_world.engine) as session:
        memos = [e.memo for e in session.exec(select(LedgerEntry).where(
            LedgerEntry.resident_id == resident, LedgerEntry.kind == "carried_in").order_by(LedgerEntry.id))]
    assert [m.split(":")[0] for m in memos] == ["上期结转欠款 debt carried in from 2026-11-B",
                                                "上期结转欠款 debt carried in from 2026-12-A"]
