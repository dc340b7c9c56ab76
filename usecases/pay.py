"""Use cases for pay: close a period (with minimum-wage top-ups), record a payout.

Top-ups are charged to the community, never to an order: topping up is the community's policy
(Community.tops_up_minimum_wage), the shortfall comes from time no single order caused (fetching
materials, waiting, delivery) and an enterprise's settlement stays exactly passed pieces × rate.
The entry carries no order, enterprise or inspection, so reconciliation checks it separately.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from domain.pay import PayInputError, period_by_id, top_up, top_up_draft
from schemas import commands as c
from schemas.envelope import Event
from schemas.events.pay import PayoutRecorded, PayPeriodClosed
from store.outbox import audit
from store.tables import Community, LedgerEntry, Payout, PayPeriod, Resident
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, NotFound, Rejected
from usecases.orders import minimum_hourly_wage_fen
from usecases.queries.period_work import community_policy, period_work


@dataclass(frozen=True)
class PeriodClose:
    """What closing a period produced."""

    row: PayPeriod
    residents: int
    top_ups_fen: int


@dataclass(frozen=True)
class PayoutOutcome:
    """The payout, and whether this call created it (False: the same payout was already recorded)."""

    payout: Payout
    created: bool


def close_period(session: Session, cmd: c.ClosePayPeriod, *, actor: Actor,
                 ctx: Context) -> tuple[PeriodClose, list[Event]]:
    """Freeze a community's ended period; top up to the minimum wage first where the community does."""
    actor.require("coordinator")
    actor.require_community(cmd.community_id)
    community = session.get(Community, cmd.community_id)
    if community is None:
        raise NotFound("community_id", f"no such community: {cmd.community_id}")
    try:
        period = period_by_id(cmd.period_id, community_policy(session, community.id))
    except PayInputError as exc:
        raise Rejected("period_id", f"{exc.reason} (this community is paid per {community.period_kind})") from None
    if ctx.now < period.ends_at:
        raise Rejected("period_id", f"the period runs until {period.ends_at.isoformat()}; close it after it ends")
    done = session.exec(select(PayPeriod).where(PayPeriod.community_id == community.id,
                                                PayPeriod.period_id == period.period_id)).first()
    if done is not None:
        raise Conflict("period_id", f"already closed by {done.closed_by} at {done.closed_at.isoformat()}")
    top_ups = _top_ups(session, community, period.period_id, ctx) if community.tops_up_minimum_wage else 0
    session.flush()
    totals = session.exec(select(LedgerEntry.resident_id, func.sum(LedgerEntry.amount_fen)).where(
        LedgerEntry.community_id == community.id, LedgerEntry.period_id == period.period_id)
        .group_by(LedgerEntry.resident_id)).all()
    total = sum(int(t or 0) for _, t in totals)
    row = PayPeriod(community_id=community.id, period_id=period.period_id, status="closed", total_fen=total,
                    closed_at=ctx.now, closed_by=actor.username)
    if not any(int(t or 0) > 0 for _, t in totals):
        row.status = "paid"  # nothing is owed, so nothing can be overdue
    session.add(row)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="pay_period.close",
          subject=f"{community.id}:{period.period_id}", total_fen=total, top_ups_fen=top_ups)
    return PeriodClose(row, len(totals), top_ups), [PayPeriodClosed(
        **ctx.envelope(community.id), period_id=period.period_id, total_fen=total, residents=len(totals),
        actor=actor.username)]


def _top_ups(session: Session, community: Community, period_id: str, ctx: Context) -> int:
    """Append one wage_top_up entry per resident whose pay fell short of the hourly minimum."""
    period = period_by_id(period_id, community_policy(session, community.id))
    minimum = minimum_hourly_wage_fen(community.city)
    paid = 0
    for work in period_work(session, community.id, period).values():
        amount = top_up(earned_fen=work.earned_fen, total_minutes=work.minutes.total,
                        min_hourly_wage_fen=minimum, policy_tops_up=True)
        draft = top_up_draft(resident_id=work.resident_id, community_id=community.id, period_id=period_id,
                             amount_fen=amount)
        if draft is None or session.exec(select(LedgerEntry).where(LedgerEntry.entry_key == draft.entry_key)).first():
            continue
        session.add(LedgerEntry(
            entry_key=draft.entry_key, kind=draft.entry_kind, resident_id=draft.resident_id,
            community_id=draft.community_id, pieces=0, rate_fen=0, amount_fen=draft.amount_fen,
            period_id=period_id, posted_at=ctx.now,
            memo=f"{draft.memo}: {work.minutes.total} min × {minimum} fen/h, piece pay {work.earned_fen} fen"))
        paid += amount
    return paid


def record_payout(session: Session, cmd: c.RecordPayout, *, actor: Actor,
                  ctx: Context) -> tuple[PayoutOutcome, list[Event]]:
    """Record money paid for a closed period; the same reference twice returns the first record."""
    actor.require("coordinator")
    resident = session.get(Resident, cmd.resident_id)
    if resident is None or not actor.may_see_community(resident.community_id):
        raise NotFound("resident_id", f"no such resident: {cmd.resident_id}")
    existing = session.exec(select(Payout).where(Payout.reference == cmd.reference)).first()
    if existing is not None:
        return PayoutOutcome(_same_payout(existing, cmd), created=False), []
    row = session.exec(select(PayPeriod).where(PayPeriod.community_id == resident.community_id,
                                               PayPeriod.period_id == cmd.period_id)).first()
    if row is None:
        raise Rejected("period_id", f"period {cmd.period_id} is not closed for {resident.community_id}; close it first")
    owed = _sum(session, select(func.sum(LedgerEntry.amount_fen)).where(
        LedgerEntry.resident_id == resident.id, LedgerEntry.period_id == cmd.period_id))
    paid = _sum(session, select(func.sum(Payout.amount_fen)).where(
        Payout.resident_id == resident.id, Payout.period_id == cmd.period_id))
    if paid + cmd.amount_fen > owed:
        raise Rejected("amount_fen", f"only {max(owed - paid, 0)} fen of the {owed} fen pay slip is unpaid")
    payout = Payout(id=ctx.new_id("pay"), reference=cmd.reference, resident_id=resident.id,
                    period_id=cmd.period_id, amount_fen=cmd.amount_fen, method=cmd.method, actor=actor.username,
                    at=ctx.now)
    session.add(payout)
    session.flush()
    if _fully_paid(session, resident.community_id, cmd.period_id):
        row.status = "paid"
        session.add(row)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="payout.record", subject=payout.id,
          resident_id=resident.id, period_id=cmd.period_id, amount_fen=cmd.amount_fen, reference=cmd.reference)
    return PayoutOutcome(payout, created=True), [PayoutRecorded(
        **ctx.envelope(resident.community_id), payout_id=payout.id, resident_id=resident.id,
        period_id=cmd.period_id, amount_fen=cmd.amount_fen, method=cmd.method, reference=cmd.reference,
        actor=actor.username)]


def _same_payout(existing: Payout, cmd: c.RecordPayout) -> Payout:
    """A repeated reference must describe the same payout; otherwise name the field that differs."""
    for name in ("resident_id", "period_id", "amount_fen", "method"):
        if getattr(existing, name) != getattr(cmd, name):
            raise Conflict(name, f"reference {cmd.reference!r} was already recorded with "
                                 f"{name}={getattr(existing, name)!r}")
    return existing


def _fully_paid(session: Session, community_id: str, period_id: str) -> bool:
    """Every resident of the community with a positive slip has been paid all of it."""
    owed = session.exec(select(LedgerEntry.resident_id, func.sum(LedgerEntry.amount_fen)).where(
        LedgerEntry.community_id == community_id, LedgerEntry.period_id == period_id)
        .group_by(LedgerEntry.resident_id)).all()
    paid = dict(session.exec(select(Payout.resident_id, func.sum(Payout.amount_fen)).where(
        Payout.period_id == period_id).group_by(Payout.resident_id)).all())
    return all(int(paid.get(r) or 0) >= int(o or 0) for r, o in owed)


def _sum(session: Session, stmt: object) -> int:
    return int(session.exec(stmt).one() or 0)  # type: ignore[call-overload]
