"""After a payout the resident's slip on her phone says 已发放 ¥X（日期，方式，参考号）, not only '本期已结算': a trial
found only the Excel 概要 sheet said it was paid."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import func, select

from bench.dashboard_world import COORD1, World, actor
from schemas import commands as c
from store.db import reading, transaction
from store.outbox import record_events
from store.tables import LedgerEntry, PayPeriod
from usecases import pay as uc_pay
from usecases.context import Context

REFERENCE = "YH20261201-0001"
PAID_AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 on 1 December in Shanghai


def test_the_phone_slip_says_how_much_was_paid_when_how_and_under_which_reference(world: World, open_page) -> None:
    with reading(world.engine) as s:
        period_id, owed = s.exec(select(LedgerEntry.period_id, func.sum(LedgerEntry.amount_fen))
                                 .where(LedgerEntry.resident_id == world.worker)
                                 .group_by(LedgerEntry.period_id)).one()
    assert owed > 0
    with transaction(world.engine) as s:  # closed as the coordinator's 结算 leaves it, then paid through the use case
        s.add(PayPeriod(community_id="comm-001", period_id=period_id, total_fen=owed, status="closed",
                        closed_at=PAID_AT, closed_by="coord1"))
    her = actor(world.worker, "resident", resident_id=world.worker, community_ids=frozenset({"comm-001"}))
    before = open_page("views/resident.py", her)
    assert not before.exception and not [x.value for x in before.success if "已发放" in x.value]
    with transaction(world.engine) as s:
        _, events = uc_pay.record_payout(s, c.RecordPayout(resident_id=world.worker, period_id=period_id,
                                                           amount_fen=int(owed), method="bank", reference=REFERENCE),
                                         actor=COORD1, ctx=Context(now=PAID_AT, settings=world.settings,
                                                                   producer="test"))
        record_events(s, events)
    at = open_page("views/resident.py", her)
    assert not at.exception
    yuan = f"¥{int(owed) // 100:,}.{int(owed) % 100:02d}"
    paid = [x.value for x in at.success if "已发放" in x.value]
    assert paid == [f"已发放 {yuan}（2026-12-01，银行转账，{REFERENCE}）"]
    assert "本期已结算" in [x.value for x in at.caption]
