"""The relay's first start on a database sends each event once (issue 19; SQLite and PostgreSQL, the real broker and
relay process).

No topic ids were recorded yet, so the relay's first sweep took the topics for ones the broker had lost and sent
every unsettled event again, those it had just sent included: a fresh deployment's backlog (and every benchmark's
100,000 inspections) went out twice, and each consumer decoded and skipped the copies. The relay now records the
topics it finds before it sends anything; topics lost later are still healed (test_relay_publishes_then_…).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import func
from sqlmodel import select

from schemas.catalogue import CATALOGUE
from services.harness import System, wait_until
from store.db import reading
from store.tables import OutboxEvent
from tests.integration.relay.test_relay_publishes_then_redelivers_until_applied import record

EVENTS = 300
SWEEPS_S = 3.0  # the relay sweeps every 2 s, the first one right after its first send


def _unsent(system: System) -> int:
    with reading(system.engine) as session:
        return int(session.exec(select(func.count()).select_from(OutboxEvent)
                                .where(OutboxEvent.published_at == None)).one())  # noqa: E711


def _messages(bootstrap: str) -> list[str]:
    """The event id of every message the catalogue's topics hold, read from their start (not their end offsets:
    the embedded broker's count records batches, not messages)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="mf-test", request_timeout_ms=5000,
                             enable_auto_commit=False, consumer_timeout_ms=3000)
    try:
        consumer.assign([TopicPartition(spec.name, p) for spec in CATALOGUE for p in range(spec.partitions)])
        consumer.seek_to_beginning()
        return [json.loads(message.value)["event_id"] for message in consumer]
    finally:
        consumer.close()


def test_a_backlog_recorded_before_the_relay_first_starts_goes_out_once(tmp_path: Path, database_url: str) -> None:
    # No worker: nothing is applied, so everything stays unsettled and would be sent again if the relay thought it
    # lost. Re-delivery of what no one applied waits a minute here, beyond the test.
    system = System(tmp_path, database_url=database_url, extra_env={"REDELIVERY_AFTER_S": "60"})
    try:
        system.start_broker()
        sent = record(system.engine, EVENTS)  # LotCreated
        system.start("relay")
        wait_until(lambda: _unsent(system) == 0, timeout=60, what="the backlog sent", system=system)
        time.sleep(SWEEPS_S)
        assert _unsent(system) == 0, "the relay took its topics for lost ones and queued everything again"
        on_broker = _messages(system.settings.bootstrap)
        assert sorted(on_broker) == sorted(sent), f"{len(on_broker)} messages on the broker for {EVENTS} events"
    finally:
        system.stop()
