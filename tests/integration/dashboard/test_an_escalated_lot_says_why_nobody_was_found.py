"""需人工处理 on the coordinator's board says why the matcher could not place each lot, in Chinese, in the words its
notification uses (usecases.notify.ESCALATION_ZH); a trial found the 状态 column only repeating '需人工处理'."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from bench.dashboard_world import COORD1, ENT1
from bench.dashboard_world import _post as post_order  # posted and split into lots, as the world's own orders
from domain.lifecycle import lot as lot_life
from domain.matching import rules
from store.db import transaction
from store.tables import Lot


def test_each_escalated_lot_names_its_reason_in_chinese(world: Any, open_page: Any) -> None:
    post_order(world, ENT1, "ent-01", ["comm-001"], quantity=180)
    with transaction(world.engine) as s:
        waiting = s.exec(select(Lot).where(Lot.community_id == "comm-001", Lot.status == lot_life.LotStatus.OPEN)
                         .order_by(col(Lot.lot_no))).all()
        assert len(waiting) >= 2, "the world has open lots in comm-001"
        codes = {}
        for lot, reason in zip(waiting, (rules.BUSY, rules.NO_SKILL), strict=False):
            lot.status, lot.escalation = lot_life.escalate(lot.status), reason  # as the matcher does
            s.add(lot)
            codes[str(lot.short_code)] = reason
    at = open_page("views/coordinator.py", COORD1)
    assert not at.exception
    [frame] = at.main.get_by_key("wide-escalated").dataframe
    status = dict(zip(frame.value["批次"], frame.value["状态"], strict=True))
    assert status == {code: {rules.BUSY: "需人工处理：合适的居民手上批次已满",
                             rules.NO_SKILL: "需人工处理：没有具备所需技能和等级的居民"}[reason]
                      for code, reason in codes.items()}
