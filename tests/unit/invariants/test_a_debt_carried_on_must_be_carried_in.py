"""debt_not_carried: a closed balance below zero, or a carry_forward no later carried_in mirrors, is a dropped debt."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.invariants.money import check_append_only, check_periods
from domain.invariants.rows import ClosedPeriod, EntryRow

CLOSED_AT = datetime(2026, 12, 1, 1, tzinfo=UTC)
BEFORE = datetime(2026, 11, 20, tzinfo=UTC)
PERIOD = ClosedPeriod("c1", "2026-11-B", 0, CLOSED_AT, "2026-12-A")
REVERSAL = EntryRow("i2:reversal", "reversal", "r1", "c1", "2026-11-B", -30, -1050, BEFORE, "i1:piece_pay")
FORWARD = EntryRow("r1:2026-11-B:carry_forward", "carry_forward", "r1", "c1", "2026-11-B", 0, 1050, CLOSED_AT)
CARRIED_IN = EntryRow("r1:2026-11-B:carry_forward:carried_in", "carried_in", "r1", "c1", "2026-12-A", 0, -1050,
                      CLOSED_AT, FORWARD.entry_key)
ORIGINAL = EntryRow("i1:piece_pay", "piece_pay", "r1", "c1", "2026-11-A", 30, 1050, BEFORE)


def test_a_debt_carried_on_and_carried_in_breaks_nothing() -> None:
    ledger = [ORIGINAL, REVERSAL, FORWARD, CARRIED_IN]
    assert check_periods(ledger, [PERIOD], {}) == []
    assert check_append_only(ledger, refusing_rewrites=True) == []


def test_a_negative_closed_balance_is_a_dropped_debt() -> None:
    found = check_periods([ORIGINAL, REVERSAL], [ClosedPeriod("c1", "2026-11-B", -1050, CLOSED_AT, "2026-12-A")], {})
    assert [(v.check, v.ids["resident_id"], v.detail["balance_fen"]) for v in found] == [
        ("debt_not_carried", "r1", -1050)]


def test_a_debt_carried_on_that_nothing_carries_in_is_dropped() -> None:
    found = check_periods([ORIGINAL, REVERSAL, FORWARD], [PERIOD], {})
    assert [(v.check, v.ids["entry_key"]) for v in found] == [("debt_not_carried", FORWARD.entry_key)]


def test_a_carried_in_for_less_than_was_carried_on_is_dropped_debt() -> None:
    short = EntryRow(CARRIED_IN.entry_key, "carried_in", "r1", "c1", "2026-12-A", 0, -1000, CLOSED_AT,
                     FORWARD.entry_key)
    found = check_periods([ORIGINAL, REVERSAL, FORWARD, short], [PERIOD], {})
    assert [v.check for v in found] == ["debt_not_carried"]
