"""A resident's committed work (在手工作) read from the database, as domain.workload Commitments.

The one loader the matcher, accepting an offer and a coordinator's dispatch share: lots a resident holds
(accepted or in work) count with the pieces still to make, pending offers (dispatched ones included) with all
their pieces, each at the resident's observed speed for the product's skill, else the standard speed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlmodel import Session, col, select

from domain.lifecycle.lot import HOLDING
from domain.lifecycle.offer import OfferStatus
from domain.workload import Commitment, Plate, minutes_for, pieces_left, pieces_per_hour, plate
from store.tables import Community, Lot, Offer, Order, Product, Resident
from usecases.actors import Actor


def commitments(session: Session, *, resident_ids: Collection[str] | None = None,
                community_id: str | None = None) -> dict[str, list[Commitment]]:
    """Each resident's commitments (by resident id), for the residents named or those of a community.

    Residents with nothing committed are absent from the result. Minutes are working minutes at the
    resident's speed now (not what was assumed when an offer was made: that is `Offer.work_minutes`).
    """
    if resident_ids is None and community_id is None:
        raise ValueError("name the residents or the community")
    held = (select(Lot, Product, Resident).join(Order, col(Order.id) == Lot.order_id)
            .join(Product, col(Product.code) == Order.product_code)
            .join(Resident, col(Resident.id) == Lot.resident_id).where(col(Lot.status).in_(HOLDING)))
    offered = (select(Offer, Lot, Product, Resident).join(Lot, col(Lot.id) == Offer.lot_id)
               .join(Order, col(Order.id) == Lot.order_id).join(Product, col(Product.code) == Order.product_code)
               .join(Resident, col(Resident.id) == Offer.resident_id).where(Offer.status == OfferStatus.PENDING))
    if resident_ids is not None:
        held, offered = (held.where(col(Resident.id).in_(sorted(resident_ids))),
                         offered.where(col(Resident.id).in_(sorted(resident_ids))))
    if community_id is not None:
        held = held.where(Resident.community_id == community_id)
        offered = offered.where(Resident.community_id == community_id)
    out: dict[str, list[Commitment]] = defaultdict(list)
    for lot, product, resident in session.exec(held):
        left = pieces_left(pieces=lot.pieces, passed=lot.pieces_passed, rejected_final=lot.pieces_rejected)
        out[resident.id].append(Commitment(lot_id=lot.id, due_at=lot.due_at, kind="held", pieces=left,
                                           minutes=minutes_for(left, speed(resident, product))))
    for offer, lot, product, resident in session.exec(offered):
        out[resident.id].append(Commitment(lot_id=lot.id, due_at=lot.due_at, kind="offered", pieces=offer.pieces,
                                           minutes=minutes_for(offer.pieces, speed(resident, product))))
    return dict(out)


def plates(session: Session, actor: Actor) -> dict[str, Plate]:
    """Each resident's load (domain.workload.Plate, from the same commitments the matcher, an accept and a dispatch
    judge) for every community the coordinator serves, by resident id; residents with nothing are absent (空闲).

    Raises Forbidden for anyone but a coordinator or the city (the city: every community).
    """
    actor.require("coordinator", "city")
    ids = (sorted(actor.community_ids) if actor.role == "coordinator"
           else list(session.exec(select(Community.id))))
    out: dict[str, Plate] = {}
    for community_id in ids:
        out.update({r: plate(items) for r, items in commitments(session, community_id=community_id).items()})
    return out


def speed(resident: Resident, product: Product) -> float:
    """The resident's pieces an hour at the product's skill: observed, else the product's standard speed."""
    value = (resident.pieces_per_hour or {}).get(product.skill)
    return pieces_per_hour(observed=float(value) if value is not None else None,
                           standard_minutes_per_piece=product.standard_minutes_per_piece)
