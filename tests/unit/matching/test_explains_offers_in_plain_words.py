"""Each offer explains itself in Chinese and English: skill, fairness and the finishing date.

The fairness reason is said when it is why the resident got the lot, and only then.
"""

from dataclasses import replace

from matching_strategies import NOW

from domain.matching.explain import explain
from domain.matching.model import LotNeed, Proposal, ResidentState, SiteState
from domain.matching.solver import match

EVERY_DAY = tuple((d, 480, 1080) for d in range(7))
LOT = LotNeed("L1", "O1", "C1", "beading", 1, 30, NOW.replace(day=27, hour=18), True, None, 2.0, 30)
PEOPLE = [
    ResidentState("a", "C1", {"beading": 2}, "home", frozenset(), EVERY_DAY, earned_this_period_fen=1_000,
                  offered_minutes_this_period=600),
    ResidentState("b", "C1", {"beading": 3}, "home", frozenset(), EVERY_DAY, earned_this_period_fen=99_000,
                  offered_minutes_this_period=600),
]
FAIRNESS_ZH = "你本期每小时收入比同技能的邻居低"


def _offer(people: list[ResidentState] = PEOPLE) -> Proposal:
    [offer] = match(lots=[LOT], residents=people, sites=[], now=NOW).proposals
    return offer


def test_explains_in_chinese_by_default() -> None:
    text = explain(_offer())
    assert "串珠2级技能" in text
    assert FAIRNESS_ZH in text
    assert "11月27日（周五）前完成" in text


def test_explains_in_english_on_request() -> None:
    text = explain(_offer(), "en")
    assert "you have the skill (beading, level 2)" in text
    assert "your income per hour offered this period is below that of neighbours with the same skill" in text
    assert "you can finish by Fri 27 Nov" in text


def test_the_fairness_reason_carries_both_hourly_incomes() -> None:
    [reason] = [r for r in _offer().reasons if r.code == "below_fair_share"]
    assert reason.param("hourly_fen") == 100  # 1,000 fen over 10 hours offered
    assert reason.param("neighbours_hourly_fen") == 5_000  # 100,000 fen over the pair's 20 hours


def test_does_not_claim_fairness_when_the_resident_was_the_better_fit_anyway() -> None:
    careful = replace(PEOPLE[0], pass_rate=0.99)  # below her share, and also the surer pair of hands
    sloppy = replace(PEOPLE[1], pass_rate=0.6)
    offer = _offer([careful, sloppy])
    assert offer.resident_id == "a"
    assert FAIRNESS_ZH not in explain(offer)


def test_does_not_claim_fairness_for_someone_at_their_share() -> None:
    equal = [replace(p, earned_this_period_fen=50_000) for p in PEOPLE]
    assert FAIRNESS_ZH not in explain(_offer(equal))


def test_names_the_coordinator_when_a_lot_was_dispatched() -> None:
    pinned = LotNeed("L1", "O1", "C1", "beading", 1, 30, NOW.replace(day=27), True, None, 2.0, 30, "b")
    [offer] = match(lots=[pinned], residents=PEOPLE, sites=[], now=NOW).proposals
    assert explain(offer).startswith("社区工作者把这批活指派给你")
    assert explain(offer, "en").startswith("your community coordinator assigned this lot to you")
    assert FAIRNESS_ZH not in explain(offer)


ON_SITE = LotNeed("L2", "O1", "C1", "beading", 1, 30, NOW.replace(day=27, hour=18), False, "S1", 2.0, 30)


def _on_site(travel: dict[str, int]) -> Proposal:
    worker = replace(PEOPLE[0], work_mode="onsite", reachable_site_ids=frozenset({"S1"}), travel_minutes=travel)
    [offer] = match(lots=[ON_SITE], residents=[worker], sites=[SiteState("S1", 3)], now=NOW).proposals
    return offer


def test_an_unknown_trip_is_not_said_at_all() -> None:
    """New-user trial: no travel times recorded read "到微工厂只要0分钟" on every on-site offer."""
    offer = _on_site({})
    assert "分钟" not in explain(offer) and "minutes" not in explain(offer, "en")
    assert "11月27日（周五）前完成" in explain(offer)  # the rest is still said


def test_a_trip_under_a_minute_reads_as_such() -> None:
    assert "到微工厂不到1分钟" in explain(_on_site({"S1": 0}))
    assert "0分钟" not in explain(_on_site({"S1": 0}))
    assert "the workshop is less than a minute away" in explain(_on_site({"S1": 0}), "en")
    assert "到微工厂只要7分钟" in explain(_on_site({"S1": 7}))
