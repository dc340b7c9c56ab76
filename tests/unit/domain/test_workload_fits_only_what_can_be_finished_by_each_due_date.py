"""A resident's committed work fits only if, for every due date, the work due by then fits in their hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.workload import Commitment, committed_minutes, late, minutes_for, pieces_left, pieces_per_hour

# Monday 2026-11-30 00:00 in Shanghai; three hours every day, 09:00–12:00 local.
MONDAY = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)
THREE_HOURS_A_DAY = tuple((d, 540, 720) for d in range(7))


def lot(lot_id: str, minutes: float, due_days: float, kind: str = "held") -> Commitment:
    return Commitment(lot_id=lot_id, due_at=MONDAY + timedelta(days=due_days), minutes=minutes, kind=kind)  # type: ignore[arg-type]


def test_the_issue_s_home_worker_can_finish_one_lot_of_150_but_not_two() -> None:
    # 4 standard minutes a piece, 150 pieces a lot, due in 5 days, 3 hours a day: 600 of 900 minutes each.
    one = minutes_for(150, pieces_per_hour(observed=None, standard_minutes_per_piece=4))
    assert one == 600
    assert late([lot("a", one, 5, "offered")], weekly_availability=THREE_HOURS_A_DAY, now=MONDAY) == []
    two = late([lot("a", one, 5, "offered"), lot("b", one, 5, "offered")],
               weekly_availability=THREE_HOURS_A_DAY, now=MONDAY)
    assert [(x.lot_id, x.needed, x.available) for x in two] == [("b", 1200, 900)]


def test_earlier_due_work_counts_against_later_due_dates_but_not_the_reverse() -> None:
    # Due tomorrow evening: 180 available minutes. 150 minutes due then fits; 150 more due in 3 days fits too.
    fits = [lot("late", 150, 3), lot("soon", 150, 1.5)]
    assert late(fits, weekly_availability=THREE_HOURS_A_DAY, now=MONDAY) == []
    squeezed = [lot("late", 400, 2), lot("soon", 150, 1.5)]  # 550 by day 2, only 360 available
    assert [x.lot_id for x in late(squeezed, weekly_availability=THREE_HOURS_A_DAY, now=MONDAY)] == ["late"]


def test_nobody_with_no_hours_can_take_any_work() -> None:
    assert late([lot("a", 1, 30)], weekly_availability=(), now=MONDAY)[0].available == 0
    assert late([], weekly_availability=(), now=MONDAY) == []


def test_rework_pieces_are_still_to_make_and_finished_ones_are_not() -> None:
    assert pieces_left(pieces=100, passed=70, rejected_final=10) == 20
    assert pieces_left(pieces=100, passed=100, rejected_final=5) == 0
    assert committed_minutes([lot("a", 30, 1), lot("b", 45.5, 2)]) == 75.5


def test_observed_speed_wins_over_the_standard_one_and_bad_figures_are_refused() -> None:
    assert pieces_per_hour(observed=30, standard_minutes_per_piece=4) == 30
    assert pieces_per_hour(observed=0, standard_minutes_per_piece=4) == 15
    with pytest.raises(ValueError):
        pieces_per_hour(observed=None, standard_minutes_per_piece=0)
    with pytest.raises(ValueError):
        minutes_for(-1, 10)
