"""domain.pay.lot_paid.lot_paid_deltas (run on every append) adds exactly the pieces of the lines
domain.pay.model.counts_passed_pieces counts — piece pay, and reversals of piece pay with their negative pieces —
per (lot, resident, rate); bonuses, other reversals and lines without a lot add nothing."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from domain.pay.lot_paid import by_lot, lot_paid_deltas
from domain.pay.model import counts_passed_pieces

LINE = st.tuples(
    st.sampled_from(["piece_pay", "quality_bonus", "reversal", "adjustment", "wage_top_up"]),
    st.sampled_from(["lot-1", "lot-2", None]), st.sampled_from(["r1", "r2"]), st.sampled_from([80, 125, 350]),
    st.integers(-50, 50), st.sampled_from(["i1:piece_pay", "i1:quality_bonus", "r1:x:carry_forward"]))


def _counted(kind: str, reverses: str | None) -> bool:
    """counts_passed_pieces reads a draft's kind and what it reverses, nothing else."""
    return counts_passed_pieces(SimpleNamespace(entry_kind=kind, reverses_entry_key=reverses))  # type: ignore[arg-type]


@given(st.lists(LINE, max_size=30))
def test_the_deltas_are_the_counted_lines_pieces_added_one_by_one(lines: list[tuple]) -> None:  # type: ignore[type-arg]
    rows = [(kind, lot, resident, rate, pieces, reverses if kind == "reversal" else None)
            for kind, lot, resident, rate, pieces, reverses in lines]
    want: dict[tuple[str, str, int], int] = {}
    for kind, lot, resident, rate, pieces, reverses in rows:
        if lot is not None and _counted(kind, reverses):
            want[(lot, resident, rate)] = want.get((lot, resident, rate), 0) + pieces
    assert lot_paid_deltas(rows) == want


def test_a_reversal_of_piece_pay_takes_its_pieces_back_and_keeps_the_row() -> None:
    deltas = lot_paid_deltas([("piece_pay", "lot-1", "r1", 350, 10, None),
                              ("reversal", "lot-1", "r1", 350, -10, "i1:piece_pay"),
                              ("reversal", "lot-1", "r1", 500, -10, "i1:quality_bonus"),
                              ("adjustment", None, "r1", 0, 0, None)])
    assert deltas == {("lot-1", "r1", 350): 0}
    assert by_lot([("lot-1", "r1", 350, 0), ("lot-1", "r2", 125, 4)]) == {"lot-1": {("r1", 350): 0, ("r2", 125): 4}}
