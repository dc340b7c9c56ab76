"""Whatever bytes arrive on a topic, decoding gives an event or a reason for the dead-letter record, never an
exception a consumer did not foresee (which would stop it on that record for good)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.catalogue import EVENT_BY_TYPE, decode
from schemas.envelope import BadEvent, Event, encode
from schemas.events.orders import LotCreated
from schemas.events.work import InspectionRecorded
from streams.codec import Malformed, decode_record

INSPECTION = json.loads(encode(InspectionRecorded(
    event_id=uuid4(), occurred_at=datetime(2026, 11, 20, 2, tzinfo=UTC), key="comm-001", producer="api",
    inspection_id="ins-1", submission_id="sub-1", lot_id="lot-1", resident_id="comm-001-r001", passed=5, rejected=0,
    defect_codes=[], actor="coord1")))
LOT = json.loads(encode(LotCreated(
    event_id=uuid4(), occurred_at=datetime(2026, 11, 23, 8, tzinfo=UTC), key="comm-001", producer="test",
    lot_id="o-L001", order_id="o", lot_no=1, pieces=60, due_at=datetime(2026, 12, 1, tzinfo=UTC))))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
field_names = st.sampled_from(sorted(set(INSPECTION) | set(LOT))) | st.text(max_size=10)
type_tags = st.sampled_from(sorted(EVENT_BY_TYPE)) | json_values


@st.composite
def mutated_events(draw: st.DrawFn) -> bytes:
    """A valid event with fields replaced, removed or added, or its type tag swapped."""
    data: dict[str, Any] = dict(draw(st.sampled_from([INSPECTION, LOT])))
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["replace", "remove", "add", "retag"]))
        name = draw(field_names)
        if action == "remove":
            data.pop(name, None)
        elif action == "retag":
            data["type"] = draw(type_tags)
        else:
            data[name] = draw(json_values)
    return json.dumps(data).encode()


ADVERSARIAL = [
    json.dumps(INSPECTION | {"schema_version": "x"}).encode(),  # issue 20's record
    json.dumps(INSPECTION | {"schema_version": None}).encode(),
    json.dumps(INSPECTION | {"schema_version": True}).encode(),
    json.dumps(INSPECTION | {"schema_version": 1.0}).encode(),
    json.dumps(INSPECTION | {"schema_version": 0}).encode(),
    json.dumps(INSPECTION | {"schema_version": 10**30}).encode(),
    json.dumps(INSPECTION | {"type": ["work.inspection_recorded"]}).encode(),
    json.dumps(INSPECTION | {"type": {"a": 1}}).encode(),
    json.dumps(INSPECTION | {"passed": True}).encode(),
    b"[" * 100_000 + b"]" * 100_000,  # RecursionError in Python's json
    b'{"type": "work.inspection_recorded", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"type": "work.inspection_recorded", "passed": ' + b"9" * 5000 + b"}",  # ValueError: more than 4,300 digits
    b'{"a": ' + b"9" * 5000 + b"}",
    b'{"\xff\xfe": 1}',  # UnicodeDecodeError
    b"\xef\xbb\xbf{}",  # a byte-order mark
    b'{"type": "work.inspection_recorded", "key": "\\ud800"}',  # a lone surrogate
    b"null", b"1", b'"work.inspection_recorded"', b"[]", b"", b" ", b"NaN", b"{" , b"\x00" * 64,
    b'{"1": 2, "type": "work.inspection_recorded"}',
    json.dumps(LOT).encode().replace(b"{", b'{"type": "lot.created", ', 1),  # a duplicated key
]


def assert_event_or_reason(raw: bytes) -> None:
    try:
        event = decode(raw)
    except BadEvent as exc:
        assert exc.reason.strip(), raw[:100]
    else:
        assert isinstance(event, Event)
    for topic in (None, "mf.work.v1"):
        decoded = decode_record(raw, topic)
        assert isinstance(decoded, Event) or (isinstance(decoded, Malformed) and decoded.reason and
                                              decoded.raw == raw)


@pytest.mark.parametrize("raw", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_records_get_a_reason(raw: bytes) -> None:
    assert_event_or_reason(raw)
    assert isinstance(decode_record(raw, "mf.work.v1"), Malformed)


def test_the_issue_s_schema_version_x_names_the_field() -> None:
    with pytest.raises(BadEvent, match="work.inspection_recorded: schema_version: must be a positive integer, got 'x'"):
        decode(json.dumps(INSPECTION | {"schema_version": "x"}).encode())


def test_an_event_read_on_a_topic_it_does_not_belong_to_is_malformed_there() -> None:
    raw = json.dumps(LOT).encode()
    assert isinstance(decode_record(raw, "mf.lots.v1"), Event)
    wrong = decode_record(raw, "mf.work.v1")
    assert isinstance(wrong, Malformed) and wrong.reason == "lot.created belongs on mf.lots.v1, not on mf.work.v1"


def test_a_record_without_a_value_is_malformed() -> None:
    assert decode_record(None, "mf.work.v1") == Malformed(raw=b"", reason="empty record (no value)")


FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_decode_to_an_event_or_a_reason(raw: bytes) -> None:
    assert_event_or_reason(raw)


@FUZZ
@given(json_values)
def test_random_json_decodes_to_an_event_or_a_reason(value: Any) -> None:
    assert_event_or_reason(json.dumps(value).encode())


@FUZZ
@given(mutated_events())
def test_mutated_events_decode_to_an_event_or_a_reason(raw: bytes) -> None:
    assert_event_or_reason(raw)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 20_000), st.sampled_from(["[", '{"a":', '{"type":']))
def test_nesting_of_any_depth_decodes_to_an_event_or_a_reason(depth: int, opener: str) -> None:
    assert_event_or_reason((opener * depth).encode())
