"""The topic catalogue: every topic, its key, partitions, events and consumers, in one place.

Every message is keyed by its community id, so one community's events share a partition
on every topic and the matcher sees a community's lots, offers and people together.

Each topic has named consumers, and each consumer lists the event types it acts on: it applies only
those (the others it skips without recording them), and the relay waits only for the consumers that
act on an event's type before it settles the event. An event type no consumer here acts on is still
published, for the subscribers outside the system each topic names in `external`:
- mf.orders.v1: the splitter splits posted orders and re-prices pending offers; the notifier tells the
  enterprise and coordinators when an order is fulfilled, expired or cancelled. OrderCancelled carries
  the enterprise's reason for ERP integrations.
- mf.lots.v1: the matcher matches new lots; the notifier tells coordinators of escalations.
- mf.people.v1: the matcher matches again when sites, residents or their hours change.
- mf.offers.v1: the matcher re-matches lots that came back (declined, expired, withdrawn); the notifier
  tells residents of offers made and withdrawn.
- mf.work.v1: the earnings consumer prices inspections; the points consumer scores what it paid, from the one
  EarningsPosted per community and batch on mf.ledger.v1 (积分, never money): a consumer of every inspection
  beside the earnings consumer cost the pipeline two thirds of its throughput (11,635 → 3,623 events/s);
  materials and hand-ins are for enterprises' ERP.
- mf.ledger.v1: the notifier tells residents of payouts and appeal decisions and coordinators of appeals
  filed; the points consumer scores services rated (代办 acts, for their helpers) and volunteer tasks;
  earnings posted and periods closed are for payroll and enterprise settlement outside (the
  dashboard and pay slips read the ledger itself, in the same database).
A lot that goes back to matching is announced by the offer event that released it (declined, expired,
withdrawn), which the matcher acts on; so there is no separate lot-released event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any

from kafka.partitioner.default import murmur2
from pydantic import Field, TypeAdapter

from schemas.envelope import Event, make_decoder
from schemas.events.offers import OfferAccepted, OfferDeclined, OfferExpired, OfferMade, OfferWithdrawn
from schemas.events.orders import (
    LotCreated,
    LotEscalated,
    OrderCancelled,
    OrderPosted,
    OrderRateChanged,
    OrderStatusChanged,
)
from schemas.events.pay import (
    AdjustmentPosted,
    AppealDecided,
    AppealFiled,
    CorrectionDecided,
    CorrectionRequested,
    EarningsPosted,
    PayoutRecorded,
    PayPeriodClosed,
)
from schemas.events.people import AvailabilityChanged, ResidentRegistered, SiteRegistered
from schemas.events.service import RatingWithdrawn, ServiceRated, VolunteerTaskRecorded, VolunteerTaskWithdrawn
from schemas.events.work import InspectionRecorded, MaterialsIssued, MaterialsReturned, OutputSubmitted

PARTITIONS = 8
DEAD_LETTER_TOPIC = "mf.deadletter.v1"


@dataclass(frozen=True, eq=False)
class TopicSpec:
    """One topic: name, message key, partition count, the events on it, and who acts on which of them.

    `consumers` maps each consumer's name to the event types it applies; `external` says who outside the
    system reads the event types no consumer here acts on.
    """

    name: str
    key: str
    partitions: int
    events: tuple[type[Event], ...]
    consumers: Mapping[str, tuple[type[Event], ...]]
    external: str = field(default="")


CATALOGUE: tuple[TopicSpec, ...] = (
    TopicSpec("mf.orders.v1", "community_id", PARTITIONS,
              (OrderPosted, OrderRateChanged, OrderCancelled, OrderStatusChanged),
              {"splitter": (OrderPosted, OrderRateChanged), "notifier": (OrderStatusChanged,)},
              external="ERP integrations: order.cancelled (with the enterprise's reason)"),
    TopicSpec("mf.lots.v1", "community_id", PARTITIONS, (LotCreated, LotEscalated),
              {"matcher": (LotCreated,), "notifier": (LotEscalated,)}),
    TopicSpec("mf.people.v1", "community_id", PARTITIONS, (SiteRegistered, ResidentRegistered, AvailabilityChanged),
              {"matcher": (SiteRegistered, ResidentRegistered, AvailabilityChanged)}),
    TopicSpec("mf.offers.v1", "community_id", PARTITIONS,
              (OfferMade, OfferAccepted, OfferDeclined, OfferExpired, OfferWithdrawn),
              {"matcher": (OfferDeclined, OfferExpired, OfferWithdrawn), "notifier": (OfferMade, OfferWithdrawn)},
              external="ERP integrations: offer.accepted (who took which lot at which rate)"),
    TopicSpec("mf.work.v1", "community_id", PARTITIONS,
              (MaterialsIssued, MaterialsReturned, OutputSubmitted, InspectionRecorded),
              {"earnings": (InspectionRecorded,)},
              external="ERP integrations: work.materials_issued, work.materials_returned, work.output_submitted"),
    TopicSpec("mf.ledger.v1", "community_id", PARTITIONS,
              (EarningsPosted, PayPeriodClosed, PayoutRecorded, AppealFiled, AppealDecided, AdjustmentPosted,
               CorrectionRequested, CorrectionDecided,
               ServiceRated, RatingWithdrawn, VolunteerTaskRecorded, VolunteerTaskWithdrawn),
              {"notifier": (PayoutRecorded, AppealFiled, AppealDecided),
               "points": (EarningsPosted, ServiceRated, RatingWithdrawn, VolunteerTaskRecorded,
                          VolunteerTaskWithdrawn)},
              external="payroll and enterprise settlement: ledger.earnings_posted, ledger.period_closed, "
                       "ledger.adjustment_posted; the audit of corrections: ledger.correction_requested, "
                       "ledger.correction_decided"),
)

# The faust agents (splitter, matcher) share the app's consumer group; the consumers of the busy streams (work and
# ledger: one event for every inspection) read whole fetches, each in its own group (streams/batch_consumer.py), so
# the broker tracks their offsets under these names.
CONSUMER_GROUPS: dict[str, str] = {"splitter": "microfactory", "matcher": "microfactory",
                                   "notifier": "microfactory-notifier", "points": "microfactory-points",
                                   "earnings": "microfactory-earnings"}

EVENT_TYPES: tuple[type[Event], ...] = tuple(e for spec in CATALOGUE for e in spec.events)
TOPIC_BY_NAME = {spec.name: spec for spec in CATALOGUE}
EVENT_BY_TYPE: dict[str, type[Event]] = {e.model_fields["type"].default: e for e in EVENT_TYPES}
VERSIONS: dict[str, int] = {t: e.model_fields["schema_version"].default for t, e in EVENT_BY_TYPE.items()}

AnyEvent = Annotated[
    OrderPosted | OrderRateChanged | OrderCancelled | OrderStatusChanged
    | LotCreated | LotEscalated
    | SiteRegistered | ResidentRegistered | AvailabilityChanged
    | OfferMade | OfferAccepted | OfferDeclined | OfferExpired | OfferWithdrawn
    | MaterialsIssued | MaterialsReturned | OutputSubmitted | InspectionRecorded
    | EarningsPosted | PayPeriodClosed | PayoutRecorded | AppealFiled | AppealDecided
    | ServiceRated | RatingWithdrawn | VolunteerTaskRecorded | VolunteerTaskWithdrawn
    | AdjustmentPosted | CorrectionRequested | CorrectionDecided,
    Field(discriminator="type"),
]
ANY_EVENT: TypeAdapter[Any] = TypeAdapter(AnyEvent)
decode = make_decoder(ANY_EVENT, VERSIONS)


def topic_of(event: Event) -> TopicSpec:
    """The topic an event is published on."""
    return TOPIC_BY_NAME[event.topic]


def consumers_of(topic: str, event_type: str | None = None) -> tuple[str, ...]:
    """Consumers that must apply an event of `event_type` on `topic` (the relay re-delivers until they have).

    Without `event_type`: every consumer that reads the topic (for subscribing, lag and dead letters).
    """
    if event_type is None:
        return tuple(TOPIC_BY_NAME[topic].consumers) if topic in TOPIC_BY_NAME else ()
    return _ACTING.get((topic, event_type), ())


def acts_on(consumer: str) -> frozenset[str] | None:
    """The event types `consumer` applies, over all topics; None for a name the catalogue does not know."""
    return _ACTS_ON.get(consumer)


def passes_over(consumer: str) -> frozenset[tuple[str, str]]:
    """(topic, event type) of each event type on `consumer`'s topics that it does not act on: it skips them
    unrecorded (usecases.consumer.apply_batch). Empty for a name the catalogue does not know."""
    return frozenset((spec.name, _type_name(e)) for spec in CATALOGUE if consumer in spec.consumers
                     for e in spec.events if e not in spec.consumers[consumer])


def topics_of(consumer: str) -> list[str]:
    """The topics `consumer` subscribes to."""
    return [spec.name for spec in CATALOGUE if consumer in spec.consumers]


def _type_name(event: type[Event]) -> str:
    return str(event.model_fields["type"].default)


# Looked up for every event the relay settles and every batch a consumer applies: built once.
_ACTING: dict[tuple[str, str], tuple[str, ...]] = {
    (spec.name, _type_name(e)): tuple(name for name, acted in spec.consumers.items() if e in acted)
    for spec in CATALOGUE for e in spec.events}
_ACTS_ON: dict[str, frozenset[str]] = {
    name: frozenset(_type_name(e) for spec in CATALOGUE for e in spec.consumers.get(name, ()))
    for spec in CATALOGUE for name in spec.consumers}


def all_topic_names() -> list[str]:
    """Every topic to provision, the dead-letter topic included."""
    return [spec.name for spec in CATALOGUE] + [DEAD_LETTER_TOPIC]


@lru_cache(maxsize=4096)
def partition_of(key: str, partitions: int = PARTITIONS) -> int:
    """Kafka's default partitioner (murmur2): the partition a key's messages land on, as every client computes it."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions
