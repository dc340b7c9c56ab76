"""A correction whose own period is closed posts into the next open period; closed ones stay closed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from domain.pay import EntryDraft, InspectionFact, is_late_posting, period_for, posting_period

FactBuilder = Callable[..., InspectionFact]
Applier = Callable[..., list[EntryDraft]]

WORK_DONE = datetime(2026, 11, 14, 8, 0, tzinfo=UTC)  # 14 Nov in Shanghai: 2026-11-A


def test_an_entry_for_an_open_period_posts_in_its_own_period() -> None:
    assert posting_period(WORK_DONE, set()).period_id == "2026-11-A"


def test_a_late_correction_after_the_close_goes_to_the_next_open_period() -> None:
    period = posting_period(WORK_DONE, {"2026-11-A"})
    assert period.period_id == "2026-11-B"
    assert is_late_posting(WORK_DONE, period)


def test_several_closed_periods_in_a_row_are_skipped() -> None:
    assert posting_period(WORK_DONE, {"2026-11-A", "2026-11-B"}).period_id == "2026-12-A"


def test_the_reversal_and_the_new_pay_land_in_the_open_period_while_the_original_stays(
    fact: FactBuilder, apply: Applier
) -> None:
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact(inspected_at=WORK_DONE), period_for(WORK_DONE).period_id)
    late = fact(inspection_id="insp-2", passed=60, inspected_at=WORK_DONE, corrects_inspection_id="insp-1")
    drafts = apply(ledger, late, posting_period(late.inspected_at, {"2026-11-A"}).period_id)
    assert {d.period_id for d in drafts} == {"2026-11-B"}
    assert ledger["insp-1:piece_pay"].period_id == "2026-11-A"
    by_period: dict[str, int] = {}
    for entry in ledger.values():
        by_period[entry.period_id] = by_period.get(entry.period_id, 0) + entry.amount_fen
    assert by_period == {"2026-11-A": 4_500, "2026-11-B": -1_500}
