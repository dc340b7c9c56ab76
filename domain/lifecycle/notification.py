"""A message's delivery lifecycle on a push channel (WeCom group bot): pending until sent, or failed after
MAX_ATTEMPTS tries (the in-app inbox keeps every message whatever its push channel did)."""

from __future__ import annotations

from enum import StrEnum

from domain.lifecycle.machine import Machine

MAX_ATTEMPTS = 5


class DeliveryStatus(StrEnum):
    """Where a message's delivery stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


MACHINE = Machine("a message", DeliveryStatus, {"deliver": (DeliveryStatus.PENDING,)})


def after_attempt(current: str, *, delivered: bool, attempts: int) -> DeliveryStatus:
    """pending → sent when delivered; → failed after MAX_ATTEMPTS failures; else still pending (tried again)."""
    MACHINE.check(current, "deliver")
    if delivered:
        return DeliveryStatus.SENT
    return DeliveryStatus.FAILED if attempts >= MAX_ATTEMPTS else DeliveryStatus.PENDING
