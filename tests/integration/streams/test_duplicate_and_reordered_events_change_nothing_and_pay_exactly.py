"""At-least-once delivery: every event any consumer reads, delivered again (twice in one batch too), changes
nothing; a correction delivered before the inspection it corrects still leaves the ledger exact."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, col, select

from schemas import commands as c
from schemas.catalogue import consumers_of, decode
from store.db import reading
from store.tables import Inspection, OutboxEvent
from usecases import orders, work
from usecases.actors import Actor
from usecases.consumer import apply_batch
from usecases.inline import pump
from usecases.reconcile import reconcile
from usecases.routing import HANDLERS, earn

# The worker's own bookkeeping is not an effect of an event.
NOT_EFFECTS = {"worker_beat"}


def fingerprint(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {t.name: hashlib.sha256(repr(conn.execute(text(f'SELECT * FROM "{t.name}" ORDER BY 1')).all())
                                       .encode()).hexdigest()
                for t in SQLModel.metadata.sorted_tables if t.name not in NOT_EFFECTS}


def inspected_then_corrected(world: Any, resident: str, lot: str, *, first_passed: int) -> Any:
    """20 pieces issued and handed in, inspected with `first_passed` passing, then corrected to all 20 passed.

    Returns the first inspection (the one the correction supersedes).
    """
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=20))
    sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=20))
    first, _ = world.run(work.record_inspection, c.RecordInspection(
        submission_id=sub.id, passed=first_passed, rejected=20 - first_passed, defect_codes=["LOOSE"]))
    world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=20, rejected=0,
                                                         corrects_inspection_id=first.id))
    return first


def test_every_event_delivered_again_to_every_consumer_changes_nothing(pay_world: Any, residents: list[str]) -> None:
    world, resident = pay_world, residents[0]
    inspected_then_corrected(world, resident, world.lot(resident, pieces=20), first_passed=18)
    ent1 = Actor(username="ent1", role="enterprise", enterprise_id="ent-01")  # lots, offers and notices too
    world.run(orders.post_order, c.PostOrder(
        enterprise_id="ent-01", product_code="PACK-03", quantity=400, piece_rate_fen=30,
        due_at=datetime.now(UTC) + timedelta(days=10), eligible_community_ids=["comm-001"],
        pickup_site_id="comm-001-site-1"), actor=ent1)
    pump(world.engine, world.settings)
    with reading(world.engine) as session:
        rows = session.exec(select(OutboxEvent).order_by(col(OutboxEvent.id))).all()
    events = [decode(r.payload.encode()) for r in rows]
    consumed = {e.type for e in events if consumers_of(e.topic, e.type)}
    assert {"order.posted", "lot.created", "site.registered", "resident.registered",
            "work.inspection_recorded"} <= consumed, consumed
    assert not consumed & {"work.materials_issued", "work.output_submitted"}  # for ERP integrations only
    assert consumed & {"offer.made", "lot.escalated"}, consumed  # the matcher answered the new lots
    before = fingerprint(world.engine)
    for consumer, handler in HANDLERS.items():
        theirs = [e for e in events if consumer in consumers_of(e.topic, e.type)]
        twice = [e for e in theirs for _ in range(2)]  # each event twice, back to back, in one batch
        applied, failed = apply_batch(world.engine, consumer, twice, handler, world.ctx(world.now + timedelta(1)))
        assert (applied, failed) == (0, []), consumer
    assert fingerprint(world.engine) == before
    assert reconcile(world.engine) == []


def test_a_correction_delivered_before_the_inspection_it_corrects_still_pays_exactly(pay_world: Any,
                                                                                   residents: list[str]) -> None:
    world, resident = pay_world, residents[0]
    lot = world.lot(resident, pieces=20, rate_fen=37)
    first = inspected_then_corrected(world, resident, lot, first_passed=14)
    with reading(world.engine) as session:
        rows = session.exec(select(OutboxEvent).where(OutboxEvent.type == "work.inspection_recorded")
                            .order_by(col(OutboxEvent.id))).all()
    original, correction = (decode(r.payload.encode()) for r in rows)
    for event in (correction, original):  # the wrong order, as a redelivery after a crash could bring them
        apply_batch(world.engine, "earnings", [event], earn.apply, world.ctx())
    assert reconcile(world.engine) == []
    with reading(world.engine) as session:
        corrected = session.exec(select(Inspection).where(Inspection.corrects_inspection_id == first.id)).one()
    assert corrected.passed == 20
