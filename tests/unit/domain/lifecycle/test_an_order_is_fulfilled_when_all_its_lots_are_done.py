"""An order is fulfilled when every lot is done, goes back in progress if a correction reopens one, expires only
once its due date has passed, stays cancelled while lots in work finish, and stays expired unless every lot
(all in work when it expired) gets done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.lifecycle import TransitionRefused
from domain.lifecycle.order import OrderProgress, OrderStatus, expire, settle

DUE = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_all_lots_done_fulfils_and_a_reopened_lot_undoes_it() -> None:
    assert settle(OrderStatus.IN_PROGRESS, OrderProgress(lots=3, lots_done=2)) is OrderStatus.IN_PROGRESS
    assert settle(OrderStatus.IN_PROGRESS, OrderProgress(lots=3, lots_done=3)) is OrderStatus.FULFILLED
    assert settle(OrderStatus.FULFILLED, OrderProgress(lots=3, lots_done=2)) is OrderStatus.IN_PROGRESS


def test_a_cancelled_order_stays_cancelled_while_lots_in_work_finish() -> None:
    assert settle(OrderStatus.CANCELLED, OrderProgress(lots=2, lots_done=2)) is OrderStatus.CANCELLED


def test_an_expired_order_is_fulfilled_late_only_if_every_lot_gets_done() -> None:
    assert settle(OrderStatus.EXPIRED, OrderProgress(lots=2, lots_done=1)) is OrderStatus.EXPIRED
    assert settle(OrderStatus.EXPIRED, OrderProgress(lots=2, lots_done=2)) is OrderStatus.FULFILLED


def test_an_order_expires_only_once_due() -> None:
    with pytest.raises(TransitionRefused, match="not due until 2026-11-20"):
        expire(OrderStatus.IN_PROGRESS, due_at=DUE, now=DUE - timedelta(seconds=1))
    assert expire(OrderStatus.OPEN, due_at=DUE, now=DUE) is OrderStatus.EXPIRED


def test_an_order_with_no_lots_is_not_fulfilled() -> None:
    assert not OrderProgress(lots=0, lots_done=0).all_done
