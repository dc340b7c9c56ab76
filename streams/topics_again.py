"""Topics created again under a running worker are read again from their start.

A topic deleted and created again on a live broker (by an operator), or created again on a broker that lost its data,
starts its log at offset 0 again. The worker's consumers keep the positions they had reached on the old topic, and
nothing in Kafka's clients moves them back:

- tansu (the embedded broker) answers a fetch past the new log's end with no records and no error, so the consumer
  waits there until the new log grows past its old position; aiokafka's auto_offset_reset acts only on an
  OffsetOutOfRange error, which a real Kafka broker would send, but
- faust then still drops every record below the last offset it read of a partition until the partition is revoked
  (faust.transport.consumer.Consumer._drain_messages, "DROPPED MESSAGE ROFF").

So what the relay publishes again there (it tells a topic created again by its id, KIP-516, and records the new id in
table broker_topic in the same transaction that queues every unsettled event again) was passed over until redelivery
by age and a rebalance, about two minutes. The worker watches the ids the relay records (TopicWatch, from a timer) and
seeks its partitions of a topic whose id changed to the start of the new log: the faust agents' (faust's own
`seek_wait` to offset 0, which forgets the read offset, faust PR #542, plus the commit bookkeeping faust's revoke
forgets) and the batch consumers' (streams.batch_consumer, between two batches). Exactly once still holds: whatever
is read again goes through usecases.consumer.apply_batch, which skips each event its consumer already applied.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from faust.types.tuples import ack_lock
from sqlalchemy.engine import Engine
from sqlmodel import select

from store.db import reading
from store.tables import BrokerTopic


def recorded_topic_ids(engine: Engine) -> dict[str, str]:
    """{topic name: the broker's id of it} as the relay last recorded them (table broker_topic); {} before its first."""
    with reading(engine) as session:
        return dict(session.connection().execute(select(BrokerTopic.name, BrokerTopic.topic_id)).all())


@dataclass
class TopicWatch:
    """The topic ids this worker has seen recorded; tells which topics were created again since the last look."""

    seen: dict[str, str] | None = None

    def created_again(self, recorded: dict[str, str]) -> set[str]:
        """The topics whose recorded id differs from the one seen before (`recorded` as recorded_topic_ids gives it).

        The first look only remembers, and so does a topic recorded for the first time: nothing says this worker ever
        read an older topic of that name. A topic no longer recorded keeps the id last seen.
        """
        if self.seen is None:
            self.seen = dict(recorded)
            return set()
        again = {name for name, topic_id in recorded.items() if name in self.seen and self.seen[name] != topic_id}
        self.seen.update(recorded)
        return again


async def read_faust_partitions_again(consumer: Any, topics: Collection[str]) -> list[Any]:
    """Seek the faust consumer's assigned partitions of `topics` to offset 0 (the start of a topic created anew; a
    start beyond it is taken by auto_offset_reset="earliest"); returns those partitions.

    Forgets what faust forgets of a revoked partition (Consumer.on_partitions_revoked): the offsets read, committed
    and acknowledged there, which belong to the old log. Else faust would drop the new log's records below the last
    offset read, and commit none of it until it passed the old committed offset. The old log's messages still being
    applied are settled as acknowledged first: acknowledged after the seek, faust took their offsets for the new
    log's and committed one past them (then ignored every acknowledgement below). And the new logs' start is
    committed: an old offset committed onto the new topic before this seek would stand as the group's position (a
    restart or a rebalance would resume past the new log's end) until faust commits past it.
    """
    partitions = sorted(tp for tp in consumer.assignment() if tp.topic in topics)
    if not partitions:
        return []
    chosen = set(partitions)
    pending: Any = getattr(consumer, "_unacked_messages", set())
    with ack_lock:  # as faust's ack() takes it: its acked test-and-set and books are one step
        for message in [m for m in list(pending) if m.tp in chosen]:
            message.acked = True  # its later ack() is a no-op: the old log's offset never reaches the books
            pending.discard(message)
        for tp in partitions:
            for book in ("_read_offset", "_committed_offset", "_acked", "_acked_index", "_gap"):
                getattr(consumer, book, {}).pop(tp, None)
    await consumer.seek_wait(dict.fromkeys(partitions, 0))
    await consumer._commit_offsets(dict(await consumer.earliest_offsets(*partitions)))
    return partitions
