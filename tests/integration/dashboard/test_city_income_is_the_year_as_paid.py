"""The bureau's year-to-date income per person is what the ledger paid, month by month — never a month extrapolated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bench.dashboard_world import actor, build_world
from store.db import reading, transaction
from store.ledger import append_entries, entry_row
from store.tables import Community, Resident
from usecases.errors import Forbidden
from usecases.queries.dashboard_city import city_income

NOW = datetime(2031, 3, 20, 4, 0, tzinfo=UTC)  # 12:00 on 20 March in Shanghai
CITY = actor("city", "city")


def pay(session, n: int, resident: Resident, fen: int, at: datetime, kind: str = "piece_pay") -> None:  # noqa: ANN001
    append_entries(session, [entry_row(entry_key=f"test-{n}", kind=kind, resident_id=resident.id,
                                       community_id=resident.community_id, pieces=1, rate_centifen=fen * 100,
                                       amount_fen=fen, period_id="2031-01-A", posted_at=at)])


def test_income_per_person_is_the_ledger_s_year_by_month_street_and_group(database_url: str) -> None:
    world = build_world(database_url)
    with transaction(world.engine) as s:
        residents = list(s.exec(select(Resident).where(Resident.community_id == "comm-001").order_by(Resident.id)))
        plain, helped = residents[0], residents[1]
        plain.priority_group, helped.priority_group = False, True  # 重点群体
        s.add_all([plain, helped])
        other = s.exec(select(Resident).where(Resident.community_id == "comm-002")).first()
        assert other is not None
        pay(s, 1, plain, 100_00, datetime(2030, 12, 31, 15, 59, tzinfo=UTC))  # 23:59 on 31 Dec: last year
        pay(s, 2, plain, 300_00, datetime(2030, 12, 31, 16, 1, tzinfo=UTC))  # 00:01 on 1 Jan in Shanghai
        pay(s, 3, helped, 200_00, datetime(2031, 2, 10, 2, 0, tzinfo=UTC))
        pay(s, 4, plain, 100_00, datetime(2031, 3, 1, 2, 0, tzinfo=UTC))
        pay(s, 5, other, 50_00, datetime(2031, 3, 2, 2, 0, tzinfo=UTC))
        pay(s, 6, plain, -999_00, datetime(2031, 3, 3, 2, 0, tzinfo=UTC), kind="carry_forward")  # a transfer
        streets = {c.id: c.street for c in s.exec(select(Community))}
    with reading(world.engine) as s:
        v = city_income(s, CITY, now=NOW)
    assert [(m.month, m.income_fen, m.people, m.ytd_per_person_fen) for m in v.months] == [
        ("2031-01", 300_00, 1, 300_00), ("2031-02", 200_00, 1, 250_00), ("2031-03", 150_00, 2, 216_66)]
    assert (v.ytd_people, v.ytd_income_fen, v.ytd_per_person_fen) == (3, 650_00, 216_66)
    groups = {g.name: (g.people, g.income_fen) for g in v.by_priority}
    assert groups == {"other": (2, 450_00), "priority": (1, 200_00)}
    by_street = {g.name: g.income_fen for g in v.by_street}
    assert sum(by_street.values()) == 650_00 and by_street[streets["comm-002"]] >= 50_00
    with reading(world.engine) as s:
        mine = city_income(s, actor("coord2", "coordinator", community_ids=frozenset({"comm-002"})), now=NOW)
        assert (mine.ytd_people, mine.ytd_income_fen) == (1, 50_00)
        with pytest.raises(Forbidden):
            city_income(s, actor("ent1", "enterprise", enterprise_id="ent-01"), now=NOW)
