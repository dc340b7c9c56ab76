"""Splitting an order: lots add up to the quantity, stay within size bounds, and never change."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.orders.splitting import LotPlan, LotSizePolicy, split_into_lots
from domain.orders.validation import ProductSpec

POLICY = LotSizePolicy(target=100, minimum=30)


def sizes(quantity: int, policy: LotSizePolicy = POLICY) -> list[int]:
    return [lot.pieces for lot in split_into_lots(order_id="O-1", quantity=quantity, policy=policy)]


def test_a_tail_at_or_above_the_minimum_becomes_its_own_lot() -> None:
    assert sizes(250) == [100, 100, 50]
    assert sizes(230) == [100, 100, 30]


def test_a_tail_below_the_minimum_is_merged_into_the_last_lot() -> None:
    assert sizes(229) == [100, 129]


def test_an_exact_multiple_has_no_tail() -> None:
    assert sizes(300) == [100, 100, 100]


def test_an_order_smaller_than_the_minimum_is_one_lot() -> None:
    assert sizes(7) == [7]


def test_lot_ids_are_numbered_from_the_order_id() -> None:
    lots = split_into_lots(order_id="PO-7", quantity=250, policy=POLICY)
    assert lots[0] == LotPlan(lot_no=1, lot_id="PO-7-L001", pieces=100)
    assert [lot.lot_id for lot in lots] == ["PO-7-L001", "PO-7-L002", "PO-7-L003"]


def test_policy_comes_from_the_product() -> None:
    spec = ProductSpec("P", "串珠", "beading", 1.5, (), lot_size=80, min_lot_size=20)
    assert LotSizePolicy.for_product(spec) == LotSizePolicy(target=80, minimum=20)


@pytest.mark.parametrize(("target", "minimum"), [(10, 0), (10, 11), (0, 0)])
def test_policy_refuses_inconsistent_sizes(target: int, minimum: int) -> None:
    with pytest.raises(ValueError):
        LotSizePolicy(target=target, minimum=minimum)


def test_refuses_a_non_positive_quantity() -> None:
    with pytest.raises(ValueError):
        split_into_lots(order_id="O-1", quantity=0, policy=POLICY)


policies = st.integers(1, 500).flatmap(
    lambda target: st.builds(LotSizePolicy, target=st.just(target), minimum=st.integers(1, target))
)


@settings(deadline=None)  # target-1 policies make thousands of lots; size, not speed, is tested
@given(quantity=st.integers(1, 20_000), policy=policies)
def test_lots_sum_to_the_quantity_and_stay_within_bounds(quantity: int, policy: LotSizePolicy) -> None:
    lots = split_into_lots(order_id="O-9", quantity=quantity, policy=policy)
    assert sum(lot.pieces for lot in lots) == quantity
    assert [lot.lot_no for lot in lots] == list(range(1, len(lots) + 1))
    if quantity < policy.minimum:
        assert len(lots) == 1
    else:
        assert all(policy.minimum <= lot.pieces <= policy.maximum for lot in lots)


@settings(deadline=None)
@given(quantity=st.integers(1, 5_000), policy=policies)
def test_splitting_is_deterministic(quantity: int, policy: LotSizePolicy) -> None:
    first = split_into_lots(order_id="O-9", quantity=quantity, policy=policy)
    assert split_into_lots(order_id="O-9", quantity=quantity, policy=policy) == first
    assert len({lot.lot_id for lot in first}) == len(first)
