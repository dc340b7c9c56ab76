"""domain.points.month_totals.month_deltas (run on every append of point lines) adds exactly the uncapped points of
the scored lines (work and reversal) per (resident, month); redemptions and volunteer lines add nothing. Adding a
batch's deltas to the rows already stored gives the deltas of all the lines at once, so the read model kept batch
by batch is the month's sum; domain.invariants.points.check_point_months names each row that differs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.invariants.points import check_point_months
from domain.points.month_totals import month_deltas

LINE = st.tuples(st.sampled_from(["work", "reversal", "redemption", "volunteer", "volunteer_reversal"]),
                 st.sampled_from(["r1", "r2"]), st.sampled_from(["2026-10", "2026-11"]), st.integers(-50, 50))


@given(st.lists(LINE, max_size=30), st.integers(0, 30))
def test_batch_by_batch_deltas_add_up_to_the_scored_lines_sums(lines: list[tuple[str, str, str, int]],
                                                              cut: int) -> None:
    want: dict[tuple[str, str], int] = {}
    for kind, resident, month, uncapped in lines:
        if kind in ("work", "reversal"):
            want[(resident, month)] = want.get((resident, month), 0) + uncapped
    assert month_deltas(lines) == want

    stored: dict[tuple[str, str], int] = {}
    for batch in (lines[:cut], lines[cut:]):  # two transactions, each adding its own lines' deltas
        for key, delta in month_deltas(batch).items():
            stored[key] = stored.get(key, 0) + delta
    assert stored == want
    assert check_point_months(lines, stored) == []


def test_a_row_off_missing_or_extra_is_named_by_resident_and_month() -> None:
    lines = [("work", "r1", "2026-11", 5), ("reversal", "r1", "2026-11", -5), ("work", "r2", "2026-11", 3),
             ("redemption", "r3", "2026-11", 0)]
    assert month_deltas(lines) == {("r1", "2026-11"): 0, ("r2", "2026-11"): 3}  # a month netted to zero keeps its row
    found = check_point_months(lines, {("r1", "2026-11"): 1, ("r3", "2026-11"): 0})
    assert [(v.check, v.ids, v.detail) for v in found] == [
        ("point_month_differs", {"resident_id": "r1", "month": "2026-11"},
         {"ledger_uncapped": 0, "read_model_uncapped": 1}),
        ("point_month_differs", {"resident_id": "r2", "month": "2026-11"},
         {"ledger_uncapped": 3, "read_model_uncapped": None}),
        ("point_month_differs", {"resident_id": "r3", "month": "2026-11"},
         {"ledger_uncapped": None, "read_model_uncapped": 0})]
    assert all(v.reason_zh and v.reason_en for v in found)
