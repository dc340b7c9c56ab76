"""Pay periods close (paid at once when nothing is owed) and are settled once; a message is sent or fails."""

from __future__ import annotations

import pytest

from domain.lifecycle import notification, pay_period
from domain.lifecycle.machine import TransitionRefused


def test_a_period_with_nothing_owed_is_paid_when_it_closes_and_one_with_pay_owed_is_closed() -> None:
    assert pay_period.close(anything_owed=False) is pay_period.PayPeriodStatus.PAID
    assert pay_period.close(anything_owed=True) is pay_period.PayPeriodStatus.CLOSED


def test_a_closed_period_is_settled_once_and_a_paid_one_cannot_be_settled_again() -> None:
    assert pay_period.settle("closed") is pay_period.PayPeriodStatus.PAID
    assert pay_period.is_settled("paid") and not pay_period.is_settled("closed")
    with pytest.raises(TransitionRefused, match="cannot settle a pay period that is paid"):
        pay_period.settle("paid")


def test_a_message_is_sent_retried_or_failed_after_the_last_attempt() -> None:
    last = notification.MAX_ATTEMPTS
    assert notification.after_attempt("pending", delivered=True, attempts=1) is notification.DeliveryStatus.SENT
    assert notification.after_attempt("pending", delivered=False, attempts=last - 1) == "pending"
    assert notification.after_attempt("pending", delivered=False, attempts=last) == "failed"
    for final in ("sent", "failed"):
        with pytest.raises(TransitionRefused, match="allowed from"):
            notification.after_attempt(final, delivered=True, attempts=1)
