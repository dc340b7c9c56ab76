"""The broker's raw consume rate (the ceiling) and the whole pipeline's sustained rate on one worker.

raw: N InspectionRecorded-sized messages produced to a topic of the embedded broker, then all
consumed with aiokafka (manual assignment of every partition, no decoding, no processing).
pipeline: N inspections built in the database with their outbox events; one real worker (faust)
and the relay run as processes; the time runs from the relay's first publish of a work event to
the last InspectionRecorded the `earnings` consumer committed (ledger entries + applied record).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import UUID

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from sqlalchemy import func
from sqlmodel import select

from bench.backbone import cpu_seconds, first_publish, last_applied, new_system, start_workers, wait_applied
from bench.work_world import MONTH_START, build_work
from schemas.catalogue import PARTITIONS
from schemas.events.work import InspectionRecorded
from services.broker import start_embedded_broker
from services.harness import free_port
from store.db import reading
from store.tables import LedgerEntry
from usecases.reconcile import reconcile

RAW_TOPIC = "bench.raw.v1"


def sample_payload() -> bytes:
    """One real InspectionRecorded as the relay would publish it."""
    event = InspectionRecorded(event_id=UUID(int=1, version=4), occurred_at=MONTH_START, key="comm-001",
                               producer="api", inspection_id="ins-0123456789ab", submission_id="sub-0123456789ab",
                               lot_id="lot-0123456789ab", resident_id="comm-001-r001", passed=38, rejected=2,
                               defect_codes=["LOOSE"], actor="coord1")
    return event.model_dump_json().encode()


def raw_consume(quick: bool = False) -> dict[str, Any]:
    """Produce N events to the embedded broker, then time consuming them all."""
    n = 50_000 if quick else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        broker = start_embedded_broker(port, Path(tmp) / "broker.log")
        try:
            bootstrap = f"127.0.0.1:{port}"
            admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="bench")
            admin.create_topics([NewTopic(RAW_TOPIC, PARTITIONS, 1)])
            admin.close()
            seconds = asyncio.run(_produce_then_consume(bootstrap, n, sample_payload()))
        finally:
            broker.terminate()
            broker.wait(timeout=10)
    return {"raw_consume_events_per_s": round(n / seconds), "raw_events": n}


async def _produce_then_consume(bootstrap: str, n: int, payload: bytes) -> float:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20, max_batch_size=1 << 20)
    await producer.start()
    try:
        for start in range(0, n, 5000):
            batch = [await producer.send(RAW_TOPIC, payload, key=f"comm-{i % 97:03d}".encode())
                     for i in range(start, min(n, start + 5000))]
            await asyncio.gather(*batch)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
                                max_partition_fetch_bytes=8 << 20, fetch_max_bytes=64 << 20)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(RAW_TOPIC, p) for p in range(PARTITIONS)])
        await consumer.seek_to_beginning()
        seen, started = 0, time.perf_counter()
        while seen < n:
            batches = await consumer.getmany(timeout_ms=1000, max_records=20_000)
            seen += sum(len(records) for records in batches.values())
        return time.perf_counter() - started
    finally:
        await consumer.stop()


def pipeline(quick: bool = False) -> dict[str, Any]:
    """Sustained events per second on one worker: inspection event published → earning committed."""
    n = 20_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        system = new_system(Path(tmp))
        try:
            build_work(system.engine, system.settings, inspections=n, seed=11)
            start_workers(system, 1)
            worker = system.procs["worker-1"].pid
            cpu_before = cpu_seconds(worker)
            system.start("relay")
            wait_applied(system, n, timeout=60 + n / 200)
            seconds = (last_applied(system) - first_publish(system)).total_seconds()
            cpu = cpu_seconds(worker) - cpu_before
            with reading(system.engine) as session:
                entries = int(session.exec(select(func.count()).select_from(LedgerEntry)
                                           .where(LedgerEntry.kind == "piece_pay")).one())
            exact = entries == n and reconcile(system.engine) == []
        finally:
            system.stop()
    # Events per second of the worker's own CPU time: what one worker does with a core to itself.
    return {"pipeline_events_per_s": round(n / seconds), "pipeline_events": n, "pipeline_ledger_exact": exact,
            "pipeline_worker_cpu_s": round(cpu, 1), "pipeline_events_per_worker_cpu_s": round(n / cpu) if cpu else None}
