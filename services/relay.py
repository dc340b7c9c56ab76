"""The outbox relay: publishes recorded events, and re-delivers what consumers have not applied.

Durability never rests on the broker: an event is in the database before anyone hears of it,
and it is published again until every consumer of its topic has recorded applying it. A broker
that lost everything (the embedded one keeps topics in memory) gets its topics back and every
unsettled event again, in the order they were recorded.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import col, select, update

from schemas.catalogue import consumers_of
from services.broker import provision_topics, topics_present
from services.settings import Settings
from services.store.db import reading, transaction
from services.store.tables import AppliedEvent, OutboxEvent

log = logging.getLogger(__name__)
BATCH = 5000
# Only the columns publishing needs: building ORM objects for thousands of rows a second costs more than sending them.
COLUMNS: tuple[Any, ...] = (OutboxEvent.id, OutboxEvent.event_id, OutboxEvent.topic, OutboxEvent.key, OutboxEvent.type,
                            OutboxEvent.payload, OutboxEvent.published_at, OutboxEvent.deliveries)


def make_producer(bootstrap: str) -> KafkaProducer:
    # Large batches: the default 16 KB fills after ~30 events and wakes the sender for each; one in flight keeps order.
    return KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, retries=5, batch_size=512 * 1024,
                         max_in_flight_requests_per_connection=1, client_id="mf-relay")


def publish_pending(engine: Engine, producer: KafkaProducer, *, limit: int = BATCH) -> int:
    """Publish unpublished events in the order they were recorded; mark them once the broker acked."""
    with reading(engine) as session:
        rows = session.exec(select(*COLUMNS).where(col(OutboxEvent.published_at).is_(None))
                            .order_by(col(OutboxEvent.id)).limit(limit)).all()
    if not rows:
        return 0
    _send(producer, rows)
    with transaction(engine) as session:
        session.exec(update(OutboxEvent).where(col(OutboxEvent.id).in_([r.id for r in rows]))  # type: ignore[call-overload]
                     .values(published_at=datetime.now(UTC), deliveries=OutboxEvent.deliveries + 1))
    return len(rows)


def settle_and_redeliver(engine: Engine, producer: KafkaProducer, *, older_than: timedelta,
                         limit: int = BATCH) -> tuple[int, int]:
    """Mark events every consumer applied as settled; publish the others again. Returns (settled, redelivered)."""
    cutoff = datetime.now(UTC) - older_than
    with reading(engine) as session:
        rows = session.exec(select(*COLUMNS).where(OutboxEvent.settled == False,  # noqa: E712
                                                      col(OutboxEvent.published_at).is_not(None),
                                                      col(OutboxEvent.published_at) < cutoff)
                            .order_by(col(OutboxEvent.id)).limit(limit)).all()
        applied: dict[str, set[str]] = {}
        for consumer, event_id in session.exec(select(AppliedEvent.consumer, AppliedEvent.event_id).where(
                col(AppliedEvent.event_id).in_([r.event_id for r in rows]))):
            applied.setdefault(event_id, set()).add(consumer)
    done = [r for r in rows if set(consumers_of(r.topic)) <= applied.get(r.event_id, set())]
    # Back off per event (1×, 2×, 4× … the grace), so a worker that is merely slow is not flooded with copies.
    now = datetime.now(UTC)
    done_ids = {r.id for r in done}
    again = [r for r in rows if r.id not in done_ids and r.published_at is not None
             and r.published_at < now - older_than * 2 ** min(max(r.deliveries - 1, 0), 6)]
    if again:
        log.warning("re-delivering %d events not yet applied by every consumer", len(again))
        _send(producer, again)
    with transaction(engine) as session:
        if done:
            session.exec(update(OutboxEvent).where(col(OutboxEvent.id).in_([r.id for r in done]))  # type: ignore[call-overload]
                         .values(settled=True))
        if again:
            session.exec(update(OutboxEvent).where(col(OutboxEvent.id).in_([r.id for r in again]))  # type: ignore[call-overload]
                         .values(published_at=datetime.now(UTC), deliveries=OutboxEvent.deliveries + 1))
    return len(done), len(again)


def redeliver_all_unsettled(engine: Engine) -> int:
    """After the broker lost its topics: everything unsettled is published again, in order."""
    with transaction(engine) as session:
        n = session.exec(select(func.count()).select_from(OutboxEvent).where(
            OutboxEvent.settled == False, col(OutboxEvent.published_at).is_not(None))).one()  # noqa: E712
        session.exec(update(OutboxEvent).where(col(OutboxEvent.settled).is_(False))  # type: ignore[call-overload]
                     .values(published_at=None))
    return int(n)


def _send(producer: KafkaProducer, rows: Sequence[Any]) -> None:
    futures = [producer.send(r.topic, key=r.key.encode(), value=r.payload.encode(),
                             headers=[("type", r.type.encode())]) for r in rows]
    producer.flush(timeout=30)
    for f in futures:
        f.get(timeout=30)  # raises if the broker did not ack: nothing is marked published then


def run_relay(settings: Settings, engine: Engine, *, stop_after: float | None = None) -> None:
    """The relay loop: publish, settle or re-deliver, and heal the topics after a broker restart."""
    started = time.monotonic()
    producer: KafkaProducer | None = None
    last_sweep = 0.0
    while stop_after is None or time.monotonic() - started < stop_after:
        try:
            if producer is None:
                provision_topics(settings.bootstrap)
                producer = make_producer(settings.bootstrap)
            published = publish_pending(engine, producer)
            if time.monotonic() - last_sweep > 2:
                last_sweep = time.monotonic()
                if not topics_present(settings.bootstrap):
                    log.warning("broker lost its topics: provisioning and re-delivering")
                    provision_topics(settings.bootstrap)
                    log.warning("%d unsettled events queued again", redeliver_all_unsettled(engine))
                settle_and_redeliver(engine, producer, older_than=timedelta(seconds=settings.redelivery_after_s))
            if not published:
                time.sleep(0.05)
        except KafkaError as exc:
            log.warning("broker unavailable (%s); retrying", exc)
            if producer is not None:
                producer.close(timeout=1)
            producer = None
            time.sleep(1)
