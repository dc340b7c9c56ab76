"""A lot counts first hand-ins apart from rework handed in again, so it never reports more pieces than it
holds, and it is done when each piece passed or was finally rejected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.lifecycle import TransitionRefused
from domain.lifecycle.lot import (
    HandIn,
    LotCounts,
    LotStatus,
    after_inspection,
    close,
    hand_in,
    releasable,
    release,
)

IN_WORK = LotStatus.IN_WORK


def test_rework_handed_in_again_is_not_a_first_hand_in() -> None:
    # 100 issued, 80 handed in; 70 passed and 10 sent back for rework.
    after_first = LotCounts(pieces=100, issued=100, submitted=80, passed=70)
    assert after_first.awaiting_rework == 10
    assert hand_in(IN_WORK, after_first, 30) == HandIn(first=20, again=10)
    after_second = LotCounts(pieces=100, issued=100, submitted=100, resubmitted=10, pending=30, passed=70)
    assert after_second.awaiting_rework == 0 and after_second.can_hand_in == 0
    assert after_inspection(IN_WORK, after_second) is IN_WORK
    passed = LotCounts(pieces=100, issued=100, submitted=100, resubmitted=10, passed=100)
    assert after_inspection(IN_WORK, passed) is LotStatus.DONE


def test_more_pieces_than_issued_or_back_for_rework_are_refused_with_the_counts() -> None:
    counts = LotCounts(pieces=100, issued=90, submitted=80, passed=70)
    with pytest.raises(TransitionRefused, match="10 issued and not handed in, 10 back for rework"):
        hand_in(IN_WORK, counts, 21)


def test_finally_rejected_pieces_finish_a_lot_and_rework_does_not() -> None:
    assert after_inspection(IN_WORK, LotCounts(pieces=10, issued=10, submitted=10, passed=7, rejected=3)) \
        is LotStatus.DONE
    assert after_inspection(LotStatus.DONE, LotCounts(pieces=10, issued=10, submitted=10, passed=7)) is IN_WORK


def test_a_lot_with_materials_out_is_neither_released_nor_closed() -> None:
    with pytest.raises(TransitionRefused, match="materials were issued"):
        release(LotStatus.ACCEPTED, pieces_issued=3)
    with pytest.raises(TransitionRefused, match="materials were issued"):
        close(IN_WORK, pieces_issued=3, because="expired")
    assert close(LotStatus.OFFERED, pieces_issued=0, because="expired") is LotStatus.EXPIRED
    assert releasable(LotStatus.ACCEPTED, pieces_issued=0) and not releasable(IN_WORK, pieces_issued=3)
    assert not releasable(LotStatus.OPEN, pieces_issued=0)


@given(st.integers(1, 60).flatmap(lambda pieces: st.tuples(
    st.just(pieces), st.lists(st.tuples(st.integers(1, 20), st.integers(0, 100), st.booleans()), max_size=30))))
def test_first_hand_ins_never_exceed_what_was_issued(case: tuple[int, list[tuple[int, int, bool]]]) -> None:
    pieces, steps = case
    counts = LotCounts(pieces=pieces, issued=pieces)
    for size, percent, rework in steps:
        size = min(size, counts.can_hand_in)
        if size == 0:
            break
        split = hand_in(IN_WORK, counts, size)
        passed = size * percent // 100
        rejected = 0 if rework else size - passed
        counts = LotCounts(pieces=pieces, issued=pieces, submitted=counts.submitted + split.first,
                           resubmitted=counts.resubmitted + split.again, passed=counts.passed + passed,
                           rejected=counts.rejected + rejected)
        assert counts.passed + counts.rejected <= counts.submitted <= counts.issued
        assert counts.awaiting_rework >= 0
