"""Use cases: corrections of frozen pay with a second pair of eyes (更正审批, issue 16).

Correcting an inspection whose pay is in a closed period, or an automatic acceptance, is asked for with a reason
(request_correction) and recorded only when another coordinator of the same community approves it
(decide_correction). Until then nothing moves: no inspection is recorded, the lot's counts stay, the ledger is
untouched. On approval the correcting inspection is recorded exactly as usecases.work.record_inspection records any
correction, so the earnings consumer reverses and re-pays it in the next open period.
"""

from __future__ import annotations

from sqlmodel import Session, select

from domain.lifecycle import correction as correction_life
from domain.pay import PayInputError
from domain.pay.adjustments import clean_reason
from schemas import commands as c
from schemas.envelope import Event
from schemas.events.pay import CorrectionDecided, CorrectionRequested
from store.outbox import audit
from store.tables import CorrectionRequest, Inspection, Lot, Submission
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, Forbidden, NotFound, Rejected, refused_as
from usecases.second_pair import why_second_pair
from usecases.work import record_inspection


def request_correction(session: Session, cmd: c.RequestCorrection, *, actor: Actor,
                       ctx: Context) -> tuple[CorrectionRequest, list[Event]]:
    """Ask for a correction that needs a second coordinator; nothing is recorded or paid until one approves.

    Raises Rejected naming the field (reason missing, counts not adding up, a correction that needs no approval),
    NotFound for an inspection outside the coordinator's communities, Conflict when one is already pending.
    """
    actor.require("coordinator")
    # Locked: two coordinators asking at once both saw no pending request and both were recorded (PostgreSQL).
    inspection = session.get(Inspection, cmd.corrects_inspection_id, with_for_update=True)
    lot = session.get(Lot, inspection.lot_id) if inspection else None
    if inspection is None or lot is None or not actor.may_see_community(lot.community_id):
        raise NotFound("corrects_inspection_id", f"没有这次验收 / no such inspection: {cmd.corrects_inspection_id}")
    try:
        reason = clean_reason(cmd.reason)
    except PayInputError as exc:
        raise Rejected(exc.field, exc.reason) from None
    _check_counts(session, inspection, cmd)
    why = why_second_pair(session, inspection, lot.community_id)
    if why is None:
        raise Rejected("corrects_inspection_id", "此验收的工资尚未结账，无需审批，请直接更正 / this inspection's pay "
                                                 "is not frozen: record the correction with POST /api/v1/inspections")
    if session.exec(select(CorrectionRequest.id).where(
            CorrectionRequest.inspection_id == inspection.id,
            CorrectionRequest.status == correction_life.CorrectionStatus.PENDING)).first():
        raise Conflict("corrects_inspection_id", "这次验收已有待审批的更正 / a correction of this inspection is "
                                                 "already waiting for approval")
    row = CorrectionRequest(
        id=ctx.new_id("cor"), inspection_id=inspection.id, submission_id=inspection.submission_id, lot_id=lot.id,
        resident_id=inspection.resident_id, community_id=lot.community_id, passed=cmd.passed, rejected=cmd.rejected,
        defect_codes=list(cmd.defect_codes), rework=cmd.rework, photo_ref=cmd.photo_ref, reason=reason,
        why_approval=why, requested_by=actor.username, requested_at=ctx.now)
    session.add(row)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="correction.request", subject=row.id,
          inspection_id=inspection.id, passed=cmd.passed, rejected=cmd.rejected, reason=reason, why=why)
    return row, [CorrectionRequested(
        **ctx.envelope(lot.community_id), request_id=row.id, inspection_id=inspection.id,
        resident_id=inspection.resident_id, passed=cmd.passed, rejected=cmd.rejected, reason=reason,
        why_approval=why, actor=actor.username)]  # type: ignore[arg-type]


def _check_counts(session: Session, inspection: Inspection, cmd: c.RequestCorrection) -> None:
    """What can be checked before approval; the rest is checked again when the correction is recorded."""
    if inspection.superseded:
        raise Rejected("corrects_inspection_id", "这次验收已被更正，请更正最新的一次 / this inspection was corrected "
                                                 "since; correct the latest one")
    sub = session.get(Submission, inspection.submission_id)
    pieces = sub.pieces if sub else inspection.passed + inspection.rejected
    if cmd.passed + cmd.rejected != pieces:
        raise Rejected("passed", f"合格数与不合格数之和须等于交货的 {pieces} 件 / passed + rejected must equal the "
                                 f"{pieces} pieces submitted")
    if cmd.rejected and not cmd.defect_codes:
        raise Rejected("defect_codes", "不合格的件须注明缺陷代码 / rejected pieces need at least one defect code")


def decide_correction(session: Session, request_id: str, cmd: c.DecideCorrection, *, actor: Actor,
                      ctx: Context) -> tuple[CorrectionRequest, list[Event]]:
    """A second coordinator of the same community approves (the correction is recorded now) or rejects.

    Raises Forbidden when the requester decides their own request or the actor is no coordinator, NotFound outside
    the actor's communities, Conflict when already decided; a correction the work has since outgrown is refused
    as record_inspection refuses it, and the request stays pending.
    """
    if actor.role != "coordinator":
        raise Forbidden("role", "只有社区工作者能审批更正 / only a coordinator may decide a correction")
    row = session.get(CorrectionRequest, request_id, with_for_update=True)
    if row is None or not actor.may_see_community(row.community_id):
        raise NotFound("request_id", f"没有这条更正申请 / no such correction request: {request_id}")
    with refused_as("request_id", Forbidden if row.requested_by == actor.username else Conflict):
        status = correction_life.decide(row.status, cmd.decision, requested_by=row.requested_by,
                                        decided_by=actor.username)
    events: list[Event] = []
    if status is correction_life.CorrectionStatus.APPROVED:
        inspection, events = record_inspection(session, c.RecordInspection(
            submission_id=row.submission_id, passed=row.passed, rejected=row.rejected,
            defect_codes=list(row.defect_codes), rework=row.rework, photo_ref=row.photo_ref,
            corrects_inspection_id=row.inspection_id), actor=actor, ctx=ctx, approved=True)
        row.correction_inspection_id = inspection.id
    row.status = status
    row.decided_by, row.decided_at, row.decision_note = actor.username, ctx.now, cmd.note
    session.add(row)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="correction.decide", subject=row.id,
          decision=status, requested_by=row.requested_by, correction=row.correction_inspection_id)
    return row, [*events, CorrectionDecided(
        **ctx.envelope(row.community_id), request_id=row.id, inspection_id=row.inspection_id,
        resident_id=row.resident_id, decision="approved" if row.correction_inspection_id else "rejected",
        correction_inspection_id=row.correction_inspection_id, actor=actor.username)]
