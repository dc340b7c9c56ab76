"""Through the database and the processors: hard rules keep offers away from who cannot take the lot."""

from __future__ import annotations

from datetime import timedelta

from lots_world import LotsWorld

from domain.matching import rules
from usecases.notify import ESCALATION_ZH


def test_only_residents_with_the_skill_at_the_level_get_offers(world: LotsWorld) -> None:
    cid = world.community("sk")
    world.resident("sk-none", cid, skill="sewing", level=5)
    world.resident("sk-low", cid, level=1)
    world.resident("sk-ok", cid, level=3)
    order_id = world.order(cid, quantity=30, min_level=2)
    world.pump()

    first = world.offers()
    assert {o.resident_id for o in first} == {"sk-ok"} and len(first) == 2  # up to their limit of two lots
    for offer in first:
        world.answer(offer, "decline")
    world.pump()

    assert {o.resident_id for o in world.offers()} == {"sk-ok"}, "a resident without the skill level got an offer"
    declined = [lot for lot in world.lots(order_id) if lot.id in {o.lot_id for o in first}]
    assert [lot.status for lot in declined] == ["escalated"] * 2
    assert {lot.escalation for lot in declined} <= {rules.EXCLUDED, rules.NO_SKILL}
    assert world.hard_rule_breaches() == []
    inbox = world.inbox(f"coordinator:{cid}")
    for lot in declined:
        assert any(ESCALATION_ZH[lot.escalation or ""] in text and world.code(lot.id) in text for text in inbox)


def test_a_resident_who_cannot_finish_before_the_due_time_gets_no_offer(world: LotsWorld) -> None:
    cid = world.community("tm")
    world.resident("tm-slow", cid, availability=[(d, 0, 10) for d in range(7)])  # ten minutes a day
    order_id = world.order(cid, quantity=10, due_in=timedelta(hours=30))  # one hour of work
    world.pump()

    assert world.offers() == []
    [lot] = world.lots(order_id)
    assert lot.status == "escalated" and lot.escalation == rules.NO_TIME
    assert any(ESCALATION_ZH[rules.NO_TIME] in text for text in world.inbox(f"coordinator:{cid}"))

    world.resident("tm-free", cid)  # someone with the whole week free joins: the lot is matched to them
    world.pump()
    assert [(o.resident_id, o.lot_id) for o in world.offers()] == [("tm-free", lot.id)]
    assert world.hard_rule_breaches() == []


def test_a_resident_at_the_concurrent_lot_limit_gets_no_further_offer(world: LotsWorld) -> None:
    cid = world.community("lm")
    world.resident("lm-one", cid, max_open_lots=1)
    world.order(cid, quantity=10)
    world.pump()
    [held] = world.offers(status="pending")
    second = world.order(cid, quantity=10)
    world.pump()
    assert world.offers(status="pending") == [held], "a pending offer counts against the limit"

    world.answer(held, "accept")
    world.pump()
    assert [lot.escalation for lot in world.lots(second)] == [rules.BUSY]
    assert len(world.offers()) == 1, "an accepted lot counts against the limit"

    world.resident("lm-other", cid)
    world.pump()
    assert [o.resident_id for o in world.offers(status="pending")] == ["lm-other"]
    assert world.hard_rule_breaches() == []
