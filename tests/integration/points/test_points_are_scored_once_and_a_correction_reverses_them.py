"""The points consumer scores each inspection once by the rule; a correction to rejected reverses the points."""

from __future__ import annotations

from sqlmodel import select

from store.db import reading
from store.tables import LedgerEntry, PointEntry
from tests.integration.points.conftest import PointsWorld
from usecases.reconcile import reconcile
from usecases.reconcile_points import reconcile_points


def _lines(world: PointsWorld, resident: str) -> list[tuple[str, int]]:
    with reading(world.pay.engine) as session:
        return [(e.kind, e.points) for e in session.exec(
            select(PointEntry).where(PointEntry.resident_id == resident).order_by(PointEntry.id))]


def test_an_on_time_passing_lot_earns_the_rule_s_points_once(points_world: PointsWorld, residents: list[str]) -> None:
    resident = residents[0]
    points_world.hand_in(resident, pieces=200, passed=200, rate_fen=55)
    assert points_world.score() == 1
    # 200 × 55 fen = ¥110 → 11 points; pass rate 100% ≥ 98% → +50% of 11 = 5 → 16
    assert _lines(points_world, resident) == [("work", 16)]

    points_world.cursor = 0  # the same events again, as a redelivery after a crash brings them
    assert points_world.score() == 0
    assert _lines(points_world, resident) == [("work", 16)]
    assert reconcile_points(points_world.pay.engine) == []


def test_a_correction_to_rejected_reverses_the_points(points_world: PointsWorld, residents: list[str]) -> None:
    resident = residents[0]
    original = points_world.hand_in(resident, pieces=200, passed=196, rate_fen=55)
    points_world.score()
    points_world.correct(original, passed=0, rejected=200)
    points_world.score()
    # 196 × 55 = 10,780 fen → 10 points, 98% → +5 = 15; the correction reverses them and earns nothing
    assert _lines(points_world, resident) == [("work", 15), ("reversal", -15), ("work", 0)]
    assert reconcile_points(points_world.pay.engine) == []


def test_a_correction_applied_before_its_original_scores_the_original_first(points_world: PointsWorld,
                                                                          residents: list[str]) -> None:
    resident = residents[1]
    original = points_world.hand_in(resident, pieces=100, passed=100, rate_fen=30)
    points_world.correct(original, passed=90, rejected=10)
    points_world.score()  # both events in one batch; the result must not depend on which comes first
    # original: 100 × 30 = 3,000 fen → 3 + 1 = 4; correction: 90 × 30 = 2,700 fen → 2, 90% passes, no bonus
    assert sorted(_lines(points_world, resident)) == [("reversal", -4), ("work", 2), ("work", 4)]
    assert reconcile_points(points_world.pay.engine) == []


def test_points_never_enter_the_money_ledger(points_world: PointsWorld, residents: list[str]) -> None:
    points_world.hand_in(residents[0], pieces=200, passed=200, rate_fen=55)
    points_world.score()
    with reading(points_world.pay.engine) as session:
        money = session.exec(select(LedgerEntry)).all()
    assert sum(e.amount_fen for e in money) == 200 * 55  # what the earnings consumer paid, and only that
    assert reconcile(points_world.pay.engine) == []


def test_reconcile_finds_a_points_line_changed_by_hand(points_world: PointsWorld, residents: list[str]) -> None:
    from sqlalchemy import text

    points_world.hand_in(residents[0], pieces=200, passed=200, rate_fen=55)
    points_world.score()
    with points_world.pay.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        conn.exec_driver_sql("ALTER TABLE point_entry DISABLE TRIGGER USER" if postgres
                             else "DROP TRIGGER IF EXISTS point_entry_no_update")
        conn.execute(text("UPDATE point_entry SET points = points + 5"))
        if postgres:
            conn.exec_driver_sql("ALTER TABLE point_entry ENABLE TRIGGER USER")
    found = reconcile_points(points_world.pay.engine)
    assert [(d["scope"], d["expected_points"], d["ledger_points"]) for d in found] == [("points", 16, 21)]
