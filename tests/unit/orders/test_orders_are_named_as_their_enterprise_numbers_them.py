"""An order is named by its enterprise's own number when it gave one, else product-day-number, where only the
minted ones are numbered (attacker, 2026-12-01: an own PO number took -03, so the minted ones read -01, -02, -04)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from usecases.queries.names import order_labels


@dataclass(frozen=True)
class Posted:
    id: str
    product_code: str


def test_own_numbers_are_kept_and_minted_ones_are_numbered_without_gaps() -> None:
    morning = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    orders = [Posted("ord-a", "P"), Posted("PO-2026-118", "P"), Posted("ord-b", "P"), Posted("ord-c", "Q")]
    posted = {o.id: morning + timedelta(minutes=i) for i, o in enumerate(orders)}
    assert order_labels(orders, posted, {"P": "串珠", "Q": "网兜"}) == {
        "ord-a": "串珠-1201-01", "PO-2026-118": "PO-2026-118", "ord-b": "串珠-1201-02", "ord-c": "网兜-1201-01"}


def test_the_day_is_beijing_s_so_a_minute_past_its_midnight_starts_again_at_01() -> None:
    orders = [Posted("ord-a", "P"), Posted("ord-b", "P")]
    posted = {"ord-a": datetime(2026, 11, 30, 15, 59, tzinfo=UTC), "ord-b": datetime(2026, 11, 30, 16, 1, tzinfo=UTC)}
    assert order_labels(orders, posted, {"P": "串珠"}) == {"ord-a": "串珠-1130-01", "ord-b": "串珠-1201-01"}
