"""A resident's own page: offers, lots, earnings and pay per period — nobody else's."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.lifecycle.lot import HOLDING, LotCounts
from domain.lifecycle.offer import OfferStatus
from domain.orders.lot_codes import lot_code
from store.tables import LedgerEntry, Lot, Order, Product, Resident, Site
from usecases.actors import Actor
from usecases.errors import Forbidden
from usecases.queries import reads
from usecases.queries.dashboard import passed_pieces
from usecases.queries.dashboard_views import PeriodPay, ResidentHome, ResidentLot
from usecases.queries.views import EarningLine, LotView


def resident_home(session: Session, actor: Actor, resident_id: str, *, now: datetime) -> ResidentHome:
    """Everything on the phone page, for the resident themself or a coordinator acting for them (代办)."""
    if actor.role not in ("resident", "coordinator"):
        raise Forbidden("role", "只有居民本人或其社区工作者能查看这一页 / "
                                 "only the resident or their coordinator sees this page")
    earnings = reads.earnings(session, actor, resident_id, now=now)  # raises NotFound outside the actor's scope
    resident = session.get(Resident, resident_id)
    assert resident is not None
    lots = reads.lots(session, actor, resident_id=resident_id)
    offers = [o for o in reads.offers(session, actor, resident_id, status=OfferStatus.PENDING) if o.expires_at > now]
    return ResidentHome(
        resident_id=resident_id, name=resident.name, offers=offers,
        lots=lots, earnings=earnings, periods=periods(session, resident_id, earnings.entries),
        work=resident_lots(session, [lot.id for lot in lots]),
        offered=resident_lots(session, [o.lot_id for o in offers]))


def resident_lots(session: Session, lot_ids: list[str]) -> list[ResidentLot]:
    """Each lot (already checked to be the resident's or offered to them) with its product, pick-up site and
    opening hours and the next step (see ResidentLot), in the order of `lot_ids`."""
    if not lot_ids:
        return []
    rows = session.exec(select(Lot, Order, Product).join(Order, col(Order.id) == Lot.order_id)
                        .join(Product, col(Product.code) == Order.product_code)
                        .where(col(Lot.id).in_(lot_ids))).all()
    found = {lot.id: (lot, order, product) for lot, order, product in rows}
    site_ids = {lot.site_id or order.pickup_site_id for lot, order, _ in rows} - {None}
    sites = {s.id: s for s in session.exec(select(Site).where(col(Site.id).in_(sorted(site_ids))))}
    out = []
    for lot_id in lot_ids:
        lot, order, product = found[lot_id]
        view = LotView.model_validate(lot, from_attributes=True)
        site = sites.get(lot.site_id or order.pickup_site_id or "")
        counts = LotCounts(pieces=lot.pieces, issued=lot.pieces_issued, submitted=lot.pieces_submitted,
                           resubmitted=lot.pieces_resubmitted, pending=lot.pieces_pending,
                           passed=lot.pieces_passed, rejected=lot.pieces_rejected)
        hand_in = max(counts.can_hand_in, 0) if lot.status in HOLDING else 0
        out.append(ResidentLot(
            # The short code (网兜-1129-03); a lot made before codes by its product and number (编织网兜-第3批).
            lot=view, label=lot_code(short_code=lot.short_code, product_name=product.name, lot_no=lot.lot_no),
            product_name=product.name,
            site_name=site.name if site else None,
            open_hours=[tuple(h) for h in site.opening_hours] if site else [],
            can_hand_in=hand_in, next_step=next_step(lot.status, counts, hand_in)))
    return out


def next_step(status: str, counts: LotCounts, hand_in: int) -> str:
    """What the resident does next with a lot: collect, work, hand_in, wait or done (see ResidentLot)."""
    if status not in HOLDING:
        return "done"
    if hand_in > 0:
        return "hand_in"
    if counts.issued < counts.pieces and counts.pending == 0:
        return "collect"
    return "wait" if counts.pending > 0 else "work"


def periods(session: Session, resident_id: str, recent: list[EarningLine]) -> list[PeriodPay]:
    """Pay per period (the pay slip's totals), newest first, with the recent lines of each."""
    totals = session.exec(select(LedgerEntry.period_id, func.sum(LedgerEntry.amount_fen))
                          .where(LedgerEntry.resident_id == resident_id).group_by(LedgerEntry.period_id)).all()
    pieces = dict(session.exec(select(LedgerEntry.period_id, func.sum(LedgerEntry.pieces))
                               .where(LedgerEntry.resident_id == resident_id, passed_pieces())
                               .group_by(LedgerEntry.period_id)).all())
    lines: dict[str, list[EarningLine]] = defaultdict(list)
    for line in recent:
        lines[line.period_id].append(line)
    return [PeriodPay(period_id=p, amount_fen=int(fen or 0), pieces=int(pieces.get(p) or 0), lines=lines[p])
            for p, fen in sorted(totals, reverse=True)]
