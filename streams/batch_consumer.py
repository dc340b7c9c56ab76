"""A lean consumer for the high-volume streams: whole Kafka fetches, one transaction each.

faust hands an agent one message at a time (a task, futures and an ack for each), which costs
more than pricing an inspection. The earnings consumer sees an event for every inspection in
the city, and the points consumer and the notifier one for every ledger entry posted (the
notifier reads the ledger topic for payouts and appeals, so it receives every EarningsPosted
too), so they read with aiokafka's `getmany` instead — up to MAX_RECORDS at once — decode,
apply the batch exactly once (`usecases.consumer.apply_batch`) and only then commit the offsets.
A record whose `type` header (the relay sends one) names an event type of its topic that the
consumer does not act on is passed over without decoding: the notifier decoded every EarningsPosted,
the largest event there is, only for apply_batch to skip it.
Each runs on the faust worker's event loop (an app task), in its own consumer group, so two
workers share these topics' partitions just as faust shares the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError

from schemas.catalogue import CONSUMER_GROUPS, passes_over
from schemas.envelope import Event
from streams.codec import Malformed, decode_record
from streams.runtime import Runtime
from usecases.consumer import Handler

log = logging.getLogger(__name__)
# A batch this size commits in one transaction (the fetch behind it is ~4 MB); 5,000 gave 3–13% fewer events a second
# in two pairs of runs: on SQLite each transaction starts with a cold page cache when the relay has written meanwhile.
MAX_RECORDS = 10_000
FETCH_WAIT_MS = 50  # a lone event waits this long at most before a fetch returns it
RETRY_AFTER_S = 1.0

DeadLetter = Callable[[Any, bytes, str], Awaitable[None]]


def decode_records(records: Sequence[ConsumerRecord[Any, Any]], skip: Collection[tuple[str, bytes]] = ()
                   ) -> tuple[list[Event], list[tuple[Any, str]]]:
    """Events in fetch order, and the records that are not events with the reason (never raises).

    `skip`: (topic, type header) of records to pass over undecoded (skipped_types); they are in neither list.
    """
    events, _, malformed = decode_with_sources(records, skip)
    return events, malformed


def decode_with_sources(records: Sequence[ConsumerRecord[Any, Any]], skip: Collection[tuple[str, bytes]] = ()
                        ) -> tuple[list[Event], list[ConsumerRecord[Any, Any]], list[tuple[Any, str]]]:
    """decode_records, with each event's record beside it (the same index in the second list)."""
    events: list[Event] = []
    sources: list[ConsumerRecord[Any, Any]] = []
    malformed: list[tuple[Any, str]] = []
    for record in records:
        if skip and (record.topic, type_header(record)) in skip:
            continue
        decoded = decode_record(record.value, record.topic)
        if isinstance(decoded, Malformed):
            malformed.append((record, decoded.reason))
        else:
            events.append(decoded)
            sources.append(record)
    return events, sources, malformed


def type_header(record: ConsumerRecord[Any, Any]) -> bytes | None:
    """The value of the record's `type` header (the event type, as the relay sends it), or None."""
    for key, value in record.headers or ():
        if key == "type":
            return bytes(value)
    return None


@cache
def skipped_types(consumer: str) -> frozenset[tuple[str, bytes]]:
    """(topic, type header) of the records `consumer` passes over undecoded: the event types of its topics it does
    not act on (schemas.catalogue.passes_over), which apply_batch would skip unrecorded after decoding them. A record
    without the header, or naming another type, is decoded as before (an unknown one is dead-lettered)."""
    return frozenset((topic, event_type.encode()) for topic, event_type in passes_over(consumer))


async def run_batch_consumer(runtime: Runtime, consumer: str, topics: Sequence[str], handler: Handler,
                             dead_letter: DeadLetter) -> None:
    """Consume `topics` as `consumer` until cancelled.

    A lost broker or database means a new consumer a second later, which starts again from the last
    committed offsets: the batch that failed is fetched and applied again (nothing of it was committed).
    Events that fail on their own never get here — apply_batch dead-letters them.
    """
    while True:
        try:
            await _consume(runtime, consumer, topics, handler, dead_letter)
        except KafkaError as exc:
            log.warning("%s: broker unavailable (%s); reconnecting", consumer, exc)
        except Exception:
            log.exception("%s: batch failed; starting again from the last committed offsets", consumer)
        await asyncio.sleep(RETRY_AFTER_S)


async def _consume(runtime: Runtime, consumer: str, topics: Sequence[str], handler: Handler,
                   dead_letter: DeadLetter) -> None:
    """Fetch the next batch while the previous one is applied; commit each batch's offsets after it.

    Batches apply one after another, in fetch order. A batch is decoded in the thread that applies it, not on
    the event loop beside the previous batch's apply: SQLite lets go of the GIL for every row it steps, and a
    thread decoding meanwhile held it back each time (a GIL convoy), which cost more than decoding in turn.
    """
    kafka = AIOKafkaConsumer(
        *topics, bootstrap_servers=runtime.settings.bootstrap, group_id=CONSUMER_GROUPS[consumer],
        client_id=f"{runtime.settings.worker_id}-{consumer}", enable_auto_commit=False,
        auto_offset_reset="earliest", fetch_max_wait_ms=FETCH_WAIT_MS, max_partition_fetch_bytes=4 << 20,
        session_timeout_ms=6000, heartbeat_interval_ms=1000, rebalance_timeout_ms=6000)
    await kafka.start()
    runtime.batch_consumers[consumer] = kafka
    applying: asyncio.Task[None] | None = None
    try:
        while True:
            fetched = await kafka.getmany(timeout_ms=0 if applying else 500, max_records=MAX_RECORDS)
            batch = Batch.of(fetched)
            if applying:
                await applying
                applying = None
            again = runtime.read_again.pop(consumer, None)
            if again:  # topics created again (streams/topics_again.py): what this fetch holds of them is read again
                batch = batch.without(again)
                await _seek_to_start(kafka, consumer, again)
            if batch.records:
                applying = asyncio.create_task(batch.apply(kafka, runtime, consumer, handler, dead_letter))
    finally:
        if applying:
            await asyncio.shield(applying)
        runtime.batch_consumers.pop(consumer, None)
        await kafka.stop()


async def _seek_to_start(kafka: AIOKafkaConsumer, consumer: str, topics: Collection[str]) -> None:
    """Seek the consumer's assigned partitions of `topics` to the start of their logs (topics created again), and
    commit that start: a batch of the old log applied meanwhile committed its offsets onto the new topic (the broker
    takes them for it), and that position past the new log's end would stand for the group until a batch of the new
    log is committed: a restart or a rebalance would resume there and pass over what lands below it."""
    partitions = sorted(tp for tp in kafka.assignment() if tp.topic in topics)
    if partitions:
        await kafka.seek_to_beginning(*partitions)
        try:
            await kafka.commit(await kafka.beginning_offsets(partitions))
        except (CommitFailedError, KafkaError) as exc:  # a rebalance: the next owner starts from what was committed
            log.warning("%s: the new logs' start not committed (%s)", consumer, exc)
        log.warning("%s: topics created again (%s): reading %d partitions again from their start", consumer,
                    ", ".join(sorted(topics)), len(partitions))


@dataclass
class Batch:
    """One fetch: its records, and the offsets to commit once it is applied."""

    records: list[ConsumerRecord[Any, Any]]
    offsets: dict[TopicPartition, int]

    @classmethod
    def of(cls, fetched: dict[TopicPartition, list[ConsumerRecord[Any, Any]]]) -> Batch:
        records = [r for partition in fetched.values() for r in partition]
        return cls(records, {tp: rs[-1].offset + 1 for tp, rs in fetched.items() if rs})

    def without(self, topics: Collection[str]) -> Batch:
        """This batch less the records (and offsets to commit) of `topics`."""
        return Batch([r for r in self.records if r.topic not in topics],
                     {tp: offset for tp, offset in self.offsets.items() if tp.topic not in topics})

    async def apply(self, kafka: AIOKafkaConsumer, runtime: Runtime, consumer: str, handler: Handler,
                    dead_letter: DeadLetter) -> None:
        events, sources, malformed = await asyncio.to_thread(decode_with_sources, self.records,
                                                             skipped_types(consumer))
        for record, reason in malformed:
            await dead_letter(record, record.value if isinstance(record.value, bytes) else b"", reason)
        failures = await runtime.run(consumer, events, handler)
        if failures:  # rare: find each failed event's record, so its dead letter says where it came from
            source = {str(e.event_id): record for e, record in zip(events, sources, strict=True)}
            for failed, reason in failures:
                await dead_letter(source.get(str(failed.event_id)), failed.model_dump_json().encode(), reason)
        try:
            await kafka.commit(self.offsets)
        except (CommitFailedError, KafkaError) as exc:  # a rebalance in between: the next owner skips what was applied
            log.warning("offset commit failed (%s); the next owner re-reads and skips what was applied", exc)
