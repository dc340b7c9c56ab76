"""`microfactory reconcile`: the ledger against totals recomputed from the recorded inspections."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from services.store.db import reading
from services.store.tables import Inspection, LedgerEntry, Lot, Order
from streams.domain.pay.ledger import InspectionFact, diff, ledger_totals, recompute_totals
from streams.processors.earn import to_draft


def reconcile(engine: Engine) -> list[dict[str, Any]]:
    """Every resident, order and enterprise total that differs by even one fen (empty when all agree)."""
    with reading(engine) as session:
        rows = session.exec(select(Inspection, Lot.community_id, Order.id, Order.enterprise_id)
                            .join(Lot, col(Lot.id) == Inspection.lot_id)
                            .join(Order, col(Order.id) == Lot.order_id)
                            .order_by(col(Inspection.inspected_at))).all()
        facts = [InspectionFact(
            inspection_id=i.id, lot_id=i.lot_id, order_id=order_id, enterprise_id=enterprise_id,
            resident_id=i.resident_id, community_id=community_id, passed=i.passed, rejected=i.rejected,
            piece_rate_fen=i.piece_rate_fen, quality_bonus_fen_per_piece=i.quality_bonus_fen_per_piece,
            inspected_at=i.inspected_at, corrects_inspection_id=i.corrects_inspection_id)
            for i, community_id, order_id, enterprise_id in rows]
        entries = [to_draft(e) for e in session.exec(select(LedgerEntry).where(
            col(LedgerEntry.inspection_id).is_not(None)))]
    return [asdict(d) | {"delta_fen": d.delta_fen} for d in diff(recompute_totals(facts), ledger_totals(entries))]
