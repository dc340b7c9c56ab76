"""An order is accepted only when every field makes sense; each problem names its field."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.orders.validation import FieldError, OrderDraft, ProductSpec, validate_order

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
BRACELET = ProductSpec(
    product_code="BEAD-BRACELET",
    name="串珠手链",
    skill="beading",
    standard_minutes_per_piece=1.5,
    defect_codes=("LOOSE", "WRONG_COLOUR"),
    lot_size=100,
    min_lot_size=30,
)
PRODUCTS = {BRACELET.product_code: BRACELET}
SITES = {"S-001": "C-001", "S-002": "C-001", "S-900": "C-009"}
GOOD = OrderDraft(
    enterprise_id="E-001",
    uscc="91350100M000100Y43",
    product_code="BEAD-BRACELET",
    quantity=600,
    piece_rate_centifen=3500,
    due_at=NOW + timedelta(days=7),
    eligible_community_ids=("C-001",),
    eligible_site_ids=("S-001",),
    take_home_allowed=True,
    min_level=1,
    training_required=False,
    pickup_site_id="S-001",
)


def validate(draft: OrderDraft, capacity: int | None = None) -> list[FieldError]:
    return validate_order(
        draft, now=NOW, known_products=PRODUCTS, sites=SITES, capacity_pieces_per_day=capacity
    )


def fields(errors: list[FieldError]) -> list[str]:
    return [e.field for e in errors]


def test_accepts_a_sound_order() -> None:
    assert validate(GOOD) == []
    assert validate(GOOD, capacity=200) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -5}, "quantity"),
        ({"piece_rate_centifen": 0}, "piece_rate_yuan"),
        ({"quality_bonus_fen_per_piece": -1}, "quality_bonus_fen_per_piece"),
        ({"uscc": "91350100M000100Y44"}, "uscc"),
        ({"product_code": "NOPE"}, "product_code"),
        ({"enterprise_id": " "}, "enterprise_id"),
        ({"min_level": 0}, "min_level"),
        ({"eligible_community_ids": ()}, "eligible_community_ids"),
        ({"due_at": NOW}, "due_at"),
        ({"due_at": datetime(2025, 7, 1, 18, 0)}, "due_at"),
    ],
)
def test_names_the_field_at_fault(change: dict[str, object], field: str) -> None:
    assert fields(validate(replace(GOOD, **change))) == [field]  # type: ignore[arg-type]


def test_reports_all_problems_at_once() -> None:
    bad = replace(GOOD, quantity=0, piece_rate_centifen=-1, uscc="X", product_code="NOPE")
    assert fields(validate(bad)) == ["uscc", "quantity", "piece_rate_yuan", "product_code"]


def test_uscc_reason_says_which_character_is_wrong() -> None:
    [error] = validate(replace(GOOD, uscc="91350100M000100Y44"))
    assert error.reason == "check character should be '3', got '4'"


def test_eligible_sites_must_belong_to_an_eligible_community() -> None:
    [error] = validate(replace(GOOD, eligible_site_ids=("S-001", "S-900")))
    assert error == FieldError(
        "eligible_site_ids", "site 'S-900' belongs to community 'C-009', which is not eligible"
    )


def test_unknown_sites_are_named() -> None:
    [error] = validate(replace(GOOD, pickup_site_id="S-404"))
    assert error == FieldError("pickup_site_id", "unknown site 'S-404'")


def test_take_home_work_needs_a_pickup_site() -> None:
    assert fields(validate(replace(GOOD, pickup_site_id=None))) == ["pickup_site_id"]
    assert validate(replace(GOOD, pickup_site_id=None, take_home_allowed=False)) == []


def test_refuses_a_due_date_a_single_smallest_lot_cannot_meet() -> None:
    # 30 pieces x 1.5 min = 45 min of work for one person, but only 30 min are left.
    [error] = validate(replace(GOOD, due_at=NOW + timedelta(minutes=30)))
    assert error.field == "due_at" and "30 pieces" in error.reason


def test_refuses_a_due_date_the_estimated_capacity_cannot_meet() -> None:
    # 600 pieces at 50 a day need 12 days; 7 are left.
    [error] = validate(GOOD, capacity=50)
    assert error.field == "due_at"
    assert "12.0 days" in error.reason and "7.0 days" in error.reason


def test_capacity_exactly_enough_is_enough() -> None:
    assert validate(replace(GOOD, quantity=700), capacity=100) == []


def test_zero_capacity_means_nobody_can_make_it() -> None:
    assert fields(validate(GOOD, capacity=0)) == ["due_at"]


def test_now_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError):
        validate_order(
            GOOD,
            now=NOW.replace(tzinfo=None),
            known_products=PRODUCTS,
            sites=SITES,
            capacity_pieces_per_day=None,
        )
