"""Only passed pieces are paid, at the piece rate, in exact fen; the quality bonus needs its pass rate."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from domain.pay import InspectionFact, entries_for_inspection

FactBuilder = Callable[..., InspectionFact]


def _entries(fact: FactBuilder, **overrides: object) -> dict[str, int]:
    drafts = entries_for_inspection(fact(**overrides), prior_entries_of_corrected=[], period_id="2026-11-A")
    return {d.entry_kind: d.amount_fen for d in drafts}


def test_pays_passed_pieces_times_rate_and_nothing_for_rejected_ones(fact: FactBuilder) -> None:
    assert _entries(fact, passed=90, rejected=10, piece_rate_centifen=5000) == {"piece_pay": 4_500}


def test_large_orders_stay_exact_to_the_fen(fact: FactBuilder) -> None:
    assert _entries(fact, passed=1_234_567, piece_rate_centifen=3700) == {"piece_pay": 45_678_979}


def test_an_all_rejected_inspection_still_shows_as_a_zero_line(fact: FactBuilder) -> None:
    assert _entries(fact, passed=0, rejected=20) == {"piece_pay": 0}


def test_quality_bonus_is_paid_when_the_pass_rate_reaches_the_threshold_exactly(fact: FactBuilder) -> None:
    paid = _entries(
        fact, passed=95, rejected=5, quality_bonus_fen_per_piece=4, bonus_min_pass_rate=Fraction(95, 100)
    )
    assert paid == {"piece_pay": 95 * 50, "quality_bonus": 95 * 4}


def test_quality_bonus_is_withheld_just_below_the_threshold(fact: FactBuilder) -> None:
    paid = _entries(
        fact, passed=94, rejected=6, quality_bonus_fen_per_piece=4, bonus_min_pass_rate=Fraction(95, 100)
    )
    assert paid == {"piece_pay": 94 * 50}


def test_entry_keys_are_deterministic_so_a_replay_is_absorbed_by_the_unique_key(fact: FactBuilder) -> None:
    first = entries_for_inspection(fact(), prior_entries_of_corrected=[], period_id="2026-11-A")
    again = entries_for_inspection(fact(), prior_entries_of_corrected=[], period_id="2026-11-A")
    assert [d.entry_key for d in first] == ["insp-1:piece_pay"]
    assert first == again


def test_entries_carry_who_what_and_where_for_the_slip_and_the_settlement(fact: FactBuilder) -> None:
    (draft,) = entries_for_inspection(fact(), prior_entries_of_corrected=[], period_id="2026-11-A")
    assert (draft.resident_id, draft.order_id, draft.enterprise_id, draft.lot_id) == (
        "res-1",
        "order-1",
        "ent-1",
        "lot-1",
    )
    assert (draft.pieces, draft.rate_centifen, draft.period_id, draft.inspection_id) == (
        90,
        5000,
        "2026-11-A",
        "insp-1",
    )
