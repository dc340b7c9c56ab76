"""The notifier acts on the ledger topic: a payout tells the resident, an appeal filed tells the coordinator, an
appeal decided tells the resident the outcome; earnings posted are for payroll outside and tell nobody here."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from schemas.events.pay import AppealDecided, AppealFiled, EarningPosting, EarningsPosted, PayoutRecorded
from usecases.notify import messages

ENVELOPE = {"occurred_at": datetime(2026, 11, 16, 2, 0, tzinfo=UTC), "key": "comm-001", "producer": "test"}


def test_pay_and_appeals_are_told_to_whom_they_concern() -> None:
    payout = PayoutRecorded(event_id=uuid4(), **ENVELOPE, payout_id="p1", resident_id="r1", period_id="2026-11-A",
                            amount_fen=12345, method="wechat", reference="WX-1", actor="coord1")
    filed = AppealFiled(event_id=uuid4(), **ENVELOPE, appeal_id="a1", inspection_id="i1", resident_id="r1",
                        reason="线头不算次品", actor="r1")
    decided = AppealDecided(event_id=uuid4(), **ENVELOPE, appeal_id="a1", inspection_id="i1", resident_id="r1",
                            decision="upheld", reason="复核合格", actor="coord1")
    assert messages(payout, wecom=False) == [
        ("inbox", "resident:r1", "工资已发放：¥123.45（2026年11月上半月，微信，凭证 WX-1）。")]
    [(_, coordinator, text)] = messages(filed, wecom=False)
    assert coordinator == "coordinator:comm-001" and "线头不算次品" in text
    [(_, resident, text)] = messages(decided, wecom=False)
    assert resident == "resident:r1" and "已支持" in text and "复核合格" in text


def test_earnings_posted_tell_nobody_here() -> None:
    posted = EarningsPosted(event_id=uuid4(), **ENVELOPE, postings=[EarningPosting(
        inspection_id="i1", resident_id="r1", entry_keys=["i1:piece_pay"], amount_fen=100, period_id="2026-11-A")])
    assert messages(posted, wecom=False) == []


def test_a_payout_notice_names_the_period_and_method_as_her_slip_does() -> None:
    """Not the ids machines key on ('2026-W47', 'bank'): the words her slip's 已发放 line uses."""
    weekly = PayoutRecorded(event_id=uuid4(), **ENVELOPE, payout_id="p2", resident_id="r2", period_id="2026-W47",
                            amount_fen=5000, method="bank", reference="BANK-20261123-001", actor="coord1")
    [(_, _, text)] = messages(weekly, wecom=False)
    assert text == "工资已发放：¥50.00（2026年第47周，银行转账，凭证 BANK-20261123-001）。"
