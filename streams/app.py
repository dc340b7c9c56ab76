"""The stream worker (faust): agents that split orders, match lots, post earnings and notify.

Every agent reads batches, hands them to a handler that commits the effect, the applied-event
records and any new events (outbox) in one transaction. The relay publishes those events.
"""

from __future__ import annotations

import asyncio

import faust
from sqlmodel import col, select

from schemas.catalogue import DEAD_LETTER_TOPIC, PARTITIONS, partition_of
from store.db import transaction
from store.outbox import record_events
from store.tables import Lot
from streams import codec, fetch_wait  # noqa: F401  (a short consumer fetch wait: see the module)
from streams.batch_consumer import run_batch_consumer
from streams.runtime import Runtime, split_batch
from usecases.consumer import Handler
from usecases.match import match_community
from usecases.offers import expire_offers
from usecases.routing import HANDLERS
from usecases.wecom import send_pending
from usecases.work import auto_accept_due

runtime = Runtime()
settings = runtime.settings
BATCH, WITHIN = 500, 0.05  # a short window: a lone event waits 50 ms at most; a busy stream fills 500 anyway

app = faust.App(
    "microfactory",
    broker=f"kafka://{settings.bootstrap}",
    store="memory://",
    processing_guarantee="at_least_once",
    topic_allow_declare=False,
    topic_disable_leader=True,
    web_enabled=False,
    consumer_auto_offset_reset="earliest",
    broker_session_timeout=6,
    broker_rebalance_timeout=6,
    broker_heartbeat_interval=1,
)


def _topic(*names: str) -> faust.TopicT:
    return app.topic(*names, key_type=str, key_serializer="raw", value_serializer=codec.CODEC_NAME,
                     partitions=PARTITIONS)


orders_topic = _topic("mf.orders.v1")
matcher_topics = _topic("mf.lots.v1", "mf.people.v1", "mf.offers.v1")
notifier_topics = _topic("mf.lots.v1", "mf.offers.v1")
dead_letters = app.topic(DEAD_LETTER_TOPIC, key_type=bytes, value_type=bytes, key_serializer="raw",
                         value_serializer="raw")


async def consume(stream: faust.StreamT, consumer: str, handler: Handler) -> None:
    """The body every agent shares: batch, dead-letter the malformed, apply the rest exactly once."""
    async for batch in stream.take_events(BATCH, within=WITHIN):  # type: ignore[attr-defined]
        good, _ = split_batch([e.value for e in batch])
        for event in batch:
            if isinstance(event.value, codec.Malformed):
                await _dead_letter(event.message, event.value.raw, event.value.reason)
        for failed, reason in await runtime.run(consumer, good, handler):
            await _dead_letter(None, failed.model_dump_json().encode(), reason)


async def _dead_letter(message: object, raw: bytes, reason: str) -> None:
    topic = getattr(message, "topic", "")
    partition, offset = getattr(message, "partition", -1), getattr(message, "offset", -1)
    headers = {"reason": reason.encode(), "source": f"{topic}:{partition}:{offset}".encode()}
    await dead_letters.send(key=getattr(message, "key", None) or b"", value=raw, headers=headers)
    await asyncio.to_thread(runtime.record_dead_letter, topic=topic, partition=partition, offset=offset,
                            raw=raw, reason=reason)


@app.agent(orders_topic)
async def splitter(stream: faust.StreamT) -> None:
    """Orders posted → lots."""
    await consume(stream, "splitter", HANDLERS["splitter"])


@app.agent(matcher_topics)
async def matcher(stream: faust.StreamT) -> None:
    """New lots, answers, expiries, availability → a matching batch for each community touched."""
    await consume(stream, "matcher", HANDLERS["matcher"])


@app.agent(notifier_topics)
async def notifier(stream: faust.StreamT) -> None:
    """Offers and escalations → inbox and WeCom messages."""
    await consume(stream, "notifier", HANDLERS["notifier"])


@app.task
async def earnings() -> None:
    """Inspections → ledger entries: the busiest stream, read in whole fetches (streams/batch_consumer.py)."""
    await run_batch_consumer(runtime, "earnings", "mf.work.v1", HANDLERS["earnings"], _dead_letter)


def owned_partitions() -> set[int]:
    """Partitions of the lots topic this worker owns now (a community belongs to one of them)."""
    return {tp.partition for tp in app.consumer.assignment() if tp.topic == "mf.lots.v1"}


def owned_topic_partitions(lots_partitions: set[int]) -> list[str]:
    """What this worker owns now, as "topic:partition", for /health and the benchmarks."""
    names = [f"mf.lots.v1:{p}" for p in lots_partitions]
    names += [f"{tp.topic}:{tp.partition}" for kafka in runtime.batch_consumers.values() for tp in kafka.assignment()]
    return sorted(names)


def sweep(owned: set[int]) -> None:
    """Expire offers, auto-accept old submissions, and re-match the communities this worker owns."""
    ctx = runtime.context("timer")
    with transaction(runtime.engine) as session:
        record_events(session, expire_offers(session, ctx=ctx) + auto_accept_due(session, ctx=ctx))
    with transaction(runtime.engine) as session:
        communities = set(session.exec(select(Lot.community_id).where(
            col(Lot.status).in_(("open", "escalated")), Lot.due_at > ctx.now)).all())
    for community in sorted(c for c in communities if partition_of(c) in owned):
        with transaction(runtime.engine) as session:
            record_events(session, match_community(session, community, ctx))
    if settings.wecom_webhook_url:
        send_pending(runtime.engine, settings.wecom_webhook_url)


@app.timer(interval=settings.match_interval_s)
async def periodic() -> None:
    """The short timer of DESIGN.md: matching also runs when no event arrives."""
    owned = owned_partitions()
    await asyncio.to_thread(sweep, owned)
    await asyncio.to_thread(runtime.beat, owned_topic_partitions(owned))
