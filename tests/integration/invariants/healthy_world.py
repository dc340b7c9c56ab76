"""A small healthy world for the invariant checks, made through the same use cases the API runs.

One community of three residents; an order of two 10-piece lots: one lot offered and waiting for an answer,
the other accepted, made, inspected (8 passed, 2 finally rejected) and paid; the pay period closed and part of
it paid out. `World` names the ids each corruption aims at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from domain.pay import period_by_id
from schemas import commands as c
from store.db import reading
from store.tables import LedgerEntry, Lot, Offer
from tests.integration.lots_world import coordinator_of, make_world
from usecases import offers as offer_uc
from usecases import pay, work
from usecases.settings import Settings

COMMUNITY = "inv-c1"


@dataclass(frozen=True)
class World:
    """The ids a corruption aims at."""

    order_id: str
    done_lot: str  # accepted, made, inspected and paid
    offered_lot: str  # a pending offer waits on it
    offer_id: str  # the pending offer
    offered_to: str  # who it is offered to
    worker: str  # who made the done lot
    period_id: str  # closed, paid in part
    pay_entry: str  # the ledger key of the done lot's piece pay


def build(engine: Engine, settings: Settings) -> World:
    """Make the healthy world in this (migrated, empty) database."""
    world = make_world(engine, settings)
    world.crew(COMMUNITY, 3)
    order_id = world.order(COMMUNITY, quantity=20, due_in=timedelta(days=5))
    world.pump()
    first = world.offers(status="pending")
    assert len(first) == 2, first
    coordinator = coordinator_of(COMMUNITY)
    world.run(offer_uc.answer_offer, first[0].id, c.AnswerOffer(decision="accept"), actor=coordinator)
    done_lot, worker = first[0].lot_id, first[0].resident_id
    world.run(work.issue_materials, c.IssueMaterials(lot_id=done_lot, resident_id=worker, pieces=10), actor=coordinator)
    sub, _ = world.run(work.submit_output, worker, c.SubmitOutput(lot_id=done_lot, pieces=10, minutes_spent=60),
                       actor=coordinator)
    world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=8, rejected=2,
                                                         defect_codes=["LOOSE"]), actor=coordinator)
    world.pump()
    # The period the work was paid in, as the ledger says, not the period of the clock read again here: work paid
    # just before a Shanghai period boundary (16:00 UTC on the 15th or the last of a month) then closed the new,
    # empty period and the payout was refused ('only 0 fen of the 0 fen pay slip is unpaid').
    with reading(engine) as session:
        paid_in = session.exec(select(LedgerEntry.period_id).where(LedgerEntry.kind == "piece_pay")).one()
    period = period_by_id(paid_in)
    world.run(pay.close_period, c.ClosePayPeriod(community_id=COMMUNITY, period_id=period.period_id),
              actor=coordinator, at=period.ends_at + timedelta(minutes=1))
    world.run(pay.record_payout, c.RecordPayout(resident_id=worker, period_id=period.period_id, amount_fen=100,
                                                method="cash", reference="inv-pay-1"),
              actor=coordinator, at=period.ends_at + timedelta(minutes=2))
    with reading(engine) as session:
        pending = session.exec(select(Offer).where(Offer.status == "pending")).one()
        assert session.get(Lot, done_lot).status == "done"  # type: ignore[union-attr]
        paid = session.exec(select(LedgerEntry).where(LedgerEntry.kind == "piece_pay")).one()
    return World(order_id=order_id, done_lot=done_lot, offered_lot=pending.lot_id, offer_id=pending.id,
                 offered_to=pending.resident_id, worker=worker, period_id=period.period_id,
                 pay_entry=paid.entry_key)
