"""Domain value objects: built by keyword, equal and hashable by value, no per-instance dict."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.pay.model import InspectionFact
from domain.values import value_object


@value_object
class Piecework:
    lot_id: str
    pieces: int = 0


def test_a_value_object_is_built_by_keyword_and_compares_by_value() -> None:
    assert Piecework(lot_id="lot-1", pieces=3) == Piecework(lot_id="lot-1", pieces=3) != Piecework(lot_id="lot-2")
    assert len({Piecework(lot_id="lot-1"), Piecework(lot_id="lot-1", pieces=0)}) == 1
    with pytest.raises(TypeError):
        Piecework("lot-1")  # type: ignore[misc]
    assert not hasattr(Piecework(lot_id="lot-1"), "__dict__")  # slotted: no stray attributes


def test_the_pay_domain_facts_are_value_objects_that_still_check_their_fields() -> None:
    fact = dict(inspection_id="ins-1", lot_id="lot-1", order_id="ord-1", enterprise_id="ent-1",
                resident_id="res-1", community_id="comm-001", passed=3, rejected=0, piece_rate_centifen=5000,
                inspected_at=datetime(2026, 11, 3, tzinfo=UTC))
    assert hash(InspectionFact(**fact)) == hash(InspectionFact(**fact))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="passed"):
        InspectionFact(**fact | {"passed": -1})  # type: ignore[arg-type]
