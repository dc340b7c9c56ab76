"""Reconciliation of what was paid and what was carried, per resident and period (part of `microfactory reconcile`).

- payouts: what was paid for a (resident, period) must equal what the slip says is payable — the ledger's
  sum for that period (carried debts included). Paying more is a difference; paying less is one once the
  period is marked paid (nothing payable may be left unpaid silently); a closed period whose slip is negative
  is a debt nobody carried.
- carries: every carry_forward is mirrored by one carried_in in a later period, and its amount is the debt
  the close could not recover under the community's cap, recomputed here from the period's other entries.

Each difference is a dict with "scope", "id", "expected_fen", "ledger_fen" and "delta_fen" (fen), as in
usecases.reconcile.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from domain.lifecycle import pay_period
from domain.pay import CARRY_KINDS, EntryDraft, PayInputError, period_balance, period_by_id, recovery
from domain.pay.wage import wage_floor_fen
from store.ledger import in_community_period
from store.tables import Community, LedgerEntry, Payout, PayPeriod, Resident
from usecases.earn import to_draft
from usecases.minimum_wages import period_minimum_fen
from usecases.queries.period_work import community_policy, period_work


def payout_and_carry_differences(session: Session) -> list[dict[str, Any]]:
    """Payouts against payable slips, then carried debts against their recomputation (empty when all agree)."""
    return _payout_differences(session) + _carry_differences(session)


def _difference(scope: str, key: str, expected: int, held: int) -> dict[str, Any]:
    return {"scope": scope, "id": key, "expected_fen": expected, "ledger_fen": held, "delta_fen": held - expected}


def _payout_differences(session: Session) -> list[dict[str, Any]]:
    """Per (resident, period): paid against payable; in a closed period also a negative or silently unpaid slip."""
    payable: defaultdict[tuple[str, str], int] = defaultdict(int)
    for resident_id, period_id, amount in session.exec(
            select(LedgerEntry.resident_id, LedgerEntry.period_id, LedgerEntry.amount_fen)).all():
        payable[(resident_id, period_id)] += amount
    paid: defaultdict[tuple[str, str], int] = defaultdict(int)
    for resident_id, period_id, amount in session.exec(
            select(Payout.resident_id, Payout.period_id, Payout.amount_fen)).all():
        paid[(resident_id, period_id)] += amount
    community_of = dict(session.exec(select(Resident.id, Resident.community_id)).all())
    status = {(r.community_id, r.period_id): r.status for r in session.exec(select(PayPeriod))}
    found = []
    for (rid, pid) in sorted(set(payable) | set(paid)):
        owed, given = payable.get((rid, pid), 0), paid.get((rid, pid), 0)
        closed = status.get((community_of.get(rid, ""), pid))
        key = f"{rid}:{pid}"
        if closed is not None and owed < 0:
            found.append(_difference("debt_dropped", key, 0, owed))
        elif given > max(owed, 0) or (closed is not None and pay_period.is_settled(closed) and given != owed):
            found.append(_difference("payout", key, max(owed, 0), given))
    return found


def _carry_differences(session: Session) -> list[dict[str, Any]]:
    """Each carry_forward mirrored once, later; each closed resident-period's carry as the cap leaves it."""
    rows = session.exec(select(LedgerEntry).where(col(LedgerEntry.kind).in_(sorted(CARRY_KINDS)))).all()
    forwards = {r.entry_key: r for r in rows if r.kind == "carry_forward"}
    mirrored: defaultdict[str, int] = defaultdict(int)
    found = []
    for r in rows:
        if r.kind != "carried_in":
            continue
        original = forwards.get(r.reverses_entry_key or "")
        if original is None or r.period_id <= original.period_id:
            found.append(_difference("carried_in", r.entry_key, 0, r.amount_fen))
        else:
            mirrored[original.entry_key] -= r.amount_fen
    for key, forward in sorted(forwards.items()):
        if mirrored.get(key, 0) != forward.amount_fen:
            found.append(_difference("carry_forward", key, forward.amount_fen, mirrored.get(key, 0)))
    for community_id, period_id in sorted(set(session.exec(select(PayPeriod.community_id, PayPeriod.period_id)))):
        found += _carries_of_period(session, community_id, period_id)
    return found


def _as_draft(row: LedgerEntry) -> EntryDraft:
    """The row as a draft; a malformed one (reported by usecases.reconcile) counts by its amount alone."""
    try:
        return to_draft(row)
    except PayInputError:
        return to_draft(row.model_copy(update={"kind": "adjustment", "reverses_entry_key": None}))


def _carries_of_period(session: Session, community_id: str, period_id: str) -> list[dict[str, Any]]:
    """What each resident's carry_forward in a closed period should be: the debt less the capped recovery."""
    community = session.get(Community, community_id)
    entries: defaultdict[str, list[EntryDraft]] = defaultdict(list)
    for row in session.exec(select(LedgerEntry).where(in_community_period(community_id, period_id))):
        entries[row.resident_id].append(_as_draft(row))
    if community is None or not entries:
        return []
    period = period_by_id(period_id, community_policy(session, community_id))
    minimum = period_minimum_fen(session, community, period)
    work = period_work(session, community_id, period)
    found = []
    for rid, mine in sorted(entries.items()):
        held = sum(e.amount_fen for e in mine if e.entry_kind == "carry_forward")
        balance = period_balance(mine)
        if balance.debt_fen == 0 and held == 0:
            continue
        minutes = work[rid].minutes.total if rid in work else 0
        floor = wage_floor_fen(min_hourly_wage_fen=minimum, minutes=minutes)
        want = recovery(debt_fen=balance.debt_fen, gross_fen=balance.gross_fen, floor_fen=floor,
                        cap_bps=community.debt_recovery_cap_bps).carried_on_fen
        if want != held:
            found.append(_difference("carry", f"{community_id}:{period_id}:{rid}", want, held))
    return found
