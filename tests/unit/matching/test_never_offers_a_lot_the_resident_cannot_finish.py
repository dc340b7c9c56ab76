"""A lot is only offered when the resident's free hours before it is due cover the work."""

from datetime import timedelta

from hypothesis import given, settings
from matching_strategies import NOW, batches

from domain.matching.model import LotNeed, ResidentState
from domain.matching.solver import match
from domain.matching.synthetic import Instance

MORNINGS = tuple((d, 540, 660) for d in range(5))  # 9:00-11:00 on weekdays: 2 hours a day


def _lot(pieces: int, days: int) -> LotNeed:
    # 6 minutes a piece at standard speed: 10 pieces an hour.
    return LotNeed("L1", "O1", "C1", "weaving", 1, pieces, NOW + timedelta(days=days), True, None, 6.0, 80)


def _ann(**changes: object) -> ResidentState:
    return ResidentState("ann", "C1", {"weaving": 1}, "home", frozenset(), MORNINGS, **changes)  # type: ignore[arg-type]


def test_offers_a_lot_that_fits_her_mornings() -> None:
    [offer] = match(lots=[_lot(40, 2)], residents=[_ann()], sites=[], now=NOW).proposals  # 4 h in 2 mornings
    assert offer.expected_finish_at <= NOW + timedelta(days=2)


def test_never_offers_a_lot_the_resident_cannot_finish() -> None:
    result = match(lots=[_lot(41, 2)], residents=[_ann()], sites=[], now=NOW)
    assert result.proposals == ()
    assert [u.reason_code for u in result.unmatched] == ["nobody_can_finish_in_time"]


def test_counts_work_she_already_accepted() -> None:
    result = match(lots=[_lot(40, 2)], residents=[_ann(committed_minutes=30)], sites=[], now=NOW)
    assert [u.reason_code for u in result.unmatched] == ["nobody_can_finish_in_time"]


def test_uses_her_observed_speed_over_the_standard() -> None:
    fast = _ann(pieces_per_hour={"weaving": 25.0})
    [offer] = match(lots=[_lot(90, 2)], residents=[fast], sites=[], now=NOW).proposals
    assert offer.expected_finish_at <= NOW + timedelta(days=2)


def test_weekends_do_not_count_when_she_does_not_work_them() -> None:
    friday = NOW + timedelta(days=4)
    lot = LotNeed("L1", "O1", "C1", "weaving", 1, 40, friday + timedelta(days=2, hours=3), True, None, 6.0, 80)
    busy = _ann(committed_minutes=5 * 120 - 60)  # all but one hour of the week is taken
    assert match(lots=[lot], residents=[busy], sites=[], now=NOW).proposals == ()


@settings(max_examples=80, deadline=None)
@given(batches(max_lots=5, max_residents=5))
def test_every_offer_is_expected_to_finish_before_it_is_due(batch: Instance) -> None:
    result = match(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    due = {x.lot_id: x.due_at for x in batch.lots}
    assert all(p.expected_finish_at <= due[p.lot_id] + timedelta(seconds=1) for p in result.proposals)
