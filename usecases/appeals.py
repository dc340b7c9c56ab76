"""Use cases for appeals (申诉): a resident disputes rejected pieces; an upheld appeal is a correction."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from domain.lifecycle import appeal as appeal_life
from schemas import commands as c
from schemas.envelope import Event
from schemas.events.pay import AppealDecided, AppealFiled
from store.outbox import audit
from store.tables import Appeal, Inspection, Lot
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, NotFound, Rejected, refused_as
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
    if inspection.superseded:
        raise Rejected("inspection_id", "this inspection was corrected since; appeal the latest one")
    if inspection.rejected == 0:
        raise Rejected("inspection_id", "no pieces were rejected, so there is nothing to appeal")
    if inspection.rework:
        raise Rejected("inspection_id", "the rejected pieces were returned for rework; resubmit them instead")
    closes = inspection.inspected_at + timedelta(days=ctx.settings.appeal_days)
    if ctx.now > closes:
        raise Rejected("inspection_id", f"the {ctx.settings.appeal_days}-day appeal window closed at "
                                        f"{closes.isoformat()}")
    if session.exec(select(Appeal).where(Appeal.inspection_id == inspection.id,
                                         Appeal.status == appeal_life.AppealStatus.OPEN)).first():
        raise Conflict("inspection_id", "an appeal against this inspection is already open")
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
            raise Rejected("passed", f"an upheld appeal passes more than the {original.passed} pieces passed before")
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
