"""Actor-scoped reads of points (积分): a resident's own balance and lines, the shop, the monthly 公示.

A resident sees only their own points, and the 公示 of their own community (names masked: 张*梅); a coordinator
sees their communities; the city sees all.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, func, select

from domain.points import mask_name, month_bounds
from domain.sheets import Cell, Sheet, csv_safe, write_xlsx
from store.tables import Community, PointEntry, PointRuleVersion, Resident, ShopItem, VolunteerTask
from usecases.actors import Actor
from usecases.errors import Forbidden, NotFound, Rejected
from usecases.queries.ratings import helper_names

KIND_ZH = {"work": "按时交货验收合格", "reversal": "验收更正冲回", "redemption": "积分兑换", "volunteer": "志愿服务",
           "volunteer_reversal": "志愿服务撤销冲回"}


class PointLineView(BaseModel):
    entry_key: str
    kind: str
    kind_zh: str
    month: str
    points: int
    inspection_id: str | None
    redemption_id: str | None
    posted_at: datetime


class PointsView(BaseModel):
    """A resident's points: balance (earned − redeemed) and the newest lines first."""

    resident_id: str
    balance: int
    earned: int
    redeemed: int
    lines: list[PointLineView]


class PublicityRow(BaseModel):
    name: str  # masked: 张*梅
    earned: int
    redeemed: int


class PublicityView(BaseModel):
    """The monthly public list (积分公示) of a community: points earned and redeemed per person, names masked."""

    community_id: str
    community_name: str  # as people call it (幸福里社区); the list is printed and posted
    month: str
    rows: list[PublicityRow]
    total_earned: int
    total_redeemed: int


class ShopItemView(BaseModel):
    id: str
    community_id: str
    name: str
    price_points: int
    stock: int
    active: bool


class PointRuleView(BaseModel):
    community_id: str
    version: int
    fen_per_point: int
    passing_rate_bps: int
    high_pass_rate_bps: int
    high_pass_bonus_bps: int
    monthly_cap: int
    reason: str
    effective_at: datetime


def points_of(session: Session, actor: Actor, resident_id: str | None = None, *, limit: int | None = None,
              offset: int = 0) -> PointsView:
    """A resident's balance (over every line) and lines, newest first: `limit` lines (None: all) from `offset`.
    The resident's own, or a resident of the coordinator's communities."""
    resident_id = resident_id or actor.resident_id
    if not resident_id:
        raise Rejected("resident_id", "请写明居民 (say which resident)")
    resident = session.get(Resident, resident_id)
    if actor.role == "resident" and actor.resident_id != resident_id:
        raise Forbidden("resident_id", "只能查看自己的积分 (you may only see your own points)")
    if resident is None or (actor.role != "resident" and not actor.may_see_community(resident.community_id)):
        raise NotFound("resident_id", f"没有这位居民 (no such resident): {resident_id}")
    if actor.role not in ("resident", "coordinator", "city", "system"):
        raise Forbidden("role", f"{actor.role} 不能查看居民积分 (may not see residents' points)")
    earned, redeemed = session.exec(select(
        func.coalesce(func.sum(PointEntry.points).filter(col(PointEntry.kind) != "redemption"), 0),
        func.coalesce(func.sum(PointEntry.points).filter(col(PointEntry.kind) == "redemption"), 0))
        .where(PointEntry.resident_id == resident_id)).one()
    rows = session.exec(select(PointEntry).where(PointEntry.resident_id == resident_id)
                        .order_by(col(PointEntry.id).desc()).offset(offset).limit(limit)).all()
    return PointsView(resident_id=resident_id, balance=int(earned) + int(redeemed), earned=int(earned),
                      redeemed=-int(redeemed), lines=[_line(r) for r in rows])


def publicity(session: Session, actor: Actor, community_id: str, month: str) -> PublicityView:
    """A community's 公示 for a month (YYYY-MM): per person, points earned (net of reversals) and redeemed.

    Rejected naming `month` when it is not one (domain.points.month_bounds), Forbidden outside the actor's
    communities, NotFound naming `community_id` when there is no such community."""
    try:
        month_bounds(month)
    except ValueError:
        raise Rejected("month", f"月份格式应为 YYYY-MM (month must be YYYY-MM): {month!r}") from None
    _may_see_list(session, actor, community_id)
    community = session.get(Community, community_id)
    if community is None:  # the city may name any id: it printed an empty list headed by whatever was typed
        raise NotFound("community_id", f"没有这个社区 (no such community): {community_id}")
    rows = session.exec(select(
        PointEntry.resident_id,
        func.coalesce(func.sum(PointEntry.points).filter(col(PointEntry.kind) != "redemption"), 0),
        func.coalesce(func.sum(PointEntry.points).filter(col(PointEntry.kind) == "redemption"), 0))
        .where(PointEntry.community_id == community_id, PointEntry.month == month)
        .group_by(col(PointEntry.resident_id))).all()
    names = dict(session.exec(select(Resident.id, Resident.name).where(
        col(Resident.id).in_([r[0] for r in rows]))).all()) if rows else {}
    listed = [PublicityRow(name=mask_name(names.get(rid, "")), earned=int(e), redeemed=-int(r))
              for rid, e, r in rows if e or r]
    listed.sort(key=lambda p: (-p.earned, -p.redeemed, p.name))
    return PublicityView(community_id=community_id, community_name=community.name,
                         month=month, rows=listed,
                         total_earned=sum(p.earned for p in listed), total_redeemed=sum(p.redeemed for p in listed))


def shop_items(session: Session, actor: Actor, community_id: str, *, limit: int | None = None,
               offset: int = 0) -> list[ShopItemView]:
    """A community's shop by name (ties by id), `limit` (None: all) from `offset`: what its residents and
    coordinators may see."""
    _may_see_list(session, actor, community_id)
    items = session.exec(select(ShopItem).where(ShopItem.community_id == community_id)
                         .order_by(col(ShopItem.name), col(ShopItem.id)).offset(offset).limit(limit)).all()
    return [ShopItemView.model_validate(i, from_attributes=True) for i in items]


def point_rules(session: Session, actor: Actor, community_id: str, *, limit: int | None = None,
                offset: int = 0) -> list[PointRuleView]:
    """A community's point rule versions, oldest first (version is unique per community), `limit` (None: all)
    from `offset` (public to its residents: they are the rules of the game)."""
    _may_see_list(session, actor, community_id)
    rows = session.exec(select(PointRuleVersion).where(PointRuleVersion.community_id == community_id)
                        .order_by(col(PointRuleVersion.version)).offset(offset).limit(limit)).all()
    return [PointRuleView.model_validate(r, from_attributes=True) for r in rows]


class VolunteerTaskView(BaseModel):
    """A volunteer task (志愿服务) as the coordinator's list shows it: who (by name), what, how long (minutes), when
    (aware, UTC), who recorded it (by name), and when and why it was withdrawn (None: it stands)."""

    id: str
    resident_id: str
    resident_name: str
    task: str
    minutes: int
    done_at: datetime
    recorded_by: str  # the coordinator's name as residents know it (usecases.queries.ratings.helper_names)
    withdrawn_at: datetime | None
    withdraw_reason: str = ""
    points: int | None = None  # what the points consumer scored it (None: not scored yet)
    balance: int = 0  # the resident's points balance now: withdrawing more than it leaves her below zero


def volunteer_tasks(session: Session, actor: Actor, community_id: str, *, since: datetime,
                    limit: int | None = None) -> list[VolunteerTaskView]:
    """A community's volunteer tasks done since `since` (aware), newest first, at most `limit` (None: all): for its
    coordinators
    (and the city) to check and withdraw one recorded in error. Forbidden for residents, enterprises and other
    communities' coordinators."""
    if actor.role not in ("coordinator", "city"):
        raise Forbidden("role", "只有社区工作者能查看志愿服务记录 (only coordinators see volunteer tasks)")
    actor.require_community(community_id)
    rows = session.exec(select(VolunteerTask, Resident.name)
                        .join(Resident, col(Resident.id) == VolunteerTask.resident_id)
                        .where(VolunteerTask.community_id == community_id, VolunteerTask.done_at >= since)
                        .order_by(col(VolunteerTask.done_at).desc(), col(VolunteerTask.id)).limit(limit)).all()
    named = helper_names(session, [t.recorded_by for t, _ in rows])  # by the name people know, not the sign-in
    scored = dict(session.exec(select(PointEntry.entry_key, PointEntry.points).where(
        col(PointEntry.entry_key).in_([f"pts:{t.id}:volunteer" for t, _ in rows]))).all()) if rows else {}
    balances = dict(session.exec(select(PointEntry.resident_id, func.sum(PointEntry.points)).where(
        col(PointEntry.resident_id).in_(sorted({t.resident_id for t, _ in rows})))
        .group_by(col(PointEntry.resident_id))).all()) if rows else {}
    return [VolunteerTaskView(id=t.id, resident_id=t.resident_id, resident_name=name, task=t.task, minutes=t.minutes,
                              done_at=t.done_at, recorded_by=named.get(t.recorded_by, t.recorded_by),
                              withdrawn_at=t.withdrawn_at, withdraw_reason=t.withdraw_reason,
                              points=scored.get(f"pts:{t.id}:volunteer"), balance=int(balances.get(t.resident_id, 0)))
            for t, name in rows]


class ResidentPoints(BaseModel):
    """What a resident's phone shows of points: her balance and newest lines, and her community's shop (items still
    in stock); its 公示 is read with publicity(community_id, month)."""

    community_id: str
    points: PointsView
    shop: list[ShopItemView]


def resident_points(session: Session, actor: Actor, *, lines: int = 5) -> ResidentPoints:
    """The signed-in resident's points with her `lines` newest point lines; Forbidden for any other role."""
    actor.require("resident")
    resident = session.get(Resident, actor.resident_id or "")
    if resident is None:
        raise NotFound("resident_id", f"没有这位居民 (no such resident): {actor.resident_id}")
    shop = [item for item in shop_items(session, actor, resident.community_id) if item.active and item.stock > 0]
    return ResidentPoints(community_id=resident.community_id, points=points_of(session, actor, limit=lines),
                          shop=shop)


def _may_see_list(session: Session, actor: Actor, community_id: str) -> None:
    """Residents see their own community's public lists; coordinators theirs; the city all; enterprises none."""
    if actor.role == "resident":
        resident = session.get(Resident, actor.resident_id or "")
        if resident is not None and resident.community_id == community_id:
            return
        raise Forbidden("community_id", "只能查看本社区的公示 (only your own community's list)")
    if actor.role == "enterprise":
        raise Forbidden("role", "企业不能查看社区积分 (enterprises may not see community points)")
    actor.require_community(community_id)


def _kind_zh(r: PointEntry) -> str:
    # A work line is written for every inspection, also when it earns nothing: "on time and passing" beside +0 told
    # a resident the opposite of what happened (new-user trial). uncapped > 0 with 0 points: the month's cap is met.
    if r.kind == "work" and r.points == 0:
        return "本月积分已达上限" if r.uncapped > 0 else "交货验收（逾期或合格率不够，未得积分）"
    return KIND_ZH.get(r.kind, r.kind)


def _line(r: PointEntry) -> PointLineView:
    return PointLineView(entry_key=r.entry_key, kind=r.kind, kind_zh=_kind_zh(r), month=r.month,
                         points=r.points, inspection_id=r.inspection_id, redemption_id=r.redemption_id,
                         posted_at=r.posted_at)


def month_zh(month: str) -> str:
    """"2026-11" as people write it: "2026年11月"."""
    year, mon = month.split("-")
    return f"{year}年{int(mon)}月"


def publicity_csv(view: PublicityView) -> str:
    """The 公示 as CSV for printing (Chinese headers, names masked; no cell Excel would run as a formula).

    Written by the csv module: a community or masked name with a comma, a quote or a line break is one quoted cell
    (joined by hand, such a name split the heading row and shifted the columns)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["社区", csv_safe(view.community_name), "月份", month_zh(view.month)])
    writer.writerow(["姓名", "获得积分", "兑换积分"])
    writer.writerows([csv_safe(row.name), row.earned, row.redeemed] for row in view.rows)
    writer.writerow(["合计", view.total_earned, view.total_redeemed])
    return out.getvalue()


def publicity_xlsx(view: PublicityView) -> bytes:
    """The 公示 as an .xlsx to print, sign and post (coordinators work in Excel/WPS): one sheet of masked names with
    points earned and redeemed, the total, then the community, the month and lines for the signature and date."""
    rows: list[list[Cell]] = [[row.name, row.earned, row.redeemed] for row in view.rows]
    rows += [["合计", view.total_earned, view.total_redeemed],
             ["社区", view.community_name], ["月份", month_zh(view.month)], ["负责人签字", ""], ["公示日期", ""]]
    return write_xlsx([Sheet(f"积分公示 {view.month}", ["姓名", "获得积分", "兑换积分"], rows)])
