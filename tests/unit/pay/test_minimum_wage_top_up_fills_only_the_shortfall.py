"""Piece pay is measured against the part-time hourly minimum over all the time the work took."""

from __future__ import annotations

from fractions import Fraction

import pytest

from domain.pay import (
    PayInputError,
    WorkMinutes,
    effective_hourly,
    shortfall,
    top_up,
    top_up_draft,
)


def test_effective_hourly_counts_pickup_delivery_waiting_and_rework() -> None:
    minutes = WorkMinutes(making=90, pickup=10, delivery=10, waiting=5, rework=5)
    assert minutes.total == 120
    assert effective_hourly(earned_fen=4_500, minutes=minutes) == 2_250
    assert effective_hourly(earned_fen=100, minutes=WorkMinutes(making=7)) == Fraction(6_000, 7)


def test_no_time_recorded_is_a_clear_error() -> None:
    with pytest.raises(PayInputError, match="minutes"):
        effective_hourly(earned_fen=100, minutes=WorkMinutes())


def test_top_up_pays_the_shortfall_rounded_up_in_the_workers_favour() -> None:
    # 125 minutes at 2,500 fen/h = 5,208.33 fen -> 5,209 fen
    assert top_up(earned_fen=4_500, total_minutes=125, min_hourly_wage_fen=2_500, policy_tops_up=True) == 709


def test_no_top_up_when_piece_pay_already_meets_the_minimum() -> None:
    assert top_up(earned_fen=6_000, total_minutes=120, min_hourly_wage_fen=2_500, policy_tops_up=True) == 0


def test_no_top_up_when_the_policy_does_not_top_up_though_the_shortfall_is_known() -> None:
    assert top_up(earned_fen=1_000, total_minutes=60, min_hourly_wage_fen=2_500, policy_tops_up=False) == 0
    assert shortfall(earned_fen=1_000, total_minutes=60, min_hourly_wage_fen=2_500) == 1_500


def test_a_top_up_is_one_keyed_entry_per_resident_and_period() -> None:
    draft = top_up_draft(resident_id="res-1", community_id="com-1", period_id="2026-11-A", amount_fen=709)
    assert draft is not None
    assert (draft.entry_kind, draft.amount_fen, draft.entry_key) == (
        "wage_top_up",
        709,
        "res-1:2026-11-A:wage_top_up",
    )
    assert (
        top_up_draft(resident_id="res-1", community_id="com-1", period_id="2026-11-A", amount_fen=0) is None
    )

