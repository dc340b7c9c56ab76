"""Issue 19: the points consumer's monthly read model (point_month) equals the point lines' uncapped sum per resident
and month after batches of hand-ins, corrections (some in the batch of their original) and a redelivery of every
event, and what the consumer reads from it is what summing the month's lines gives. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import select

from domain.invariants.points import check_point_months
from store.db import reading
from store.tables import PointEntry
from tests.integration.points.conftest import PointsWorld
from usecases import invariant_rows as rows
from usecases.points import PointsBook
from usecases.reconcile_points import reconcile_points


def test_point_month_is_the_scored_lines_summed_after_batches_and_a_redelivery(points_world: PointsWorld,
                                                                                residents: list[str]) -> None:
    first, second = residents[0], residents[1]
    done = [points_world.hand_in(first, pieces=200, passed=200, rate_fen=55),
            points_world.hand_in(second, pieces=100, passed=95, rate_fen=30)]
    points_world.score()
    points_world.correct(done[0], passed=150, rejected=50)
    late = points_world.hand_in(second, pieces=60, passed=60, rate_fen=90)
    points_world.correct(late, passed=0, rejected=60)  # corrected in the batch of its original
    points_world.score()
    _assert_read_model_is_the_lines(points_world)

    points_world.cursor = 0  # every event again, as a redelivery after a crash brings them: nothing is added
    assert points_world.score() == 0
    _assert_read_model_is_the_lines(points_world)
    assert reconcile_points(points_world.pay.engine) == []


def _assert_read_model_is_the_lines(world: PointsWorld) -> None:
    with reading(world.pay.engine) as session:
        stored = rows.point_months(session)
        assert check_point_months(rows.point_lines(session), stored) == []
        summed: dict[tuple[str, str], int] = defaultdict(int)  # independently of domain.points.month_totals
        for line in session.exec(select(PointEntry)):
            if line.kind in ("work", "reversal"):
                summed[(line.resident_id, line.month)] += line.uncapped
        assert stored == summed and any(summed.values())
        book = PointsBook(session)
        assert {key: book.total(*key) for key in summed} == summed  # what the consumer caps by
