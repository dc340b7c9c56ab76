"""A malformed or unknown message on any topic is dead-lettered with its reason and bytes; the rest flows on."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from sqlmodel import select

from schemas.catalogue import CATALOGUE, DEAD_LETTER_TOPIC, PARTITIONS
from schemas.envelope import encode
from schemas.events.people import AvailabilityChanged
from services.harness import System, wait_until
from store.db import reading
from store.tables import AppliedEvent, DeadLetter

GARBAGE = (b"\x00\x01 not json", b'{"type": "order.teleported", "schema_version": 1}')


def dead_letters_on_the_topic(bootstrap: str) -> list[tuple[bytes, dict[str, bytes]]]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, consumer_timeout_ms=2000, auto_offset_reset="earliest")
    consumer.assign([TopicPartition(DEAD_LETTER_TOPIC, p) for p in range(PARTITIONS)])
    consumer.seek_to_beginning()
    found = [(m.value, dict(m.headers)) for m in consumer]
    consumer.close()
    return found


def test_bad_messages_on_every_topic_are_dead_lettered_and_good_ones_still_applied(system: System) -> None:
    producer = KafkaProducer(bootstrap_servers=system.settings.bootstrap)
    topics = [spec.name for spec in CATALOGUE if spec.consumers]
    for topic in topics:
        for raw in GARBAGE:
            producer.send(topic, key=b"comm-001", value=raw)
    good = AvailabilityChanged(event_id=uuid4(), occurred_at=datetime.now(UTC), key="comm-001", producer="test",
                               resident_id="comm-001-r001", availability=[(0, 540, 600)])
    producer.send("mf.people.v1", key=b"comm-001", value=encode(good))
    producer.flush()
    producer.close()

    def applied() -> bool:
        with reading(system.engine) as session:
            return session.get(AppliedEvent, ("matcher", str(good.event_id))) is not None

    wait_until(applied, timeout=60, what="the good event after the bad ones", system=system)
    # A topic read by two agents (orders: splitter and notifier; lots, offers: matcher and notifier) dead-letters twice.
    readers = sum(len(spec.consumers) for spec in CATALOGUE if spec.consumers)
    wait_until(lambda: len(dead_letters_on_the_topic(system.settings.bootstrap)) >= readers * len(GARBAGE),
               timeout=30, what="dead letters on the topic")

    def recorded() -> list[DeadLetter]:
        with reading(system.engine) as session:
            return list(session.exec(select(DeadLetter)).all())
    wait_until(lambda: len(recorded()) >= readers * len(GARBAGE), timeout=30, what="dead letters recorded")
    rows = recorded()
    assert {r.raw for r in rows} == set(GARBAGE)
    assert {r.topic for r in rows} == set(topics)
    reasons = {r.reason for r in rows}
    assert any(r.startswith("not JSON") for r in reasons)
    assert "unknown event type: 'order.teleported'" in reasons
    on_topic = dead_letters_on_the_topic(system.settings.bootstrap)
    assert {value for value, _ in on_topic} == set(GARBAGE)
    assert all(headers["reason"] and headers["source"].startswith(b"mf.") for _, headers in on_topic)
