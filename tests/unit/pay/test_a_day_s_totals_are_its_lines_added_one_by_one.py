"""domain.pay.ledger_days.day_totals (the earnings consumer's hot path) sums exactly as adding each line's
line_totals in turn, per Asia/Shanghai day, community and resident."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.pay.ledger_days import DayTotals, day_totals, line_totals, local_day

KINDS = ("piece_pay", "bonus", "reversal", "top_up", "carry_forward", "carried_in", "adjustment")
START = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai: lines fall either side of midnight

lines = st.lists(st.tuples(
    st.sampled_from(KINDS), st.sampled_from(("r1", "r2")), st.sampled_from(("comm-001", "comm-002")),
    st.integers(-50, 500), st.integers(-100_000, 100_000),
    st.integers(0, 180).map(lambda m: START + timedelta(minutes=m)),
    st.sampled_from((None, "x:piece_pay", "x:bonus"))), max_size=60)


@given(lines)
def test_day_totals_equal_line_totals_added_one_by_one(batch: list) -> None:  # type: ignore[type-arg]
    expected: dict = {}  # type: ignore[type-arg]
    for kind, resident, community, pieces, amount, at, reverses in batch:
        key = (local_day(at), community, resident)
        expected[key] = expected.get(key, DayTotals()) + line_totals(kind, pieces, amount, reverses)
    assert day_totals(batch) == expected


def test_a_carried_debt_is_nobody_s_income_and_a_reversed_piece_pay_unpasses_its_pieces() -> None:
    at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    totals = day_totals([("carry_forward", "r1", "c", 0, -500, at, None),
                         ("piece_pay", "r1", "c", 10, 1_000, at, None),
                         ("reversal", "r1", "c", -4, -400, at, "lot:ins:piece_pay")])
    assert totals == {(local_day(at), "c", "r1"): DayTotals(lines=3, income_lines=2, passed_lines=2, income_fen=600,
                                                            transfer_fen=-500, passed_pieces=6)}
