"""Scoped reads of hand-made pay changes (issue 16): correction requests and adjustments of a coordinator's
communities (a resident sees their own)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, select

from domain.pay.money import lot_posting_fen
from store.tables import CorrectionRequest, Inspection, Lot, Order, PayAdjustment, Product, Resident, User
from usecases.actors import Actor
from usecases.errors import Forbidden
from usecases.second_pair import pay_period_of


class CorrectionRequestView(BaseModel):
    """A correction of frozen pay and where its approval stands; old_* are the inspection it would supersede."""

    id: str
    inspection_id: str
    lot_id: str
    resident_id: str
    resident_name: str
    community_id: str
    old_passed: int
    old_rejected: int
    passed: int
    rejected: int
    defect_codes: list[str]
    reason: str
    why_approval: str  # "closed_period" or "automatic"
    status: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    correction_inspection_id: str | None
    # For people (new-user trial: the pending list printed raw ids): the lot by its short code (批次简码; None for a
    # lot made before codes) or product and number, the pay period the corrected pay is in, what the change moves.
    lot_short_code: str | None = None
    lot_no: int = 0
    product_name: str = ""
    period_id: str = ""  # the period's id ('2026-11-B'); domain.pay.periods.period_name names it
    piece_rate_centifen: int = 0  # the inspection's rate, 0.0001 yuan per piece
    pay_change_fen: int = 0  # piece pay moved by taking passed pieces from old_passed to passed (fen; < 0: less)
    requested_by_name: str = ""  # the asking coordinator's display name (their username when they have none)


class AdjustmentView(BaseModel):
    """A bonus (amount > 0) or a recovery (amount < 0), in fen, with its reason and the period it posted to."""

    id: str
    resident_id: str
    community_id: str
    kind: str
    amount_fen: int
    reason: str
    period_id: str
    actor: str
    at: datetime


def _scope(actor: Actor, stmt: object, community: object, resident: object) -> object:
    """Limit a query to what the actor may see; enterprises see neither."""
    if actor.role == "resident":
        return stmt.where(resident == (actor.resident_id or ""))  # type: ignore[attr-defined]
    if actor.role == "coordinator":
        return stmt.where(col(community).in_(sorted(actor.community_ids)))  # type: ignore[attr-defined, arg-type]
    if actor.role not in ("city", "system"):
        raise Forbidden("role", "只有社区工作者和居民本人能看 / seen by coordinators and the resident only")
    return stmt


def correction_requests(session: Session, actor: Actor, *, status: str | None = None, limit: int | None = None,
                        offset: int = 0) -> list[CorrectionRequestView]:
    """Correction requests newest first (ties by id, so pages never overlap), optionally of one status
    ("pending", "approved", "rejected"); `limit` of them (None: all) from `offset`."""
    stmt = (select(CorrectionRequest, Inspection, Resident.name, Lot)
            .join(Inspection, col(Inspection.id) == CorrectionRequest.inspection_id)
            .join(Resident, col(Resident.id) == CorrectionRequest.resident_id)
            .join(Lot, col(Lot.id) == CorrectionRequest.lot_id)
            .order_by(col(CorrectionRequest.requested_at).desc(), col(CorrectionRequest.id).desc()))
    stmt = _scope(actor, stmt, CorrectionRequest.community_id, CorrectionRequest.resident_id)  # type: ignore[assignment]
    if status:
        stmt = stmt.where(CorrectionRequest.status == status)
    rows = session.exec(stmt.offset(offset).limit(limit)).all()
    askers = {u.username: u.display_name or u.username for u in session.exec(
        select(User).where(col(User.username).in_(sorted({r.requested_by for r, *_ in rows}))))} if rows else {}
    orders = sorted({lot.order_id for *_, lot in rows})
    products: dict[str, str] = {order_id: name for order_id, name in session.exec(
        select(Order.id, Product.name).join(Product, col(Product.code) == Order.product_code)
        .where(col(Order.id).in_(orders)))} if rows else {}
    return [CorrectionRequestView(
        **r.model_dump(exclude={"defect_codes"}), defect_codes=list(r.defect_codes), old_passed=old.passed,
        old_rejected=old.rejected, resident_name=name, lot_short_code=lot.short_code, lot_no=lot.lot_no,
        product_name=products.get(lot.order_id, ""), period_id=pay_period_of(session, old, r.community_id),
        piece_rate_centifen=old.piece_rate_centifen,
        pay_change_fen=lot_posting_fen(old.passed, r.passed, old.piece_rate_centifen),
        requested_by_name=askers.get(r.requested_by, r.requested_by))
        for r, old, name, lot in rows]


def adjustments(session: Session, actor: Actor, *, resident_id: str | None = None, limit: int | None = None,
                offset: int = 0) -> list[AdjustmentView]:
    """Adjustments newest first (ties by id), optionally of one resident; `limit` (None: all) from `offset`."""
    stmt = select(PayAdjustment).order_by(col(PayAdjustment.at).desc(), col(PayAdjustment.id).desc())
    stmt = _scope(actor, stmt, PayAdjustment.community_id, PayAdjustment.resident_id)  # type: ignore[assignment]
    if resident_id:
        stmt = stmt.where(PayAdjustment.resident_id == resident_id)
    rows = session.exec(stmt.offset(offset).limit(limit))
    return [AdjustmentView.model_validate(a, from_attributes=True) for a in rows]
