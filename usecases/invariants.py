"""`microfactory audit`: every invariant the live database can show, checked on one snapshot and recorded.

"Audit" is only the command's name; in this codebase the audit trail is `AuditRecord`. The checks are the
pure functions of `domain.invariants`; this module reads their rows (`usecases.invariant_rows`), adds the
ledger's reconciliation (`usecases.reconcile`, not a second one) and keeps each run in `invariant_check`.

The limit on a busy system: an inspection whose event the earnings consumer has not applied yet is paid a
moment later, so the totals it touches (its resident, order and enterprise) are left out of the ledger's
comparison for this run and counted in `Outcome.in_flight`; every other check reads the same snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from domain.invariants import Violation
from domain.invariants.load import check_residents, plates
from domain.invariants.money import (
    check_append_only,
    check_ledger_days,
    check_ledger_periods,
    check_lot_paid,
    check_periods,
)
from domain.invariants.pieces import check_lots, check_offers, check_orders
from domain.invariants.points import check_point_months
from store.db import reading, transaction
from store.tables import InvariantCheck
from usecases import invariant_rows as rows
from usecases.reconcile import reconcile

KEPT = 100  # violations kept with each recorded run


@dataclass(frozen=True)
class Outcome:
    """One run: when, what broke, and how many inspections were still on their way to the ledger."""

    started_at: datetime
    finished_at: datetime
    violations: list[Violation]
    in_flight: int

    @property
    def ok(self) -> bool:
        """No invariant broken."""
        return not self.violations


def check(engine: Engine) -> tuple[list[Violation], int]:
    """Every violation found on one snapshot of the database, and the inspections in flight (left out)."""
    with rows.snapshot(engine) as session:
        orders, lots, offers = rows.orders(session), rows.lots(session), rows.offers(session)
        lot_by_id, order_by_id = {x.id: x for x in lots}, {o.id: o for o in orders}
        found = check_lots(lots, rows.lot_records(session))
        found += check_offers(offers, lot_by_id)
        found += check_orders(orders, lots, offers)
        plate = plates(lot_by_id, order_by_id, offers)
        found += check_residents(rows.residents(session, set(plate)), plate)
        entries = rows.entries(session)
        found += check_append_only(entries, refusing_rewrites=rows.ledger_refuses_rewrites(session))
        found += check_periods(entries, rows.closed_periods(session), rows.payouts(session))
        found += check_ledger_days(entries, rows.ledger_days(session))  # the overview's read model (issue 19)
        found += check_lot_paid(entries, rows.lot_paid(session))  # pricing's per-lot read model (issue 19)
        found += check_ledger_periods(entries, rows.ledger_periods(session))  # pay sums' read model (issue 19)
        found += check_point_months(rows.point_lines(session), rows.point_months(session))  # points' (issue 19)
        in_flight = rows.inspections_in_flight(session)
        skipped = rows.touched_by(session, in_flight)
    found += _ledger(engine, skipped)
    return found, len(in_flight)


def _ledger(engine: Engine, skipped: set[tuple[str, str]]) -> list[Violation]:
    """Reconciliation's differences as violations, less the totals that inspections in flight still change."""
    out = []
    for d in reconcile(engine):
        if (d["scope"], d["id"]) in skipped:
            continue
        out.append(Violation(
            "ledger_differs", {"scope": str(d["scope"]), f"{d['scope']}_id": str(d["id"])},
            f"台账{d['ledger_fen']}分，按验收记录应为{d['expected_fen']}分（差{d['delta_fen']}分）",
            f"the ledger holds {d['ledger_fen']} fen where the inspections give {d['expected_fen']} fen "
            f"(off by {d['delta_fen']})", detail={"expected_fen": d["expected_fen"], "ledger_fen": d["ledger_fen"]}))
    return out


def run(engine: Engine) -> Outcome:
    """Check every invariant and record the run in `invariant_check` (with the first violations)."""
    started = datetime.now(UTC)
    violations, in_flight = check(engine)
    outcome = Outcome(started, datetime.now(UTC), violations, in_flight)
    with transaction(engine) as session:
        session.add(InvariantCheck(started_at=outcome.started_at, finished_at=outcome.finished_at, ok=outcome.ok,
                                   violations=len(violations), summary=[v.as_dict() for v in violations[:KEPT]]))
    return outcome


def latest(engine: Engine, *, now: datetime | None = None) -> dict[str, Any] | None:
    """The last recorded run for /health: when it finished, how old it is, whether it held (None: never run)."""
    with reading(engine) as session:
        last = session.exec(select(InvariantCheck).order_by(col(InvariantCheck.started_at).desc(),
                                                            col(InvariantCheck.id).desc()).limit(1)).first()
    if last is None:
        return None
    age = ((now or datetime.now(UTC)) - last.finished_at).total_seconds()
    return {"status": "ok" if last.ok else "failed", "finished_at": last.finished_at.isoformat(),
            "age_s": round(age, 1), "violations": last.violations,
            "checks": sorted({str(v.get("check")) for v in last.summary})}
