"""Debts between periods (domain.pay.carry): recovered at most a capped share, never below the minimum wage,
the rest carried on; for any history, every fen paid is a fen in the ledger and no balance disappears."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.pay import (
    EntryDraft,
    InspectionFact,
    PayInputError,
    carry_drafts,
    entries_for_inspection,
    period_balance,
    recovery,
)

AT = datetime(2026, 11, 10, 2, tzinfo=UTC)


def test_the_issue_example_recovers_twenty_percent_a_period() -> None:
    # −¥10.50 carried; gross ¥30.00 → 20% = ¥6.00 recovered, ¥4.50 on; gross ¥40.00 → cap ¥8.00, ¥4.50 recovered.
    first = recovery(debt_fen=1050, gross_fen=0)
    assert (first.recovered_fen, first.carried_on_fen) == (0, 1050)
    second = recovery(debt_fen=1050, gross_fen=3000)
    assert (second.recovered_fen, second.carried_on_fen) == (600, 450)
    third = recovery(debt_fen=450, gross_fen=4000)
    assert (third.recovered_fen, third.carried_on_fen) == (450, 0)


def test_pay_is_never_cut_below_the_minimum_wage_for_the_time_worked() -> None:
    # Gross ¥30.00, floor ¥26.00 (e.g. 65 minutes at ¥24/h): only ¥4.00 may come back, not the 20% ¥6.00.
    assert recovery(debt_fen=1050, gross_fen=3000, floor_fen=2600).recovered_fen == 400
    assert recovery(debt_fen=1050, gross_fen=3000, floor_fen=3500).recovered_fen == 0


def test_the_cap_rounds_down_in_the_residents_favour_and_is_configurable() -> None:
    assert recovery(debt_fen=10_000, gross_fen=709).recovered_fen == 141  # 141.8 → 141
    assert recovery(debt_fen=10_000, gross_fen=3000, cap_bps=1000).recovered_fen == 300


@pytest.mark.parametrize(("field", "kwargs"), [
    ("debt_fen", {"debt_fen": -1, "gross_fen": 0}),
    ("gross_fen", {"debt_fen": 0, "gross_fen": 1.5}),
    ("cap_bps", {"debt_fen": 0, "gross_fen": 0, "cap_bps": 10_001}),
])
def test_bad_input_names_the_field(field: str, kwargs: dict[str, object]) -> None:
    with pytest.raises(PayInputError) as refused:
        recovery(**kwargs)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_carry_is_a_pair_the_second_naming_the_first() -> None:
    forward, carried_in = carry_drafts(resident_id="r1", community_id="c1", period_id="2026-11-B",
                                       next_period_id="2026-12-A", carried_on_fen=450)
    assert (forward.entry_kind, forward.period_id, forward.amount_fen) == ("carry_forward", "2026-11-B", 450)
    assert (carried_in.entry_kind, carried_in.period_id, carried_in.amount_fen) == ("carried_in", "2026-12-A", -450)
    assert carried_in.reverses_entry_key == forward.entry_key
    assert carry_drafts(resident_id="r1", community_id="c1", period_id="2026-11-B", next_period_id="2026-12-A",
                        carried_on_fen=0) == []


def _fact(inspection_id: str, passed: int, rejected: int, *, rate: int = 35, corrects: str | None = None) -> (
        InspectionFact):
    return InspectionFact(inspection_id=inspection_id, lot_id="lot-1", order_id="ord-1", enterprise_id="ent-1",
                          resident_id="r1", community_id="c1", passed=passed, rejected=rejected,
                          piece_rate_centifen=rate * 100, inspected_at=AT, corrects_inspection_id=corrects)


def test_a_correction_of_an_earlier_period_is_a_debt_only_for_what_it_takes_back() -> None:
    earlier = entries_for_inspection(_fact("i1", 30, 0), prior_entries_of_corrected=[], period_id="P1")
    fix = entries_for_inspection(_fact("i2", 20, 10, corrects="i1"), prior_entries_of_corrected=earlier,
                                 period_id="P2")
    other = entries_for_inspection(_fact("i3", 100, 0, rate=30), prior_entries_of_corrected=[], period_id="P2")
    balance = period_balance([*fix, *other])
    # −1050 + 700 = −350 is taken back from paid work; the ¥30.00 earned is the gross it is recovered from.
    assert (balance.gross_fen, balance.debt_fen, balance.carried_in_fen) == (3000, 350, 0)


def test_a_correction_within_the_period_just_nets() -> None:
    first = entries_for_inspection(_fact("i1", 30, 0), prior_entries_of_corrected=[], period_id="P1")
    fix = entries_for_inspection(_fact("i2", 20, 10, corrects="i1"), prior_entries_of_corrected=first,
                                 period_id="P1")
    assert period_balance([*first, *fix]) == period_balance(
        entries_for_inspection(_fact("i9", 20, 0), prior_entries_of_corrected=[], period_id="P1"))


def _close(entries: list[EntryDraft], period: int, cap_bps: int) -> tuple[int, int, int]:
    """Close period `period` of one resident: post the carry, return (payable, recovered, gross)."""
    mine = [e for e in entries if e.period_id == f"P{period}"]
    balance = period_balance(mine)
    got = recovery(debt_fen=balance.debt_fen, gross_fen=balance.gross_fen, cap_bps=cap_bps)
    entries += carry_drafts(resident_id="r1", community_id="c1", period_id=f"P{period}",
                            next_period_id=f"P{period + 1}", carried_on_fen=got.carried_on_fen)
    payable = sum(e.amount_fen for e in entries if e.period_id == f"P{period}")
    return payable, got.recovered_fen, balance.gross_fen


work = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 80), st.booleans(), st.integers(0, 60)),
                min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(periods=work, cap_bps=st.sampled_from([0, 1000, 2000, 5000, 10_000]))
def test_for_any_history_every_fen_paid_is_in_the_ledger_and_no_debt_disappears(
        periods: list[tuple[int, int, bool, int]], cap_bps: int) -> None:
    """Each period: new work (passed, rate), maybe a correction of the last earlier-period inspection to
    `corrected_passed` pieces. Each period is closed and its payable slip paid in full."""
    entries: list[EntryDraft] = []
    last: str | None = None
    paid = 0
    for n, (passed, rate, correct, corrected_passed) in enumerate(periods, start=1):
        if correct and last is not None:
            prior = [e for e in entries if e.inspection_id is not None]
            entries += entries_for_inspection(
                _fact(f"c{n}", corrected_passed, 0, rate=rate, corrects=last), prior_entries_of_corrected=prior,
                period_id=f"P{n}")
            last = f"c{n}"
        fresh = entries_for_inspection(_fact(f"i{n}", passed, 0, rate=rate), prior_entries_of_corrected=[],
                                       period_id=f"P{n}")
        entries += fresh
        payable, recovered, gross = _close(entries, n, cap_bps)
        assert payable >= 0  # no closed period ends negative
        assert recovered <= gross * cap_bps // 10_000  # never more than the cap
        paid += payable
        last = last if correct and last is not None else f"i{n}"
    owed_still = -sum(e.amount_fen for e in entries if e.period_id == f"P{len(periods) + 1}")
    # Every fen of the ledger is paid or still owed by the resident: nothing vanished on the way.
    assert paid == sum(e.amount_fen for e in entries) + owed_still
    # Once a period with enough pay follows, the debt is recovered and payouts equal the ledger.
    if owed_still:
        entries += entries_for_inspection(_fact("big", 1, 0, rate=owed_still * 10_000 // max(cap_bps, 1) + 1),
                                          prior_entries_of_corrected=[], period_id=f"P{len(periods) + 1}")
        payable, _, _ = _close(entries, len(periods) + 1, cap_bps)
        paid += payable
        if cap_bps:
            assert paid == sum(e.amount_fen for e in entries)
