"""Every status a lot or an order can be in (domain/lifecycle) has a label in Chinese and English."""

from __future__ import annotations

from dashboard.i18n import STRINGS
from domain.lifecycle.lot import LotStatus
from domain.lifecycle.order import OrderStatus


def test_every_lot_and_order_status_has_a_label() -> None:
    missing = [s for s in (*LotStatus, *OrderStatus) if f"status.{s}" not in STRINGS]
    assert missing == []
