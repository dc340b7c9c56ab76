"""The earnings consumer's batches: events in fetch order, the bad ones set aside, offsets to commit after applying."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import TopicPartition
from aiokafka.structs import ConsumerRecord

from schemas.envelope import encode
from schemas.events.work import InspectionRecorded
from streams import batch_consumer
from streams.batch_consumer import Batch, decode_records, decode_with_sources, skipped_types

WORK = "mf.work.v1"


def inspection(n: int) -> bytes:
    return encode(InspectionRecorded(event_id=uuid4(), occurred_at=datetime(2026, 11, 20, 2, tzinfo=UTC),
                                     key="comm-001", producer="api", inspection_id=f"ins-{n}", submission_id=f"sub-{n}",
                                     lot_id="lot-1", resident_id="comm-001-r001", passed=n, rejected=0,
                                     defect_codes=[], actor="coord1"))


def record(partition: int, offset: int, value: bytes, *, topic: str = WORK,
           headers: list[tuple[str, bytes]] | None = None) -> ConsumerRecord[Any, Any]:
    return ConsumerRecord(topic, partition, offset, 0, 0, b"comm-001", value, None, 8, len(value), headers or [])


def test_a_fetch_becomes_events_in_order_bad_records_and_the_offsets_after_it() -> None:
    fetched = {TopicPartition(WORK, 3): [record(3, 40, inspection(1)), record(3, 41, b"{not json"),
                                         record(3, 42, inspection(2))],
               TopicPartition(WORK, 5): [record(5, 7, inspection(3))]}
    batch = Batch.of(fetched)
    events, malformed = decode_records(batch.records)
    assert [e.inspection_id for e in events] == ["ins-1", "ins-2", "ins-3"]  # type: ignore[attr-defined]
    assert [(r.offset, reason.split(":")[0]) for r, reason in malformed] == [(41, "not JSON")]
    assert batch.offsets == {TopicPartition(WORK, 3): 43, TopicPartition(WORK, 5): 8}  # the next to read


def test_an_empty_fetch_is_an_empty_batch() -> None:
    batch = Batch.of({})
    assert (batch.records, batch.offsets) == ([], {})


def test_a_failed_batch_starts_the_consumer_again(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[str] = []

    async def consume(*_: object) -> None:
        attempts.append("try")
        if len(attempts) == 1:
            raise RuntimeError("database is locked")
        raise asyncio.CancelledError  # the worker stopping

    monkeypatch.setattr(batch_consumer, "_consume", consume)
    monkeypatch.setattr(batch_consumer, "RETRY_AFTER_S", 0)
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(batch_consumer.run_batch_consumer(None, "earnings", [WORK], None, None))  # type: ignore[arg-type]
    assert attempts == ["try", "try"]


def test_records_of_a_type_the_consumer_does_not_act_on_are_passed_over_by_their_type_header() -> None:
    """The relay names each record's event type in a `type` header: the notifier passes over EarningsPosted (and
    the earnings consumer over hand-ins) without decoding them; anything it acts on, or without the header, or
    naming a type the topic does not carry, is decoded as before — a bad one still goes to the dead letters."""
    ledger = "mf.ledger.v1"
    assert (ledger, b"ledger.earnings_posted") in skipped_types("notifier")
    assert (ledger, b"ledger.payout_recorded") not in skipped_types("notifier")
    assert (ledger, b"ledger.earnings_posted") not in skipped_types("points")
    assert (WORK, b"work.output_submitted") in skipped_types("earnings")
    assert (WORK, b"work.inspection_recorded") not in skipped_types("earnings")
    assert skipped_types("nobody") == frozenset()
    posted = record(1, 0, b"{never decoded", topic=ledger, headers=[("type", b"ledger.earnings_posted")])
    unknown = record(1, 1, b"{not json", topic=ledger, headers=[("type", b"ledger.made_up")])
    plain = record(1, 2, inspection(7), topic=WORK)
    named = record(1, 3, inspection(8), topic=WORK, headers=[("type", b"work.inspection_recorded")])
    events, sources, malformed = decode_with_sources([posted, unknown, plain, named], skipped_types("notifier"))
    assert [e.inspection_id for e in events] == ["ins-7", "ins-8"]  # type: ignore[attr-defined]
    assert sources == [plain, named]
    assert [r.offset for r, _ in malformed] == [1]
    events, malformed = decode_records([posted])  # nothing to pass over: decoded, and refused
    assert (events, [r.offset for r, _ in malformed]) == ([], [0])
