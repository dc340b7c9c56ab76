"""Bad input never reaches the ledger: floats, negatives and naive times are refused naming the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from domain.pay import EntryDraft, InspectionFact, PayInputError

FactBuilder = Callable[..., InspectionFact]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("passed", -1, ">= 0"),
        ("passed", 1.0, "integer"),
        ("piece_rate_centifen", 0.5, "integer"),
        ("piece_rate_centifen", True, "integer"),
        ("rejected", -3, ">= 0"),
        ("bonus_min_pass_rate", 0.95, "Fraction"),
        ("inspected_at", datetime(2026, 11, 1), "timezone-aware"),
        ("resident_id", "", "non-empty"),
        ("corrects_inspection_id", "insp-1", "itself"),
    ],
)
def test_an_invalid_inspection_names_the_field_and_the_reason(
    field: str, value: Any, reason: str, fact: FactBuilder
) -> None:
    with pytest.raises(PayInputError, match=reason) as refused:
        fact(**{field: value})
    assert refused.value.field == field


def test_a_draft_whose_amount_is_not_pieces_times_rate_cannot_exist() -> None:
    with pytest.raises(PayInputError, match="pieces × rate_centifen"):
        EntryDraft(
            entry_kind="piece_pay",
            resident_id="res-1",
            order_id="order-1",
            enterprise_id="ent-1",
            community_id="com-1",
            lot_id="lot-1",
            inspection_id="insp-1",
            pieces=3,
            rate_centifen=5000,  # 3 × 50 fen = 150 fen exactly: 151 is a fen too many
            amount_fen=151,
            period_id="2026-11-A",
            reverses_entry_key=None,
            entry_key="insp-1:piece_pay",
            memo="",
        )
