"""Reconciliation of adjustments (part of `microfactory reconcile`, issue 16): each bonus or recovery a coordinator
posted has exactly one ledger entry of the same resident, period and signed amount, and every adjustment entry in
the ledger has its record (with the reason). Differences are dicts as in usecases.reconcile (fen)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from store.tables import LedgerEntry, PayAdjustment

KIND = "adjustment"


def adjustment_differences(session: Session) -> list[dict[str, Any]]:
    """Adjustment records against adjustment entries, both ways (empty when they agree to the fen)."""
    records = {r.entry_key: r for r in session.exec(select(PayAdjustment))}
    entries = {e.entry_key: e for e in session.exec(select(LedgerEntry).where(LedgerEntry.kind == KIND))}
    found = []
    for key, record in sorted(records.items()):
        entry = entries.get(key)
        held = entry.amount_fen if entry is not None else 0
        same_place = entry is not None and (entry.resident_id, entry.period_id) == (record.resident_id,
                                                                                    record.period_id)
        if held != record.amount_fen or not same_place:
            found.append({"scope": KIND, "id": record.id, "expected_fen": record.amount_fen, "ledger_fen": held,
                          "delta_fen": held - record.amount_fen})
    for key in sorted(set(entries) - set(records)):  # money no recorded adjustment (and reason) explains
        amount = entries[key].amount_fen
        found.append({"scope": KIND, "id": key, "expected_fen": 0, "ledger_fen": amount, "delta_fen": amount})
    return found
