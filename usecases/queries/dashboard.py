"""Aggregate reads for the dashboard, each scoped by the Actor exactly as reads.py scopes the API."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from domain.lifecycle import lot as lot_life
from domain.lifecycle.offer import OfferStatus
from domain.matching.fairness import gini
from domain.report_month import ReportMonth, annualised_fen, month_of
from store.ledger import posted_between
from store.tables import Community, LedgerDay, LedgerEntry, Lot, Resident, Site
from usecases.actors import Actor
from usecases.errors import Forbidden
from usecases.queries import reads
from usecases.queries.dashboard_views import (
    CityOverview,
    CommunityFigures,
    CoordinatorBoard,
    DayPieces,
    PendingOffer,
    SitePoint,
)
from usecases.queries.in_work import residents_in_work

TZ = reads.TZ


def month_start(now: datetime) -> datetime:
    """Midnight on the first of the month in Asia/Shanghai: the month income is counted from."""
    return now.astimezone(TZ).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def visible_communities(session: Session, actor: Actor, community_id: str | None = None) -> list[Community]:
    """The communities an overview may show: all for the city, a coordinator's own, none for anyone else."""
    actor.require("city", "coordinator")
    if community_id is not None:
        actor.require_community(community_id)
    stmt = select(Community).order_by(Community.id)
    if community_id is not None:
        stmt = stmt.where(Community.id == community_id)
    elif actor.role == "coordinator":
        stmt = stmt.where(col(Community.id).in_(sorted(actor.community_ids)))
    return list(session.exec(stmt))


def city_overview(session: Session, actor: Actor, *, now: datetime, community_id: str | None = None, days: int = 30,
                  trend_since: datetime | None = None, month: ReportMonth | None = None) -> CityOverview:
    """Sites, people in work, pieces per day, pass rate and income per person, by community (no personal data).

    The month (by default the Asia/Shanghai month of `now`) runs from 00:00 on its first day to 00:00 on the next
    month's; the trend is pieces per Asia/Shanghai day since `trend_since` (aware), by default the last `days` days,
    up to the month's end. The city's monthly report passes its month's start, so its days are the month's own
    (issue 16: they began the day before). Residents in work are counted by usecases.queries.in_work, and the
    annualised figure by domain.report_month (none for an unfinished month).
    """
    communities = visible_communities(session, actor, community_id)
    ids = [c.id for c in communities]
    today = now.astimezone(TZ).date()
    month = month or month_of(today)
    start = datetime.combine(month.first_day, time(0), tzinfo=TZ)
    earned = _month_income_by_person(session, ids, month)
    workers = residents_in_work(session, ids, first_day=month.first_day, end_day=month.end_day)
    counts = _per_community(session, ids)
    for community, pieces in session.exec(select(LedgerDay.community_id, func.sum(LedgerDay.passed_pieces)).where(
            col(LedgerDay.community_id).in_(ids), LedgerDay.day >= month.first_day, LedgerDay.day < month.end_day,
            col(LedgerDay.passed_lines) > 0).group_by(LedgerDay.community_id)).all():
        counts[community]["passed_month"] = int(pieces or 0)
    figures = [_figures(c, counts, earned.get(c.id, {}), workers.get(c.id, set()), month=month, today=today)
               for c in communities]
    everyone = {f"{c}/{r}": fen for c, people in earned.items() for r, fen in people.items()}
    all_workers = {f"{c}/{r}" for c, people in workers.items() for r in people}
    total = _figures(Community(id="*", name="", street="", district="", city=""), _summed(counts),
                     everyone, all_workers, month=month, today=today)
    sites = session.exec(select(Site).where(col(Site.community_id).in_(ids)).order_by(Site.id)).all()
    return CityOverview(
        month_start=start, month=month.key, month_finished=month.finished(today), communities=figures, total=total,
        trend=_trend(session, ids, since=trend_since or now - timedelta(days=days), until=month.end_day),
        income_distribution_fen=sorted(everyone.values()),
        sites=[SitePoint(id=s.id, name=s.name, community_id=s.community_id, kind=s.kind, seats=s.seats,
                         lat=s.lat, lon=s.lon) for s in sites])


def months_with_data(session: Session, actor: Actor, *, community_id: str | None = None) -> set[ReportMonth]:
    """The Asia/Shanghai months in which any ledger line was posted in the communities the actor may see."""
    ids = [c.id for c in visible_communities(session, actor, community_id)]
    days = session.exec(select(col(LedgerDay.day)).where(col(LedgerDay.community_id).in_(ids)).distinct()).all()
    return {month_of(d) for d in days}


def coordinator_board(session: Session, actor: Actor, *, now: datetime) -> CoordinatorBoard:
    """Open, overdue and escalated lots, pending offers with their expiry and the inspection queue.

    `open_lots` (待派批次) are the lots waiting for the matcher (status open); `escalations` (需人工处理) the lots the
    matcher could not place and handed to the coordinator (status escalated, domain.lifecycle.lot): each lot is in
    one of the two lists, never both, though both kinds may still be dispatched by hand.
    """
    if actor.role != "coordinator":
        raise Forbidden("role", "only a community coordinator has a board")
    # Only unfinished lots, filtered in the query: years of finished ones must not crowd the live ones off the cap.
    lots = reads.lots(session, actor, statuses=lot_life.UNFINISHED, limit=5000)
    residents = reads.residents(session, actor)
    names = {r.id: r.name for r in residents}
    return CoordinatorBoard(
        open_lots=[lot for lot in lots if lot.status == lot_life.LotStatus.OPEN],
        pending_offers=[PendingOffer(offer=o, resident_name=names.get(o.resident_id, "")) for o in sorted(
            reads.offers(session, actor, status=OfferStatus.PENDING), key=lambda o: o.expires_at)],
        overdue_lots=[lot for lot in lots if lot.status in lot_life.UNFINISHED and lot.due_at <= now],
        escalations=[lot for lot in lots if lot.status == lot_life.LotStatus.ESCALATED],
        inspection_queue=reads.submissions(session, actor),
        withdrawable=[lot for lot in lots if lot_life.releasable(lot.status, pieces_issued=lot.pieces_issued)],
        residents=residents, lots=lots)


def _month_income_by_person(session: Session, ids: list[str], month: ReportMonth) -> dict[str, dict[str, int]]:
    """community → resident → fen of every ledger line in the month, carried debts included: summed over the
    daily read model (ledger_day), whose days start at local midnights too."""
    rows = session.exec(select(LedgerDay.community_id, LedgerDay.resident_id,
                               func.sum(LedgerDay.income_fen + LedgerDay.transfer_fen))
                        .where(col(LedgerDay.community_id).in_(ids), LedgerDay.day >= month.first_day,
                               LedgerDay.day < month.end_day)
                        .group_by(LedgerDay.community_id, LedgerDay.resident_id)).all()
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for community, resident, fen in rows:
        out[community][resident] = int(fen or 0)
    return out


def _per_community(session: Session, ids: list[str]) -> dict[str, dict[str, int]]:
    """Counts that need no month: sites, active residents, pieces passed and rejected so far."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    queries: list[tuple[str, Any]] = [
        ("sites", select(Site.community_id, func.count()).group_by(Site.community_id)),
        ("residents_active", select(Resident.community_id, func.count()).where(Resident.active == True)  # noqa: E712
         .group_by(Resident.community_id)),
        ("passed", select(Lot.community_id, func.sum(Lot.pieces_passed)).group_by(Lot.community_id)),
        ("rejected", select(Lot.community_id, func.sum(Lot.pieces_rejected)).group_by(Lot.community_id)),
    ]
    for name, stmt in queries:
        for community, value in session.exec(stmt).all():
            if community in ids:
                counts[community][name] = int(value or 0)
    return counts


def _summed(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    total: dict[str, int] = defaultdict(int)
    for figures in counts.values():
        for name, value in figures.items():
            total[name] += value
    return {"*": total}


def _figures(c: Community, counts: dict[str, dict[str, int]], earned: dict[str, int], workers: set[str], *,
             month: ReportMonth, today: date) -> CommunityFigures:
    n = counts.get(c.id, {})
    passed, rejected = n.get("passed", 0), n.get("rejected", 0)
    in_work = len(workers)
    income = sum(earned.values())
    per_person = income // in_work if in_work else 0
    return CommunityFigures(
        community_id=c.id, name=c.name, street=c.street, district=c.district, sites=n.get("sites", 0),
        residents_active=n.get("residents_active", 0), residents_in_work=in_work,
        pieces_passed_month=n.get("passed_month", 0), pieces_passed_total=passed, pieces_rejected_total=rejected,
        pass_rate=round(passed / (passed + rejected), 4) if passed + rejected else None,
        income_month_fen=income, income_per_person_month_fen=per_person,
        income_per_person_annualised_fen=annualised_fen(per_person, month, today=today),
        gini=round(gini([max(v, 0) for v in earned.values()]), 4))


def _trend(session: Session, ids: list[str], *, since: datetime, until: date) -> list[DayPieces]:
    """Pieces passed per local day and community from `since` to the local day `until` (excluded): piece pay and
    its reversals, so corrections net out. Whole days come from the daily read model; `since` falls inside its
    local day, so that first day is summed from its ledger lines after `since` (a few hours of lines, through the
    ledger's posted_at index)."""
    first = since.astimezone(TZ)
    next_midnight = datetime.combine(first.date() + timedelta(days=1), time(0), tzinfo=TZ)
    pieces: dict[tuple[date, str], int] = {}
    for community, p in session.exec(select(LedgerEntry.community_id, func.sum(LedgerEntry.pieces))
                                     .where(posted_between(since, next_midnight, ids), passed_pieces())
                                     .group_by(LedgerEntry.community_id)).all():
        pieces[(first.date(), community)] = int(p or 0)
    day = col(LedgerDay.day)
    for d, community, p in session.exec(select(day, LedgerDay.community_id, func.sum(LedgerDay.passed_pieces))
                                        .where(col(LedgerDay.community_id).in_(ids), day > first.date(),
                                               day < until, col(LedgerDay.passed_lines) > 0)
                                        .group_by(day, LedgerDay.community_id)).all():
        pieces[(d, community)] = int(p or 0)
    return [DayPieces(day=d, community_id=c, pieces=p) for (d, c), p in sorted(pieces.items())]


def passed_pieces() -> Any:
    """Ledger lines whose pieces are passed pieces: piece pay and its reversals, not bonus counts."""
    return or_(col(LedgerEntry.kind) == "piece_pay",
               and_(col(LedgerEntry.kind) == "reversal", col(LedgerEntry.reverses_entry_key).like("%:piece_pay")))

