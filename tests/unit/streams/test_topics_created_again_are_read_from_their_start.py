"""The worker tells topics created again by the ids the relay records, and reads them again from their start."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

from aiokafka import TopicPartition

from streams.batch_consumer import Batch
from streams.topics_again import TopicWatch, read_faust_partitions_again
from tests.unit.streams.test_batch_consumer_batches_and_starts_again_after_a_failure import inspection, record

ORDERS, WORK = "mf.orders.v1", "mf.work.v1"


def test_a_changed_id_is_a_topic_created_again_and_a_first_look_or_a_first_record_is_not() -> None:
    watch = TopicWatch()
    assert watch.created_again({ORDERS: "id-1", WORK: "id-2"}) == set()  # the first look only remembers
    assert watch.created_again({ORDERS: "id-1", WORK: "id-2"}) == set()
    assert watch.created_again({ORDERS: "id-9", WORK: "id-2", "mf.new.v1": "id-3"}) == {ORDERS}
    assert watch.created_again({ORDERS: "id-9", WORK: "id-2", "mf.new.v1": "id-3"}) == set()  # told once
    assert watch.created_again({}) == set()  # nothing recorded (the relay between its delete and insert never shows)
    assert watch.created_again({ORDERS: "id-9", WORK: "id-5"}) == {WORK}


def test_a_batch_without_a_topic_drops_its_records_and_offsets() -> None:
    batch = Batch.of({TopicPartition(WORK, 3): [record(3, 40, inspection(1))],
                      TopicPartition(ORDERS, 1): [record(1, 7, inspection(2), topic=ORDERS)]})
    rest = batch.without({ORDERS})
    assert [(r.topic, r.offset) for r in rest.records] == [(WORK, 40)]
    assert rest.offsets == {TopicPartition(WORK, 3): 41}


class FakeFaustConsumer:
    """What read_faust_partitions_again uses of faust's Consumer: its assignment, books, seek_wait and commits."""

    def __init__(self, assigned: set[TopicPartition]) -> None:
        self.assigned = assigned
        self._read_offset: dict[Any, int | None] = defaultdict(lambda: None)
        self._committed_offset: dict[Any, int | None] = defaultdict(lambda: None)
        self._acked: dict[Any, list[int]] = defaultdict(list)
        self._acked_index: dict[Any, set[int]] = defaultdict(set)
        self._gap: dict[Any, object] = {}
        self.seeks: list[dict[Any, int]] = []

    def assignment(self) -> set[TopicPartition]:
        return self.assigned

    async def seek_wait(self, partitions: dict[Any, int]) -> None:
        self.seeks.append(dict(partitions))

    async def earliest_offsets(self, *partitions: Any) -> dict[Any, int]:
        return dict.fromkeys(partitions, 0)

    async def _commit_offsets(self, offsets: dict[Any, int], start_new_transaction: bool = True) -> bool:
        return True


def test_the_agents_partitions_of_a_topic_created_again_go_to_offset_0_and_forget_the_old_log() -> None:
    orders_0, orders_1, work_0 = TopicPartition(ORDERS, 0), TopicPartition(ORDERS, 1), TopicPartition(WORK, 0)
    consumer = FakeFaustConsumer({orders_0, orders_1, work_0})
    for tp in (orders_0, work_0):
        consumer._read_offset[tp], consumer._committed_offset[tp] = 99, 100
        consumer._acked[tp], consumer._acked_index[tp] = [101], {101}
    partitions = asyncio.run(read_faust_partitions_again(consumer, {ORDERS, "mf.not.assigned.v1"}))
    assert partitions == [orders_0, orders_1]
    assert consumer.seeks == [{orders_0: 0, orders_1: 0}]
    assert orders_0 not in consumer._read_offset and orders_0 not in consumer._committed_offset
    assert orders_0 not in consumer._acked and orders_0 not in consumer._acked_index
    assert (consumer._read_offset[work_0], consumer._committed_offset[work_0]) == (99, 100)  # another topic: kept
    assert asyncio.run(read_faust_partitions_again(consumer, {"mf.not.assigned.v1"})) == []
    assert len(consumer.seeks) == 1  # nothing assigned of it: no seek at all
