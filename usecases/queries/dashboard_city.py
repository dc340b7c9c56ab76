"""Year-to-date income per person for the HR bureau, from the ledger's real history (never extrapolated).

Income is every ledger line except a carried debt's two halves (carry_forward / carried_in move money between
periods, they are nobody's income: domain.pay.ledger_days.TRANSFER_KINDS); a person counts once they have any
income line this year. Months and the year are Asia/Shanghai calendar months. No names or ids of people leave
this module: only counts and sums. Read from the ledger's daily read model (ledger_day, issue 19).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from store.tables import LedgerDay, Resident
from usecases.actors import Actor
from usecases.queries import reads
from usecases.queries.dashboard import visible_communities


class MonthIncome(BaseModel):
    """One calendar month: income (fen), people with income that month, and the year so far up to its end."""

    month: str  # "2026-11"
    income_fen: int
    people: int
    ytd_income_fen: int
    ytd_people: int  # people with any income from January to this month
    ytd_per_person_fen: int  # ytd_income_fen // ytd_people (0 with nobody)


class GroupIncome(BaseModel):
    """The year so far for one street, community or priority group."""

    name: str
    people: int
    income_fen: int
    per_person_fen: int


class CityIncome(BaseModel):
    year: int
    months: list[MonthIncome]  # January to this month, a month without income included as zeros
    by_street: list[GroupIncome]
    by_community: list[GroupIncome]
    by_priority: list[GroupIncome]  # name "priority" (重点群体) or "other"
    ytd_people: int
    ytd_income_fen: int
    ytd_per_person_fen: int


def city_income(session: Session, actor: Actor, *, now: datetime, community_id: str | None = None) -> CityIncome:
    """This year's income per person by month and by street, community and priority group (city, coordinator).

    Read from the ledger's daily read model (ledger_day: days × residents, not ledger lines; issue 19), which
    holds the same sums as the lines it was built from (`microfactory audit` checks it).
    Raises Forbidden for other roles, and for a coordinator naming a community not theirs.
    """
    communities = {c.id: c for c in visible_communities(session, actor, community_id)}
    local_now = now.astimezone(reads.TZ)
    start = local_now.date().replace(month=1, day=1)
    month = _day_month(session)
    rows = session.exec(select(month, LedgerDay.community_id, LedgerDay.resident_id,
                               func.sum(LedgerDay.income_fen))
                        .where(col(LedgerDay.community_id).in_(sorted(communities)), LedgerDay.day >= start,
                               LedgerDay.day <= local_now.date(), col(LedgerDay.income_lines) > 0)
                        .group_by(month, LedgerDay.community_id, LedgerDay.resident_id)).all()
    people = {r for _, _, r, _ in rows}
    priority = set(session.exec(select(Resident.id).where(
        col(Resident.id).in_(sorted(people)), Resident.priority_group == True))) if people else set()  # noqa: E712
    per_person: dict[tuple[str, str], int] = defaultdict(int)  # (community, resident) -> fen this year
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m, community, resident, fen in rows:
        per_person[(community, resident)] += int(fen or 0)
        by_month[str(m)][resident] += int(fen or 0)
    return CityIncome(
        year=local_now.year, months=_months(by_month, local_now),
        by_street=_groups(per_person, lambda c, r: communities[c].street),
        by_community=_groups(per_person, lambda c, r: communities[c].name),
        by_priority=_groups(per_person, lambda c, r: "priority" if r in priority else "other"),
        ytd_people=len(people), ytd_income_fen=sum(per_person.values()),
        ytd_per_person_fen=sum(per_person.values()) // len(people) if people else 0)


def _day_month(session: Session) -> Any:
    """'YYYY-MM' of ledger_day's (local) day, in SQL."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(LedgerDay.day, "YYYY-MM")
    return func.strftime("%Y-%m", LedgerDay.day)


def _months(by_month: dict[str, dict[str, int]], local_now: datetime) -> list[MonthIncome]:
    out, seen, total = [], set(), 0
    for n in range(1, local_now.month + 1):
        key = f"{local_now.year}-{n:02d}"
        earned = by_month.get(key, {})
        seen |= set(earned)
        total += sum(earned.values())
        out.append(MonthIncome(month=key, income_fen=sum(earned.values()), people=len(earned),
                               ytd_income_fen=total, ytd_people=len(seen),
                               ytd_per_person_fen=total // len(seen) if seen else 0))
    return out


def _groups(per_person: dict[tuple[str, str], int], name_of: Any) -> list[GroupIncome]:
    fen: dict[str, int] = defaultdict(int)
    who: dict[str, set[str]] = defaultdict(set)
    for (community, resident), amount in per_person.items():
        name = name_of(community, resident)
        fen[name] += amount
        who[name].add(resident)
    return [GroupIncome(name=name, people=len(who[name]), income_fen=fen[name],
                        per_person_fen=fen[name] // len(who[name])) for name in sorted(fen)]

