"""Applying events exactly once: the applied-event record commits with the effect, in one transaction."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from schemas.catalogue import acts_on
from schemas.envelope import Event
from store.bulk import insert_rows, where_in
from store.db import transaction
from store.outbox import record_events
from store.retry import retrying
from store.tables import AppliedEvent
from usecases.context import Context

log = logging.getLogger(__name__)

Handler = Callable[[Session, Sequence[Event], Context], list[Event]]


def apply_batch(engine: Engine, consumer: str, events: Sequence[Event], handler: Handler, ctx: Context, *,
                pause: Callable[[float], None] = time.sleep) -> tuple[int, list[tuple[Event, str]]]:
    """Apply the not-yet-applied events of a batch; returns (applied, failed events with reasons).

    The whole batch commits in one transaction. A transient database error (locked, down: store.retry) is
    waited out with backoff, however long it lasts: the same batch is tried again, nothing is dead-lettered.
    Any other failure means some event can never be applied: each event is then tried alone, so one poisoned
    event cannot hold up the others, and an event that fails alone for good is returned for the dead-letter
    topic and recorded as applied, so it is not redelivered forever. Never raises for a single event.
    Events of a type the catalogue does not list for this consumer are skipped, unrecorded: nobody waits for them.
    """
    acted = acts_on(consumer)
    if acted is not None:
        events = [e for e in events if e.type in acted]
    what = f"{consumer}: batch of {len(events)}"
    if len(events) > 1:
        try:
            return retrying(lambda: _apply(engine, consumer, events, handler, ctx), what=what, pause=pause), []
        except Exception:  # noqa: BLE001 - not transient: find the event(s) that cannot be applied
            log.exception("%s failed, retrying one by one", what)
    applied, failed = 0, []
    for event in events:
        try:
            applied += retrying(lambda: _apply(engine, consumer, [event], handler, ctx),  # noqa: B023 - called now
                                what=f"{consumer}: {event.type} {event.event_id}", pause=pause)
        except Exception as exc:  # noqa: BLE001 - any permanent failure of one event goes to the dead letters
            reason = f"{consumer} could not apply {event.type}: {type(exc).__name__}: {str(exc)[:300]}"
            log.warning("%s", reason)
            failed.append((event, reason))
            retrying(lambda: _mark_applied(engine, consumer, event),  # noqa: B023 - called now
                     what=f"{consumer}: marking {event.event_id} applied", pause=pause)
    return applied, failed


def _apply(engine: Engine, consumer: str, events: Sequence[Event], handler: Handler, ctx: Context) -> int:
    with transaction(engine) as session:
        fresh = unapplied(session, consumer, events)
        if not fresh:
            return 0
        record_events(session, handler(session, list(fresh.values()), ctx))
        now = datetime.now(UTC)
        insert_rows(session, AppliedEvent, [(consumer, event_id, now) for event_id in fresh],
                    ("consumer", "event_id", "applied_at"))
        return len(fresh)


def unapplied(session: Session, consumer: str, events: Sequence[Event]) -> dict[str, Event]:
    """The events of a batch this consumer has not applied yet, by id: first occurrence only, in order."""
    by_id: dict[str, Event] = {}
    for event in events:
        by_id.setdefault(str(event.event_id), event)
    done = session.exec(select(AppliedEvent.event_id).where(
        AppliedEvent.consumer == consumer, where_in(session, col(AppliedEvent.event_id), list(by_id))))
    for eid in done:
        del by_id[eid]
    return by_id


def _mark_applied(engine: Engine, consumer: str, event: Event) -> None:
    with transaction(engine) as session:
        if not session.get(AppliedEvent, (consumer, str(event.event_id))):
            session.add(AppliedEvent(consumer=consumer, event_id=str(event.event_id), applied_at=datetime.now(UTC)))


def collect_garbage_for_batches(young: int = 50_000) -> None:
    """Garbage collection for a process that handles events in batches of thousands (the worker, the relay).

    The modules loaded so far live as long as the process: keep them out of every collection, and collect the
    young generation less often: only once `young` more container objects live than at the last collection
    (every 1,000 events of a batch make ~20,000 short-lived objects). With Python's defaults, collections took
    ~16% of the relay's CPU and, in-process, ~30% of applying a batch. A young collection in the middle of a batch
    walks every object the batch still holds, only to find them alive: the worker, whose 10,000-event batches hold
    more than 50,000 at once, passes a larger `young` (streams/__main__.py).
    """
    gc.freeze()
    gc.set_threshold(young, 20, 100)
