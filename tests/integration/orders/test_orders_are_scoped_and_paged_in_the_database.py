"""A coordinator's orders are those offered to one of their communities, chosen in the database (issue 19): the same
orders, progress and cost, in the same order and pages, as every order filtered one by one; an enterprise sees
only its own, a resident none, the city all (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lots_world import ENTERPRISE, ENTERPRISE_ID, FAIR_RATE_FEN, PRODUCT, LotsWorld, coordinator_of
from sqlmodel import col, func, select

from schemas import commands as c
from store.db import reading
from store.tables import LedgerEntry, Lot, Order
from usecases import orders as order_uc
from usecases import work
from usecases.actors import Actor
from usecases.queries import reads


def _post(world: LotsWorld, communities: list[str]) -> str:
    order, _ = world.run(order_uc.post_order, c.PostOrder(
        enterprise_id=ENTERPRISE_ID, product_code=PRODUCT, quantity=10, piece_rate_fen=FAIR_RATE_FEN,
        due_at=datetime.now(UTC) + timedelta(days=5), eligible_community_ids=communities,
        pickup_site_id=f"{communities[0]}-site"), actor=ENTERPRISE)
    return str(order.id)


def _expected(world: LotsWorld, actor: Actor) -> list[tuple[object, ...]]:
    """Every order the actor may see, newest first, with its lots' sums and cost, filtered here one by one."""
    with reading(world.engine) as session:
        orders = session.exec(select(Order).order_by(col(Order.posted_at).desc(), col(Order.id).desc())).all()
        out = []
        for o in orders:
            if actor.role == "enterprise" and o.enterprise_id != actor.enterprise_id:
                continue
            if actor.role == "coordinator" and not any(actor.may_see_community(x) for x in o.eligible_community_ids):
                continue
            lots = session.exec(select(Lot).where(Lot.order_id == o.id)).all()
            cost = session.exec(select(func.sum(LedgerEntry.amount_fen)).where(LedgerEntry.order_id == o.id)).one()
            out.append((o.id, o.status, len(lots), sum(lot.pieces_submitted for lot in lots),
                        sum(lot.pieces_passed for lot in lots), int(cost or 0)))
    return [] if actor.role == "resident" else out


def _seen(world: LotsWorld, actor: Actor, **page: int | None) -> list[tuple[object, ...]]:
    with reading(world.engine) as session:
        return [(v.id, v.status, v.lots, v.pieces_submitted, v.pieces_passed, v.cost_to_date_fen)
                for v in reads.orders(session, actor, **page)]  # type: ignore[arg-type]


def test_each_caller_sees_their_orders_with_progress_and_cost_page_by_page(world: LotsWorld) -> None:
    for cid in ("na", "nb", "nc"):
        world.crew(cid, n=1, max_open_lots=3)
    paid = world.order("na")
    for communities in (["na"], ["nb"], ["na", "nb"], ["nc"], ["nb"], ["nc", "na"]):
        _post(world, communities)
    world.pump()
    offer = world.offers(status="pending")[0]  # one lot handed in and paid, so some order has a cost
    world.answer(offer, "accept")
    world.run(work.issue_materials, c.IssueMaterials(lot_id=offer.lot_id, resident_id=offer.resident_id, pieces=10),
              actor=coordinator_of(offer.community_id))
    sub, _ = world.run(work.submit_output, offer.resident_id, c.SubmitOutput(lot_id=offer.lot_id, pieces=10),
                       actor=coordinator_of(offer.community_id))
    world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=8, rejected=2,
                                                         defect_codes=["LOOSE"]),
              actor=coordinator_of(offer.community_id))
    world.pump()

    callers = [coordinator_of("na"), coordinator_of("nb"), coordinator_of("nc"), coordinator_of("nobody"),
               Actor(username="two", role="coordinator", community_ids=frozenset({"nb", "nc"})), ENTERPRISE,
               Actor(username="other", role="enterprise", enterprise_id="ent-other"),
               Actor(username="city", role="city"), Actor(username="r", role="resident", resident_id="na-0")]
    assert any(row[5] > 0 for row in _expected(world, Actor(username="city", role="city"))), "nothing was paid"
    for actor in callers:
        expected = _expected(world, actor)
        assert _seen(world, actor, limit=None) == expected, actor
        pages = [_seen(world, actor, limit=2, offset=offset) for offset in range(0, 10, 2)]
        assert [row for page in pages for row in page] == expected, actor
        if expected:
            assert _seen(world, actor, order_id=str(expected[-1][0])) == expected[-1:]
    with reading(world.engine) as session:
        assert reads.orders(session, coordinator_of("nc"), order_id=paid) == []  # an order of na only
