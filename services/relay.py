"""The outbox relay: publishes recorded events, and re-delivers what consumers have not applied.

Durability never rests on the broker: an event is in the database before anyone hears of it,
and it is published again until every consumer of its topic has recorded applying it. A broker
that lost everything (the embedded one keeps topics in memory) gets its topics back and every
unsettled event again, in the order they were recorded: the relay tells by the topics' ids
(table broker_topic), which change when a topic is created again, whoever created it.

Publishing goes through aiokafka's producer, one record batch per partition: its batches are
built in C, where kafka-python spends most of its time per message in Python.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError as AIOKafkaError
from kafka.errors import KafkaError
from sqlalchemy import func, not_, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select, update

from schemas.catalogue import CATALOGUE, consumers_of, partition_of
from services.broker import provision_topics, topic_ids
from store.bulk import where_in
from store.db import reading, transaction
from store.retry import is_transient, pause_s
from store.tables import AppliedEvent, BrokerTopic, OutboxEvent
from usecases.settings import Settings

log = logging.getLogger(__name__)
BATCH = 5000
# Large record batches: one request carries thousands of events; the broker's default limit per batch is 1 MB.
BATCH_BYTES = 512 * 1024
# Only the columns publishing needs: building ORM objects for thousands of rows a second costs more than sending them.
COLUMNS: tuple[Any, ...] = (OutboxEvent.id, OutboxEvent.event_id, OutboxEvent.topic, OutboxEvent.key, OutboxEvent.type,
                            OutboxEvent.payload, OutboxEvent.published_at, OutboxEvent.deliveries)
# What settling reads of each unsettled row: everything but the payload.
STATE_COLUMNS: tuple[Any, ...] = tuple(c for c in COLUMNS if c is not OutboxEvent.payload)
# What the relay treats as "the broker is gone": kafka-python's (topic admin) and aiokafka's (producer) errors.
BROKER_ERRORS = (KafkaError, AIOKafkaError, ConnectionError)


async def start_producer(bootstrap: str) -> AIOKafkaProducer:
    """A started producer that waits for every replica's ack; call it inside the relay's event loop."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", max_batch_size=BATCH_BYTES,
                                request_timeout_ms=30000, client_id="mf-relay")
    try:
        await producer.start()
    except Exception:
        await producer.stop()
        raise
    return producer


class Publisher:
    """Publishes the outbox in recorded order, and marks what the broker acked in a thread meanwhile.

    Marking needs the database's write lock, which a busy worker holds for a whole batch (on SQLite, hundreds
    of milliseconds). Waiting for it before sending on fed the worker about one batch per transaction of its
    own, and it sat idle between them. So marks queue up behind one thread while the relay runs ahead (up to
    HELD_MAX events); acked rows waiting to be marked are not read again meanwhile.

    A mark waits HOLD_S after the broker's ack before it is written: by then the consumers have mostly applied the
    batch, and the one UPDATE that marks a row published also marks it settled if every consumer of it has. Each
    outbox row is then written once instead of twice (published, then settled two seconds later by the sweep): on
    PostgreSQL both are non-HOT updates of the whole row, the largest part of the relay's server CPU (issue 19).
    A relay that dies holding marks sends those events again when it restarts; consumers skip them.
    """

    HOLD_S = 2.0
    HELD_MAX = 50_000  # events acked and not yet marked: beyond this, publishing waits for the marks to be written
    GAPS_MAX = 2_000  # ids missing inside the held span that are looked up on each read (see _oldest_unpublished)

    def __init__(self, engine: Engine, producer: AIOKafkaProducer, *, hold_s: float | None = None) -> None:
        self.engine, self.producer = engine, producer
        self.hold_s = self.HOLD_S if hold_s is None else hold_s
        self.marking: asyncio.Task[None] | None = None
        # Acked batches: their rows' (id, event_id, topic, type), when the broker acked, and that moment's monotonic.
        self.to_mark: list[tuple[list[Marked], datetime, float]] = []
        self.being_marked: set[int] = set()  # acked, not yet marked: the queue and the UPDATE under way
        self.hurry = 0  # callers waiting for every mark (settle_marks): the hold is skipped while any waits
        self.failed: Exception | None = None  # a mark's permanent error, raised to the next caller (_raise_failure)

    async def publish(self, limit: int = BATCH) -> int:
        """Send the oldest unpublished events (up to `limit`) and queue their mark; returns how many were sent.

        Raises the error a mark failed with for good (not a locked or unreachable database, which is waited out)."""
        self._raise_failure()
        if len(self.being_marked) >= self.HELD_MAX:
            await self.settle_marks()
        rows = self._oldest_unpublished(limit)
        if not rows:
            return 0
        await _send(self.producer, rows)
        self._queue_mark(rows)
        return len(rows)

    def _queue_mark(self, rows: Sequence[Any]) -> None:
        # published_at is when the broker acked, not when marked
        self.to_mark.append(([Marked(r.id, r.event_id, r.topic, r.type) for r in rows], datetime.now(UTC),
                             time.monotonic()))
        self.being_marked.update(r.id for r in rows)
        if self.marking is None:
            self.marking = asyncio.create_task(self._mark_queued())

    async def redeliver(self, rows: Sequence[Any]) -> None:
        """Publish already-published rows again (oldest first) and queue their mark: one more delivery, acked now."""
        self._raise_failure()
        log.warning("re-delivering %d events not yet applied by every consumer", len(rows))
        await _send(self.producer, rows)
        self._queue_mark(rows)

    async def settle_marks(self) -> None:
        """Wait until everything sent is marked published, without the hold (before anything else touches the
        outbox's marks, and on the way out). Waits out a locked or unreachable database; raises a mark's permanent
        error (its rows are then sent again by whoever publishes next)."""
        if self.marking is not None:
            self.hurry += 1
            try:
                await asyncio.shield(self.marking)
            finally:
                self.hurry -= 1
        self._raise_failure()

    def _raise_failure(self) -> None:
        # A mark that failed for good is told here, to the relay's loop, which stops on it: left inside the marking
        # task it showed only as asyncio's "Task exception was never retrieved".
        if self.failed is not None:
            failed, self.failed = self.failed, None
            raise failed

    def _oldest_unpublished(self, limit: int) -> list[Any]:
        # Ids first (the partial index of unpublished rows holds nothing else), then the payloads of the chosen ones.
        # Core statements on the session's connection: the ORM's result and update machinery cost more than the SQL.
        # The ids whose mark is queued are still unpublished in the database: reading them again cost a heap visit
        # each on PostgreSQL (up to MARKS_BEHIND batches, every read; the largest share of PostgreSQL's CPU per
        # event, issue 19), so the read asks for what lies below and above their span instead. A row inside the
        # span that was not sent (its transaction committed after a later id was read) is below the span once the
        # marks before it are done, and read then.
        # Marks are held (HOLD_S), so such a row would wait seconds: the ids missing inside the span (late commits,
        # or ids no row took) are looked up by id, as long as there are at most GAPS_MAX of them.
        with reading(self.engine) as session:
            db = session.connection()
            unpublished = select(OutboxEvent.id).where(col(OutboxEvent.published_at).is_(None))
            if self.being_marked:
                low, high = min(self.being_marked), max(self.being_marked)
                gaps = self._gaps(low, high)
                ids = [*db.execute(unpublished.where(col(OutboxEvent.id) < low)
                                   .order_by(col(OutboxEvent.id)).limit(limit)).scalars(),
                       *(db.execute(unpublished.where(where_in(session, col(OutboxEvent.id), gaps))).scalars()
                         if gaps else ()),
                       *db.execute(unpublished.where(col(OutboxEvent.id) > high)
                                   .order_by(col(OutboxEvent.id)).limit(limit)).scalars()]
            else:
                ids = list(db.execute(unpublished.order_by(col(OutboxEvent.id)).limit(limit)).scalars())
            chosen = sorted({i for i in ids if i is not None and i not in self.being_marked})[:limit]
            if not chosen:
                return []
            return list(db.execute(select(*COLUMNS).where(where_in(session, col(OutboxEvent.id), chosen))
                                   .order_by(col(OutboxEvent.id))).all())

    def _gaps(self, low: int, high: int) -> list[int]:
        """The ids between `low` and `high` not held for marking, if there are at most GAPS_MAX of them (else none)."""
        missing = high - low + 1 - len(self.being_marked)  # the span's ids are all held (missing 0) but for a gap
        if not missing or missing > self.GAPS_MAX:
            return []
        return [i for i in range(low, high + 1) if i not in self.being_marked]

    async def _mark_queued(self) -> None:
        """Mark what is queued once it has been held HOLD_S (at once while someone waits in settle_marks), a
        transaction at a time, until the queue is empty.

        A locked or unreachable database (store.retry.is_transient: SQLite's busy timeout ran out behind another
        writer, PostgreSQL restarting) keeps the rows held and tries again after store.retry.pause_s, with a warning
        of the relay's own: dropping them sent every held batch again, and again while the lock stayed. Any other
        error releases every held row (sent again by the next publish) and is raised to the next caller of publish,
        redeliver or settle_marks."""
        failures = 0
        try:
            while self.to_mark:
                wait = self.to_mark[0][2] + self.hold_s - time.monotonic()
                if wait > 0 and not self.hurry:
                    await asyncio.sleep(min(wait, 0.05))
                    continue
                due = len(self.to_mark) if self.hurry else \
                    sum(1 for _, _, at in self.to_mark if at + self.hold_s <= time.monotonic())
                batches, self.to_mark = self.to_mark[:due], self.to_mark[due:]
                try:
                    await asyncio.to_thread(_mark_published_now, self.engine, [(rows, at) for rows, at, _ in batches])
                except BaseException as exc:
                    self.to_mark = batches + self.to_mark  # still held; released below unless waited out
                    if not isinstance(exc, Exception) or not is_transient(exc):
                        raise
                    failures += 1
                    log.warning("relay: marking %d acked events published failed, database unavailable (%s); they "
                                "stay held, retry %d in %.1f s", sum(len(rows) for rows, _, _ in batches),
                                str(exc).splitlines()[0][:200], failures, pause_s(failures))
                    await asyncio.sleep(pause_s(failures))
                    continue
                failures = 0
                self.being_marked.difference_update(r.id for rows, _, _ in batches for r in rows)
        except Exception as exc:
            log.error("relay: marking acked events published failed (%s); %d events will be sent again",
                      exc, len(self.being_marked))
            self.failed = exc
        finally:
            if self.to_mark:  # failed or cancelled: what was not marked is unpublished, and read again
                self.being_marked.difference_update(r.id for rows, _, _ in self.to_mark for r in rows)
                self.to_mark = []
            self.marking = None


async def publish_pending(engine: Engine, producer: AIOKafkaProducer, *, limit: int = BATCH) -> int:
    """Publish unpublished events in the order they were recorded; marked once the broker acked them."""
    publisher = Publisher(engine, producer)
    sent = await publisher.publish(limit)
    await publisher.settle_marks()
    return sent


async def settle_and_redeliver(engine: Engine, producer: AIOKafkaProducer, *, older_than: timedelta,
                               limit: int = BATCH, skip: frozenset[int] = frozenset()) -> tuple[int, int]:
    """Mark events every consumer applied as settled; publish the others again. Returns (settled, redelivered).

    The database work runs in a thread (on SQLite the write waits for the worker's lock, which may take a whole
    batch); only the redelivery's send is on the loop. `skip`: outbox ids whose publish mark is still queued.
    """
    due = await asyncio.to_thread(settle_due, engine, older_than=older_than, limit=limit, skip=skip)
    if due.rows:
        publisher = Publisher(engine, producer)
        await publisher.redeliver(due.rows)
        await publisher.settle_marks()
    return due.settled, len(due.rows)


class Marked(NamedTuple):
    """What marking needs of a sent outbox row: its id, and what says who must apply it."""

    id: int
    event_id: str
    topic: str
    type: str


@dataclass(frozen=True)
class Due:
    """What one settling pass found: how many it settled, and the rows to publish again (oldest first)."""

    settled: int
    rows: list[Any]


def settle_due(engine: Engine, *, older_than: timedelta, limit: int = BATCH,
               skip: frozenset[int] = frozenset()) -> Due:
    """Settle the published events (up to `limit`, oldest first) that every consumer applied; return the others that
    are due again: each backs off 1×, 2×, 4× … `older_than` by its deliveries, so a slow worker is not flooded."""
    cutoff = datetime.now(UTC) - older_than
    with reading(engine) as session:
        db = session.connection()
        # The oldest unsettled rows through their partial index (ix_outbox_unsettled: `NOT settled`, not a bound
        # `settled = ?`, which the planner cannot match to it), then the published ones before the cutoff among
        # them. Filtering by published_at in SQL made PostgreSQL walk the outbox in id order, every row version of
        # it, every two seconds (issue 19). Publishing goes in id order, so the ones before the cutoff come first.
        # Without the payloads: most of the window is not due, and only what is sent again needs them.
        rows = db.execute(select(*STATE_COLUMNS).where(not_(col(OutboxEvent.settled)))
                          .order_by(col(OutboxEvent.id)).limit(limit)).all()
        rows = [r for r in rows if r.id not in skip and r.published_at is not None and r.published_at < cutoff]
        done = _applied_by_all(session, rows)
    now, done_ids = datetime.now(UTC), set(done)
    again = [r for r in rows if r.id not in done_ids and r.published_at is not None
             and r.published_at < now - older_than * 2 ** min(max(r.deliveries - 1, 0), 6)]
    if done:
        with transaction(engine) as session:
            _commit_without_waiting_for_the_disk(session)
            settled = where_in(session, col(OutboxEvent.id), done)
            session.connection().execute(update(OutboxEvent).where(settled).values(settled=True))
    if again:
        with reading(engine) as session:
            again = list(session.connection().execute(
                select(*COLUMNS).where(where_in(session, col(OutboxEvent.id), [r.id for r in again]))
                .order_by(col(OutboxEvent.id))).all())
    return Due(len(done), again)


def _applied_by_all(session: Session, rows: Sequence[Any]) -> list[int]:
    """The ids of the outbox rows (with id, event_id, topic, type) that every consumer of theirs has applied."""
    applied: dict[str, set[str]] = {}
    # By consumer and event id, the applied records' key: by event id alone PostgreSQL read the whole key index
    # (event_id is its second column), which grows with every event ever applied.
    consumers = sorted({c for r in rows for c in consumers_of(r.topic, r.type)})
    if consumers:
        for consumer, event_id in session.connection().execute(
                select(AppliedEvent.consumer, AppliedEvent.event_id).where(
                    where_in(session, col(AppliedEvent.consumer), consumers),
                    where_in(session, col(AppliedEvent.event_id), [r.event_id for r in rows]))).all():
            applied.setdefault(event_id, set()).add(consumer)
    return [r.id for r in rows if set(consumers_of(r.topic, r.type)) <= applied.get(r.event_id, set())]


def topics_changed(engine: Engine, ids: dict[str, str]) -> list[str]:
    """The catalogue topics the broker lost since the relay last recorded them: missing from `ids` (the broker's
    topic ids, services.broker.topic_ids), or with an id other than the one recorded, or never recorded."""
    with reading(engine) as session:
        seen = dict(session.connection().execute(select(BrokerTopic.name, BrokerTopic.topic_id)).all())
    return [spec.name for spec in CATALOGUE if spec.name not in ids or seen.get(spec.name) != ids[spec.name]]


def redeliver_all_unsettled(engine: Engine, ids: dict[str, str]) -> int:
    """After the broker lost its topics: everything unsettled is published again, in order, and the topics' new ids
    (`ids`, as topic_ids gives them) are recorded in the same transaction. Returns how many published events go again.
    """
    with transaction(engine) as session:
        n = session.exec(select(func.count()).select_from(OutboxEvent).where(
            not_(col(OutboxEvent.settled)), col(OutboxEvent.published_at).is_not(None))).one()
        # Deliveries count again from 0: those were to a broker that no longer holds them, and a consumer that
        # passed over the new copies (a fetch position left over from the old topic) should see the next redelivery
        # after REDELIVERY_AFTER_S, not after the backoff the old deliveries had earned (up to 64 times that).
        # Only rows that were sent: on PostgreSQL each row updated is a new version of it, and a fresh database's
        # first start found 100,000 unsent events here (1.6 s of the server's time, issue 19).
        session.exec(update(OutboxEvent).where(  # type: ignore[call-overload]
            not_(col(OutboxEvent.settled)),
            or_(col(OutboxEvent.published_at).is_not(None), col(OutboxEvent.deliveries) != 0))
            .values(published_at=None, deliveries=0))
        session.connection().execute(delete(BrokerTopic))
        now = datetime.now(UTC)
        session.add_all(BrokerTopic(name=name, topic_id=topic_id, seen_at=now) for name, topic_id in ids.items())
    return int(n)


def _mark_published_now(engine: Engine, batches: list[tuple[list[Marked], datetime]]) -> None:
    """Mark acked batches published at their ack times, in one transaction: settled too where every consumer has
    applied the event by now (one lookup, then per batch one UPDATE of those and one of the others)."""
    with transaction(engine) as session:
        _commit_without_waiting_for_the_disk(session)
        done = set(_applied_by_all(session, [row for rows, _ in batches for row in rows]))
        for rows, acked_at in batches:
            _mark_published(session, [r.id for r in rows if r.id in done], acked_at, settled=True)
            _mark_published(session, [r.id for r in rows if r.id not in done], acked_at)


def _commit_without_waiting_for_the_disk(session: Session) -> None:
    """PostgreSQL: this transaction's commit returns before its WAL is flushed (SET LOCAL synchronous_commit).

    Only for the relay's marks: a mark lost in a crash of the database server means the event is published or
    checked again, which consumers skip (they apply each event id once). Never for money or state: those stay
    durable at commit. The transaction's writes stay atomic; only its durability is deferred (≤ 3 × wal_writer_delay).
    """
    if session.connection().dialect.name == "postgresql":
        session.connection().exec_driver_sql("SET LOCAL synchronous_commit = off")


def _mark_published(session: Session, ids: list[int], at: datetime | None = None, *, settled: bool = False) -> None:
    # One UPDATE for the whole batch, in the caller's transaction; through Core, as no ORM object holds these rows.
    if not ids:
        return
    values: dict[str, Any] = {"published_at": at or datetime.now(UTC), "deliveries": OutboxEvent.deliveries + 1}
    if settled:
        values["settled"] = True
    session.connection().execute(update(OutboxEvent).where(where_in(session, col(OutboxEvent.id), ids)).values(values))


async def _send(producer: AIOKafkaProducer, rows: Sequence[Any]) -> None:
    """Send rows grouped by partition, in recorded order; return once the broker acked them all, raise otherwise.

    Raising before the caller marks anything is what keeps an unacked event unpublished in the outbox.
    """
    partitions = {topic: len(await producer.partitions_for(topic)) for topic in {r.topic for r in rows}}
    by_partition: dict[tuple[str, int], list[Any]] = {}
    for r in rows:
        by_partition.setdefault((r.topic, partition_of(r.key, partitions[r.topic])), []).append(r)
    results = await asyncio.gather(*(_send_partition(producer, topic, partition, part)
                                     for (topic, partition), part in by_partition.items()), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result


async def _send_partition(producer: AIOKafkaProducer, topic: str, partition: int, rows: list[Any]) -> None:
    # One batch in flight per partition: the next goes out only once the broker acked the one before,
    # so a failed batch can never be overtaken by a later one.
    batch = producer.create_batch()
    for r in rows:
        key, value, headers = r.key.encode(), r.payload.encode(), [("type", r.type.encode())]
        if batch.append(key=key, value=value, timestamp=None, headers=headers) is None:  # full: send, start the next
            await (await producer.send_batch(batch, topic, partition=partition))
            batch = producer.create_batch()
            batch.append(key=key, value=value, timestamp=None, headers=headers)
    await (await producer.send_batch(batch, topic, partition=partition))


def run_relay(settings: Settings, engine: Engine, *, stop_after: float | None = None) -> None:
    """The relay loop: publish, settle or re-deliver, and heal the topics after a broker restart."""
    asyncio.run(_relay(settings, engine, stop_after=stop_after))


async def _relay(settings: Settings, engine: Engine, *, stop_after: float | None) -> None:
    # Reading the next batch runs on the loop's thread: between sends the producer has nothing in flight, so
    # blocking it costs nothing and keeps the loop a plain sequence of steps. What may wait on others runs in
    # threads meanwhile: marking (the worker's write lock, Publisher) and the sweep (_sweep).
    started = time.monotonic()
    producer: AIOKafkaProducer | None = None
    publisher: Publisher | None = None
    last_sweep = 0.0
    sweeping: asyncio.Task[Due | None] | None = None  # the topics check and settling, off the loop
    db_failures = 0
    try:
        while stop_after is None or time.monotonic() - started < stop_after:
            try:
                if producer is None or publisher is None:
                    # Topics created and their ids checked and recorded before the first send: what goes out then is
                    # on topics the sweep cannot take for lost ones and send it all again (a fresh database's first
                    # start did). If this fails, nothing is started: the next pass checks again.
                    await _heal_topics(settings, engine)
                    producer = await start_producer(settings.bootstrap)
                    publisher = Publisher(engine, producer)
                published = await publisher.publish()
                if sweeping is not None and sweeping.done():
                    due, sweeping = sweeping.result(), None  # a failed sweep raises here, into the handlers below
                    if due is None:
                        await publisher.settle_marks()  # about to reset every mark: none may be in flight
                        await _heal_topics(settings, engine)
                    elif due.rows:  # sent here, between publishes, so one batch at a time goes to a partition
                        await publisher.redeliver(due.rows)
                if sweeping is None and time.monotonic() - last_sweep > 2:
                    last_sweep = time.monotonic()
                    sweeping = asyncio.create_task(_sweep(settings, engine, frozenset(publisher.being_marked)))
                if not published:  # marks may still be queued: waiting for them here held up the next event
                    await asyncio.sleep(0.05)
            except BROKER_ERRORS as exc:
                log.warning("broker unavailable (%s); retrying", exc)
                if publisher is not None:  # what was acked before the failure stays acked
                    await publisher.settle_marks()  # a locked database is waited out; a permanent error stops the relay
                if producer is not None:
                    await _close(producer)
                producer = publisher = None
                sweeping = _unless_done(sweeping)
                await asyncio.sleep(1)
            except Exception as exc:
                sweeping = _unless_done(sweeping)
                if not is_transient(exc):
                    raise
                # A locked or unreachable database: wait and go on. Rows sent but not marked are sent again
                # later, and consumers skip them (they apply each event id once).
                db_failures += 1
                log.warning("database unavailable (%s); retrying in %.1f s", str(exc).splitlines()[0][:200],
                            pause_s(db_failures))
                await asyncio.sleep(pause_s(db_failures))
            else:
                db_failures = 0
    finally:
        if sweeping is not None:
            sweeping.cancel()
        if publisher is not None:
            await publisher.settle_marks()
        if producer is not None:
            await _close(producer)


def _unless_done(sweeping: asyncio.Task[Due | None] | None) -> asyncio.Task[Due | None] | None:
    # After a failure: a finished sweep (perhaps the one that raised) is dropped, one under way is waited for.
    return None if sweeping is None or sweeping.done() else sweeping


async def _sweep(settings: Settings, engine: Engine, skip: frozenset[int]) -> Due | None:
    """The relay's periodic pass, in threads: None when the broker lost topics, else what settling found.

    Lost means a topic's id is not the one recorded (topics_changed): whether the topics exist says nothing, since
    any client (the worker, a test harness, an operator) may have created them again on a broker that lost everything
    before the relay looked; what was published there and not applied would then wait for the slow redelivery.
    Raises ConnectionError when the broker cannot be reached (the loop reconnects, then this pass tells).
    Off the loop because both wait on others: the topic listing on the broker, and on SQLite the settling write on
    the worker's lock (a whole batch). Done on the loop it held up publishing for that long (pay latency, issue 19).
    """
    ids = await _topic_ids(settings)
    if await asyncio.to_thread(topics_changed, engine, ids):
        return None
    return await asyncio.to_thread(settle_due, engine, older_than=timedelta(seconds=settings.redelivery_after_s),
                                   skip=skip)


async def _topic_ids(settings: Settings) -> dict[str, str]:
    """The broker's topic ids (services.broker.topic_ids), read in a thread; ConnectionError if it is unreachable."""
    ids = await asyncio.to_thread(topic_ids, settings.bootstrap)
    if ids is None:
        raise ConnectionError(f"broker at {settings.bootstrap} unreachable")
    return ids


async def _heal_topics(settings: Settings, engine: Engine) -> None:
    """Create the missing topics; if any is new or created again since the ids were recorded (topics_changed),
    publish every unsettled event again and record the topics' ids. Nothing when they are the ones recorded."""
    provision_topics(settings.bootstrap)
    ids = await _topic_ids(settings)
    changed = await asyncio.to_thread(topics_changed, engine, ids)
    if not changed:
        return
    again = await asyncio.to_thread(redeliver_all_unsettled, engine, ids)
    # Every first start on a database comes here (no ids recorded yet): only events already sent make it news.
    level = logging.WARNING if again else logging.INFO
    log.log(level, "broker topics new or created again (%s): %d sent, unsettled events queued again",
            ", ".join(changed), again)


async def _close(producer: AIOKafkaProducer) -> None:
    # stop() flushes first. After a failed send nothing of ours is left pending, so this is quick; the timeout only
    # keeps a broker that stopped answering from holding the relay up.
    with contextlib.suppress(TimeoutError, *BROKER_ERRORS):
        await asyncio.wait_for(producer.stop(), timeout=5)
