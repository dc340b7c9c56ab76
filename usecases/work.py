"""Use cases for the work: materials issued and returned, output submitted, inspection recorded."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from domain.lifecycle import lot as lot_life
from domain.lifecycle import submission as submission_life
from domain.orders.defects import codes_of
from domain.orders.labels import LotQrError, parse_lot_qr, verify_lot_code
from schemas import commands as c
from schemas.envelope import Event
from schemas.events.work import InspectionRecorded, MaterialsIssued, MaterialsReturned, OutputSubmitted
from store.outbox import audit
from store.tables import Inspection, Lot, MaterialIssue, Order, Product, Resident, Submission
from usecases.actors import SYSTEM, Actor
from usecases.context import Context
from usecases.errors import Conflict, NotFound, Rejected, refused_as
from usecases.lookups import locked_lot
from usecases.progress import settle_order
from usecases.queries.names import lot_names, resident_names
from usecases.receipts import keyed
from usecases.second_pair import why_second_pair


@keyed(MaterialIssue)
def issue_materials(session: Session, cmd: c.IssueMaterials, *, actor: Actor,
                    ctx: Context) -> tuple[MaterialIssue, list[Event]]:
    """Record materials handed out for some pieces; never more than the lot holds (no over-issue)."""
    actor.require("coordinator")
    lot = _held_lot(session, scanned_lot_id(cmd, ctx.settings.secret_key), cmd.resident_id, actor)
    if lot.pieces_issued + cmd.pieces > lot.pieces:
        raise Rejected("pieces", f"这个批次只剩 {lot.pieces - lot.pieces_issued} 件可发料 / only "
                                 f"{lot.pieces - lot.pieces_issued} pieces of this lot are left to issue")
    issue = MaterialIssue(id=ctx.new_id("iss"), lot_id=lot.id, resident_id=cmd.resident_id, pieces=cmd.pieces,
                          actor=actor.username, at=ctx.now)
    lot.pieces_issued += cmd.pieces
    lot.status = lot_life.issue(lot.status)
    session.add_all([issue, lot])
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="materials.issue", subject=lot.id,
          resident_id=cmd.resident_id, pieces=cmd.pieces)
    return issue, [MaterialsIssued(**ctx.envelope(lot.community_id), issue_id=issue.id, lot_id=lot.id,
                                   resident_id=cmd.resident_id, pieces=cmd.pieces, actor=actor.username)]


def scanned_lot_id(cmd: c.IssueMaterials, secret: str) -> str:
    """The lot chosen or scanned; a scanned label must carry this deployment's check code (no forged labels)."""
    if cmd.qr is None:
        if not cmd.lot_id:
            raise Rejected("lot_id", "请选择批次（lot_id）或扫描批次二维码（qr） / give lot_id or scan "
                                     "the lot's QR code (qr)")
        return cmd.lot_id
    try:
        lot_id, code = parse_lot_qr(cmd.qr)
    except LotQrError as exc:
        raise Rejected("qr", str(exc)) from None
    if not verify_lot_code(lot_id, code, secret):
        raise Rejected("qr", "校验码与批次不符：这不是本系统打印的标签 / the check code does not belong to this lot: "
                              "not one of our labels")
    if cmd.lot_id is not None and cmd.lot_id != lot_id:
        raise Rejected("lot_id", f"扫描的标签属于批次 {lot_id}，不是 {cmd.lot_id} / the scanned label is "
                                   f"for lot {lot_id}, not {cmd.lot_id}")
    return lot_id


@keyed(MaterialIssue)
def return_materials(session: Session, cmd: c.ReturnMaterials, *, actor: Actor,
                     ctx: Context) -> tuple[MaterialIssue, list[Event]]:
    """Record unused materials and scrap coming back; custody only, pay is never docked for shortages."""
    actor.require("coordinator")
    lot = _held_lot(session, cmd.lot_id, cmd.resident_id, actor)
    back = cmd.unused_pieces + cmd.scrap_pieces
    if back == 0:
        raise Rejected("unused_pieces", "没有退回任何东西：请填写未用件数或报废件数 / nothing returned: "
                                        "give unused_pieces or scrap_pieces")
    counts = lot_counts(lot)
    outstanding = counts.can_hand_in  # issued and never handed in, or back for rework
    if back > outstanding:
        raise Rejected("unused_pieces", f"居民手上只有 {outstanding} 件已发的料 / only {outstanding} issued pieces are "
                                        f"still out with the resident")
    if cmd.unused_pieces > counts.issued - counts.submitted:  # a piece handed in once is not unused material
        raise Rejected("unused_pieces", f"只有 {counts.issued - counts.submitted} 件已发的料从未交回；"
                                        f"退回返工件请填报废件数 / "
                                        f"only {counts.issued - counts.submitted} issued pieces were never handed "
                                        f"in; return pieces back for rework as scrap_pieces")
    issue = MaterialIssue(id=ctx.new_id("ret"), lot_id=lot.id, resident_id=cmd.resident_id, pieces=0,
                          unused_returned=cmd.unused_pieces, scrap_returned=cmd.scrap_pieces,
                          actor=actor.username, at=ctx.now)
    # Unused materials go back to the lot so they can be issued again.
    lot.pieces_issued -= cmd.unused_pieces
    session.add_all([issue, lot])
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="materials.return", subject=lot.id,
          unused=cmd.unused_pieces, scrap=cmd.scrap_pieces)
    return issue, [MaterialsReturned(**ctx.envelope(lot.community_id), return_id=issue.id, lot_id=lot.id,
                                     resident_id=cmd.resident_id, unused_pieces=cmd.unused_pieces,
                                     scrap_pieces=cmd.scrap_pieces, actor=actor.username)]


@keyed(Submission)
def submit_output(session: Session, resident_id: str, cmd: c.SubmitOutput, *, actor: Actor,
                  ctx: Context) -> tuple[Submission, list[Event]]:
    """Hand in finished pieces (partial submissions allowed); never more than were issued."""
    lot = locked_lot(session, cmd.lot_id)
    actor.require_resident(resident_id, lot.community_id)
    if lot.resident_id != resident_id or lot.status not in lot_life.HOLDING:
        raise Rejected("lot_id", "这个批次不在这位居民手上 / this lot is not in work with this resident")
    with refused_as("pieces", Rejected):
        split = lot_life.hand_in(lot.status, lot_counts(lot), cmd.pieces)
    on_behalf = actor.on_behalf(resident_id)
    sub = Submission(id=ctx.new_id("sub"), lot_id=lot.id, resident_id=resident_id, pieces=cmd.pieces,
                     minutes_spent=cmd.minutes_spent, actor=actor.username, on_behalf=on_behalf,
                     submitted_at=ctx.now)
    # First hand-ins and rework handed in again are counted apart, so a lot never reports more than it holds.
    lot.pieces_submitted += split.first
    lot.pieces_resubmitted += split.again
    lot.pieces_pending += cmd.pieces
    session.add_all([sub, lot])
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="output.submit", subject=lot.id,
          on_behalf_of=resident_id if on_behalf else None, pieces=cmd.pieces)
    return sub, [OutputSubmitted(**ctx.envelope(lot.community_id), submission_id=sub.id, lot_id=lot.id,
                                 resident_id=resident_id, pieces=cmd.pieces, actor=actor.username,
                                 on_behalf=on_behalf)]


@keyed(Inspection)
def record_inspection(session: Session, cmd: c.RecordInspection, *, actor: Actor, ctx: Context,
                      automatic: bool = False, approved: bool = False) -> tuple[Inspection, list[Event]]:
    """Record passed and rejected pieces; a correction supersedes an earlier inspection of the submission.

    Correcting frozen pay (a closed period's, or an automatic acceptance) is refused with a Conflict naming
    corrects_inspection_id unless `approved` (a second coordinator approved it: usecases.corrections).
    """
    actor.require("coordinator")
    sub = session.get(Submission, cmd.submission_id, with_for_update=True)
    if sub is None:
        raise NotFound("submission_id", f"no such submission: {cmd.submission_id}")
    lot = locked_lot(session, sub.lot_id)
    actor.require_community(lot.community_id)
    if cmd.passed + cmd.rejected != sub.pieces:
        raise Rejected("passed", f"合格件数加不合格件数须等于交来的 {sub.pieces} 件 / passed + rejected must "
                                 f"equal the {sub.pieces} pieces submitted")
    product = _product_of(session, lot)
    # A product's entry is 'D01 松结'; the code alone or the whole entry is accepted, and the code is recorded.
    codes, unknown = codes_of(cmd.defect_codes, product.defect_codes)
    if unknown:
        raise Rejected("defect_codes", f"产品 {product.code} 没有这些缺陷代码：{'、'.join(unknown)} / "
                                       f"not defect codes of {product.code}: {', '.join(unknown)}")
    cmd = cmd.model_copy(update={"defect_codes": codes})
    if cmd.rejected and not cmd.defect_codes:
        raise Rejected("defect_codes", "有不合格件时须至少填一个缺陷代码 / rejected pieces need at "
                                       "least one defect code")
    previous = _previous(session, sub, cmd.corrects_inspection_id)
    if previous is not None and not approved and why_second_pair(session, previous, lot.community_id):
        raise Conflict("corrects_inspection_id", "此验收的工资已结账（或为自动验收），更正须写明原因并由另一位"
                                                 "社区工作者批准：请提交更正申请 / correcting frozen pay needs a "
                                                 "reason and a second coordinator: POST /api/v1/correction-requests")
    _apply_counts(lot, previous, undo=True)
    inspection = Inspection(
        id=ctx.new_id("ins"), submission_id=sub.id, lot_id=lot.id, resident_id=sub.resident_id,
        passed=cmd.passed, rejected=cmd.rejected, defect_codes=list(cmd.defect_codes), rework=cmd.rework,
        photo_ref=cmd.photo_ref, piece_rate_centifen=lot.piece_rate_centifen or 0,
        quality_bonus_fen_per_piece=_order_of(session, lot).quality_bonus_fen_per_piece,
        corrects_inspection_id=previous.id if previous else None, automatic=automatic, actor=actor.username,
        inspected_at=ctx.now)
    _apply_counts(lot, inspection, undo=False)
    if lot.pieces_passed > lot.pieces:
        raise Rejected("passed", f"这个批次只有 {lot.pieces} 件，这样合格的会有 {lot.pieces_passed} 件 / the lot has "
                                 f"only {lot.pieces} pieces; {lot.pieces_passed} would have passed")
    if lot_counts(lot).awaiting_rework < 0:
        # Only a correction can get here: its rejected pieces went back for rework and were resubmitted since.
        raise Rejected("corrects_inspection_id", "退回返工的件已重新交来，请验收重新交来的那次 / the pieces sent "
                                                 "back for rework were resubmitted since; inspect the resubmission "
                                                 "instead")
    if previous:
        previous.superseded = True
        session.add(previous)
    sub.status = submission_life.inspect(sub.status, automatic=automatic)
    _learn(session, sub, inspection, product.skill, previous)
    lot.status = lot_life.after_inspection(lot.status, lot_counts(lot))
    session.add_all([inspection, sub, lot])
    settled = settle_order(session, lot.order_id, ctx)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="inspection.record",
          subject=inspection.id, passed=cmd.passed, rejected=cmd.rejected, corrects=inspection.corrects_inspection_id)
    return inspection, [InspectionRecorded(
        **ctx.envelope(lot.community_id), inspection_id=inspection.id, submission_id=sub.id, lot_id=lot.id,
        resident_id=sub.resident_id, passed=cmd.passed, rejected=cmd.rejected, defect_codes=list(cmd.defect_codes),
        corrects_inspection_id=inspection.corrects_inspection_id, automatic=automatic, actor=actor.username),
        *settled]


def auto_accept_due(session: Session, *, ctx: Context, limit: int = 200) -> list[Event]:
    """Submissions left uninspected past the delay pass automatically, so nobody waits forever to be paid."""
    cutoff = ctx.now - timedelta(hours=ctx.settings.auto_accept_hours)
    due = session.exec(select(Submission).where(Submission.status == submission_life.SubmissionStatus.PENDING,
                                                Submission.submitted_at <= cutoff)
                       .limit(limit)).all()
    events: list[Event] = []
    for sub in due:
        _, evs = record_inspection(session, c.RecordInspection(submission_id=sub.id, passed=sub.pieces, rejected=0),
                                   actor=SYSTEM, ctx=ctx, automatic=True)
        events += evs
    return events


def _apply_counts(lot: Lot, inspection: Inspection | None, *, undo: bool) -> None:
    """Move a submission's pieces between pending and passed/rejected; rework pieces go back to the resident."""
    if inspection is None:
        return
    sign = -1 if undo else 1
    lot.pieces_pending -= sign * (inspection.passed + inspection.rejected)
    lot.pieces_passed += sign * inspection.passed
    if not inspection.rework:
        lot.pieces_rejected += sign * inspection.rejected


def _previous(session: Session, sub: Submission, corrects_id: str | None) -> Inspection | None:
    current = session.exec(select(Inspection).where(Inspection.submission_id == sub.id,
                                                    Inspection.superseded == False)).first()  # noqa: E712
    if corrects_id is None:
        if current is not None:
            raise Conflict("submission_id", f"这次交货已验收（{current.id}），如要更正请写明要更正的验收 / already "
                                              f"inspected as {current.id}; send corrects_inspection_id")
        return None
    if current is None or current.id != corrects_id:
        raise Rejected("corrects_inspection_id", "须写明这次交货当前有效的那条验收 / must name the current "
                                                 "inspection of this submission")
    return current


def _learn(session: Session, sub: Submission, ins: Inspection, skill: str, previous: Inspection | None) -> None:
    """Pass rate and observed speed are learned from inspections."""
    resident = session.get(Resident, sub.resident_id)
    assert resident is not None
    if previous is None:
        resident.pieces_inspected += ins.passed + ins.rejected
        if sub.minutes_spent and sub.pieces:
            observed = sub.pieces * 60 / sub.minutes_spent
            old = resident.pieces_per_hour.get(skill)
            speeds = dict(resident.pieces_per_hour)
            speeds[skill] = round(observed if old is None else 0.7 * float(old) + 0.3 * observed, 3)
            resident.pieces_per_hour = speeds
    resident.pieces_passed += ins.passed - (previous.passed if previous else 0)
    session.add(resident)


def _held_lot(session: Session, lot_id: str, resident_id: str, actor: Actor) -> Lot:
    lot = locked_lot(session, lot_id)
    actor.require_community(lot.community_id)
    if lot.resident_id != resident_id or lot.status not in lot_life.HOLDING:
        # Named as people name them (批次 串珠-1201-01, 居民 王秀英), never by id, in the Chinese half.
        lot_name = lot_names(session, [lot_id])[lot_id].code
        who = resident_names(session, [resident_id]).get(resident_id, resident_id)
        raise Rejected("lot_id", f"批次 {lot_name} 不是居民 {who} 接下的 / lot {lot_id} is not accepted by "
                                 f"resident {resident_id}")
    return lot


def lot_counts(lot: Lot) -> lot_life.LotCounts:
    """A lot row's pieces as the lifecycle counts them."""
    return lot_life.LotCounts(pieces=lot.pieces, issued=lot.pieces_issued, submitted=lot.pieces_submitted,
                              resubmitted=lot.pieces_resubmitted, pending=lot.pieces_pending,
                              passed=lot.pieces_passed, rejected=lot.pieces_rejected)



def _order_of(session: Session, lot: Lot) -> Order:
    order = session.get(Order, lot.order_id)
    assert order is not None
    return order


def _product_of(session: Session, lot: Lot) -> Product:
    product = session.get(Product, _order_of(session, lot).product_code)
    assert product is not None
    return product
