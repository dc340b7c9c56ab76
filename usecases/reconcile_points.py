"""Reconciling the points ledger (积分台账) with points recomputed from the recorded facts.

Per resident and month, the work and reversal lines must sum to min(cap, Σ uncapped points of the inspections that
stand) — inspections the points consumer applied, less those an applied correction superseded — whatever order
the events came in (domain.points.rules). Redemption lines must equal the redemptions recorded, line for line, and
no balance may be below zero. Inspections still on their way to the consumer are left out, as for money.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from domain.points import cap_for_month, capped, month_of, rule_in_force, work_points
from domain.points.month_totals import SCORED_KINDS
from store.db import reading
from store.tables import Inspection, PointEntry, Redemption
from usecases.points import POINTS, load_facts, rule_versions_of
from usecases.reconcile import applied_inspections
from usecases.reconcile_service import reconcile_service


def reconcile_points(engine: Engine) -> list[dict[str, Any]]:
    """Every difference between the points ledger and the facts (empty when all agree).

    Each is a dict with "scope" (points | redemption | balance | helper | volunteer), "id", "expected_points",
    "ledger_points" and "delta_points". Points are never money: nothing here is in fen.
    """
    with reading(engine) as session:
        found = _scored(session) + _redeemed(session) + reconcile_service(session)
        balances = session.exec(select(PointEntry.resident_id, func.sum(PointEntry.points))
                                .group_by(col(PointEntry.resident_id))).all()
        found += [{"scope": "balance", "id": rid, "expected_points": 0, "ledger_points": int(total),
                   "delta_points": int(total)} for rid, total in balances if int(total) < 0]
        return found


def _scored(session: Session) -> list[dict[str, Any]]:
    corrects = dict(session.exec(select(Inspection.id, Inspection.corrects_inspection_id)).all())
    applied = applied_inspections(session, corrects, consumer=POINTS, event_type="ledger.earnings_posted")
    superseded = {corrects[i] for i in applied if corrects.get(i) in applied}
    facts = load_facts(session, sorted(applied - superseded))
    versions = rule_versions_of(session, sorted({f.community_id for f in facts.values()}))
    uncapped: dict[tuple[str, str, str], int] = defaultdict(int)  # (community, resident, month) → Σ uncapped
    for fact in facts.values():
        points = work_points(fact, rule_in_force(versions[fact.community_id], fact.inspected_at))
        uncapped[(fact.community_id, fact.resident_id, month_of(fact.inspected_at))] += points
    expected = {(rid, month): capped(total, cap_for_month(versions[cid], month))
                for (cid, rid, month), total in uncapped.items()}
    held = {(rid, month): int(total) for rid, month, total in session.exec(
        select(PointEntry.resident_id, PointEntry.month, func.sum(PointEntry.points))
        .where(col(PointEntry.kind).in_(SCORED_KINDS))
        .group_by(col(PointEntry.resident_id), col(PointEntry.month))).all()}
    return [{"scope": "points", "id": f"{rid}:{month}", "expected_points": expected.get((rid, month), 0),
             "ledger_points": held.get((rid, month), 0),
             "delta_points": held.get((rid, month), 0) - expected.get((rid, month), 0)}
            for rid, month in sorted(set(expected) | set(held))
            if expected.get((rid, month), 0) != held.get((rid, month), 0)]


def _redeemed(session: Session) -> list[dict[str, Any]]:
    """Each redemption's line must take exactly its points; a redemption line without a redemption is a difference."""
    wanted = {r.id: r.points for r in session.exec(select(Redemption))}
    lines = {r.redemption_id or r.entry_key: -r.points
             for r in session.exec(select(PointEntry).where(PointEntry.kind == "redemption"))}
    return [{"scope": "redemption", "id": rid, "expected_points": wanted.get(rid, 0),
             "ledger_points": lines.get(rid, 0), "delta_points": lines.get(rid, 0) - wanted.get(rid, 0)}
            for rid in sorted(set(wanted) | set(lines)) if wanted.get(rid, 0) != lines.get(rid, 0)]
