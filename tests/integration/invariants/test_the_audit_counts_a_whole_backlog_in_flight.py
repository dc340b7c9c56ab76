"""The audit stopped mid-backlog: 70,000 inspection events the earnings consumer has not applied are all in flight.

PostgreSQL takes at most 65,535 parameters a statement; listing the pending ids one parameter each made
`microfactory audit` fail on a benchmark's database stopped with 100,000 events in the outbox.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from store.bulk import insert_rows
from store.db import reading, transaction
from store.tables import AppliedEvent, OutboxEvent
from usecases.invariant_rows import EARNINGS_CONSUMER, INSPECTION_EVENT, inspections_in_flight

PENDING = 70_000  # more than PostgreSQL's 65,535 parameters of a statement


def test_seventy_thousand_pending_inspections_are_in_flight_and_the_applied_ones_not(engine: Engine) -> None:
    now = datetime.now(UTC)
    rows = [(f"ev-{i}", "mf.work.v1", "comm-001", INSPECTION_EVENT, json.dumps({"inspection_id": f"ins-{i}"}), now,
             False, 0) for i in range(PENDING)]
    with transaction(engine) as session:
        insert_rows(session, OutboxEvent, rows, ("event_id", "topic", "key", "type", "payload", "created_at",
                                                  "settled", "deliveries"))
        insert_rows(session, AppliedEvent, [(EARNINGS_CONSUMER, f"ev-{i}", now) for i in range(0, PENDING, 7)],
                    ("consumer", "event_id", "applied_at"))
    with reading(engine) as session:
        in_flight = inspections_in_flight(session)
    assert len(in_flight) == PENDING - len(range(0, PENDING, 7))
    assert "ins-1" in in_flight and "ins-0" not in in_flight and "ins-7" not in in_flight
