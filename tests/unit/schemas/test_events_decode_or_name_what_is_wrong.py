"""Every event survives the wire; anything else is refused with a reason naming the problem."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from schemas.catalogue import ANY_EVENT, CATALOGUE, EVENT_BY_TYPE, EVENT_TYPES, VERSIONS, decode, topic_of
from schemas.envelope import UPCASTERS, BadEvent, encode, make_decoder, upcast
from schemas.events.orders import LotCreated
from streams.codec import Malformed, decode_record


def lot_created(**overrides: object) -> LotCreated:
    fields = {"event_id": uuid4(), "occurred_at": datetime(2026, 11, 23, 8, tzinfo=UTC), "key": "comm-001",
              "producer": "test", "lot_id": "o-L001", "order_id": "o", "lot_no": 1, "pieces": 60,
              "due_at": datetime(2026, 12, 1, tzinfo=UTC)}
    return LotCreated(**(fields | overrides))


def test_an_event_round_trips_through_bytes() -> None:
    event = lot_created()
    assert decode(encode(event)) == event


def test_every_event_type_has_exactly_one_topic_in_the_catalogue() -> None:
    names = [e.model_fields["type"].default for e in EVENT_TYPES]
    assert len(names) == len(set(names)) == len(EVENT_BY_TYPE)
    for event_type in EVENT_TYPES:
        owners = [spec.name for spec in CATALOGUE if event_type in spec.events]
        assert owners == [event_type.topic], event_type


def test_every_topic_is_keyed_by_community() -> None:
    assert {spec.key for spec in CATALOGUE} == {"community_id"}
    assert topic_of(lot_created()).name == "mf.lots.v1"


@pytest.mark.parametrize(("raw", "reason"), [
    (b"\xff\xfe", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (b'{"type": "order.shipped"}', "unknown event type: 'order.shipped'"),
])
def test_garbage_is_refused_with_the_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(BadEvent, match=reason):
        decode(raw)


def test_a_bad_field_is_named() -> None:
    data = json.loads(encode(lot_created()))
    data["pieces"] = -3
    with pytest.raises(BadEvent, match="lot.created: pieces: Input should be greater than 0"):
        decode(json.dumps(data).encode())


def test_a_newer_version_than_known_is_refused_not_guessed() -> None:
    data = json.loads(encode(lot_created())) | {"schema_version": 9}
    with pytest.raises(BadEvent, match="newer than this consumer knows"):
        decode(json.dumps(data).encode())


def test_an_old_payload_is_upcast_step_by_step() -> None:
    UPCASTERS[("demo.thing", 1)] = lambda d: d | {"pieces": d.pop("qty")}
    try:
        assert upcast({"type": "demo.thing", "schema_version": 1, "qty": 5}, 2) == \
            {"type": "demo.thing", "schema_version": 2, "pieces": 5}
    finally:
        del UPCASTERS[("demo.thing", 1)]


def test_a_record_decodes_to_its_event_or_keeps_its_bad_bytes_for_the_dead_letter_topic() -> None:
    event = lot_created()
    assert decode_record(encode(event), "mf.lots.v1") == event
    bad = decode_record(b"{not json", "mf.lots.v1")
    assert isinstance(bad, Malformed) and bad.raw == b"{not json" and bad.reason.startswith("not JSON")


def test_an_old_payload_that_also_fits_the_current_shape_is_still_upcast() -> None:
    decode_v2 = make_decoder(ANY_EVENT, VERSIONS | {"lot.created": 2})
    UPCASTERS[("lot.created", 1)] = lambda d: d | {"pieces": d["pieces"] * 2}  # say v2 counts half-pieces
    try:
        old = decode_v2(encode(lot_created(pieces=60)))
        current = decode_v2(encode(lot_created(pieces=60, schema_version=2)))
    finally:
        del UPCASTERS[("lot.created", 1)]
    assert (old.pieces, old.schema_version) == (120, 2)  # type: ignore[attr-defined]
    assert (current.pieces, current.schema_version) == (60, 2)  # type: ignore[attr-defined]
