"""Observed speeds are estimates: of two residents who can both finish a lot in time, the one with hours to spare
gets it, so a slower week than expected still lands on time."""

from datetime import timedelta

import pytest
from matching_strategies import NOW

from domain.matching import rules
from domain.matching.availability import local_minutes
from domain.matching.model import LotNeed, MatchPolicy, ResidentState
from domain.matching.solver import match

MORNINGS = tuple((d, 540, 660) for d in range(5))  # 9:00-11:00 on weekdays: 2 hours a day
LOT = LotNeed("L1", "O1", "C1", "weaving", 1, 20, NOW + timedelta(days=2), True, None, 6.0, 80)  # 2 h of work


def resident(name: str, committed_minutes: int) -> ResidentState:
    return ResidentState(name, "C1", {"weaving": 1}, "home", frozenset(), MORNINGS,  # type: ignore[arg-type]
                         committed_minutes=committed_minutes)


@pytest.mark.parametrize("order", [("ann", "bob"), ("bob", "ann")])
def test_the_lot_goes_to_the_resident_with_more_time_before_it_is_due(order: tuple[str, str]) -> None:
    people = {"ann": resident("ann", 0), "bob": resident("bob", 90)}  # bob fits it too, with 30 minutes to spare
    [offer] = match(lots=[LOT], residents=[people[n] for n in order], sites=[], now=NOW).proposals
    assert offer.resident_id == "ann"


def test_spare_time_counts_in_lengths_of_the_lot_and_never_outweighs_the_pieces() -> None:
    now_min, policy = local_minutes(NOW, MatchPolicy().tz), MatchPolicy()
    tight = rules.slack_factor(LOT, resident("bob", 120), now_min=now_min, policy=policy)
    roomy = rules.slack_factor(LOT, resident("ann", 0), now_min=now_min, policy=policy)
    assert (tight, roomy) == (0.0, pytest.approx(0.5))  # 4 h free for 2 h of work: one lot-length to spare
    assert policy.slack_weight < policy.fairness_weight  # earning least this period still comes first
