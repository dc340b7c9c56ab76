"""Residents in work (在岗居民): the one definition every page, the API and every export count by.

A resident is in work in a period when work of hers passed inspection and was paid in it: her piece pay posted in
the period, net of reversals, comes to at least one passed piece. It is counted from the ledger's daily read model
(ledger_day, Asia/Shanghai days), so a period is a run of whole local days. Income per person (人均) divides the
period's income by this count.

Not counted: a resident who only holds an offer or a lot, or handed in work not yet inspected (she is counted in
the period her pieces pass), and one whose only lines are a bonus, a correction or a carried debt.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.tables import LedgerDay


def in_work_statement(first_day: Any, end_day: Any, community_ids: Any) -> Any:
    """(community_id, resident_id) of each resident in work on the local days first_day ≤ day < end_day (dates or
    bound parameters) in the communities named (a list of ids, or a subquery of them)."""
    day = col(LedgerDay.day)
    return (select(LedgerDay.community_id, LedgerDay.resident_id)
            .where(col(LedgerDay.community_id).in_(community_ids), day >= first_day, day < end_day)
            .group_by(LedgerDay.community_id, LedgerDay.resident_id)
            .having(func.sum(LedgerDay.passed_pieces) > 0))


def residents_in_work(session: Session, community_ids: Iterable[str], *, first_day: date,
                      end_day: date) -> dict[str, set[str]]:
    """community → the residents in work there on the local days first_day ≤ day < end_day."""
    out: dict[str, set[str]] = defaultdict(set)
    for community, resident in session.exec(in_work_statement(first_day, end_day, sorted(community_ids))).all():
        out[community].add(resident)
    return out
