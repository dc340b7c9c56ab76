"""The relay publishes in recorded order, marks only what the broker acked, and re-delivers until applied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from schemas.events.orders import LotCreated, LotEscalated
from schemas.events.pay import EarningPosted
from services.relay import publish_pending, redeliver_all_unsettled, settle_and_redeliver
from services.store.db import reading, transaction
from services.store.outbox import record_events
from services.store.tables import AppliedEvent, OutboxEvent


class Acked:
    def get(self, timeout: float) -> None:
        return None


class Refused:
    def get(self, timeout: float) -> None:
        raise TimeoutError("broker did not ack")


class FakeProducer:
    """Stands in for KafkaProducer: records what was sent; can refuse acks like a dead broker."""

    def __init__(self, *, ack: bool = True) -> None:
        self.sent: list[tuple[str, bytes]] = []
        self.ack = ack

    def send(self, topic: str, *, key: bytes, value: bytes, headers: Any) -> Any:
        self.sent.append((topic, key))
        return Acked() if self.ack else Refused()

    def flush(self, timeout: float) -> None:
        return None


def record(engine: Engine, n: int) -> list[str]:
    events = [LotCreated(event_id=uuid4(), occurred_at=datetime.now(UTC), key=f"comm-{i % 2}", producer="t",
                         lot_id=f"L{i}", order_id="o", lot_no=i + 1, pieces=10, due_at=datetime.now(UTC))
              for i in range(n)]
    with transaction(engine) as session:
        record_events(session, events)
    return [str(e.event_id) for e in events]


def rows(engine: Engine) -> list[OutboxEvent]:
    with reading(engine) as session:
        return list(session.exec(select(OutboxEvent).order_by(OutboxEvent.id)))  # type: ignore[arg-type]


def age(engine: Engine, seconds: float) -> None:
    with transaction(engine) as session:
        for row in session.exec(select(OutboxEvent)):
            row.published_at = datetime.now(UTC) - timedelta(seconds=seconds)
            session.add(row)


def test_events_are_published_in_the_order_recorded_and_marked(engine: Engine) -> None:
    record(engine, 3)
    producer = FakeProducer()
    assert publish_pending(engine, producer) == 3  # type: ignore[arg-type]
    assert [key for _, key in producer.sent] == [b"comm-0", b"comm-1", b"comm-0"]
    assert all(r.published_at is not None and r.deliveries == 1 for r in rows(engine))
    assert publish_pending(engine, producer) == 0  # type: ignore[arg-type]


def test_nothing_is_marked_published_when_the_broker_does_not_ack(engine: Engine) -> None:
    record(engine, 2)
    with pytest.raises(TimeoutError):
        publish_pending(engine, FakeProducer(ack=False))  # type: ignore[arg-type]
    assert all(r.published_at is None for r in rows(engine))


def test_applied_events_settle_and_unapplied_ones_are_sent_again(engine: Engine) -> None:
    ids = record(engine, 2)
    producer = FakeProducer()
    publish_pending(engine, producer)  # type: ignore[arg-type]
    with transaction(engine) as session:  # the lots topic has two consumers; the first event reached both
        session.add_all(AppliedEvent(consumer=c, event_id=ids[0], applied_at=datetime.now(UTC))
                        for c in ("matcher", "notifier"))
        session.add(AppliedEvent(consumer="matcher", event_id=ids[1], applied_at=datetime.now(UTC)))
    assert settle_and_redeliver(engine, producer, older_than=timedelta(seconds=5)) == (0, 0)  # too young yet
    age(engine, 6)
    assert settle_and_redeliver(engine, producer, older_than=timedelta(seconds=5)) == (1, 1)  # type: ignore[arg-type]
    first, second = rows(engine)
    assert first.settled and not second.settled and second.deliveries == 2
    age(engine, 6)  # second delivery backs off to twice the grace
    assert settle_and_redeliver(engine, producer, older_than=timedelta(seconds=5)) == (0, 0)  # type: ignore[arg-type]
    age(engine, 11)
    assert settle_and_redeliver(engine, producer, older_than=timedelta(seconds=5)) == (0, 1)  # type: ignore[arg-type]


def test_after_the_broker_forgets_everything_unsettled_events_are_queued_again_in_order(engine: Engine) -> None:
    record(engine, 3)
    producer = FakeProducer()
    publish_pending(engine, producer)  # type: ignore[arg-type]
    assert redeliver_all_unsettled(engine) == 3
    again = FakeProducer()
    assert publish_pending(engine, again) == 3  # type: ignore[arg-type]
    assert again.sent == producer.sent


def test_events_without_consumers_are_settled_from_the_start(engine: Engine) -> None:
    with transaction(engine) as session:
        record_events(session, [
            EarningPosted(event_id=uuid4(), occurred_at=datetime.now(UTC), key="c", producer="t", inspection_id="i",
                          resident_id="r", entry_keys=["i:piece_pay"], amount_fen=100, period_id="2026-11-B"),
            LotEscalated(event_id=uuid4(), occurred_at=datetime.now(UTC), key="c", producer="t", lot_id="L",
                         reason_code="no_seat", detail="")])
    ledger, lots = rows(engine)
    assert ledger.settled and not lots.settled  # the lots topic has consumers: matcher and notifier
