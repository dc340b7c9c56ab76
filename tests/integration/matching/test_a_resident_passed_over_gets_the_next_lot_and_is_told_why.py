"""Fairness over the pay period, through the real matcher (usecases/match.py): a resident who offered her time
and got no work while her neighbours earned gets the next lot, and the offer tells her why — and says so only
when it is why. A community that sets its fairness weight to 0 (Community.match_fairness_weight) gets no such
preference and no such words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lots_world import LotsWorld, coordinator_of
from sqlmodel import col, select, update

from schemas import commands as c
from store.db import reading, transaction
from store.tables import Community, LedgerEntry, Resident
from usecases import work

FAIRNESS_ZH = "你本期每小时收入比同技能的邻居低"


def _first_lots_worked_and_paid(world: LotsWorld, cid: str) -> tuple[set[str], str]:
    """Three alike residents who registered weeks ago; a two-lot order goes to two of them and is paid."""
    crew = world.crew(cid, n=3)
    with transaction(world.engine) as session:  # they have offered their hours since the period began
        session.exec(update(Resident).where(col(Resident.id).in_(crew))  # type: ignore[call-overload]
                     .values(registered_at=datetime.now(UTC) - timedelta(days=40)))
    world.order(cid, quantity=20)  # two lots: one new lot per resident per round, so two of the three get one
    world.pump()
    first = world.offers(status="pending")
    assert len(first) == 2
    assert not any(FAIRNESS_ZH in o.explanation_zh for o in first)  # nobody had earned: nobody is below a share
    coordinator = coordinator_of(cid)
    for offer in first:
        world.answer(offer, "accept")
        world.run(work.issue_materials, c.IssueMaterials(lot_id=offer.lot_id, resident_id=offer.resident_id,
                                                         pieces=10), actor=coordinator)
        sub, _ = world.run(work.submit_output, offer.resident_id, c.SubmitOutput(lot_id=offer.lot_id, pieces=10),
                           actor=coordinator)
        world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=10, rejected=0),
                  actor=coordinator)
    world.pump()
    paid = {o.resident_id for o in first}
    with reading(world.engine) as session:
        earners = set(session.exec(select(LedgerEntry.resident_id).where(col(LedgerEntry.resident_id).in_(crew))))
    assert earners == paid
    [passed_over] = set(crew) - paid
    return paid, passed_over


def test_the_resident_passed_over_gets_the_next_lot_and_is_told_why(world: LotsWorld) -> None:
    cid = "fair"
    paid, passed_over = _first_lots_worked_and_paid(world, cid)
    world.order(cid, quantity=10)  # one more lot; the two who were paid are free again and passed every piece
    world.pump()
    [offer] = world.offers(status="pending")
    assert offer.resident_id == passed_over
    assert FAIRNESS_ZH in offer.explanation_zh
    assert "below that of neighbours with the same skill" in offer.explanation_en
    assert "below_fair_share" in [r["code"] for r in offer.reasons]


def test_a_community_that_sets_the_weight_to_zero_gets_no_fairness_preference(world: LotsWorld) -> None:
    cid = "flat"
    _first_lots_worked_and_paid(world, cid)
    with transaction(world.engine) as session:
        community = session.get(Community, cid)
        assert community is not None
        community.match_fairness_weight = 0.0
        session.add(community)
    world.order(cid, quantity=10)
    world.pump()
    [offer] = world.offers(status="pending")
    assert FAIRNESS_ZH not in offer.explanation_zh
