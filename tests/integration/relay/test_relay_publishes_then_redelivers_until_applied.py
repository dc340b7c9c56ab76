"""The relay publishes in recorded order, marks only what the broker acked, and re-delivers until applied."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from aiokafka.errors import KafkaTimeoutError
from kafka.partitioner.default import murmur2
from sqlalchemy.engine import Engine
from sqlmodel import select

from schemas.catalogue import CATALOGUE
from schemas.events.orders import LotCreated, LotEscalated
from schemas.events.pay import PayPeriodClosed
from services import relay
from services.relay import Publisher, publish_pending, redeliver_all_unsettled, settle_and_redeliver, topics_changed
from store.db import reading, transaction
from store.outbox import record_events
from store.tables import AppliedEvent, OutboxEvent

PARTITIONS = 8


def partition_of(key: bytes) -> int:
    """Kafka's default partitioner, computed here independently of the relay."""
    return (murmur2(key) & 0x7FFFFFFF) % PARTITIONS


class FakeBatch:
    """A record batch that holds only a few records, so a partition's events need several batches."""

    def __init__(self, capacity: int) -> None:
        self.records: list[tuple[bytes, bytes]] = []
        self.capacity = capacity

    def append(self, *, key: bytes, value: bytes, timestamp: None, headers: Any) -> Any:
        if len(self.records) == self.capacity:
            return None
        self.records.append((key, value))
        return object()


class FakeProducer:
    """Stands in for aiokafka's producer: acks arrive a moment after a batch is sent, or never for refused partitions.

    `sent` is what reached the broker, batch by batch: (topic, partition, key, event id). A second batch sent to a
    partition whose previous batch is not yet acked fails the test: it could overtake a batch that then fails.
    """

    def __init__(self, *, refuse: set[int] | None = None, capacity: int = 2) -> None:
        self.sent: list[tuple[str, int, bytes, str]] = []
        self.refuse = set(range(PARTITIONS)) if refuse is None else refuse
        self.capacity = capacity
        self.in_flight: set[tuple[str, int]] = set()

    @classmethod
    def acking(cls, *, capacity: int = 2) -> FakeProducer:
        return cls(refuse=set(), capacity=capacity)

    async def partitions_for(self, topic: str) -> set[int]:
        return set(range(PARTITIONS))

    def create_batch(self) -> FakeBatch:
        return FakeBatch(self.capacity)

    async def send_batch(self, batch: FakeBatch, topic: str, *, partition: int) -> asyncio.Future[None]:
        assert (topic, partition) not in self.in_flight, f"two batches in flight on {topic}:{partition}"
        self.in_flight.add((topic, partition))
        self.sent += [(topic, partition, key, json.loads(value)["event_id"]) for key, value in batch.records]
        ack: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def answer() -> None:
            self.in_flight.discard((topic, partition))
            if partition in self.refuse:
                ack.set_exception(KafkaTimeoutError("broker did not ack"))
            else:
                ack.set_result(None)

        asyncio.get_running_loop().call_later(0.01, answer)
        return ack


def publish(engine: Engine, producer: FakeProducer) -> int:
    return asyncio.run(publish_pending(engine, producer))  # type: ignore[arg-type]


def settle(engine: Engine, producer: FakeProducer) -> tuple[int, int]:
    return asyncio.run(settle_and_redeliver(engine, producer, older_than=timedelta(seconds=5)))  # type: ignore[arg-type]


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


def test_events_are_published_on_their_key_partition_in_the_order_recorded_and_marked(engine: Engine) -> None:
    ids = record(engine, 5)  # comm-0 gets three events: two batches on its partition
    producer = FakeProducer.acking()
    assert publish(engine, producer) == 5
    assert all(partition == partition_of(key) for _, partition, key, _ in producer.sent)
    for key in (b"comm-0", b"comm-1"):
        assert [event_id for _, _, k, event_id in producer.sent if k == key] == \
            [event_id for i, event_id in enumerate(ids) if f"comm-{i % 2}".encode() == key]
    assert all(r.published_at is not None and r.deliveries == 1 for r in rows(engine))
    assert publish(engine, producer) == 0


def test_nothing_is_marked_published_when_the_broker_does_not_ack(engine: Engine) -> None:
    record(engine, 2)
    with pytest.raises(KafkaTimeoutError):
        publish(engine, FakeProducer())
    assert all(r.published_at is None for r in rows(engine))


def test_a_partition_that_fails_sends_nothing_after_the_failed_batch_and_nothing_is_marked(engine: Engine) -> None:
    ids = record(engine, 5)
    producer = FakeProducer(refuse={partition_of(b"comm-0")})
    with pytest.raises(KafkaTimeoutError):
        publish(engine, producer)
    assert [event_id for _, _, key, event_id in producer.sent if key == b"comm-0"] == [ids[0], ids[2]]
    assert {key for _, _, key, _ in producer.sent} == {b"comm-0", b"comm-1"}  # the other partition was acked
    assert all(r.published_at is None for r in rows(engine))


def test_applied_events_settle_and_unapplied_ones_are_sent_again(engine: Engine) -> None:
    ids = record(engine, 2)
    producer = FakeProducer.acking()
    publish(engine, producer)
    with transaction(engine) as session:  # a new lot is the matcher's alone: the notifier does not act on it
        session.add(AppliedEvent(consumer="matcher", event_id=ids[0], applied_at=datetime.now(UTC)))
        session.add(AppliedEvent(consumer="notifier", event_id=ids[1], applied_at=datetime.now(UTC)))
    assert settle(engine, producer) == (0, 0)  # too young yet
    age(engine, 6)
    assert settle(engine, producer) == (1, 1)
    assert [event_id for *_, event_id in producer.sent] == [ids[0], ids[1], ids[1]]
    first, second = rows(engine)
    assert first.settled and not second.settled and second.deliveries == 2
    age(engine, 6)  # second delivery backs off to twice the grace
    assert settle(engine, producer) == (0, 0)
    age(engine, 11)
    assert settle(engine, producer) == (0, 1)


def test_an_unacked_redelivery_is_not_marked(engine: Engine) -> None:
    record(engine, 1)
    publish(engine, FakeProducer.acking())
    age(engine, 6)
    with pytest.raises(KafkaTimeoutError):
        settle(engine, FakeProducer())
    assert rows(engine)[0].deliveries == 1


def test_after_the_broker_forgets_everything_unsettled_events_are_queued_again_in_order(engine: Engine) -> None:
    record(engine, 3)
    producer = FakeProducer.acking()
    publish(engine, producer)
    age(engine, 6)
    assert settle(engine, producer) == (0, 3)  # the second delivery: the next would wait twice as long
    assert redeliver_all_unsettled(engine, TOPIC_IDS) == 3
    again = FakeProducer.acking()
    assert publish(engine, again) == 3
    assert again.sent == producer.sent[:3]
    # The deliveries to the broker that lost them no longer count: the next one is due after the grace, not twice it.
    assert [r.deliveries for r in rows(engine)] == [1, 1, 1]
    age(engine, 6)
    assert settle(engine, again) == (0, 3)


TOPIC_IDS = {spec.name: f"0190-{i}" for i, spec in enumerate(CATALOGUE)}


def test_topics_never_recorded_created_again_or_missing_are_lost_until_recorded(engine: Engine) -> None:
    # Whether the topics exist says nothing after a broker restart (any client may create them again): their ids do.
    assert topics_changed(engine, TOPIC_IDS) == list(TOPIC_IDS)  # never recorded: what was published is unknown
    redeliver_all_unsettled(engine, TOPIC_IDS)
    assert topics_changed(engine, TOPIC_IDS) == []
    work = "mf.work.v1"
    assert topics_changed(engine, {**TOPIC_IDS, work: "0190-new"}) == [work]
    assert topics_changed(engine, {k: v for k, v in TOPIC_IDS.items() if k != work}) == [work]
    assert topics_changed(engine, {**TOPIC_IDS, "mf.other": "x"}) == []  # topics outside the catalogue are not ours
    redeliver_all_unsettled(engine, {**TOPIC_IDS, work: "0190-new"})  # the new ids replace the old ones
    assert topics_changed(engine, {**TOPIC_IDS, work: "0190-new"}) == []
    assert topics_changed(engine, TOPIC_IDS) == [work]


def test_a_broker_that_gives_no_topic_ids_is_judged_by_the_topics_being_there(engine: Engine) -> None:
    # Kafka before 2.8 (no topic ids): topic_ids reports "" for each; only a missing topic shows then.
    blank = dict.fromkeys(TOPIC_IDS, "")
    redeliver_all_unsettled(engine, blank)
    assert topics_changed(engine, blank) == []
    assert topics_changed(engine, {k: v for k, v in blank.items() if k != "mf.orders.v1"}) == ["mf.orders.v1"]


def test_events_without_consumers_are_settled_from_the_start(engine: Engine) -> None:
    with transaction(engine) as session:
        record_events(session, [
            PayPeriodClosed(event_id=uuid4(), occurred_at=datetime.now(UTC), key="c", producer="t",
                            period_id="2026-11-B", total_fen=100, residents=1, actor="coord"),
            LotEscalated(event_id=uuid4(), occurred_at=datetime.now(UTC), key="c", producer="t", lot_id="L",
                         reason_code="no_seat", detail="")])
    ledger, lots = rows(engine)
    assert ledger.settled and not lots.settled  # nobody inside acts on a period closing; the notifier on escalations


@contextmanager
def write_lock_held(engine: Engine) -> Iterator[None]:
    """Another writer in the middle of a long transaction, as a busy worker is (reads still go through)."""
    with engine.begin() as conn:  # on SQLite the engine's BEGIN IMMEDIATE takes the write lock
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("LOCK TABLE outbox IN EXCLUSIVE MODE")
        yield


async def until(done: Callable[[], bool]) -> None:
    for _ in range(500):
        if done():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


def test_batches_go_out_while_the_earlier_ones_wait_to_be_marked(engine: Engine) -> None:
    ids = record(engine, 6)
    producer = FakeProducer.acking(capacity=10)

    async def scenario() -> None:
        publisher = Publisher(engine, producer)  # type: ignore[arg-type]
        with write_lock_held(engine):
            for _ in range(3):
                assert await publisher.publish(limit=2) == 2  # acked; its mark queues behind the lock
            assert await publisher.publish(limit=2) == 0  # all that is left is waiting to be marked
            assert [r.published_at for r in rows(engine)] == [None] * 6
        await publisher.settle_marks()

    asyncio.run(scenario())
    assert sorted(event_id for *_, event_id in producer.sent) == sorted(ids)  # each once
    assert all(r.published_at is not None and r.deliveries == 1 for r in rows(engine))


def test_events_whose_mark_failed_are_sent_again_not_lost(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = record(engine, 3)
    producer = FakeProducer.acking(capacity=10)
    marks: list[list[tuple[list[relay.Marked], datetime]]] = []

    def mark_failing_once(engine: Engine, batch: list[tuple[list[relay.Marked], datetime]]) -> None:
        marks.append(batch)
        if len(marks) == 1:
            raise RuntimeError("database is locked")
        real_mark(engine, batch)

    real_mark = relay._mark_published_now
    monkeypatch.setattr(relay, "_mark_published_now", mark_failing_once)

    async def scenario() -> None:
        publisher = Publisher(engine, producer)  # type: ignore[arg-type]
        assert await publisher.publish(limit=3) == 3
        with pytest.raises(RuntimeError):
            await publisher.settle_marks()
        assert await publisher.publish(limit=3) == 3  # still unpublished in the outbox: out again
        await publisher.settle_marks()

    asyncio.run(scenario())
    assert sorted(event_id for *_, event_id in producer.sent) == sorted(ids * 2)  # at least once: twice, not lost
    assert all(r.published_at is not None and r.deliveries == 1 for r in rows(engine))
    # published_at is when the broker acked the second send, not when the mark got the database
    acked_at = marks[-1][0][1]
    assert all(r.published_at == acked_at for r in rows(engine))


def test_settling_waits_for_the_write_lock_in_a_thread_while_new_events_go_out(engine: Engine) -> None:
    """Issue 19 (pay latency): settling needs the write lock, which a busy worker holds for a whole batch; done on
    the relay's loop it held up publishing that long (a probe's inspection waited 2.5 s at p99 on SQLite)."""
    old = record(engine, 2)
    producer = FakeProducer.acking(capacity=10)
    publish(engine, producer)
    with transaction(engine) as session:  # the first is applied by its only consumer; the second by nobody yet
        session.add(AppliedEvent(consumer="matcher", event_id=old[0], applied_at=datetime.now(UTC)))
    age(engine, 6)
    fresh = record(engine, 1)

    async def scenario() -> None:
        publisher = Publisher(engine, producer)  # type: ignore[arg-type]
        with write_lock_held(engine):
            settling = asyncio.create_task(
                settle_and_redeliver(engine, producer, older_than=timedelta(seconds=5)))  # type: ignore[arg-type]
            await asyncio.sleep(0.2)
            assert await publisher.publish() == 1  # the loop is free: the new event goes out while settling waits
            assert not settling.done()
        assert await settling == (1, 1)
        await publisher.settle_marks()

    asyncio.run(scenario())
    assert [event_id for *_, event_id in producer.sent] == [old[0], old[1], fresh[0], old[1]]
    first, second, third = rows(engine)
    assert first.settled and not second.settled and second.deliveries == 2 and third.deliveries == 1


def test_a_held_mark_also_settles_what_every_consumer_applied_meanwhile(engine: Engine) -> None:
    """Issue 19: a mark waits Publisher.HOLD_S, so one UPDATE marks an event published and, if every consumer has
    applied it by then, settled: each outbox row written once instead of twice (PostgreSQL's CPU per event)."""
    ids = record(engine, 2)  # new lots: the matcher's alone
    producer = FakeProducer.acking(capacity=10)

    async def scenario() -> None:
        publisher = Publisher(engine, producer, hold_s=0.3)  # type: ignore[arg-type]
        assert await publisher.publish() == 2
        assert [r.published_at for r in rows(engine)] == [None, None]  # held
        with transaction(engine) as session:
            session.add(AppliedEvent(consumer="matcher", event_id=ids[0], applied_at=datetime.now(UTC)))
        await until(lambda: publisher.marking is None)  # the hold runs out by itself

    asyncio.run(scenario())
    first, second = rows(engine)
    assert first.published_at is not None and first.settled and first.deliveries == 1
    assert second.published_at is not None and not second.settled and second.deliveries == 1


def test_an_event_committed_inside_the_held_span_goes_out_without_waiting_for_the_marks(engine: Engine) -> None:
    """A row whose transaction committed after a later id was read (so not sent with it) is looked up by id while
    the marks around it are held, not left until they are written."""
    ids = record(engine, 3)
    producer = FakeProducer.acking(capacity=10)

    async def scenario() -> None:
        publisher = Publisher(engine, producer, hold_s=60)  # type: ignore[arg-type]
        first, _, third = rows(engine)
        publisher._queue_mark([first, third])  # as if read and sent while the second was not yet committed
        assert await publisher.publish() == 1
        await publisher.settle_marks()  # waited for: the hold is skipped

    asyncio.run(scenario())
    assert [event_id for *_, event_id in producer.sent] == [ids[1]]
    assert all(r.published_at is not None and r.deliveries == 1 for r in rows(engine))
