"""Ratings of service (服务评价) and volunteer tasks (志愿服务): what residents rate and coordinators record.

A resident may rate, once, each lot of theirs that was paid (its piece pay is on the ledger) and each act someone
did on their behalf (代办: an offer answered, a hand-in, a redemption at the counter), on the phone or through a
coordinator. The rating is stored with the resident's id (so the same resident cannot rate an act twice: 409)
but the event and every coordinator's view carry only the helper and the stars. The points consumer scores the
event (domain.points.service).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from schemas.envelope import Event
from schemas.events.service import RatingWithdrawn, ServiceRated, VolunteerTaskRecorded, VolunteerTaskWithdrawn
from schemas.service import RateService, RecordVolunteerTask, WithdrawRating, WithdrawVolunteerTask
from store.outbox import audit
from store.tables import (
    AuditRecord,
    LedgerEntry,
    Lot,
    Offer,
    Redemption,
    Resident,
    ServiceRating,
    Submission,
    VolunteerTask,
)
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, Forbidden, NotFound, Rejected
from usecases.receipts import keyed


@dataclass(frozen=True)
class Act:
    """An act a resident may rate: kind, id, whose it was, the community, and who acted for them (None: a lot)."""

    kind: str
    id: str
    resident_id: str
    community_id: str
    helper: str | None


def find_act(session: Session, kind: str, act_id: str) -> Act | None:
    """The rateable act of this kind and id, or None when there is none (or it was no 代办 / not paid yet)."""
    if kind == "offer":
        offer = session.get(Offer, act_id)
        helper = offer_helper(session, act_id, offer.resident_id) if offer and offer.on_behalf else None
        if offer and helper:
            return Act(kind, act_id, offer.resident_id, offer.community_id, helper)
    elif kind == "submission":
        sub = session.get(Submission, act_id)
        lot = session.get(Lot, sub.lot_id) if sub else None
        if sub and lot and sub.on_behalf:
            return Act(kind, act_id, sub.resident_id, lot.community_id, sub.actor)
    elif kind == "redemption":
        done = session.get(Redemption, act_id)
        if done and done.on_behalf:
            return Act(kind, act_id, done.resident_id, done.community_id, done.actor)
    elif kind == "lot":
        lot = session.get(Lot, act_id)
        if lot and lot.resident_id and _paid(session, lot):
            return Act(kind, act_id, lot.resident_id, lot.community_id, None)
    return None


def offer_helper(session: Session, offer_id: str, resident_id: str) -> str | None:
    """Who answered the offer for the resident, from the audit trail (the offer's decided_by is overwritten when a
    coordinator later withdraws it, so it may name someone else)."""
    return session.exec(select(AuditRecord.actor).where(
        col(AuditRecord.action).in_(("offer.accept", "offer.decline")), AuditRecord.subject == offer_id,
        AuditRecord.on_behalf_of == resident_id).order_by(col(AuditRecord.at))).first()


def _paid(session: Session, lot: Lot) -> bool:
    """A lot counts as paid once piece pay for it is on the ledger (the earnings consumer posted it)."""
    return session.exec(select(LedgerEntry.id).where(LedgerEntry.lot_id == lot.id,
                                                     LedgerEntry.resident_id == lot.resident_id,
                                                     col(LedgerEntry.amount_fen) > 0).limit(1)).first() is not None


def rate_service(session: Session, cmd: RateService, *, actor: Actor,
                 ctx: Context) -> tuple[ServiceRating, list[Event]]:
    """Record a resident's rating of an act; Conflict (409) on a second rating of the same act by them.

    Raises NotFound (act_id) for an act that is not rateable: unknown, not done on their behalf, or not paid yet.
    """
    actor.require("resident", "coordinator")
    resident_id = _rater(cmd.resident_id, actor)
    act = find_act(session, cmd.act_kind, cmd.act_id)
    if act is None or act.resident_id != resident_id:
        raise NotFound("act_id", f"没有可评价的服务 (nothing of yours to rate): {cmd.act_kind} {cmd.act_id}")
    actor.require_resident(act.resident_id, act.community_id)
    key = f"{act.kind}:{act.id}"
    if session.exec(select(ServiceRating.id).where(ServiceRating.resident_id == resident_id,
                                                   ServiceRating.act_key == key)).first():
        raise Conflict("act_id", "这项服务已评价过，每项只能评价一次 (this service was already rated: once per act)")
    via = "phone" if actor.role == "resident" else "coordinator"
    rating = ServiceRating(id=ctx.new_id("rtg"), act_key=key, act_kind=act.kind, act_id=act.id,
                           resident_id=resident_id, community_id=act.community_id, helper=act.helper,
                           stars=cmd.stars, comment=cmd.comment.strip(), via=via, recorded_by=actor.username,
                           rated_at=ctx.now)
    session.add(rating)
    try:
        session.flush()  # two ratings of one act racing: the unique constraint decides, as a 409
    except IntegrityError:
        raise Conflict("act_id", "这项服务已评价过，每项只能评价一次 (this service was already rated)") from None
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="service.rate", subject=rating.id,
          on_behalf_of=resident_id if actor.on_behalf(resident_id) else None, act=key, stars=cmd.stars)
    return rating, [ServiceRated(**ctx.envelope(act.community_id), rating_id=rating.id, act_kind=act.kind,  # type: ignore[arg-type]
                                 act_id=act.id, helper=act.helper, stars=cmd.stars,
                                 self_recorded=act.helper is not None and act.helper == actor.username)]


def withdraw_rating(session: Session, rating_id: str, cmd: WithdrawRating, *, actor: Actor,
                    ctx: Context) -> tuple[ServiceRating, list[Event]]:
    """The resident who gave a rating, or the city, withdraws it; its helper's points are reversed.

    Not a coordinator: a helper must not be able to remove the ratings of their own service. The act stays rated
    (one rating per act). NotFound for another resident's rating; Conflict (409) when withdrawn already.
    """
    actor.require("resident", "city")
    rating = session.get(ServiceRating, rating_id, with_for_update=True)
    if rating is None or (actor.role == "resident" and rating.resident_id != actor.resident_id):
        raise NotFound("rating_id", f"没有这条评价 (no such rating of yours): {rating_id}")
    if rating.withdrawn_at is not None:
        raise Conflict("rating_id", "这条评价已撤回 (this rating was withdrawn already)")
    rating.withdrawn_at, rating.withdrawn_by = ctx.now, actor.username
    session.add(rating)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="service.rating_withdrawn",
          subject=rating.id, reason=cmd.reason.strip())
    return rating, [RatingWithdrawn(**ctx.envelope(rating.community_id), rating_id=rating.id, actor=actor.username,
                                    reason=cmd.reason.strip())]


def _rater(resident_id: str | None, actor: Actor) -> str:
    if actor.role == "resident":
        if resident_id not in (None, actor.resident_id):
            raise Forbidden("resident_id", "只能以自己的名义评价 (you may only rate for yourself)")
        assert actor.resident_id is not None
        return actor.resident_id
    if not resident_id:
        raise Rejected("resident_id", "代录评价须写明居民 (say which resident gives this rating)")
    return resident_id


@keyed(VolunteerTask)
def record_volunteer_task(session: Session, cmd: RecordVolunteerTask, *, actor: Actor,
                          ctx: Context) -> tuple[VolunteerTask, list[Event]]:
    """A coordinator records a resident's volunteer task; the points consumer scores it by the rule in force."""
    actor.require("coordinator")
    resident = session.get(Resident, cmd.resident_id)
    if resident is None:
        raise NotFound("resident_id", f"没有这位居民 (no such resident): {cmd.resident_id}")
    actor.require_community(resident.community_id)
    done_at = cmd.done_at or ctx.now
    if done_at > ctx.now:
        raise Rejected("done_at", f"志愿服务时间不能在将来 (a task cannot be in the future): {done_at.isoformat()}")
    task = VolunteerTask(id=ctx.new_id("vol"), community_id=resident.community_id, resident_id=resident.id,
                         task=cmd.task.strip(), minutes=cmd.minutes, done_at=done_at, recorded_by=actor.username,
                         recorded_at=ctx.now)
    session.add(task)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="volunteer.record", subject=task.id,
          resident_id=resident.id, minutes=cmd.minutes, task=task.task)
    return task, [VolunteerTaskRecorded(**ctx.envelope(task.community_id), task_id=task.id, resident_id=resident.id,
                                        minutes=task.minutes, done_at=done_at, actor=actor.username)]


def withdraw_volunteer_task(session: Session, task_id: str, cmd: WithdrawVolunteerTask, *, actor: Actor,
                            ctx: Context) -> tuple[VolunteerTask, list[Event]]:
    """Withdraw a task recorded in error; Conflict (409) when it was withdrawn already."""
    actor.require("coordinator")
    task = session.get(VolunteerTask, task_id, with_for_update=True)
    if task is None or not actor.may_see_community(task.community_id):
        raise NotFound("task_id", f"没有这项志愿服务记录 (no such volunteer task): {task_id}")
    if task.withdrawn_at is not None:
        raise Conflict("task_id", "这项志愿服务已撤销 (this task was withdrawn already)")
    task.withdrawn_at, task.withdrawn_by, task.withdraw_reason = ctx.now, actor.username, cmd.reason.strip()
    session.add(task)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="volunteer.withdraw", subject=task.id,
          reason=task.withdraw_reason)
    return task, [VolunteerTaskWithdrawn(**ctx.envelope(task.community_id), task_id=task.id,
                                         resident_id=task.resident_id, actor=actor.username,
                                         reason=task.withdraw_reason)]
