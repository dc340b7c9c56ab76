"""The relay's marks meet a database that is locked past its busy timeout, or that refuses them for good.

Reported by a helper (session of 2026-11-30): SQLite's write lock held past the busy timeout while the relay marked
a batch made the failed mark drop every held batch, so all of them went out again (and again while the lock stayed),
and the error showed only as asyncio's "Task exception was never retrieved".
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

import pytest
from sqlalchemy import exc as sa
from sqlalchemy.engine import Engine

from services import relay
from services.relay import Publisher
from store.db import make_engine
from tests.integration.relay.test_relay_publishes_then_redelivers_until_applied import (
    FakeProducer,
    record,
    rows,
    until,
    write_lock_held,
)


def test_a_mark_behind_a_write_lock_held_past_the_busy_timeout_waits_and_sends_nothing_twice(
        sqlite_url: str, caplog: pytest.LogCaptureFixture) -> None:
    engine = make_engine(sqlite_url, busy_timeout_s=0.1)  # the lock is held ten times longer than that
    ids = record(engine, 4)
    producer = FakeProducer.acking(capacity=10)
    unretrieved: list[str] = []

    async def scenario() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _, ctx: unretrieved.append(str(ctx.get("message"))))
        publisher = Publisher(engine, producer, hold_s=0)  # type: ignore[arg-type]
        with write_lock_held(engine):
            assert await publisher.publish(limit=2) == 2
            assert await publisher.publish(limit=2) == 2
            await asyncio.sleep(1.0)  # the marks fail behind the lock, several times over
            for _ in range(5):  # held rows are not read again while their mark waits
                assert await publisher.publish(limit=4) == 0
            assert [r.published_at for r in rows(engine)] == [None] * 4
        await publisher.settle_marks()

    try:
        with caplog.at_level(logging.WARNING, logger="services.relay"):
            asyncio.run(scenario())
    finally:
        engine.dispose()
    assert sorted(event_id for *_, event_id in producer.sent) == sorted(ids)  # each once
    assert all(r.published_at is not None and r.deliveries == 1 for r in rows(engine))
    warnings = [r for r in caplog.records if r.name == "services.relay" and "stay held" in r.getMessage()]
    assert warnings and all(r.levelno == logging.WARNING for r in warnings)
    assert unretrieved == []


def test_a_transient_failure_is_retried_on_both_stores_and_marks_each_row_once(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = record(engine, 3)
    producer = FakeProducer.acking(capacity=10)
    calls: list[float] = []

    def mark_locked_twice(engine: Engine, batch: list[tuple[list[relay.Marked], datetime]]) -> None:
        calls.append(time.monotonic())
        if len(calls) <= 2:
            raise sa.OperationalError("UPDATE outbox", {}, Exception("database is locked"))
        real_mark(engine, batch)

    real_mark = relay._mark_published_now
    monkeypatch.setattr(relay, "_mark_published_now", mark_locked_twice)

    async def scenario() -> None:
        publisher = Publisher(engine, producer, hold_s=0)  # type: ignore[arg-type]
        assert await publisher.publish(limit=3) == 3
        await until(lambda: len(calls) >= 1)
        assert await publisher.publish(limit=3) == 0  # held while the mark is retried
        await publisher.settle_marks()  # waits for the retries; raises nothing

    asyncio.run(scenario())
    assert len(calls) == 3 and calls[2] - calls[1] >= 0.3  # paused by store.retry.pause_s (0.2 s, then 0.4 s)
    assert sorted(event_id for *_, event_id in producer.sent) == sorted(ids)
    assert all(r.published_at is not None and r.deliveries == 1 for r in rows(engine))


def test_a_permanent_failure_surfaces_at_the_next_publish_and_its_rows_go_again(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = record(engine, 2)
    producer = FakeProducer.acking(capacity=10)

    def mark_refused(engine: Engine, batch: list[tuple[list[relay.Marked], datetime]]) -> None:
        raise sa.IntegrityError("UPDATE outbox", {}, Exception("constraint failed"))

    real_mark = relay._mark_published_now
    monkeypatch.setattr(relay, "_mark_published_now", mark_refused)
    unretrieved: list[str] = []

    async def scenario() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _, ctx: unretrieved.append(str(ctx.get("message"))))
        publisher = Publisher(engine, producer, hold_s=0)  # type: ignore[arg-type]
        assert await publisher.publish(limit=2) == 2
        await until(lambda: publisher.marking is None)
        with pytest.raises(sa.IntegrityError):
            await publisher.publish(limit=2)  # the loop hears of it, not asyncio's garbage collector
        monkeypatch.setattr(relay, "_mark_published_now", real_mark)
        assert await publisher.publish(limit=2) == 2  # released: unpublished in the outbox, sent again
        await publisher.settle_marks()

    asyncio.run(scenario())
    assert sorted(event_id for *_, event_id in producer.sent) == sorted(ids * 2)
    assert all(r.published_at is not None and r.deliveries == 1 for r in rows(engine))
    assert unretrieved == []
