"""A pay period closed while the earnings consumer posts into it (PostgreSQL runs the two transactions side by side)
keeps the total it closed at: a batch that began first is committed and counted in the close's totals, one that
began later posts into the next open period; never a line in the closed period that its frozen total left out (the
live audit's closed_period_changed). SQLite's BEGIN IMMEDIATE serialises writers, so the two cannot overlap there."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from schemas import commands as c
from schemas.catalogue import decode
from schemas.envelope import Event
from schemas.events.work import InspectionRecorded
from schemas.registry import ChangeCommunitySettings
from store.db import reading, transaction
from store.tables import Community, LedgerEntry, OutboxEvent, PayPeriod
from tests.integration.conftest import COORDINATOR
from usecases import earn, pay, work
from usecases.community_settings import change_community_settings
from usecases.errors import Conflict
from usecases.invariants import run as audit

IN_PERIOD = datetime(2026, 11, 12, 2, tzinfo=UTC)  # 2026-11-A (Shanghai)
CLOSED_AT = datetime(2026, 11, 16, 1, tzinfo=UTC)  # 09:00 on the 16th: 2026-11-A has ended
CLOSE = c.ClosePayPeriod(community_id="comm-001", period_id="2026-11-A")
# PostgreSQL only: SQLite serialises writers (BEGIN IMMEDIATE), so a close or a kind change and a batch cannot overlap
# there, and a run on it could not fail (it was a skip).
ON_POSTGRESQL = pytest.mark.parametrize("database_url", [pytest.param("postgres", marks=pytest.mark.postgres)],
                                        indirect=True)


def _inspected(world: Any, resident: str, *, passed: int) -> None:
    """A lot of `passed` pieces at 37 fen inspected in 2026-11-A: its InspectionRecorded in the outbox."""
    lot = world.lot(resident, pieces=passed, rate_fen=37)
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=passed), at=IN_PERIOD)
    sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=passed), at=IN_PERIOD)
    world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=passed, rejected=0,
                                                         defect_codes=[]), at=IN_PERIOD)


def _not_delivered(world: Any) -> list[Event]:
    """The inspections recorded since the world's last delivery to the earnings consumer, decoded as the worker
    decodes them."""
    with reading(world.engine) as session:
        rows = session.exec(select(OutboxEvent).where(col(OutboxEvent.id) > world.cursor,
                                                      OutboxEvent.topic == "mf.work.v1")).all()
    return [e for e in (decode(r.payload.encode()) for r in rows) if isinstance(e, InspectionRecorded)]


def _in_thread(work_: Any, outcome: dict[str, Any]) -> threading.Thread:
    def run() -> None:
        try:
            work_()
        except Exception as exc:  # noqa: BLE001 - asserted by the test
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("first", ["earnings", "close"])
@ON_POSTGRESQL
def test_a_close_and_an_earnings_batch_at_once_leave_the_closed_period_as_it_closed(
        pay_world: Any, residents: list[str], database_url: str, first: str) -> None:
    _inspected(pay_world, residents[0], passed=10)
    pay_world.earn(IN_PERIOD)  # the period has pay in it
    _inspected(pay_world, residents[1], passed=20)
    pending = _not_delivered(pay_world)
    assert len(pending) == 1
    outcome: dict[str, Any] = {}

    if first == "earnings":  # the batch has appended its lines, not yet committed, when the close runs
        with transaction(pay_world.engine) as session:
            earn.apply(session, pending, pay_world.ctx(CLOSED_AT))
            closing = _in_thread(lambda: pay_world.run(pay.close_period, CLOSE, actor=COORDINATOR, at=CLOSED_AT),
                                 outcome)
            closing.join(timeout=2)  # it may wait for the batch: then it must count the batch's lines
        closing.join(timeout=10)
        assert not closing.is_alive()
    else:  # the close has run, not yet committed, when the batch is priced and committed
        closed, go_on = threading.Event(), threading.Event()

        def close_and_hold() -> None:
            with transaction(pay_world.engine) as session:
                pay.close_period(session, CLOSE, actor=COORDINATOR, ctx=pay_world.ctx(CLOSED_AT))
                session.flush()
                closed.set()
                go_on.wait(timeout=10)

        def apply() -> None:
            with transaction(pay_world.engine) as session:
                earn.apply(session, pending, pay_world.ctx(CLOSED_AT))

        closing = _in_thread(close_and_hold, outcome)
        assert closed.wait(timeout=10)
        applying = _in_thread(apply, outcome)
        applying.join(timeout=2)  # it may wait for the close: then it must post into the next period
        go_on.set()
        for thread in (applying, closing):
            thread.join(timeout=10)
            assert not thread.is_alive()
    assert "error" not in outcome, outcome

    with reading(pay_world.engine) as session:
        row = session.exec(select(PayPeriod).where(PayPeriod.period_id == "2026-11-A")).one()
        in_period = session.exec(select(func.sum(LedgerEntry.amount_fen)).where(
            LedgerEntry.community_id == "comm-001", LedgerEntry.period_id == "2026-11-A")).one()
        everywhere = session.exec(select(func.sum(LedgerEntry.amount_fen))).one()
    assert everywhere == 10 * 37 + 20 * 37  # nothing lost, nothing twice
    assert row.total_fen == in_period  # on the parent: closed at 370 while 1,110 fen stood in it
    assert [v.as_dict() for v in audit(pay_world.engine).violations] == []


@ON_POSTGRESQL
def test_a_period_kind_change_beside_an_earnings_batch_leaves_no_pay_in_a_period_of_the_old_kind(
        pay_world: Any, residents: list[str], database_url: str) -> None:
    """The change is refused while a period holds pay not yet closed (its lines would belong to no period of the new
    kind): a batch posting the community's first pay, not yet committed when the change is asked for, counts."""
    _inspected(pay_world, residents[1], passed=20)
    pending = _not_delivered(pay_world)
    outcome: dict[str, Any] = {}
    with transaction(pay_world.engine) as session:  # the batch has appended its lines into 2026-11-A, not committed
        earn.apply(session, pending, pay_world.ctx(CLOSED_AT))
        changing = _in_thread(lambda: pay_world.run(
            change_community_settings, "comm-001", ChangeCommunitySettings(period_kind="month"), actor=COORDINATOR,
            at=CLOSED_AT), outcome)
        changing.join(timeout=2)  # it may wait for the batch: then it must see the batch's pay
    changing.join(timeout=10)
    assert not changing.is_alive()
    with reading(pay_world.engine) as session:
        kind = session.exec(select(Community.period_kind).where(Community.id == "comm-001")).one()
        periods = set(session.exec(select(LedgerEntry.period_id)).all())
    assert (kind, periods) == ("half_month", {"2026-11-A"})  # on the parent: month, with pay in 2026-11-A
    assert isinstance(outcome.get("error"), Conflict) and outcome["error"].field == "period_kind", outcome
