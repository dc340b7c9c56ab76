"""Order and lot status machines: the normal path works, anything else is refused with a reason."""

import pytest

from domain.orders.lifecycle import (
    LOT_TRANSITIONS,
    InvalidTransition,
    LotEvent,
    LotStatus,
    OrderEvent,
    OrderStatus,
    allowed_events,
    is_final,
    next_status,
)


def test_an_order_runs_from_open_to_fulfilled() -> None:
    status = next_status(OrderStatus.OPEN, OrderEvent.LOT_ACCEPTED)
    status = next_status(status, OrderEvent.LOT_ACCEPTED)
    assert next_status(status, OrderEvent.ALL_LOTS_DONE) is OrderStatus.FULFILLED


def test_an_order_nobody_took_expires() -> None:
    assert next_status(OrderStatus.OPEN, "due_passed") is OrderStatus.EXPIRED


@pytest.mark.parametrize("final", [OrderStatus.FULFILLED, OrderStatus.CANCELLED, OrderStatus.EXPIRED])
def test_a_finished_order_accepts_nothing(final: OrderStatus) -> None:
    assert is_final(final)
    with pytest.raises(InvalidTransition, match="final status"):
        next_status(final, OrderEvent.CANCELLED)


def test_an_open_order_cannot_be_fulfilled_without_work() -> None:
    with pytest.raises(InvalidTransition) as refused:
        next_status(OrderStatus.OPEN, OrderEvent.ALL_LOTS_DONE)
    assert str(refused.value) == (
        "cannot apply 'all_lots_done' to an order that is 'open'; "
        "allowed: lot_accepted, cancelled, due_passed"
    )


def test_a_lot_runs_the_whole_path_with_partial_submissions() -> None:
    path = [
        (LotEvent.OFFERED, LotStatus.OFFERED),
        (LotEvent.ACCEPTED, LotStatus.ACCEPTED),
        (LotEvent.MATERIALS_ISSUED, LotStatus.ISSUED),
        (LotEvent.OUTPUT_SUBMITTED, LotStatus.SUBMITTED),
        (LotEvent.INSPECTION_RECORDED, LotStatus.INSPECTED),
        (LotEvent.OUTPUT_SUBMITTED, LotStatus.SUBMITTED),
        (LotEvent.INSPECTION_RECORDED, LotStatus.INSPECTED),
        (LotEvent.COMPLETED, LotStatus.DONE),
    ]
    status = LotStatus.OPEN
    for event, expected in path:
        status = next_status(status, event)
        assert status is expected
    assert is_final(status)


@pytest.mark.parametrize("event", [LotEvent.DECLINED, LotEvent.OFFER_EXPIRED])
def test_a_declined_or_lapsed_offer_returns_the_lot_to_the_pool(event: LotEvent) -> None:
    assert next_status(LotStatus.OFFERED, event) is LotStatus.OPEN


def test_a_coordinator_can_withdraw_and_reopen_an_issued_lot() -> None:
    withdrawn = next_status(LotStatus.ISSUED, LotEvent.WITHDRAWN)
    assert next_status(withdrawn, LotEvent.REOPENED) is LotStatus.OPEN


def test_an_escalated_lot_resumes_as_issued() -> None:
    escalated = next_status(LotStatus.SUBMITTED, LotEvent.ESCALATED)
    assert next_status(escalated, LotEvent.RESUMED) is LotStatus.ISSUED


@pytest.mark.parametrize("status", [LotStatus.SUBMITTED, LotStatus.INSPECTED])
def test_a_lot_with_output_awaiting_payment_cannot_be_cancelled(status: LotStatus) -> None:
    with pytest.raises(InvalidTransition):
        next_status(status, LotEvent.CANCELLED)


def test_a_lot_cannot_skip_acceptance() -> None:
    with pytest.raises(InvalidTransition, match="allowed: accepted, declined"):
        next_status(LotStatus.OFFERED, LotEvent.MATERIALS_ISSUED)


def test_unknown_event_names_are_refused_not_crashed() -> None:
    with pytest.raises(InvalidTransition):
        next_status(LotStatus.OPEN, "teleported")


def test_every_lot_status_except_done_and_cancelled_can_move() -> None:
    stuck = {status for status in LotStatus if not allowed_events(status)}
    assert stuck == {LotStatus.DONE, LotStatus.CANCELLED}
    assert all(isinstance(target, LotStatus) for target in LOT_TRANSITIONS.values())
