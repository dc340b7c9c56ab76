"""The faust agents' side of streams/topics_again.py: a message of the old log still being applied when its topic's
partitions seek to the new log's start was acknowledged afterwards, and faust (its books of the partition just
emptied) took its offset as acknowledged: the next commit put 501 (the old log's) as the group's position in the new
log, and faust then ignored every acknowledgement below it. The same holds for an old offset committed after the
topic was created again and before the worker saw its new id. A restart or a rebalance then resumed past the new
log's end and passed over what the relay published below it, until redelivery by age. Now the old log's pending
messages are settled as acknowledged before the seek (their late acks count for nothing), and the new logs' start is
committed."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any
from weakref import WeakSet

from aiokafka import TopicPartition
from faust.transport.consumer import Consumer
from intervaltree import IntervalTree

from streams.topics_again import read_faust_partitions_again
from tests.unit.streams.test_topics_created_again_are_read_from_their_start import ORDERS, FakeFaustConsumer

TP = TopicPartition(ORDERS, 0)


class Message:
    def __init__(self, offset: int) -> None:
        self.tp, self.topic, self.offset, self.acked = TP, ORDERS, offset, False

    __hash__ = object.__hash__


class Topics:
    def acks_enabled_for(self, topic: str) -> bool:
        return True


class App:
    topics = Topics()


class AckingConsumer(FakeFaustConsumer):
    """The fake, with faust's own ack() and a record of what is committed."""

    def __init__(self) -> None:
        super().__init__({TP})
        self.app, self._unacked_messages, self._n_acked = App(), WeakSet(), 0
        self._waiting_for_ack = None
        self._gap = defaultdict(IntervalTree)
        self.committed: dict[Any, int] = {}

    ack = Consumer.ack
    _new_offset = Consumer._new_offset

    async def earliest_offsets(self, *partitions: Any) -> dict[Any, int]:
        return dict.fromkeys(partitions, 0)

    async def _commit_offsets(self, offsets: dict[Any, int], start_new_transaction: bool = True) -> bool:
        self.committed.update(offsets)
        return True


def test_an_old_message_acknowledged_after_the_seek_is_not_committed_in_the_new_log() -> None:
    consumer = AckingConsumer()
    old = Message(500)
    consumer._unacked_messages.add(old)  # read from the old log, still being applied
    consumer._read_offset[TP], consumer._committed_offset[TP] = 500, 500
    consumer.committed[TP] = 501  # committed onto the new topic before the worker saw its new id

    assert asyncio.run(read_faust_partitions_again(consumer, {ORDERS})) == [TP]
    assert consumer.committed == {TP: 0}, "the new log's start is the group's position"
    consumer.ack(old)  # its apply ends after the seek
    late = consumer._new_offset(TP)
    assert late is None, f"faust would commit {late} in the new log"
    for offset in (0, 1, 2):
        new = Message(offset)
        consumer._unacked_messages.add(new)
        consumer.ack(new)
    assert consumer._new_offset(TP) == 3
