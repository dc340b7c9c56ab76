"""The shop's rule: a redemption takes what is in stock and what the balance covers, or is refused naming why."""

from __future__ import annotations

import pytest

from domain.points import ShopRefusal, check_redemption


def test_a_redemption_costs_price_times_quantity() -> None:
    assert check_redemption(balance=30, stock=5, price_points=10, quantity=3) == 30


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"balance": 100, "stock": 0, "price_points": 10, "quantity": 1}, "quantity", "库存不足"),
    ({"balance": 9, "stock": 5, "price_points": 10, "quantity": 1}, "points", "积分不足"),
    ({"balance": 100, "stock": 5, "price_points": 10, "quantity": 1, "active": False}, "item_id", "下架"),
    ({"balance": 100, "stock": 5, "price_points": 10, "quantity": 0}, "quantity", "大于 0"),
])
def test_a_refusal_names_the_field_and_the_reason_in_chinese_first(kwargs: dict[str, int], field: str,
                                                                   words: str) -> None:
    with pytest.raises(ShopRefusal) as refused:
        check_redemption(**kwargs)  # type: ignore[arg-type]
    reason = refused.value.reason
    assert refused.value.field == field and words in reason and "\u4e00" <= reason[0] <= "\u9fff"
