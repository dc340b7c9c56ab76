"""A declined or lapsed offer sends the lot back to matching, never to the same resident again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lots_world import LotsWorld

from domain.matching import rules
from usecases.notify import ESCALATION_ZH


def test_a_declined_then_expired_lot_is_offered_to_a_third_resident_then_escalated(world: LotsWorld) -> None:
    cid = "rm"
    world.crew(cid)
    order_id = world.order(cid, quantity=10)
    world.pump()
    [first] = world.offers(status="pending")

    world.answer(first, "decline")
    world.pump()
    [second] = world.offers(status="pending")
    assert second.lot_id == first.lot_id and second.resident_id != first.resident_id

    lapsed = world.expire(datetime.now(UTC) + timedelta(hours=3))  # past the 2-hour offer lifetime
    assert [e.offer_id for e in lapsed] == [second.id]  # type: ignore[attr-defined]
    world.pump()
    [third] = world.offers(status="pending")
    assert third.resident_id not in {first.resident_id, second.resident_id}
    assert [o.status for o in world.offers()] == ["declined", "expired", "pending"]
    assert world.hard_rule_breaches() == []

    world.answer(third, "decline")
    world.pump()
    [lot] = world.lots(order_id)
    assert world.offers(status="pending") == []
    assert (lot.status, lot.escalation) == ("escalated", rules.EXCLUDED)
    assert sorted(lot.excluded_resident_ids) == ["rm-0", "rm-1", "rm-2"]
    told = world.inbox(f"coordinator:{cid}")
    assert any(world.code(lot.id) in text and ESCALATION_ZH[rules.EXCLUDED] in text for text in told)


def test_expiry_leaves_offers_that_have_not_lapsed(world: LotsWorld) -> None:
    cid = world.community("rx")
    world.resident("rx-0", cid)
    world.order(cid, quantity=10)
    world.pump()
    [offer] = world.offers(status="pending")
    assert world.expire(offer.expires_at - timedelta(seconds=1)) == []
    assert [o.status for o in world.offers()] == ["pending"]
