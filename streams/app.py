"""The stream worker (faust): agents that split orders, match lots, post earnings and notify.

Every agent reads batches, hands them to a handler that commits the effect, the applied-event
records and any new events (outbox) in one transaction. The relay publishes those events.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import faust
from sqlmodel import col, select

from domain.lifecycle.lot import MATCHABLE
from schemas.catalogue import DEAD_LETTER_TOPIC, PARTITIONS, partition_of, topics_of
from schemas.envelope import Event
from store.db import transaction
from store.outbox import record_events
from store.retry import is_transient
from store.tables import Lot
from streams import codec, fetch_wait  # noqa: F401  (a short consumer fetch wait: see the module)
from streams.batch_consumer import run_batch_consumer
from streams.runtime import Runtime
from streams.topics_again import TopicWatch, read_faust_partitions_again, recorded_topic_ids
from usecases.consumer import Handler
from usecases.match import match_community
from usecases.offers import expire_offers
from usecases.progress import expire_orders
from usecases.routing import HANDLERS
from usecases.wecom import send_pending
from usecases.work import auto_accept_due

log = logging.getLogger(__name__)
runtime = Runtime()
settings = runtime.settings
BATCH, WITHIN = 500, 0.05  # a short window: a lone event waits 50 ms at most; a busy stream fills 500 anyway
TOPICS_CHECK_S = 1.0  # how often the worker looks for topics the relay found created again (streams/topics_again.py)

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
    # Raw bytes in, for keys and values alike: faust drops a record whose key or value its codec cannot decode
    # (KeyDecodeError, ValueDecodeError) without a word to the agent; ours decodes (streams/codec.py) and
    # dead-letters what does not.
    return app.topic(*names, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw",
                     partitions=PARTITIONS)


# Each agent reads the topics the catalogue names it a consumer of (and applies only the event types listed there).
orders_topic = _topic(*topics_of("splitter"))
matcher_topics = _topic(*topics_of("matcher"))
dead_letters = app.topic(DEAD_LETTER_TOPIC, key_type=bytes, value_type=bytes, key_serializer="raw",
                         value_serializer="raw")


async def consume(stream: faust.StreamT, consumer: str, handler: Handler) -> None:
    """The body every agent shares: batch, decode, dead-letter the malformed, apply the rest exactly once."""
    async for batch in stream.take_events(BATCH, within=WITHIN):  # type: ignore[attr-defined]
        try:
            await consume_batch(consumer, handler, [(e.message, e.value) for e in batch])
        except Exception:  # an agent that raises stops for good; the relay re-delivers what was not applied
            log.exception("%s: batch of %d failed; going on (unapplied events come again)", consumer, len(batch))


async def consume_batch(consumer: str, handler: Handler, records: list[tuple[Any, object]]) -> None:
    """Decode (message, raw value) pairs in our code, dead-letter what is not an event, apply the rest."""
    good: list[Event] = []
    source: dict[str, Any] = {}
    for message, raw in records:
        decoded = codec.decode_record(raw, getattr(message, "topic", None))
        if isinstance(decoded, codec.Malformed):
            await _dead_letter(message, decoded.raw, decoded.reason)
        else:
            good.append(decoded)
            source.setdefault(str(decoded.event_id), message)
    for failed, reason in await runtime.run(consumer, good, handler):
        await _dead_letter(source.get(str(failed.event_id)), failed.model_dump_json().encode(), reason)


async def _dead_letter(message: object, raw: bytes, reason: str) -> None:
    """Record a record that can never be applied: in the database (retried until it is), then on the topic."""
    topic = getattr(message, "topic", "") or ""
    partition, offset = getattr(message, "partition", -1), getattr(message, "offset", -1)
    log.warning("dead letter from %s:%s:%s: %s", topic, partition, offset, reason[:300])
    await asyncio.to_thread(runtime.record_dead_letter, topic=topic, partition=partition, offset=offset,
                            raw=raw, reason=reason)
    headers = {"reason": reason.encode(), "source": f"{topic}:{partition}:{offset}".encode()}
    key = getattr(message, "key", None)
    try:
        await dead_letters.send(key=key if isinstance(key, bytes) else b"", value=raw, headers=headers)
    except Exception:  # noqa: BLE001 - the table holds it; the topic is a copy for other readers
        log.exception("dead letter from %s:%s:%s not published (kept in the database)", topic, partition, offset)


@app.agent(orders_topic)
async def splitter(stream: faust.StreamT) -> None:
    """Orders posted → lots."""
    await consume(stream, "splitter", HANDLERS["splitter"])


@app.agent(matcher_topics)
async def matcher(stream: faust.StreamT) -> None:
    """New lots, answers, expiries, availability → a matching batch for each community touched."""
    await consume(stream, "matcher", HANDLERS["matcher"])


@app.task
async def earnings() -> None:
    """Inspections → ledger entries: the busiest stream, read in whole fetches (streams/batch_consumer.py)."""
    await run_batch_consumer(runtime, "earnings", topics_of("earnings"), HANDLERS["earnings"], _dead_letter)


@app.task
async def points() -> None:
    """Earnings posted, services rated, volunteer hours → points ledger lines (积分), never money.

    One EarningsPosted for every inspection paid: read in whole fetches like the earnings, not by a faust agent.
    """
    await run_batch_consumer(runtime, "points", topics_of("points"), HANDLERS["points"], _dead_letter)


@app.task
async def notifier() -> None:
    """Offers, escalations, orders ending, payouts and appeals → inbox and WeCom messages.

    It reads the ledger topic (for payouts and appeals), so it receives every EarningsPosted and passes over it:
    whole fetches make that cheap; a faust agent paid a task and an ack for each.
    """
    await run_batch_consumer(runtime, "notifier", topics_of("notifier"), HANDLERS["notifier"], _dead_letter)


def owned_partitions() -> set[int]:
    """Partitions of the lots topic this worker owns now (a community belongs to one of them)."""
    return {tp.partition for tp in app.consumer.assignment() if tp.topic == "mf.lots.v1"}


def owned_topic_partitions(lots_partitions: set[int]) -> list[str]:
    """What this worker owns now, as "topic:partition", for /health and the benchmarks."""
    names = [f"mf.lots.v1:{p}" for p in lots_partitions]
    names += [f"{tp.topic}:{tp.partition}" for kafka in runtime.batch_consumers.values() for tp in kafka.assignment()]
    return sorted(set(names))  # a topic read by a faust agent and a batch consumer (lots: matcher, notifier) once


def sweep(owned: set[int]) -> None:
    """Expire offers and orders past due, auto-accept old submissions, re-match the communities this worker owns."""
    ctx = runtime.context("timer")
    with transaction(runtime.engine) as session:
        record_events(session, expire_offers(session, ctx=ctx) + auto_accept_due(session, ctx=ctx))
    with transaction(runtime.engine) as session:
        record_events(session, expire_orders(session, ctx=ctx))
    with transaction(runtime.engine) as session:
        communities = set(session.exec(select(Lot.community_id).where(
            col(Lot.status).in_(MATCHABLE), Lot.due_at > ctx.now)).all())
    for community in sorted(c for c in communities if partition_of(c) in owned):
        with transaction(runtime.engine) as session:
            record_events(session, match_community(session, community, ctx))
    if settings.wecom_webhook_url:
        send_pending(runtime.engine, settings.wecom_webhook_url)


@app.timer(interval=settings.match_interval_s)
async def periodic() -> None:
    """The short timer of DESIGN.md: matching also runs when no event arrives."""
    # A timer that raises is never called again: a locked or unreachable database is logged and the next tick tries.
    owned = owned_partitions()
    try:
        await asyncio.to_thread(sweep, owned)
    except Exception as exc:
        log.log(logging.WARNING if is_transient(exc) else logging.ERROR, "timer: sweep failed (%s); next tick retries",
                str(exc).splitlines()[0][:200], exc_info=not is_transient(exc))
    try:
        await asyncio.to_thread(runtime.beat, owned_topic_partitions(owned))
    except Exception as exc:  # noqa: BLE001 - /health shows the beat going stale; the next tick beats again
        log.warning("timer: heartbeat not recorded (%s)", str(exc).splitlines()[0][:200])


topic_watch = TopicWatch()


@app.timer(interval=TOPICS_CHECK_S)
async def topics_created_again() -> None:
    """Topics the relay found created again (new ids in broker_topic) are read again from their start by every
    consumer of this worker that reads them (streams/topics_again.py)."""
    try:
        again = topic_watch.created_again(await asyncio.to_thread(recorded_topic_ids, runtime.engine))
    except Exception as exc:  # noqa: BLE001 - a timer that raises is never called again; the next tick looks again
        log.warning("timer: topic ids not read (%s); next tick retries", str(exc).splitlines()[0][:200])
        return
    if not again:
        return
    for name, kafka in runtime.batch_consumers.items():  # each seeks between two of its batches
        if again & set(kafka.subscription()):
            runtime.read_again.setdefault(name, set()).update(again)
    try:
        partitions = await read_faust_partitions_again(app.consumer, again)
    except Exception:  # noqa: BLE001 - e.g. a rebalance took the partitions meanwhile: it seeks to committed offsets
        log.exception("faust agents: seeking topics created again (%s) to their start failed", ", ".join(sorted(again)))
        return
    log.warning("topics created again (%s): the agents read %d partitions again from their start",
                ", ".join(sorted(again)), len(partitions))
