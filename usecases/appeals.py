"""Use cases for appeals (申诉): a resident disputes rejected pieces; an upheld appeal is a correction."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlmodel import Session, col, select

from domain.lifecycle import appeal as appeal_life
from domain.orders.lot_codes import lot_code
from schemas import commands as c
from schemas.envelope import Event
from schemas.events.pay import AppealDecided, AppealFiled
from store.outbox import audit
from store.tables import Appeal, Inspection, Lot, Order, Product
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, NotFound, Rejected, refused_as
from usecases.queries.pay_views import AppealView
from usecases.queries.reads import visible_resident
from usecases.reasons import local_time
from usecases.work import record_inspection


def file_appeal(session: Session, inspection_id: str, cmd: c.FileAppeal, *, actor: Actor,
                ctx: Context) -> tuple[Appeal, list[Event]]:
    """Dispute an inspection's rejections within the appeal window, as the resident or on their behalf."""
    inspection = session.get(Inspection, inspection_id)
    lot = session.get(Lot, inspection.lot_id) if inspection else None
    if inspection is None or lot is None:
        raise NotFound("inspection_id", f"no such inspection: {inspection_id}")
    try:
        actor.require_resident(inspection.resident_id, lot.community_id)
    except Rejected:
        raise NotFound("inspection_id", f"no such inspection: {inspection_id}") from None
    refused = refusal(session, inspection, now=ctx.now, appeal_days=ctx.settings.appeal_days)
    if refused is not None:
        raise refused
    on_behalf = actor.on_behalf(inspection.resident_id)
    appeal = Appeal(id=ctx.new_id("apl"), inspection_id=inspection.id, submission_id=inspection.submission_id,
                    lot_id=lot.id, resident_id=inspection.resident_id, community_id=lot.community_id,
                    reason=cmd.reason, filed_by=actor.username, on_behalf=on_behalf, filed_at=ctx.now)
    session.add(appeal)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="appeal.file", subject=appeal.id,
          on_behalf_of=inspection.resident_id if on_behalf else None, inspection_id=inspection.id)
    return appeal, [AppealFiled(**ctx.envelope(lot.community_id), appeal_id=appeal.id, inspection_id=inspection.id,
                                resident_id=inspection.resident_id, reason=cmd.reason, actor=actor.username,
                                on_behalf=on_behalf)]


def decide_appeal(session: Session, appeal_id: str, cmd: c.DecideAppeal, *, actor: Actor,
                  ctx: Context) -> tuple[Appeal, list[Event]]:
    """Uphold (record a correcting inspection, so the worker reverses and re-pays) or reject with a reason."""
    actor.require("coordinator")
    appeal = session.get(Appeal, appeal_id, with_for_update=True)
    if appeal is None or not actor.may_see_community(appeal.community_id):
        raise NotFound("appeal_id", f"no such appeal: {appeal_id}")
    with refused_as("appeal_id"):
        decided = appeal_life.decide(appeal.status, cmd.decision)
    events: list[Event] = []
    if cmd.decision == "uphold":
        original = session.get(Inspection, appeal.inspection_id)
        assert original is not None
        pieces = original.passed + original.rejected
        passed = pieces if cmd.passed is None else cmd.passed
        rejected = pieces - passed if cmd.rejected is None else cmd.rejected
        if passed <= original.passed:
            raise Rejected("passed", f"申诉成立时合格件数须多于原来的 {original.passed} 件 / "
                                     f"an upheld appeal passes more than the {original.passed} pieces passed before")
        correction, events = record_inspection(session, c.RecordInspection(
            submission_id=appeal.submission_id, passed=passed, rejected=rejected, defect_codes=cmd.defect_codes,
            photo_ref=original.photo_ref, corrects_inspection_id=original.id), actor=actor, ctx=ctx,
            # Two people already looked: the resident (or the coordinator who filed for them) and the one deciding.
            approved=not (appeal.on_behalf and appeal.filed_by == actor.username))
        appeal.correction_inspection_id = correction.id
    appeal.status = decided
    appeal.decided_by, appeal.decided_at, appeal.decision_reason = actor.username, ctx.now, cmd.reason
    session.add(appeal)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="appeal.decide", subject=appeal.id,
          decision=appeal.status, correction=appeal.correction_inspection_id)
    return appeal, [*events, AppealDecided(
        **ctx.envelope(appeal.community_id), appeal_id=appeal.id, inspection_id=appeal.inspection_id,
        resident_id=appeal.resident_id, decision=appeal.status, reason=cmd.reason,  # type: ignore[arg-type]
        correction_inspection_id=appeal.correction_inspection_id, actor=actor.username)]


def refusal(session: Session, inspection: Inspection, *, now: datetime,
            appeal_days: int) -> Rejected | None:
    """Why `inspection` may not be appealed at `now` (UTC), or None when it may: the one appeal rule.

    Refused (Rejected, field inspection_id): an inspection corrected since, one that rejected nothing, rejected pieces
    returned for rework, or `appeal_days` (settings APPEAL_DAYS, default 7) after it was recorded; Conflict: an appeal
    against it is already open. file_appeal raises it; appeal_choices lists only inspections with no refusal.
    """
    if inspection.superseded:
        return Rejected("inspection_id", "这条验收已被更正，请对最新的验收申诉 / "
                                          "this inspection was corrected since; appeal the latest one")
    if inspection.rejected == 0:
        return Rejected("inspection_id", "没有不合格件，无需申诉 / "
                                          "no pieces were rejected, so there is nothing to appeal")
    if inspection.rework:
        return Rejected("inspection_id", "不合格件已退回返工，请返工后重新交货 / "
                                          "the rejected pieces were returned for rework; resubmit them instead")
    closes = closes_at(inspection, appeal_days)
    if now > closes:
        return Rejected("inspection_id", f"申诉期（{appeal_days} 天）已于 {local_time(closes)} 结束 / "
                                          f"the {appeal_days}-day appeal window closed at {local_time(closes, 'en')}")
    if session.exec(select(Appeal).where(Appeal.inspection_id == inspection.id,
                                         Appeal.status == appeal_life.AppealStatus.OPEN)).first():
        return Conflict("inspection_id", "这条验收已有一个待处理的申诉 / "
                                         "an appeal against this inspection is already open")
    return None


def closes_at(inspection: Inspection, appeal_days: int) -> datetime:
    """When the appeal window of `inspection` closes: `appeal_days` days after it was recorded (UTC)."""
    return inspection.inspected_at + timedelta(days=appeal_days)


class AppealChoice(BaseModel):
    """An inspection a resident may appeal now, named as she names it (no internal id is shown; `inspection_id` is
    only the key the page files against): `lot_code` '网兜-1129-03' (or '编织网兜-第3批' for a lot made before short
    codes: domain.orders.lot_codes.lot_code), the product's name, pieces rejected, defect codes, when inspected and
    when the window closes (UTC)."""

    inspection_id: str
    lot_code: str
    product_name: str
    rejected: int
    defect_codes: list[str]
    inspected_at: datetime
    closes_at: datetime


class FiledAppeal(BaseModel):
    """One of a resident's appeals with the lot's short code and product name beside it (see AppealChoice)."""

    appeal: AppealView
    lot_code: str
    product_name: str


def appeal_choices(session: Session, actor: Actor, resident_id: str, *, now: datetime,
                   appeal_days: int) -> list[AppealChoice]:
    """The resident's inspections she may appeal at `now` (refusal() finds nothing), newest first.

    Seen by the resident herself or a coordinator of her community; anyone else gets NotFound(resident_id).
    """
    visible_resident(session, actor, resident_id)
    rows = session.exec(
        select(Inspection, Lot, Product).join(Lot, col(Lot.id) == Inspection.lot_id)
        .join(Order, col(Order.id) == Lot.order_id).join(Product, col(Product.code) == Order.product_code)
        # Only a narrowing, so the page does not test every inspection ever: refusal() below decides.
        .where(Inspection.resident_id == resident_id, col(Inspection.rejected) > 0,
               col(Inspection.inspected_at) >= now - timedelta(days=appeal_days))
        .order_by(col(Inspection.inspected_at).desc())).all()
    return [AppealChoice(inspection_id=i.id, product_name=product.name,
                         lot_code=lot_code(short_code=lot.short_code, product_name=product.name, lot_no=lot.lot_no),
                         rejected=i.rejected, defect_codes=list(i.defect_codes), inspected_at=i.inspected_at,
                         closes_at=closes_at(i, appeal_days))
            for i, lot, product in rows if refusal(session, i, now=now, appeal_days=appeal_days) is None]


def filed_appeals(session: Session, actor: Actor, resident_id: str) -> list[FiledAppeal]:
    """The resident's appeals, newest first, with status, the coordinator's answer and the lot as she names it.

    Scope as appeal_choices (NotFound(resident_id) outside it).
    """
    visible_resident(session, actor, resident_id)
    rows = session.exec(
        select(Appeal, Lot, Product).join(Lot, col(Lot.id) == Appeal.lot_id)
        .join(Order, col(Order.id) == Lot.order_id).join(Product, col(Product.code) == Order.product_code)
        .where(Appeal.resident_id == resident_id).order_by(col(Appeal.filed_at).desc())).all()
    return [FiledAppeal(appeal=AppealView.model_validate(a, from_attributes=True), product_name=product.name,
                        lot_code=lot_code(short_code=lot.short_code, product_name=product.name, lot_no=lot.lot_no))
            for a, lot, product in rows]

