"""Each topic has named consumers, each acting on event types of that topic; what no consumer acts on is named
for the subscribers outside; the relay waits only for the consumers that act on an event's type."""

from __future__ import annotations

from schemas.catalogue import CATALOGUE, CONSUMER_GROUPS, EVENT_TYPES, acts_on, consumers_of, topics_of
from usecases.routing import HANDLERS


def _type(event: type) -> str:
    return str(event.model_fields["type"].default)  # type: ignore[attr-defined]


def test_every_topic_has_a_named_consumer_that_acts_on_events_of_that_topic() -> None:
    for spec in CATALOGUE:
        assert spec.consumers, f"{spec.name} has no consumer"
        for name, acted in spec.consumers.items():
            assert acted, f"{name} reads {spec.name} but acts on none of its events"
            assert set(acted) <= set(spec.events), f"{name} lists events that are not on {spec.name}"
            assert name in HANDLERS and name in CONSUMER_GROUPS


def test_an_event_no_consumer_acts_on_is_named_for_its_readers_outside() -> None:
    for spec in CATALOGUE:
        for event in spec.events:
            if not consumers_of(spec.name, _type(event)):
                assert _type(event) in spec.external, f"{_type(event)}: no consumer and no reader named"


def test_the_relay_waits_only_for_consumers_that_act_on_the_type() -> None:
    assert consumers_of("mf.work.v1", "work.inspection_recorded") == ("earnings",)
    assert consumers_of("mf.ledger.v1", "ledger.earnings_posted") == ("points",)  # points follow what was paid
    assert consumers_of("mf.work.v1", "work.output_submitted") == ()
    assert consumers_of("mf.offers.v1", "offer.made") == ("notifier",)
    assert set(consumers_of("mf.offers.v1", "offer.withdrawn")) == {"matcher", "notifier"}
    assert consumers_of("mf.orders.v1") == ("splitter", "notifier")
    assert acts_on("a replay under another name") is None


def test_every_handler_acts_on_something_and_reads_the_topics_of_what_it_acts_on() -> None:
    by_type = {_type(e): e.topic for e in EVENT_TYPES}  # type: ignore[attr-defined]
    for name in HANDLERS:
        acted = acts_on(name)
        assert acted, name
        assert {by_type[t] for t in acted} == set(topics_of(name))
