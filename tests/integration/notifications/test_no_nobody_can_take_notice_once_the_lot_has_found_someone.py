"""Issue 14 fault 4a: "nobody can take lot X" reaches the coordinator only while X still waits for someone.

The notifier consumes apart from the matcher, so it may read an escalation after the lot was dispatched by
hand or offered in a later matching batch: such a stale escalation sends nothing.
"""

from __future__ import annotations

import pytest
from lots_world import LotsWorld, coordinator_of

from schemas import commands as c
from usecases import offers as offer_uc
from usecases import registry
from usecases.actors import SYSTEM
from usecases.inline import pump
from usecases.routing import HANDLERS

NOBODY = "暂时无人可接"


def _escalated_before_the_notifier_hears(world: LotsWorld, monkeypatch: pytest.MonkeyPatch, cid: str) -> str:
    """A lot nobody can take yet, escalated by the matcher while the notifier lags behind."""
    world.crew(cid, n=2, availability=[])  # skilled, but no hours: nobody can finish in time
    order_id = world.order(cid)
    with monkeypatch.context() as lagging:
        lagging.delitem(HANDLERS, "notifier")
        world.pump()
    [lot] = world.lots(order_id)
    assert lot.status == "escalated" and world.inbox(f"coordinator:{cid}") == []
    return lot.id


def _notifier_catches_up(world: LotsWorld) -> None:
    pump(world.engine, world.settings)  # from the first event: each consumer applies each event once


def test_a_lot_dispatched_by_hand_before_the_notice_went_out_sends_no_notice(
        world: LotsWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    lot_id = _escalated_before_the_notifier_hears(world, monkeypatch, "n4a")
    world.run(offer_uc.dispatch_lot, lot_id, c.DispatchLot(
        resident_id="n4a-0", override_rules=["time"], override_reason="她答应周末赶工"), actor=coordinator_of("n4a"))
    _notifier_catches_up(world)
    assert not any(world.code(lot_id) in text and NOBODY in text for text in world.inbox("coordinator:n4a"))
    assert any(world.code(lot_id) in text for text in world.inbox("resident:n4a-0")), "the offer itself is announced"


def test_a_lot_matched_in_a_later_batch_before_the_notice_went_out_sends_no_notice(
        world: LotsWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    lot_id = _escalated_before_the_notifier_hears(world, monkeypatch, "n4b")
    with monkeypatch.context() as lagging:
        lagging.delitem(HANDLERS, "notifier")
        world.run(registry.update_availability, "n4b-1", c.UpdateAvailability(availability=[(0, 0, 1440),
                  (1, 0, 1440), (2, 0, 1440), (3, 0, 1440), (4, 0, 1440), (5, 0, 1440), (6, 0, 1440)]), actor=SYSTEM)
        world.pump()  # the matcher's next batch offers the lot to n4b-1
    [offer] = world.offers(lot_id=lot_id)
    assert offer.resident_id == "n4b-1"
    _notifier_catches_up(world)
    assert not any(world.code(lot_id) in text and NOBODY in text for text in world.inbox("coordinator:n4b"))


def test_a_lot_that_still_waits_is_announced_to_its_coordinator(world: LotsWorld,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    lot_id = _escalated_before_the_notifier_hears(world, monkeypatch, "n4c")
    _notifier_catches_up(world)
    [notice] = [text for text in world.inbox("coordinator:n4c") if world.code(lot_id) in text]
    assert NOBODY in notice and "没有人能在交期前完成" in notice
