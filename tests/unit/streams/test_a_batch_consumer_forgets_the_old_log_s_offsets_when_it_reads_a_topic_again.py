"""A batch being applied when its topic is deleted and created again commits its offsets after that, onto the new
topic (the broker forgot the old topic's offsets with it, and takes these for the new one): offset 500 of the old log
stood as the group's position in a new log that holds a few records. The seek to the start (streams/topics_again.py)
moved only this consumer's fetch position, so until new records there were applied and committed, a worker started
again (kill -9, a deploy) or a rebalance resumed at 500 and passed over what the relay published there below it,
until redelivery by age. The seek now commits the new logs' start too."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka import TopicPartition

from streams import batch_consumer
from streams.batch_consumer import Batch
from streams.runtime import Runtime

WORK = "mf.work.v1"
TP = TopicPartition(WORK, 0)


class FakeKafka:
    """What _consume uses of an AIOKafkaConsumer; fetches are scripted, commits and seeks recorded."""

    def __init__(self, runtime: Runtime, fetches: list[Any]) -> None:
        self.runtime, self.fetches = runtime, fetches
        self.committed: dict[TopicPartition, int] = {}
        self.seeks: list[tuple[TopicPartition, ...]] = []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def getmany(self, timeout_ms: int = 0, max_records: int | None = None) -> dict[TopicPartition, list[Any]]:
        await asyncio.sleep(0)
        step = self.fetches.pop(0)
        if isinstance(step, BaseException):
            raise step
        return step(self) if callable(step) else step

    def assignment(self) -> set[TopicPartition]:
        return {TP}

    def subscription(self) -> set[str]:
        return {WORK}

    async def seek_to_beginning(self, *partitions: TopicPartition) -> None:
        self.seeks.append(partitions)

    async def beginning_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return dict.fromkeys(partitions, 0)

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.committed.update(offsets)


class Record:
    def __init__(self, offset: int) -> None:
        self.topic, self.partition, self.offset = WORK, 0, offset


def test_the_seek_to_a_new_log_s_start_commits_that_start(monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = Runtime()

    async def apply(self: Batch, kafka: FakeKafka, *_: Any) -> None:  # the old log's batch: applied, then committed
        await asyncio.sleep(0.01)
        await kafka.commit(self.offsets)

    def created_again(kafka: FakeKafka) -> dict[TopicPartition, list[Any]]:
        runtime.read_again["earnings"] = {WORK}  # what the timer does once the relay recorded the new id
        return {}

    fetches: list[Any] = [{TP: [Record(499)]}, created_again, {}, asyncio.CancelledError()]
    kafka = FakeKafka(runtime, fetches)
    monkeypatch.setattr(batch_consumer, "AIOKafkaConsumer", lambda *a, **k: kafka)
    monkeypatch.setattr(Batch, "apply", apply)

    async def run() -> None:
        with pytest.raises(asyncio.CancelledError):
            await batch_consumer._consume(runtime, "earnings", [WORK], None, None)  # type: ignore[arg-type]

    asyncio.run(run())
    assert kafka.seeks == [(TP,)]
    assert kafka.committed == {TP: 0}, "the old log's offset 500 stood as the group's position in the new log"
