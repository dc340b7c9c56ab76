"""A re-priced order: lots accepted earlier are paid at their old rate, the rest at the new one."""

from __future__ import annotations

from lots_world import ENTERPRISE, FAIR_RATE_FEN, LotsWorld, coordinator_of
from sqlmodel import select

from schemas import commands as c
from store.db import reading
from store.tables import LedgerEntry, RateVersion
from usecases import orders as order_uc
from usecases import work

NEW_RATE_FEN = FAIR_RATE_FEN + 50


def test_a_rate_change_reprices_pending_offers_but_not_accepted_lots(world: LotsWorld) -> None:
    cid = world.community("rt")
    world.resident("rt-a", cid, max_open_lots=1)
    world.resident("rt-b", cid, max_open_lots=1)
    order_id = world.order(cid, quantity=20)
    world.pump()
    early, late = world.offers(status="pending")
    world.answer(early, "accept")

    world.run(order_uc.change_rate, order_id, c.ChangeRate(piece_rate_fen=NEW_RATE_FEN, reason="材料涨价"),
              actor=ENTERPRISE)
    world.pump()
    [repriced] = world.offers(status="pending")
    assert (repriced.id, repriced.piece_rate_centifen) == (late.id, NEW_RATE_FEN * 100)
    world.answer(repriced, "accept")

    coordinator = coordinator_of(cid)
    for offer in (early, late):
        world.run(work.issue_materials, c.IssueMaterials(lot_id=offer.lot_id, resident_id=offer.resident_id,
                                                         pieces=10), actor=coordinator)
        sub, _ = world.run(work.submit_output, offer.resident_id, c.SubmitOutput(lot_id=offer.lot_id, pieces=10),
                           actor=coordinator)
        world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=10, rejected=0),
                  actor=coordinator)
    world.pump()

    with reading(world.engine) as session:
        paid = {(e.lot_id, e.rate_centifen // 100, e.amount_fen) for e in session.exec(select(LedgerEntry))}
        versions = [(v.version, v.piece_rate_centifen // 100) for v in session.exec(
            select(RateVersion).where(RateVersion.order_id == order_id).order_by(RateVersion.version))]
    assert paid == {(early.lot_id, FAIR_RATE_FEN, 10 * FAIR_RATE_FEN), (late.lot_id, NEW_RATE_FEN, 10 * NEW_RATE_FEN)}
    assert versions == [(1, FAIR_RATE_FEN), (2, NEW_RATE_FEN)]
