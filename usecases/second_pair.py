"""Whether correcting an inspection needs a second coordinator (issue 16): the facts the domain rule is judged on.

The rule itself is domain.lifecycle.correction.needs_second_approval; this reads whether the corrected inspection's
pay sits in a closed period of its community and whether it was an automatic acceptance.
"""

from __future__ import annotations

from sqlmodel import Session, select

from domain.lifecycle.correction import needs_second_approval
from domain.pay import period_for
from domain.pay.model import entry_key_for
from store.tables import Inspection, LedgerEntry, PayPeriod
from usecases.queries.period_work import community_policy


def pay_period_of(session: Session, inspection: Inspection, community_id: str) -> str:
    """The id of the pay period the inspection's pay is in ('2026-11-B'): the one its own ledger entries were posted
    to; before the earnings consumer has posted them, the period its inspection time falls in (Asia/Shanghai, the
    community's period kind)."""
    # Its piece pay, by key (always posted, with its other entries in the same period): no index by inspection.
    period_id = session.exec(select(LedgerEntry.period_id).where(
        LedgerEntry.entry_key == entry_key_for(inspection.id, "piece_pay"))).first()
    if period_id is None:
        period_id = period_for(inspection.inspected_at, community_policy(session, community_id)).period_id
    return period_id


def why_second_pair(session: Session, inspection: Inspection, community_id: str) -> str | None:
    """"closed_period", "automatic" or None for the inspection a correction would supersede.

    The period is the one its own ledger entries were posted to; before the earnings consumer has posted them,
    the period its inspection time falls in (Asia/Shanghai, the community's period kind).
    """
    period_id = pay_period_of(session, inspection, community_id)
    closed = session.exec(select(PayPeriod.id).where(PayPeriod.community_id == community_id,
                                                     PayPeriod.period_id == period_id)).first() is not None
    return needs_second_approval(period_closed=closed, automatic=inspection.automatic)
