"""Adjustments (调整) carry a reason and a signed amount in fen; frozen pay is corrected by two people (issue 16)."""

from __future__ import annotations

import pytest

from domain.lifecycle import TransitionRefused
from domain.lifecycle.correction import CorrectionStatus, decide, needs_second_approval
from domain.pay import EntryDraft, PayInputError, Recovery, period_balance, recovery
from domain.pay.adjustments import adjustment_draft


def draft(kind: str, amount_fen: int, reason: str | None = "协助清点物料") -> EntryDraft:
    return adjustment_draft(adjustment_id="adj-1", kind=kind, amount_fen=amount_fen, reason=reason,  # type: ignore[arg-type]
                            resident_id="r1", community_id="comm-001", period_id="2026-11-B")


def test_a_bonus_is_paid_and_a_recovery_is_a_debt_the_cap_limits() -> None:
    bonus, taken = draft("bonus", 500), draft("recovery", 2000, "损坏工具赔偿")
    assert (bonus.amount_fen, bonus.memo) == (500, "奖励：协助清点物料")
    assert (taken.amount_fen, taken.memo) == (-2000, "扣回：损坏工具赔偿")
    balance = period_balance([bonus, taken])
    assert (balance.gross_fen, balance.debt_fen) == (500, 2000)
    # 20% of ¥5.00 is ¥1.00 (工资支付暂行规定 art. 16); ¥19.00 goes on to the next period.
    assert recovery(debt_fen=2000, gross_fen=500) == Recovery(recovered_fen=100, carried_on_fen=1900)


@pytest.mark.parametrize("reason", [None, "", "  ", "好"])
def test_an_adjustment_without_a_reason_is_refused_naming_the_field_in_chinese(reason: str | None) -> None:
    with pytest.raises(PayInputError) as refused:
        draft("bonus", 500, reason)
    assert refused.value.field == "reason" and "原因" in refused.value.reason


@pytest.mark.parametrize(("amount", "field"), [(0, "amount_fen"), (-5, "amount_fen"), (10_000_001, "amount_fen")])
def test_an_adjustment_amount_is_positive_whole_fen(amount: int, field: str) -> None:
    with pytest.raises(PayInputError) as refused:
        draft("bonus", amount)
    assert refused.value.field == field


def test_nobody_decides_their_own_correction_and_a_decided_one_stays_decided() -> None:
    with pytest.raises(TransitionRefused) as own:
        decide("pending", "approve", requested_by="coord1", decided_by="coord1")
    assert "另一位社区工作者" in str(own.value)
    assert decide("pending", "approve", requested_by="coord1", decided_by="coord1b") is CorrectionStatus.APPROVED
    assert decide("pending", "reject", requested_by="coord1", decided_by="coord1b") is CorrectionStatus.REJECTED
    with pytest.raises(TransitionRefused):
        decide("approved", "reject", requested_by="coord1", decided_by="coord1b")


def test_frozen_pay_is_a_closed_period_or_an_automatic_acceptance() -> None:
    assert needs_second_approval(period_closed=True, automatic=False) == "closed_period"
    assert needs_second_approval(period_closed=False, automatic=True) == "automatic"
    assert needs_second_approval(period_closed=False, automatic=False) is None
