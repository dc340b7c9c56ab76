"""The coordinator's view of debts (欠款, issue 16): who owes how much, carried from which period, recovered so far.

Built on usecases.queries.pay_board.carried_debts (debts carried into periods not yet closed); each is followed back
along its chain of carries to the period it first arose in, adding up what every close on the way recovered (the
period's debt less what it carried on, domain.pay.carry).
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlmodel import Session, select

from domain.pay import period_balance
from store.tables import LedgerEntry
from usecases.actors import Actor
from usecases.earn import to_draft
from usecases.queries.pay_board import carried_debts

MAX_CHAIN = 60  # periods: five years of half-months; a longer chain is cut rather than walked forever


class DebtLine(BaseModel):
    """One resident's open debt in fen: what is owed now, where it was carried from, what was recovered so far."""

    resident_id: str
    resident_name: str
    community_id: str
    period_id: str  # the open period the debt was carried into (its next close recovers from it)
    from_period_id: str  # the closed period it was carried from
    since_period_id: str  # the period the debt first arose in
    debt_fen: int  # owed now (≥ 0)
    recovered_fen: int  # taken back by the closes since it arose (≥ 0)
    recovery_cap_bps: int


def debt_lines(session: Session, actor: Actor) -> list[DebtLine]:
    """Debts carried into open periods of the actor's communities, largest first (coordinator or city)."""
    out = []
    for debt in carried_debts(session, actor):
        recovered, since = _recovered_along(session, debt.resident_id, debt.community_id, debt.from_period_id)
        out.append(DebtLine(resident_id=debt.resident_id, resident_name=debt.resident_name,
                            community_id=debt.community_id, period_id=debt.period_id,
                            from_period_id=debt.from_period_id, since_period_id=since, debt_fen=debt.debt_fen,
                            recovered_fen=recovered, recovery_cap_bps=debt.recovery_cap_bps))
    return out


def _recovered_along(session: Session, resident_id: str, community_id: str, period_id: str) -> tuple[int, str]:
    """What the closes of `period_id` and the periods its debt was carried through recovered, and the first one."""
    recovered, current = 0, period_id
    for _ in range(MAX_CHAIN):
        rows = session.exec(select(LedgerEntry).where(LedgerEntry.resident_id == resident_id,
                                                      LedgerEntry.community_id == community_id,
                                                      LedgerEntry.period_id == current)).all()
        forward = sum(r.amount_fen for r in rows if r.kind == "carry_forward")
        recovered += max(period_balance([to_draft(r) for r in rows]).debt_fen - forward, 0)
        carried_in = next((r for r in rows if r.kind == "carried_in" and r.reverses_entry_key), None)
        if carried_in is None:
            return recovered, current
        current = (carried_in.reverses_entry_key or "").split(":")[-2]  # "<resident>:<period>:carry_forward"
    return recovered, current
