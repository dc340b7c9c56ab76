"""A pay period's lifecycle (计薪周期): open until a coordinator closes it, then paid once every slip is paid.

An open period has no row of its own (its ledger lines carry its id); closing writes the row, frozen from
then on: later corrections post to the next open period (domain/pay/periods).
"""

from __future__ import annotations

from enum import StrEnum

from domain.lifecycle.machine import Machine


class PayPeriodStatus(StrEnum):
    """Where a closed pay period stands."""

    CLOSED = "closed"
    PAID = "paid"


MACHINE = Machine("a pay period", PayPeriodStatus, {"settle": (PayPeriodStatus.CLOSED,)})


def close(*, anything_owed: bool) -> PayPeriodStatus:
    """The status a period gets when it closes: paid at once when nobody is owed anything, else closed."""
    return PayPeriodStatus.CLOSED if anything_owed else PayPeriodStatus.PAID


def settle(current: str) -> PayPeriodStatus:
    """closed → paid, once every resident's slip for the period has been paid out in full."""
    return MACHINE.move(current, "settle", PayPeriodStatus.PAID)


def is_settled(current: str) -> bool:
    """True when every slip of the period has been paid (the 15-day alarm no longer applies)."""
    return PayPeriodStatus(current) is PayPeriodStatus.PAID
