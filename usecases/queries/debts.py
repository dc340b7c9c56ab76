"""The coordinator's view of debts (欠款, issue 16): who owes how much, carried from which period, recovered so far.

A resident owes in a period not yet closed when that period's debt (domain.pay.carry.period_balance: a debt carried
in, a recovery posted by hand, a correction taking back pay already frozen) is above zero; its next close recovers at
most the community's capped share of the period's pay. A carried debt is followed back along its chain of carries to
the period it first arose in, adding up what every close on the way recovered (its debt less what it carried on).
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlmodel import Session, col, select

from domain.pay import DEFAULT_RECOVERY_CAP_BPS, period_balance
from store.tables import Community, LedgerEntry, PayPeriod, Resident
from usecases.actors import Actor
from usecases.earn import to_draft

MAX_CHAIN = 60  # periods: five years of half-months; a longer chain is cut rather than walked forever
# Entries that can make a period's balance a debt: a carried-in debt, a recovery by hand, a correction's reversal.
DEBT_KINDS = ("carried_in", "adjustment", "reversal")


class DebtLine(BaseModel):
    """One resident's debt in an open period, in fen: owed now, where it came from, recovered so far."""

    resident_id: str
    resident_name: str
    community_id: str
    period_id: str  # the open period whose close recovers from it
    from_period_id: str | None  # the closed period it was carried from; None when it arose in period_id
    since_period_id: str  # the period the debt first arose in
    debt_fen: int  # owed now (> 0)
    recovered_fen: int  # taken back by the closes since it arose (≥ 0)
    recovery_cap_bps: int


def debt_lines(session: Session, actor: Actor) -> list[DebtLine]:
    """Debts in periods not yet closed of the actor's communities (coordinator or city), largest first."""
    actor.require("coordinator", "city")
    closed = set(session.exec(select(PayPeriod.community_id, PayPeriod.period_id)).all())
    candidates = {(r, c, p) for r, c, p in session.exec(
        select(LedgerEntry.resident_id, LedgerEntry.community_id, LedgerEntry.period_id)
        .where(col(LedgerEntry.kind).in_(DEBT_KINDS)).distinct()).all()
        if (c, p) not in closed and actor.may_see_community(c)}
    names = dict(session.exec(select(Resident.id, Resident.name).where(
        col(Resident.id).in_(sorted({r for r, _, _ in candidates})))).all())
    caps = dict(session.exec(select(Community.id, Community.debt_recovery_cap_bps)).all())
    out = []
    for resident_id, community_id, period_id in sorted(candidates):
        rows = _rows(session, resident_id, community_id, period_id)
        debt = period_balance([to_draft(r) for r in rows]).debt_fen
        if debt <= 0:
            continue
        source = _carried_from(rows)
        recovered, since = _recovered_along(session, resident_id, community_id, source) if source else (0, period_id)
        out.append(DebtLine(resident_id=resident_id, resident_name=names.get(resident_id, ""),
                            community_id=community_id, period_id=period_id, from_period_id=source,
                            since_period_id=since, debt_fen=debt, recovered_fen=recovered,
                            recovery_cap_bps=caps.get(community_id, DEFAULT_RECOVERY_CAP_BPS)))
    return sorted(out, key=lambda d: (-d.debt_fen, d.community_id, d.resident_id))


def _rows(session: Session, resident_id: str, community_id: str, period_id: str) -> list[LedgerEntry]:
    return list(session.exec(select(LedgerEntry).where(LedgerEntry.resident_id == resident_id,
                                                       LedgerEntry.community_id == community_id,
                                                       LedgerEntry.period_id == period_id)).all())


def _carried_from(rows: list[LedgerEntry]) -> str | None:
    """The period a carried_in among these rows names ("<resident>:<period>:carry_forward"), if any."""
    carried_in = next((r for r in rows if r.kind == "carried_in" and r.reverses_entry_key), None)
    return (carried_in.reverses_entry_key or "").split(":")[-2] if carried_in else None


def _recovered_along(session: Session, resident_id: str, community_id: str, period_id: str) -> tuple[int, str]:
    """What the closes of `period_id` and the periods its debt was carried through recovered, and the first one."""
    recovered, current = 0, period_id
    for _ in range(MAX_CHAIN):
        rows = _rows(session, resident_id, community_id, current)
        forward = sum(r.amount_fen for r in rows if r.kind == "carry_forward")
        recovered += max(period_balance([to_draft(r) for r in rows]).debt_fen - forward, 0)
        source = _carried_from(rows)
        if source is None:
            return recovered, current
        current = source
    return recovered, current
