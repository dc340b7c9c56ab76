"""An EarningsPosted's postings (typed dicts, not models: schemas.events.pay.EarningPosting) are held to what an
event's fields are: exact types, no unknown key, at least one entry key; a good one survives the wire unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from schemas.catalogue import decode
from schemas.envelope import BadEvent, encode
from schemas.events.pay import EarningsPosted

POSTING = {"inspection_id": "i1", "resident_id": "r1", "entry_keys": ["i1:piece_pay"], "amount_fen": 100,
           "period_id": "2026-11-A"}


def posted(**posting: Any) -> dict[str, Any]:
    return {"event_id": str(uuid4()), "type": "ledger.earnings_posted", "schema_version": 1,
            "occurred_at": "2026-11-23T08:00:00Z", "key": "comm-001", "producer": "test",
            "postings": [POSTING | posting]}


def test_a_posting_survives_the_wire_and_reads_by_key() -> None:
    event = EarningsPosted.model_validate({**posted(), "event_id": uuid4(),
                                           "occurred_at": datetime(2026, 11, 23, 8, tzinfo=UTC)})
    again = decode(encode(event))
    assert again == event and again.postings[0]["amount_fen"] == 100  # type: ignore[attr-defined]
    assert json.loads(encode(event))["postings"] == [POSTING]


@pytest.mark.parametrize(("change", "field"), [
    ({"amount_fen": "100"}, "amount_fen"), ({"amount_fen": True}, "amount_fen"), ({"amount_fen": 1.0}, "amount_fen"),
    ({"entry_keys": []}, "entry_keys"), ({"resident_id": 7}, "resident_id"), ({"bonus_fen": 5}, "bonus_fen"),
])
def test_a_posting_is_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(BadEvent, match=f"postings.0.{field}"):
        decode(json.dumps(posted(**change)).encode())
    with pytest.raises(ValidationError, match=field):  # built in Python too, as the earnings consumer builds it
        EarningsPosted.model_validate({**posted(**change), "event_id": uuid4(),
                                       "occurred_at": datetime(2026, 11, 23, 8, tzinfo=UTC)})
