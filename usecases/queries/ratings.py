"""Actor-scoped reads of ratings of service (服务评价) and volunteer tasks.

A resident sees what they may still rate and their own ratings; a coordinator sees the ratings of their
communities without any rater: no resident, no act id (an offer or hand-in id leads back to a resident), only the
kind of act, who helped, the stars, the comment and the month.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, func, select

from domain.points import month_of
from store.tables import (
    HelperPointEntry,
    LedgerEntry,
    Lot,
    Offer,
    Redemption,
    Resident,
    ServiceRating,
    Submission,
    User,
)
from usecases.actors import Actor
from usecases.errors import Forbidden, NotFound, Rejected
from usecases.queries.names import lot_names
from usecases.ratings import offer_helper

COORDINATOR_ZH = "社区工作者"  # who helps a resident (代办, dispatch) when no display name says who
KIND_ZH = {"lot": "批次工钱已入账", "offer": "代为接单", "submission": "代为交货", "redemption": "代为兑换"}


class RateableAct(BaseModel):
    """An act the resident may rate: kind, id, what it was (Chinese), when, who acted for them."""

    act_kind: str
    act_id: str
    what_zh: str
    at: datetime
    helper: str | None
    helper_name: str | None = None  # the helper as people name them (users.display_name), issue 15
    lot_id: str | None = None  # the lot the act was about (None for a redemption)
    lot_label: str | None = None  # that lot as she knows it: '包装-1126-06 · 小件包装' (short code, product)


class MyRating(BaseModel):
    """A resident's own rating."""

    id: str
    act_kind: str
    act_id: str
    stars: int
    comment: str
    via: str
    rated_at: datetime
    withdrawn: bool


class AnonymousRating(BaseModel):
    """A rating as a coordinator sees it: never who gave it."""

    act_kind: str
    what_zh: str
    helper: str | None
    stars: int
    comment: str
    month: str


def rateable_acts(session: Session, actor: Actor, resident_id: str | None = None, *, limit: int | None = None,
                  offset: int = 0) -> list[RateableAct]:
    """A resident's acts not yet rated, newest first (ties by kind and id, so pages never overlap): lots paid and
    acts done on their behalf; `limit` of them (None: all) from `offset`."""
    rid = _resident(session, actor, resident_id)
    rated = set(session.exec(select(ServiceRating.act_key).where(ServiceRating.resident_id == rid)).all())
    acts: list[RateableAct] = []
    for o in session.exec(select(Offer).where(Offer.resident_id == rid, col(Offer.on_behalf).is_(True))).all():
        helper = offer_helper(session, o.id, rid)
        if helper:
            acts.append(_act("offer", o.id, o.decided_at or o.offered_at, helper, o.lot_id))
    for s in session.exec(select(Submission).where(Submission.resident_id == rid,
                                                   col(Submission.on_behalf).is_(True))).all():
        acts.append(_act("submission", s.id, s.submitted_at, s.actor, s.lot_id))
    for r in session.exec(select(Redemption).where(Redemption.resident_id == rid,
                                                   col(Redemption.on_behalf).is_(True))).all():
        acts.append(_act("redemption", r.id, r.at, r.actor))
    paid = session.exec(select(Lot.id, LedgerEntry.posted_at).join(LedgerEntry, col(LedgerEntry.lot_id) == Lot.id)
                        .where(Lot.resident_id == rid, LedgerEntry.resident_id == rid,
                               col(LedgerEntry.amount_fen) > 0)).all()
    first_paid: dict[str, datetime] = {}
    for lot_id, at in paid:
        first_paid[lot_id] = min(at, first_paid.get(lot_id, at))
    acts += [_act("lot", lot_id, at, None, lot_id) for lot_id, at in first_paid.items()]
    fresh = sorted((a for a in acts if f"{a.act_kind}:{a.act_id}" not in rated),
                   key=lambda a: (a.at, a.act_kind, a.act_id), reverse=True)
    shown = fresh[offset:None if limit is None else offset + limit]
    names = helper_names(session, [a.helper for a in shown])
    lots = lot_labels(session, [a.lot_id for a in shown if a.lot_id])
    return [a.model_copy(update={"helper_name": names.get(a.helper) if a.helper else None,
                                 "lot_label": lots.get(a.lot_id) if a.lot_id else None}) for a in shown]


def lot_labels(session: Session, lot_ids: list[str]) -> dict[str, str]:
    """lot id → '包装-1126-06 · 小件包装' (short code and product; an older lot '小件包装-第3批': LotName.titled): the
    lot a rating card is about, as the resident knows it from her offers and slips (a bare '批次工钱已入账' and a
    date named nothing)."""
    return {lot_id: lot.titled for lot_id, lot in lot_names(session, lot_ids).items()}


def helper_names(session: Session, usernames: list[str | None]) -> dict[str, str]:
    """username → the helper as residents know them: the display name ('第1社区工作者', '李梅'), or without one the role
    word COORDINATOR_ZH ('社区工作者'), never the sign-in name: 代办人 on rating cards, who dispatched an offer."""
    wanted = sorted({u for u in usernames if u})
    if not wanted:
        return {}
    found = dict(session.exec(select(User.username, User.display_name).where(col(User.username).in_(wanted))).all())
    return {u: (found.get(u) or "").strip() or COORDINATOR_ZH for u in wanted}


def _act(kind: str, act_id: str, at: datetime, helper: str | None, lot_id: str | None = None) -> RateableAct:
    return RateableAct(act_kind=kind, act_id=act_id, what_zh=KIND_ZH[kind], at=at, helper=helper, lot_id=lot_id)


def my_ratings(session: Session, actor: Actor, resident_id: str | None = None, *, limit: int | None = None,
               offset: int = 0) -> list[MyRating]:
    """A resident's own ratings, newest first (ties by id), `limit` (None: all) from `offset`; only the resident
    reads them (never a coordinator: no names)."""
    actor.require("resident")
    rid = _resident(session, actor, resident_id)
    rows = session.exec(select(ServiceRating).where(ServiceRating.resident_id == rid)
                        .order_by(col(ServiceRating.rated_at).desc(), col(ServiceRating.id).desc())
                        .offset(offset).limit(limit)).all()
    return [MyRating(id=r.id, act_kind=r.act_kind, act_id=r.act_id, stars=r.stars, comment=r.comment, via=r.via,
                     rated_at=r.rated_at, withdrawn=r.withdrawn_at is not None) for r in rows]


def community_ratings(session: Session, actor: Actor, community_id: str) -> list[AnonymousRating]:
    """A community's ratings for its coordinators and the city, anonymous, grouped by month (newest first)."""
    actor.require("coordinator", "city")
    actor.require_community(community_id)
    rows = session.exec(select(ServiceRating).where(ServiceRating.community_id == community_id,
                                                    col(ServiceRating.withdrawn_at).is_(None))).all()
    views = [AnonymousRating(act_kind=r.act_kind, what_zh=KIND_ZH.get(r.act_kind, r.act_kind), helper=r.helper,
                             stars=r.stars, comment=r.comment, month=month_of(r.rated_at)) for r in rows]
    # by month, then by stars and comment: the order of giving would hint at who gave what. Every field is in the
    # key, so rows that tie look alike and a page boundary cannot show one twice and another never.
    return sorted(views, key=lambda v: (v.month, v.stars, v.comment, v.act_kind, v.helper or ""), reverse=True)


def _resident(session: Session, actor: Actor, resident_id: str | None) -> str:
    if actor.role == "resident":
        if resident_id not in (None, actor.resident_id):
            raise Forbidden("resident_id", "只能查看自己的评价 (you may see only your own ratings)")
        assert actor.resident_id is not None
        return actor.resident_id
    if actor.role != "coordinator" or not resident_id:
        raise Rejected("resident_id", "须写明居民 (say which resident)")
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound("resident_id", f"没有这位居民 (no such resident): {resident_id}")
    actor.require_resident(resident.id, resident.community_id)
    return resident_id


class HelperPointsView(BaseModel):
    """A helper's points for 代办 acts: the total and per month (never who rated)."""

    helper: str
    total: int
    by_month: dict[str, int]


def helper_points(session: Session, actor: Actor, helper: str | None = None) -> HelperPointsView:
    """A helper's own points (a coordinator reads their own; the city anyone's)."""
    actor.require("coordinator", "city")
    who = helper or actor.username
    if actor.role == "coordinator" and who != actor.username:
        raise Forbidden("helper", "只能查看自己的服务积分 (you may see only your own service points)")
    rows = session.exec(select(HelperPointEntry.month, func.sum(HelperPointEntry.points))
                        .where(HelperPointEntry.helper == who).group_by(col(HelperPointEntry.month))).all()
    by_month = {month: int(total) for month, total in rows}
    return HelperPointsView(helper=who, total=sum(by_month.values()), by_month=dict(sorted(by_month.items())))
