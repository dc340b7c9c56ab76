"""The topic catalogue: every topic, its key, partitions, events and consumers, in one place.

Every message is keyed by its community id, so one community's events share a partition
on every topic and the matcher sees a community's lots, offers and people together.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from kafka.partitioner.default import murmur2
from pydantic import Field, TypeAdapter

from schemas.envelope import Event, make_decoder
from schemas.events.offers import OfferAccepted, OfferDeclined, OfferExpired, OfferMade, OfferWithdrawn
from schemas.events.orders import (
    LotCreated,
    LotEscalated,
    LotReleased,
    OrderCancelled,
    OrderPosted,
    OrderRateChanged,
    OrderStatusChanged,
)
from schemas.events.pay import AppealDecided, AppealFiled, EarningsPosted, PayoutRecorded, PayPeriodClosed
from schemas.events.people import AvailabilityChanged, ResidentRegistered, SiteRegistered
from schemas.events.work import InspectionRecorded, MaterialsIssued, MaterialsReturned, OutputSubmitted

PARTITIONS = 8
DEAD_LETTER_TOPIC = "mf.deadletter.v1"


@dataclass(frozen=True)
class TopicSpec:
    """One topic: name, message key, partition count, the events on it and who consumes them."""

    name: str
    key: str
    partitions: int
    events: tuple[type[Event], ...]
    consumers: tuple[str, ...]


CATALOGUE: tuple[TopicSpec, ...] = (
    TopicSpec("mf.orders.v1", "community_id", PARTITIONS,
              (OrderPosted, OrderRateChanged, OrderCancelled, OrderStatusChanged), ("splitter",)),
    TopicSpec("mf.lots.v1", "community_id", PARTITIONS,
              (LotCreated, LotEscalated, LotReleased), ("matcher", "notifier")),
    TopicSpec("mf.people.v1", "community_id", PARTITIONS,
              (SiteRegistered, ResidentRegistered, AvailabilityChanged), ("matcher",)),
    TopicSpec("mf.offers.v1", "community_id", PARTITIONS,
              (OfferMade, OfferAccepted, OfferDeclined, OfferExpired, OfferWithdrawn), ("matcher", "notifier")),
    TopicSpec("mf.work.v1", "community_id", PARTITIONS,
              (MaterialsIssued, MaterialsReturned, OutputSubmitted, InspectionRecorded), ("earnings",)),
    TopicSpec("mf.ledger.v1", "community_id", PARTITIONS,
              (EarningsPosted, PayPeriodClosed, PayoutRecorded, AppealFiled, AppealDecided), ()),
)

# The faust agents share the app's consumer group; the earnings consumer reads whole fetches in its own
# (streams/batch_consumer.py), so the broker tracks its offsets under this name.
CONSUMER_GROUPS: dict[str, str] = {"splitter": "microfactory", "matcher": "microfactory", "notifier": "microfactory",
                                   "earnings": "microfactory-earnings"}

EVENT_TYPES: tuple[type[Event], ...] = tuple(e for spec in CATALOGUE for e in spec.events)
TOPIC_BY_NAME = {spec.name: spec for spec in CATALOGUE}
EVENT_BY_TYPE: dict[str, type[Event]] = {e.model_fields["type"].default: e for e in EVENT_TYPES}
VERSIONS: dict[str, int] = {t: e.model_fields["schema_version"].default for t, e in EVENT_BY_TYPE.items()}

AnyEvent = Annotated[
    OrderPosted | OrderRateChanged | OrderCancelled | OrderStatusChanged
    | LotCreated | LotEscalated | LotReleased
    | SiteRegistered | ResidentRegistered | AvailabilityChanged
    | OfferMade | OfferAccepted | OfferDeclined | OfferExpired | OfferWithdrawn
    | MaterialsIssued | MaterialsReturned | OutputSubmitted | InspectionRecorded
    | EarningsPosted | PayPeriodClosed | PayoutRecorded | AppealFiled | AppealDecided,
    Field(discriminator="type"),
]
ANY_EVENT: TypeAdapter[Any] = TypeAdapter(AnyEvent)
decode = make_decoder(ANY_EVENT, VERSIONS)


def topic_of(event: Event) -> TopicSpec:
    """The topic an event is published on."""
    return TOPIC_BY_NAME[event.topic]


def consumers_of(topic: str) -> tuple[str, ...]:
    """Consumers that must apply every event of a topic (the relay re-delivers until they have)."""
    return TOPIC_BY_NAME[topic].consumers if topic in TOPIC_BY_NAME else ()


def all_topic_names() -> list[str]:
    """Every topic to provision, the dead-letter topic included."""
    return [spec.name for spec in CATALOGUE] + [DEAD_LETTER_TOPIC]


@lru_cache(maxsize=4096)
def partition_of(key: str, partitions: int = PARTITIONS) -> int:
    """Kafka's default partitioner (murmur2): the partition a key's messages land on, as every client computes it."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions
