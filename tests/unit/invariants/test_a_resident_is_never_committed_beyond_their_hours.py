"""The live check of a resident's plate: the over-committing matcher's world is flagged, an override with a
reason excuses the rule it names, and time passing after the latest commitment flags nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import get_args

from domain.invariants import model
from domain.invariants.load import check_residents, plates
from domain.invariants.rows import LotRow, OfferRow, OrderRow, ResidentRow
from schemas.commands import HardRule

# Fault 1 of issue 14: three hours a day, 4 standard minutes a piece, lots of 150 due in 5 days.
NOW = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Shanghai
THREE_HOURS_A_DAY = tuple((d, 9 * 60, 12 * 60) for d in range(7))
ORDER = OrderRow(id="ord-1", status="open", quantity=600, skill="weaving", min_level=1, standard_minutes_per_piece=4)
RESIDENT = ResidentRow(id="r1", max_open_lots=3, skills={"weaving": 2}, availability=THREE_HOURS_A_DAY)


def _lot(n: int, **kw: object) -> LotRow:
    lot = LotRow(id=f"lot-{n}", order_id="ord-1", status="offered", pieces=150, due_at=NOW + timedelta(days=5))
    return replace(lot, **kw)  # type: ignore[arg-type]


def _offer(n: int, *, at: datetime = NOW, **kw: object) -> OfferRow:
    offer = OfferRow(id=f"ofr-{n}", lot_id=f"lot-{n}", resident_id="r1", status="pending", pieces=150,
                     offered_at=at, work_minutes=600.0)
    return replace(offer, **kw)  # type: ignore[arg-type]


def _check(lots: list[LotRow], offers: list[OfferRow], resident: ResidentRow = RESIDENT) -> list[str]:
    found = check_residents({"r1": resident}, plates({x.id: x for x in lots}, {"ord-1": ORDER}, offers))
    return [v.check for v in found]


def test_two_pending_offers_that_do_not_fit_together_are_flagged() -> None:
    # Each lot alone is 600 minutes against ~900 available; the old matcher offered both within a second.
    assert _check([_lot(1)], [_offer(1)]) == []
    assert _check([_lot(1), _lot(2)], [_offer(1), _offer(2, at=NOW + timedelta(seconds=1))]) == ["over_committed"]


def test_an_override_of_time_with_a_reason_excuses_the_lateness_but_not_without_a_reason() -> None:
    lots = [_lot(1), _lot(2)]
    excused = [_offer(1), _offer(2, override_rules=("time",), override_reason="她周末加班")]
    assert _check(lots, excused) == []
    assert _check(lots, [_offer(1), _offer(2, override_rules=("time",))]) == ["over_committed"]


def test_time_passing_after_the_latest_commitment_flags_nothing() -> None:
    # Accepted five days ago, due tomorrow, 10 pieces made: judged now the 560 minutes left would look late
    # (three hours before it is due); judged when it was taken on it fitted, and work done since only shrinks.
    held = _lot(1, status="in_work", resident_id="r1", accepted_at=NOW - timedelta(days=4, hours=20),
                pieces_issued=150, pieces_passed=10, due_at=NOW + timedelta(days=1))
    accepted = _offer(1, at=NOW - timedelta(days=4, hours=21), status="accepted")
    assert _check([held], [accepted]) == []


def test_a_speed_learned_later_does_not_change_the_minutes_an_offer_was_made_on() -> None:
    slow = ResidentRow(id="r1", max_open_lots=3, skills={"weaving": 2}, availability=THREE_HOURS_A_DAY,
                       pieces_per_hour={"weaving": 1.0})  # learned after the offer: 150 hours for the lot
    assert _check([_lot(1)], [_offer(1)], slow) == []


def test_skill_and_open_lot_limit_hold_unless_an_override_names_them() -> None:
    novice = ResidentRow(id="r1", max_open_lots=1, skills={}, availability=THREE_HOURS_A_DAY)
    short = [_lot(1, pieces=10), _lot(2, pieces=10)]
    offers = [_offer(1, pieces=10, work_minutes=40.0), _offer(2, pieces=10, work_minutes=40.0)]
    assert sorted(_check(short, offers, novice)) == ["lacks_skill", "lacks_skill", "open_lot_limit_exceeded"]
    overridden = [_offer(n, pieces=10, work_minutes=40.0, override_rules=("skill", "open_lots"),
                         override_reason="coordinator trained her today") for n in (1, 2)]
    assert _check(short, overridden, novice) == []


def test_the_rules_it_excuses_are_named_as_a_dispatch_names_them() -> None:
    assert {model.RULE_SKILL, model.RULE_LEVEL, model.RULE_TIME, model.RULE_OPEN_LOTS} <= set(get_args(HardRule))
