"""Issue 19: the points consumer reads whether a hand-in came in by its lot's due date from the database, which
compares the two stored timestamps (usecases.points.load_facts: two timestamptz on PostgreSQL, two texts of one
fixed-width UTC format on SQLite). The answer is the instants compared in Python, for hand-ins a microsecond, a
second and a day either side of the due date and exactly at it, given in UTC or in Asia/Shanghai, across a
month's, a year's and a local midnight's edge, with and without microseconds. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from store.db import reading, transaction
from store.tables import Inspection, Lot, Submission
from tests.integration.conftest import PayWorld
from usecases.points import load_facts

SHANGHAI = ZoneInfo("Asia/Shanghai")
TICK = timedelta(microseconds=1)
DUE_DATES = [
    datetime(2026, 11, 30, 23, 59, 59, 999_999, tzinfo=SHANGHAI),  # a month's last instant, local
    datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),  # a year's last instant in UTC
    datetime(2026, 12, 1, tzinfo=SHANGHAI),  # local midnight, no microseconds (16:00 the day before in UTC)
    datetime(2027, 1, 9, 8, 0, 0, 500_000, tzinfo=UTC),
]
OFFSETS = [-timedelta(days=1), -timedelta(seconds=1), -TICK, timedelta(0), TICK, timedelta(seconds=1),
           timedelta(days=1), timedelta(days=40)]


def test_on_time_is_the_hand_in_and_the_due_date_compared_as_instants(pay_world: PayWorld,
                                                                      residents: list[str]) -> None:
    resident = residents[0]
    expected: dict[str, bool] = {}
    for d, due in enumerate(DUE_DATES):
        lot_id = pay_world.lot(resident)
        with transaction(pay_world.engine) as session:
            lot = session.exec(select(Lot).where(Lot.id == lot_id)).one()
            lot.due_at = due
            session.add(lot)
            for o, offset in enumerate(OFFSETS):
                for z, zone in enumerate((UTC, SHANGHAI)):  # the same instant written from either zone
                    at = (due + offset).astimezone(zone)
                    sid, iid = f"sub-{d}-{o}-{z}", f"ins-{d}-{o}-{z}"
                    session.add(Submission(id=sid, lot_id=lot_id, resident_id=resident, pieces=10, status="inspected",
                                           actor="coord1", submitted_at=at))
                    session.flush()
                    session.add(Inspection(id=iid, submission_id=sid, lot_id=lot_id, resident_id=resident, passed=10,
                                           rejected=0, piece_rate_centifen=3700, actor="coord1", inspected_at=at))
                    expected[iid] = at <= due
    with reading(pay_world.engine) as session:
        facts = load_facts(session, sorted(expected))
    assert {iid: fact.on_time for iid, fact in facts.items()} == expected
    assert all(type(fact.on_time) is bool for fact in facts.values())
    assert sorted(expected.values()) != [True] * len(expected) and any(expected.values())
