"""A resident's plate (domain.workload.plate) counts what the matching rules count as load: every lot held or
offered (the open-lots limit counts both), their pieces and minutes; nothing is a free resident."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.workload import Commitment, Plate, plate

DUE = datetime(2026, 12, 10, tzinfo=UTC)


def test_held_and_offered_lots_both_count_with_their_pieces() -> None:
    got = plate([Commitment("a", DUE, 90.0, "held", pieces=30), Commitment("b", DUE, 60.0, "offered", pieces=40)])
    assert got == Plate(lots=2, pieces=70, minutes=150.0, offered=1)


def test_no_commitment_is_an_empty_plate() -> None:
    assert plate([]) == Plate() and plate([]).lots == 0
