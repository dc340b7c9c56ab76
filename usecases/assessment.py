"""Assessment of coordinators (社区工作者考核): the table the city reads, a coordinator's own view, the scores and
weights the city enters, and the quarterly star rating (星级评定) of helpers and stations.

The computation is domain.assessment's; here are the reads it needs and who may see what: the city sees every
coordinator, a coordinator only themself. Satisfaction is always anonymous: counts, stars and comments, never a
rater (no resident id, no act id that would lead to one).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, func, or_, select

from domain.assessment import Indicators, Policy, assess, parse_period, satisfaction, star_rating
from schemas.envelope import Event
from schemas.service import EnterAssessmentScores, SetAssessmentPolicy
from store.outbox import audit
from store.tables import AssessmentPolicy, AssessmentScore, Community, HelperPointEntry, PointEntry, ServiceRating, User
from usecases.actors import Actor
from usecases.assessment_record import indicators
from usecases.context import Context
from usecases.errors import Forbidden, NotFound, Rejected


class SatisfactionView(BaseModel):
    """Anonymous satisfaction: how many raters and ratings, stars 1..5 counted, the score (None: 评价人数不足)."""

    raters: int
    ratings: int
    min_raters: int
    score: float | None
    stars: dict[int, int]
    comments: list[str]


class AssessmentRow(BaseModel):
    """One coordinator's assessment for a period; total 0–100 (None with `note` saying why), grade of four."""

    coordinator: str
    display_name: str
    district: str
    communities: list[str]
    period: str
    indicators: dict[str, int]
    satisfaction: SatisfactionView
    street_score: int | None
    peer_score: int | None
    weights: dict[str, int]
    total: float | None
    grade: str | None
    note: str
    community_names: list[str] = []  # as `communities`, by name ('南京东路社区'), issue 15
    street: str = ""  # the street (街道) of the coordinator's communities, joined with '、' when several


class StarRow(BaseModel):
    subject: str
    kind: str  # helper | station
    points: int
    ratings: int
    mean_stars: float | None
    stars: int | None
    name: str = ""  # how people name the subject: a helper's display name, a station's community name (issue 15)


def assessment_table(session: Session, actor: Actor, period: str, *, limit: int | None = None,
                     offset: int = 0) -> list[AssessmentRow]:
    """Every coordinator's row (city), or the coordinator's own row, by username: `limit` of them (None: all) from
    `offset` (only those rows are computed). Forbidden for other roles."""
    actor.require("city", "coordinator")
    query = select(User).where(User.role == "coordinator").order_by(col(User.username))
    if actor.role == "coordinator":
        query = query.where(User.username == actor.username)
    return [_row(session, user, period) for user in session.exec(query.offset(offset).limit(limit)).all()]


def assessment_of(session: Session, actor: Actor, coordinator: str, period: str) -> AssessmentRow:
    """One coordinator's row (drill-down); a coordinator may read only their own."""
    actor.require("city", "coordinator")
    if actor.role == "coordinator" and actor.username != coordinator:
        raise Forbidden("coordinator", "只能查看自己的考核 (you may see only your own assessment)")
    user = session.exec(select(User).where(User.username == coordinator, User.role == "coordinator")).first()
    if user is None:
        raise NotFound("coordinator", f"没有这位社区工作者 (no such coordinator): {coordinator}")
    return _row(session, user, period)


def _row(session: Session, user: User, period: str) -> AssessmentRow:
    start, end = _bounds(period)
    communities = [str(c) for c in user.community_ids]
    district = _district(session, communities)
    policy = policy_of(session, district)
    ratings = _ratings(session, user.username, communities, start, end)
    sat = satisfaction(((r.resident_id, r.stars) for r in ratings), min_raters=policy.min_raters)
    scores = session.exec(select(AssessmentScore).where(AssessmentScore.coordinator == user.username,
                                                        AssessmentScore.period == period)).first()
    result = assess(sat, street_score=scores.street_score if scores else None,
                    peer_score=scores.peer_score if scores else None, policy=policy)
    found: Indicators = indicators(session, user.username, communities, start, end)
    places = {c.id: c for c in session.exec(select(Community).where(col(Community.id).in_(communities)))}
    return AssessmentRow(
        coordinator=user.username, display_name=user.display_name or user.username, district=district,
        communities=communities, period=period,
        community_names=[places[c].name if c in places else c for c in communities],
        street="、".join(dict.fromkeys(places[c].street for c in communities if c in places and places[c].street)),
        indicators={**found.__dict__, "income_per_person_fen": found.income_per_person_fen},
        satisfaction=SatisfactionView(
            raters=sat.raters, ratings=sat.ratings, min_raters=policy.min_raters,
            score=None if sat.score_tenths is None else sat.score_tenths / 10,
            stars={s: sum(1 for r in ratings if r.stars == s) for s in range(1, 6)},
            comments=sorted(r.comment for r in ratings if r.comment)),  # sorted: no order that hints at who
        street_score=result.street_score, peer_score=result.peer_score,
        weights={"residents": policy.resident_weight_pct, "street": policy.street_weight_pct,
                 "peers": policy.peer_weight_pct},
        total=None if result.total_tenths is None else result.total_tenths / 10, grade=result.grade,
        note=result.note)


def _ratings(session: Session, username: str, communities: list[str], start: datetime,
             end: datetime) -> list[ServiceRating]:
    """The ratings of this coordinator's service: acts they did for residents, and lots paid in their communities;
    never one they recorded themselves on a resident's behalf (a rating of one's own service entered by oneself:
    coord1 gave her own 代办 acts 5★ and her satisfaction counted them, new-user trial of 2026-12-01; the points rule
    gives such a rating no points either, domain.points.service.act_points)."""
    return list(session.exec(select(ServiceRating).where(
        col(ServiceRating.community_id).in_(communities), col(ServiceRating.rated_at) >= start,
        col(ServiceRating.rated_at) < end, col(ServiceRating.withdrawn_at).is_(None),
        ServiceRating.recorded_by != username,
        or_(ServiceRating.helper == username, col(ServiceRating.helper).is_(None)))).all())


def _bounds(period: str) -> tuple[datetime, datetime]:
    try:
        return parse_period(period)
    except ValueError as exc:
        raise Rejected("period", str(exc)) from None


def _district(session: Session, communities: list[str]) -> str:
    row = session.exec(select(Community.district).where(col(Community.id).in_(communities))
                       .order_by(col(Community.id))).first()
    return row or ""


def policy_of(session: Session, district: str) -> Policy:
    """A district's policy, or the defaults (60/30/10, 10 raters, 90/70/60) when it set none."""
    row = session.get(AssessmentPolicy, district) if district else None
    if row is None:
        return Policy()
    return Policy(resident_weight_pct=row.resident_weight_pct, street_weight_pct=row.street_weight_pct,
                  peer_weight_pct=row.peer_weight_pct, min_raters=row.min_raters, excellent_from=row.excellent_from,
                  competent_from=row.competent_from, basic_from=row.basic_from)


def enter_scores(session: Session, cmd: EnterAssessmentScores, *, actor: Actor,
                 ctx: Context) -> tuple[AssessmentScore, list[Event]]:
    """The city enters (or corrects) a coordinator's street and peer scores for a period; audited."""
    actor.require("city")
    _bounds(cmd.period)
    if session.exec(select(User.id).where(User.username == cmd.coordinator, User.role == "coordinator")).first() \
            is None:
        raise NotFound("coordinator", f"没有这位社区工作者 (no such coordinator): {cmd.coordinator}")
    row = session.exec(select(AssessmentScore).where(AssessmentScore.coordinator == cmd.coordinator,
                                                     AssessmentScore.period == cmd.period)
                       .with_for_update()).first() or AssessmentScore(coordinator=cmd.coordinator, period=cmd.period,
                                                                      street_score=0, peer_score=0, entered_by="",
                                                                      entered_at=ctx.now)
    row.street_score, row.peer_score, row.entered_by, row.entered_at = (cmd.street_score, cmd.peer_score,
                                                                        actor.username, ctx.now)
    session.add(row)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="assessment.scores",
          subject=f"{cmd.coordinator}:{cmd.period}", street_score=cmd.street_score, peer_score=cmd.peer_score)
    return row, []


def set_policy(session: Session, cmd: SetAssessmentPolicy, *, actor: Actor,
               ctx: Context) -> tuple[AssessmentPolicy, list[Event]]:
    """The city sets a district's weights, minimum raters and thresholds; Rejected naming what is inconsistent."""
    actor.require("city")
    fields = cmd.model_dump(exclude={"district"})
    try:
        Policy(**fields)
    except ValueError as exc:
        raise Rejected("weights", f"考核权重或分档无效 (invalid weights or thresholds): {exc}") from None
    row = session.get(AssessmentPolicy, cmd.district, with_for_update=True) or AssessmentPolicy(
        district=cmd.district, set_by=actor.username, set_at=ctx.now, **fields)
    for name, value in fields.items():
        setattr(row, name, value)
    row.set_by, row.set_at = actor.username, ctx.now
    session.add(row)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="assessment.policy",
          subject=cmd.district, **fields)
    return row, []


def star_ratings(session: Session, actor: Actor, quarter: str) -> list[StarRow]:
    """The quarter's star rating (YYYY-Qn) of helpers (their 代办 points and ratings) and stations (communities:
    their residents' points and all ratings there); the city sees all, a coordinator their communities."""
    actor.require("city", "coordinator")
    if "-Q" not in quarter:
        raise Rejected("quarter", f"星级评定按季度，写作 2026-Q4 (a quarter: YYYY-Qn): {quarter!r}")
    start, end = _bounds(quarter)
    months = sorted({f"{start.year}-{m:02d}" for m in range(start.month, start.month + 3)})
    visible = [c for c in session.exec(select(Community.id).order_by(col(Community.id))).all()
               if actor.may_see_community(c)]
    ratings = session.exec(select(ServiceRating).where(col(ServiceRating.community_id).in_(visible),
                                                       col(ServiceRating.rated_at) >= start,
                                                       col(ServiceRating.rated_at) < end,
                                                       col(ServiceRating.withdrawn_at).is_(None))).all()
    helper_points = dict(session.exec(select(HelperPointEntry.helper, func.sum(HelperPointEntry.points)).where(
        col(HelperPointEntry.community_id).in_(visible), col(HelperPointEntry.month).in_(months))
        .group_by(col(HelperPointEntry.helper))).all())
    station_points = dict(session.exec(select(PointEntry.community_id, func.sum(PointEntry.points)).where(
        col(PointEntry.community_id).in_(visible), col(PointEntry.month).in_(months),
        PointEntry.kind != "redemption").group_by(col(PointEntry.community_id))).all())
    rows: list[StarRow] = []
    helpers = sorted({r.helper for r in ratings if r.helper} | set(helper_points))
    people = dict(session.exec(select(User.username, User.display_name).where(col(User.username).in_(helpers))).all())
    for helper in helpers:
        rows.append(_star(helper, "helper", int(helper_points.get(helper, 0)),
                          [r.stars for r in ratings if r.helper == helper and r.recorded_by != helper]).model_copy(
                              update={"name": people.get(helper) or helper}))
    places = dict(session.exec(select(Community.id, Community.name).where(col(Community.id).in_(visible))).all())
    for community in visible:
        rows.append(_star(community, "station", int(station_points.get(community, 0)),
                          [r.stars for r in ratings if r.community_id == community]).model_copy(
                              update={"name": places.get(community) or community}))
    return rows


def _star(subject: str, kind: str, points: int, stars: list[int]) -> StarRow:
    rated = star_rating(subject, points=points, stars_received=stars)
    return StarRow(subject=subject, kind=kind, points=points, ratings=rated.ratings,
                   mean_stars=None if rated.mean_stars_tenths is None else rated.mean_stars_tenths / 10,
                   stars=rated.stars)
