"""Dead letters are for events that can never be applied: a locked or unreachable database is waited out.

The worker's apply_batch retries a transient database error (SQLite's "database is locked", a PostgreSQL
connection that went away) with backoff and dead-letters nothing; an event that fails on its own for good is
dead-lettered and the rest of its batch is applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from schemas import commands as c
from schemas.catalogue import decode
from schemas.envelope import Event
from store.db import reading
from store.tables import AppliedEvent, LedgerEntry, OutboxEvent
from usecases import earn, work
from usecases.consumer import apply_batch
from usecases.context import Context


def inspections(world: Any, resident: str, n: int) -> list[Event]:
    """n inspections of one lot (each of 5 pieces, all passed), as the earnings consumer would read them."""
    lot = world.lot(resident, pieces=5 * n)
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=5 * n))
    for _ in range(n):
        sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=5))
        world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=5, rejected=0,
                                                             defect_codes=[]))
    with reading(world.engine) as session:
        rows = session.exec(select(OutboxEvent).where(OutboxEvent.type == "work.inspection_recorded")
                            .order_by(col(OutboxEvent.id))).all()
    return [decode(r.payload.encode()) for r in rows]


def paid_inspections(world: Any) -> int:
    with reading(world.engine) as session:
        return int(session.exec(select(func.count(func.distinct(LedgerEntry.inspection_id)))).one())


def test_a_batch_that_meets_a_locked_database_is_applied_once_it_is_free(pay_world: Any,
                                                                         residents: list[str]) -> None:
    events = inspections(pay_world, residents[0], 3)
    locked_for = {"calls": 3}
    pauses: list[float] = []

    def locked_then_free(session: Session, batch: Sequence[Event], ctx: Context) -> list[Event]:
        if locked_for["calls"]:
            locked_for["calls"] -= 1
            raise OperationalError("INSERT INTO ledger_entry", {}, Exception("database is locked"))
        return earn.apply(session, batch, ctx)

    applied, failed = apply_batch(pay_world.engine, "earnings", events, locked_then_free, pay_world.ctx(),
                                  pause=pauses.append)
    assert (applied, failed) == (3, [])
    assert paid_inspections(pay_world) == 3
    assert len(pauses) == 3 and pauses == sorted(pauses)  # backoff: each wait at least as long as the one before


def test_a_lone_event_on_a_database_that_is_down_is_retried_not_dead_lettered(pay_world: Any,
                                                                             residents: list[str]) -> None:
    [event] = inspections(pay_world, residents[0], 1)
    down_for = {"calls": 5}

    def down_then_up(session: Session, batch: Sequence[Event], ctx: Context) -> list[Event]:
        if down_for["calls"]:
            down_for["calls"] -= 1
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))
        return earn.apply(session, batch, ctx)

    applied, failed = apply_batch(pay_world.engine, "earnings", [event], down_then_up, pay_world.ctx(),
                                  pause=lambda _: None)
    assert (applied, failed) == (1, [])
    assert paid_inspections(pay_world) == 1


def test_an_event_that_can_never_be_applied_is_dead_lettered_and_the_rest_of_its_batch_applied(
        pay_world: Any, residents: list[str]) -> None:
    events = inspections(pay_world, residents[0], 3)
    poisoned = str(events[1].event_id)

    def refuses_one(session: Session, batch: Sequence[Event], ctx: Context) -> list[Event]:
        if any(str(e.event_id) == poisoned for e in batch):
            raise ValueError("lot belongs to no community")
        return earn.apply(session, batch, ctx)

    applied, failed = apply_batch(pay_world.engine, "earnings", events, refuses_one, pay_world.ctx(),
                                  pause=lambda _: None)
    assert applied == 2
    assert [(str(e.event_id), "ValueError: lot belongs to no community" in reason) for e, reason in failed] == \
        [(poisoned, True)]
    assert paid_inspections(pay_world) == 2
    with reading(pay_world.engine) as session:  # marked applied, so the relay stops re-delivering it
        assert session.get(AppliedEvent, ("earnings", poisoned)) is not None
