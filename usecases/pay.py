"""Use cases for pay: close a period (with minimum-wage top-ups and debts carried on), record a payout.

Top-ups are charged to the community, never to an order: topping up is the community's policy
(Community.tops_up_minimum_wage), the shortfall comes from time no single order caused (fetching
materials, waiting, delivery) and an enterprise's settlement stays exactly passed pieces × rate.
The entry carries no order, enterprise or inspection, so reconciliation checks it separately.

A resident whose period would end negative (a correction of pay already frozen, a debt carried in) gets back at
most the community's capped share of this period's pay; the rest is carried to the next open period by a
carry_forward / carried_in pair (domain.pay.carry), so every closed balance is what is payable, never below 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from domain.lifecycle import pay_period
from domain.pay import (
    PayInputError,
    carry_drafts,
    next_period,
    period_balance,
    period_by_id,
    posting_period,
    recovery,
    top_up,
    top_up_draft,
)
from domain.pay.periods import period_name
from domain.pay.slips import format_fen
from domain.pay.wage import wage_floor_fen
from schemas import commands as c
from schemas.envelope import Event
from schemas.events.pay import PayoutRecorded, PayPeriodClosed
from store.ledger import append_entries, entry_row, in_community_period
from store.outbox import audit
from store.tables import Community, LedgerEntry, LedgerPeriod, Payout, PayPeriod, Resident
from usecases.actors import Actor
from usecases.context import Context
from usecases.earn import to_draft
from usecases.errors import Conflict, NotFound, Rejected
from usecases.lookups import held_from_postings
from usecases.minimum_wages import period_minimum_fen
from usecases.queries.period_work import community_policy, period_work
from usecases.reasons import local_time, period_refused


@dataclass(frozen=True)
class DebtCarried:
    """One resident's debt at the close: what it was, what this period's pay gave back, what goes on (fen)."""

    resident_id: str
    debt_fen: int
    recovered_fen: int
    carried_on_fen: int
    into_period_id: str | None  # where the rest was carried; None when nothing is left


@dataclass(frozen=True)
class PeriodClose:
    """What closing a period produced."""

    row: PayPeriod
    residents: int
    top_ups_fen: int
    debts: tuple[DebtCarried, ...] = ()


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
    community = held_from_postings(session, cmd.community_id)  # first: a posting into its periods in flight ends first
    if community is None:
        raise NotFound("community_id", f"no such community: {cmd.community_id}")
    try:
        period = period_by_id(cmd.period_id, community_policy(session, community.id))
    except PayInputError as exc:
        raise Rejected("period_id", period_refused(cmd.period_id, community.period_kind, f"{exc.reason} (this "
                                                    f"community is paid per {community.period_kind})")) from None
    if ctx.now < period.ends_at:
        raise Rejected("period_id", f"这个工资期到 {local_time(period.ends_at)} 才结束，结束后才能结算 / the period "
                                    f"runs until {local_time(period.ends_at, 'en')}; close it after it ends")
    done = session.exec(select(PayPeriod).where(PayPeriod.community_id == community.id,
                                                PayPeriod.period_id == period.period_id)).first()
    if done is not None:
        raise Conflict("period_id", f"这个工资期已由 {done.closed_by} 于 {local_time(done.closed_at)} 结算 / already "
                                    f"closed by {done.closed_by} at {local_time(done.closed_at, 'en')}")
    top_ups = _top_ups(session, community, period.period_id, ctx) if community.tops_up_minimum_wage else 0
    session.flush()
    debts = _carry_debts(session, community, period.period_id, ctx)
    session.flush()
    totals = session.exec(select(LedgerPeriod.resident_id, LedgerPeriod.amount_fen).where(  # with the lines above
        LedgerPeriod.community_id == community.id, LedgerPeriod.period_id == period.period_id)).all()
    total = sum(int(t or 0) for _, t in totals)
    owed = any(int(t or 0) > 0 for _, t in totals)  # nothing owed: paid at once, so nothing can be overdue
    row = PayPeriod(community_id=community.id, period_id=period.period_id, total_fen=total, closed_at=ctx.now,
                    closed_by=actor.username, status=pay_period.close(anything_owed=owed))
    session.add(row)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="pay_period.close",
          subject=f"{community.id}:{period.period_id}", total_fen=total, top_ups_fen=top_ups,
          debts_recovered_fen=sum(d.recovered_fen for d in debts),
          debts_carried_fen=sum(d.carried_on_fen for d in debts))
    return PeriodClose(row, len(totals), top_ups, tuple(debts)), [PayPeriodClosed(
        **ctx.envelope(community.id), period_id=period.period_id, total_fen=total, residents=len(totals),
        actor=actor.username)]


def _top_ups(session: Session, community: Community, period_id: str, ctx: Context) -> int:
    """Append one wage_top_up entry per resident whose pay fell short of the hourly minimum."""
    period = period_by_id(period_id, community_policy(session, community.id))
    minimum = period_minimum_fen(session, community, period)
    paid = 0
    for work in period_work(session, community.id, period).values():
        amount = top_up(earned_fen=work.earned_fen, total_minutes=work.minutes.total,
                        min_hourly_wage_fen=minimum, policy_tops_up=True)
        draft = top_up_draft(resident_id=work.resident_id, community_id=community.id, period_id=period_id,
                             amount_fen=amount)
        if draft is None or session.exec(select(LedgerEntry).where(LedgerEntry.entry_key == draft.entry_key)).first():
            continue
        append_entries(session, [entry_row(
            entry_key=draft.entry_key, kind=draft.entry_kind, resident_id=draft.resident_id,
            community_id=draft.community_id, pieces=0, rate_centifen=0, amount_fen=draft.amount_fen,
            period_id=period_id, posted_at=ctx.now,
            memo=f"{draft.memo}: {work.minutes.total} min × {minimum} fen/h, piece pay {work.earned_fen} fen")])
        paid += amount
    return paid


def _carry_debts(session: Session, community: Community, period_id: str, ctx: Context) -> list[DebtCarried]:
    """Recover each resident's debt up to the community's cap and carry the rest to the next open period."""
    policy = community_policy(session, community.id)
    period = period_by_id(period_id, policy)
    rows = session.exec(select(LedgerEntry).where(in_community_period(community.id, period_id))).all()
    by_resident: dict[str, list[LedgerEntry]] = {}
    for r in rows:
        by_resident.setdefault(r.resident_id, []).append(r)
    closed = set(session.exec(select(PayPeriod.period_id).where(PayPeriod.community_id == community.id)).all())
    into = posting_period(next_period(period, policy).starts_at, closed | {period_id}, policy).period_id
    minimum = period_minimum_fen(session, community, period)
    work = period_work(session, community.id, period)
    out = []
    for resident_id, entries in sorted(by_resident.items()):
        balance = period_balance([to_draft(e) for e in entries])
        if balance.debt_fen == 0:
            continue
        minutes = work[resident_id].minutes.total if resident_id in work else 0
        floor = wage_floor_fen(min_hourly_wage_fen=minimum, minutes=minutes)
        got = recovery(debt_fen=balance.debt_fen, gross_fen=balance.gross_fen, floor_fen=floor,
                       cap_bps=community.debt_recovery_cap_bps)
        for draft in carry_drafts(resident_id=resident_id, community_id=community.id, period_id=period_id,
                                  next_period_id=into, carried_on_fen=got.carried_on_fen):
            append_entries(session, [entry_row(
                entry_key=draft.entry_key, kind=draft.entry_kind, resident_id=resident_id,
                community_id=community.id, pieces=0, rate_centifen=0, amount_fen=draft.amount_fen,
                period_id=draft.period_id, reverses_entry_key=draft.reverses_entry_key, posted_at=ctx.now,
                memo=f"{draft.memo}: debt {balance.debt_fen} fen, gross {balance.gross_fen} fen, "
                     f"recovered {got.recovered_fen} fen (cap {community.debt_recovery_cap_bps} bps)")])
        out.append(DebtCarried(resident_id, balance.debt_fen, got.recovered_fen, got.carried_on_fen,
                               into if got.carried_on_fen else None))
    return out


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
        raise Rejected("period_id", f"社区 {resident.community_id} 的{period_name(cmd.period_id)}还没有结算，"
                                    f"请先结算 / period {cmd.period_id} is not closed for "
                                    f"{resident.community_id}; close it first")
    owed = _sum(session, select(func.sum(LedgerEntry.amount_fen)).where(
        LedgerEntry.resident_id == resident.id, LedgerEntry.period_id == cmd.period_id))
    paid = _sum(session, select(func.sum(Payout.amount_fen)).where(
        Payout.resident_id == resident.id, Payout.period_id == cmd.period_id))
    if paid + cmd.amount_fen > owed:
        unpaid = max(owed - paid, 0)
        raise Rejected("amount_fen", f"这张 {format_fen(owed)} 的工资单只剩 {format_fen(unpaid)} 未发 / only "
                                     f"{format_fen(unpaid, 'en')} of the {format_fen(owed, 'en')} pay slip is unpaid")
    payout = Payout(id=ctx.new_id("pay"), reference=cmd.reference, resident_id=resident.id,
                    period_id=cmd.period_id, amount_fen=cmd.amount_fen, method=cmd.method, actor=actor.username,
                    at=ctx.now)
    session.add(payout)
    session.flush()
    if _fully_paid(session, resident.community_id, cmd.period_id):
        row.status = pay_period.settle(row.status)
        session.add(row)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="payout.record", subject=payout.id,
          resident_id=resident.id, period_id=cmd.period_id, amount_fen=cmd.amount_fen, reference=cmd.reference)
    return PayoutOutcome(payout, created=True), [PayoutRecorded(
        **ctx.envelope(resident.community_id), payout_id=payout.id, resident_id=resident.id,
        period_id=cmd.period_id, amount_fen=cmd.amount_fen, method=cmd.method, reference=cmd.reference,
        actor=actor.username)]


# The payout form's labels, so the Chinese half of a reason names no internal field (new-user trial).
PAYOUT_FIELDS_ZH = {"resident_id": "居民", "period_id": "工资期", "amount_fen": "金额", "method": "发放方式"}


def _same_payout(existing: Payout, cmd: c.RecordPayout) -> Payout:
    """A repeated reference must describe the same payout; otherwise Conflict naming the field that differs.

    The reason never quotes the first payout's values: references are unique across communities, so the first one
    may be another community's (issue 16 follow-up, as for adjustments). The resident is compared first, so a
    reference used in another community is refused naming resident_id whatever its other fields were.
    """
    for name in ("resident_id", "period_id", "amount_fen", "method"):
        if getattr(existing, name) != getattr(cmd, name):
            raise Conflict(name, f"这个转账单号「{cmd.reference}」已用于另一笔发放（{PAYOUT_FIELDS_ZH[name]}不同），"
                                 f"请核对后换一个单号 / reference {cmd.reference!r} was already used for another "
                                 f"payout ({name} differs): check it and use a new one")
    return existing


def _fully_paid(session: Session, community_id: str, period_id: str) -> bool:
    """Every resident of the community with a positive slip has been paid all of it."""
    owed = session.exec(select(LedgerPeriod.resident_id, LedgerPeriod.amount_fen).where(
        LedgerPeriod.community_id == community_id, LedgerPeriod.period_id == period_id)).all()
    paid = dict(session.exec(select(Payout.resident_id, func.sum(Payout.amount_fen)).where(
        Payout.period_id == period_id).group_by(Payout.resident_id)).all())
    return all(int(paid.get(r) or 0) >= int(o or 0) for r, o in owed)


def _sum(session: Session, stmt: object) -> int:
    return int(session.exec(stmt).one() or 0)  # type: ignore[call-overload]
