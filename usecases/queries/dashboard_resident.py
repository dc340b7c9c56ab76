"""A resident's own page: offers, lots, earnings and pay per period — nobody else's."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from domain.lifecycle.offer import OfferStatus
from store.tables import LedgerEntry, Resident
from usecases.actors import Actor
from usecases.errors import Forbidden
from usecases.queries import reads
from usecases.queries.dashboard import passed_pieces
from usecases.queries.dashboard_views import PeriodPay, ResidentHome
from usecases.queries.views import EarningLine


def resident_home(session: Session, actor: Actor, resident_id: str, *, now: datetime) -> ResidentHome:
    """Everything on the phone page, for the resident themself or a coordinator acting for them (代办)."""
    if actor.role not in ("resident", "coordinator"):
        raise Forbidden("role", "only the resident or their coordinator sees this page")
    earnings = reads.earnings(session, actor, resident_id, now=now)  # raises NotFound outside the actor's scope
    resident = session.get(Resident, resident_id)
    assert resident is not None
    return ResidentHome(
        resident_id=resident_id, name=resident.name,
        offers=[o for o in reads.offers(session, actor, resident_id, status=OfferStatus.PENDING) if o.expires_at > now],
        lots=reads.lots(session, actor, resident_id=resident_id),
        earnings=earnings, periods=periods(session, resident_id, earnings.entries))


def periods(session: Session, resident_id: str, recent: list[EarningLine]) -> list[PeriodPay]:
    """Pay per period (the pay slip's totals), newest first, with the recent lines of each."""
    totals = session.exec(select(LedgerEntry.period_id, func.sum(LedgerEntry.amount_fen))
                          .where(LedgerEntry.resident_id == resident_id).group_by(LedgerEntry.period_id)).all()
    pieces = dict(session.exec(select(LedgerEntry.period_id, func.sum(LedgerEntry.pieces))
                               .where(LedgerEntry.resident_id == resident_id, passed_pieces())
                               .group_by(LedgerEntry.period_id)).all())
    lines: dict[str, list[EarningLine]] = defaultdict(list)
    for line in recent:
        lines[line.period_id].append(line)
    return [PeriodPay(period_id=p, amount_fen=int(fen or 0), pieces=int(pieces.get(p) or 0), lines=lines[p])
            for p, fen in sorted(totals, reverse=True)]
