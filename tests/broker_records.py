"""Records and commits made by hand on the real broker, so a consumer group stops exactly where a test says."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition


async def send_batches_then_commit(bootstrap: str, topic: str, sizes: tuple[int, ...],
                                   commits: dict[str, int]) -> None:
    """Send `sizes` records to partition 0 of `topic`, each size one record batch, then commit `commits`
    ({consumer group: offset}) there."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for size in sizes:
            batch = producer.create_batch()
            for i in range(size):
                assert batch.append(key=None, value=b"record %d" % i, timestamp=None) is not None
            await (await producer.send_batch(batch, topic, partition=0))
    finally:
        await producer.stop()
    partition = TopicPartition(topic, 0)
    for group, offset in commits.items():
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
        await consumer.start()
        try:
            consumer.assign([partition])
            await consumer.commit({partition: offset})
        finally:
            await consumer.stop()
