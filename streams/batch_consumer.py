"""A lean consumer for the high-volume streams: whole Kafka fetches, one transaction each.

faust hands an agent one message at a time (a task, futures and an ack for each), which costs
more than pricing an inspection. The earnings consumer sees an event for every inspection in
the city, and the points consumer and the notifier one for every ledger entry posted (the
notifier reads the ledger topic for payouts and appeals, so it receives every EarningsPosted
too), so they read with aiokafka's `getmany` instead — up to MAX_RECORDS at once — decode,
apply the batch exactly once (`usecases.consumer.apply_batch`) and only then commit the offsets.
Each runs on the faust worker's event loop (an app task), in its own consumer group, so two
workers share these topics' partitions just as faust shares the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError

from schemas.catalogue import CONSUMER_GROUPS
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


def decode_records(records: Sequence[ConsumerRecord[Any, Any]]) -> tuple[list[Event], list[tuple[Any, str]]]:
    """Events in fetch order, and the records that are not events with the reason (never raises)."""
    events: list[Event] = []
    malformed: list[tuple[Any, str]] = []
    for record in records:
        decoded = decode_record(record.value, record.topic)
        if isinstance(decoded, Malformed):
            malformed.append((record, decoded.reason))
        else:
            events.append(decoded)
    return events, malformed


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
            if batch.records:
                applying = asyncio.create_task(batch.apply(kafka, runtime, consumer, handler, dead_letter))
    finally:
        if applying:
            await asyncio.shield(applying)
        runtime.batch_consumers.pop(consumer, None)
        await kafka.stop()


@dataclass
class Batch:
    """One fetch: its records, and the offsets to commit once it is applied."""

    records: list[ConsumerRecord[Any, Any]]
    offsets: dict[TopicPartition, int]

    @classmethod
    def of(cls, fetched: dict[TopicPartition, list[ConsumerRecord[Any, Any]]]) -> Batch:
        records = [r for partition in fetched.values() for r in partition]
        return cls(records, {tp: rs[-1].offset + 1 for tp, rs in fetched.items() if rs})

    async def apply(self, kafka: AIOKafkaConsumer, runtime: Runtime, consumer: str, handler: Handler,
                    dead_letter: DeadLetter) -> None:
        events, malformed = await asyncio.to_thread(decode_records, self.records)
        for record, reason in malformed:
            await dead_letter(record, record.value if isinstance(record.value, bytes) else b"", reason)
        failures = await runtime.run(consumer, events, handler)
        if failures:  # rare: find each failed event's record, so its dead letter says where it came from
            bad = {id(record) for record, _ in malformed}
            decoded = [record for record in self.records if id(record) not in bad]  # one for each event, in order
            source = {str(e.event_id): record for e, record in zip(events, decoded, strict=True)}
            for failed, reason in failures:
                await dead_letter(source.get(str(failed.event_id)), failed.model_dump_json().encode(), reason)
        try:
            await kafka.commit(self.offsets)
        except (CommitFailedError, KafkaError) as exc:  # a rebalance in between: the next owner skips what was applied
            log.warning("offset commit failed (%s); the next owner re-reads and skips what was applied", exc)
