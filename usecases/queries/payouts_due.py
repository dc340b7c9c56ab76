"""What a coordinator can close and pay: ended periods not yet closed, and each person's unpaid pay of closed ones."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.lifecycle import pay_period
from domain.pay import period_by_id
from store.tables import Community, LedgerPeriod, Payout, PayPeriod, Resident
from usecases.actors import Actor
from usecases.queries.period_work import community_policy


class ClosablePeriod(BaseModel):
    """A period that has ended with pay in the ledger and is not closed yet."""

    community_id: str
    community_name: str
    period_id: str
    total_fen: int


class Payee(BaseModel):
    """One resident's pay for a closed period: owed (the slip's total), paid so far, and what is left (fen)."""

    community_id: str
    period_id: str
    resident_id: str
    resident_name: str
    owed_fen: int
    paid_fen: int

    @property
    def unpaid_fen(self) -> int:
        return max(self.owed_fen - self.paid_fen, 0)


def _mine(session: Session, actor: Actor) -> dict[str, str]:
    actor.require("coordinator")
    return {c.id: c.name for c in session.exec(select(Community)) if actor.may_see_community(c.id)}


def closable_periods(session: Session, actor: Actor, *, now: datetime) -> list[ClosablePeriod]:
    """Ended, unclosed periods of the coordinator's communities that have pay in the ledger, oldest first."""
    communities = _mine(session, actor)
    closed = {(r.community_id, r.period_id) for r in session.exec(
        select(PayPeriod).where(col(PayPeriod.community_id).in_(list(communities))))}
    rows = session.exec(select(LedgerPeriod.community_id, LedgerPeriod.period_id, func.sum(LedgerPeriod.amount_fen))
                        .where(col(LedgerPeriod.community_id).in_(list(communities)))
                        .group_by(LedgerPeriod.community_id, LedgerPeriod.period_id)).all()
    out = []
    for community_id, period_id, total in rows:
        if (community_id, period_id) in closed:
            continue
        if now < period_by_id(period_id, community_policy(session, community_id)).ends_at:
            continue  # still running: it can only be closed after it ends
        out.append(ClosablePeriod(community_id=community_id, community_name=communities[community_id],
                                  period_id=period_id, total_fen=int(total or 0)))
    return sorted(out, key=lambda p: (p.period_id, p.community_id))


def payees(session: Session, actor: Actor) -> list[Payee]:
    """Everyone with pay owed in a closed period not yet fully paid, by period then name."""
    communities = _mine(session, actor)
    open_rows = [r for r in session.exec(select(PayPeriod).where(col(PayPeriod.community_id).in_(list(communities))))
                 if not pay_period.is_settled(r.status)]
    out: list[Payee] = []
    for row in open_rows:
        owed = session.exec(select(LedgerPeriod.resident_id, Resident.name, LedgerPeriod.amount_fen)
                            .join(Resident, col(Resident.id) == LedgerPeriod.resident_id)
                            .where(LedgerPeriod.community_id == row.community_id,
                                   LedgerPeriod.period_id == row.period_id)).all()
        paid = dict(session.exec(select(Payout.resident_id, func.sum(Payout.amount_fen))
                                 .where(Payout.period_id == row.period_id,
                                        col(Payout.resident_id).in_([r for r, _, _ in owed]))
                                 .group_by(Payout.resident_id)).all())
        out += [Payee(community_id=row.community_id, period_id=row.period_id, resident_id=rid, resident_name=name,
                      owed_fen=int(total or 0), paid_fen=int(paid.get(rid) or 0))
                for rid, name, total in owed if int(total or 0) > 0]
    return sorted(out, key=lambda p: (p.period_id, p.community_id, p.resident_name))
