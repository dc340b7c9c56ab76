"""待派批次 lists the lots waiting for the matcher and 需人工处理 those it could not place: never the same lot twice
(a fresh user found every escalated lot under both headings)."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from bench.dashboard_pages import metrics
from bench.dashboard_world import COORD1, ENT1
from bench.dashboard_world import _post as post_order  # posted and split into lots, as the world's own orders
from domain.lifecycle import lot as lot_life
from store.db import reading, transaction
from store.tables import Lot


def listed(at: Any, table: str) -> list[str]:
    """The lots (short codes) in one of the board's lists: the table the page draws for it (its container's key)."""
    frames = at.main.get_by_key(f"wide-{table}").dataframe
    return frames[0].value["批次"].tolist() if len(frames) else []


def test_an_escalated_lot_is_listed_under_needs_a_person_only(world, open_page) -> None:
    post_order(world, ENT1, "ent-01", ["comm-001"], quantity=180)  # lots for the matcher, none matched yet
    with transaction(world.engine) as s:
        waiting = s.exec(select(Lot).where(Lot.community_id == "comm-001", Lot.status == lot_life.LotStatus.OPEN)
                         .order_by(col(Lot.lot_no))).all()
        assert len(waiting) >= 2, "the world has open lots in comm-001"
        stuck = waiting[0]
        stuck.status, stuck.escalation = lot_life.escalate(stuck.status), "no_candidate"  # as the matcher does
        s.add(stuck)
        stuck_code = str(stuck.short_code)
    with reading(world.engine) as s:
        still_open = [str(lot.short_code) for lot in s.exec(select(Lot).where(
            Lot.community_id == "comm-001", Lot.status == lot_life.LotStatus.OPEN))]
    at = open_page("views/coordinator.py", COORD1)
    assert not at.exception
    shown = metrics(at)
    assert shown["待派批次"] == str(len(still_open)) and shown["需人工处理"] == "1"
    assert listed(at, "escalated") == [stuck_code]
    assert sorted(listed(at, "open")) == sorted(still_open) and stuck_code not in listed(at, "open")
