"""Splitting an order into lots (批次), the unit that is matched, issued and inspected."""

from __future__ import annotations

from dataclasses import dataclass

from domain.orders.validation import ProductSpec


@dataclass(frozen=True)
class LotSizePolicy:
    """How big lots of one product should be: `target` pieces, never a tail below `minimum`."""

    target: int
    minimum: int

    def __post_init__(self) -> None:
        if not 1 <= self.minimum <= self.target:
            raise ValueError(f"need 1 <= minimum <= target, got minimum={self.minimum}, target={self.target}")

    @property
    def maximum(self) -> int:
        """The largest lot: a target lot that absorbed a tail just below the minimum."""
        return self.target + self.minimum - 1

    @classmethod
    def for_product(cls, product: ProductSpec) -> LotSizePolicy:
        """The policy an enterprise set up with the product."""
        return cls(target=product.lot_size, minimum=product.min_lot_size)


@dataclass(frozen=True)
class LotPlan:
    """One planned lot: its number within the order, its stable id and its size."""

    lot_no: int
    lot_id: str
    pieces: int


def lot_id_for(order_id: str, lot_no: int) -> str:
    """Deterministic lot id, so replaying the split yields the same lots."""
    return f"{order_id}-L{lot_no:03d}"


def split_into_lots(*, order_id: str, quantity: int, policy: LotSizePolicy) -> list[LotPlan]:
    """Target-size lots; a tail smaller than the minimum is merged into the last lot."""
    if quantity <= 0:
        raise ValueError(f"quantity must be positive, got {quantity}")
    full, tail = divmod(quantity, policy.target)
    sizes = [policy.target] * full
    if tail >= policy.minimum or not sizes:
        sizes.append(tail)
    elif tail:
        sizes[-1] += tail
    return [
        LotPlan(lot_no=n, lot_id=lot_id_for(order_id, n), pieces=pieces)
        for n, pieces in enumerate(sizes, start=1)
    ]
