"""Delivering outbox events straight to the processors, in process: the worker without a broker.

Tests and benchmarks use it to run the whole flow deterministically; it applies events through
the same exactly-once path (`apply_batch`) the faust agents use.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from schemas.catalogue import consumers_of, decode
from store.db import reading
from store.tables import OutboxEvent
from usecases.consumer import apply_batch
from usecases.context import Context
from usecases.routing import HANDLERS
from usecases.settings import Settings


def pump(engine: Engine, settings: Settings, *, after_id: int = 0, max_rounds: int = 100) -> int:
    """Apply every outbox event after `after_id` (and what they cause) until quiet; returns the last id seen."""
    for _ in range(max_rounds):
        with reading(engine) as session:
            rows = session.exec(select(OutboxEvent).where(col(OutboxEvent.id) > after_id)
                                .order_by(col(OutboxEvent.id))).all()
        if not rows:
            return after_id
        for consumer, handler in HANDLERS.items():
            events = [decode(r.payload.encode()) for r in rows if consumer in consumers_of(r.topic, r.type)]
            if events:
                apply_batch(engine, consumer, events, handler, Context.live(settings, producer=f"inline:{consumer}"))
        after_id = rows[-1].id or after_id
    raise RuntimeError(f"events still flowing after {max_rounds} rounds")
