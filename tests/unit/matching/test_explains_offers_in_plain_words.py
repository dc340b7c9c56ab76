"""Each offer explains itself in Chinese and English: skill, fairness and the finishing date."""

from matching_strategies import NOW

from domain.matching.explain import explain
from domain.matching.model import LotNeed, ResidentState
from domain.matching.solver import match

EVERY_DAY = tuple((d, 480, 1080) for d in range(7))
LOT = LotNeed("L1", "O1", "C1", "beading", 1, 30, NOW.replace(day=27, hour=18), True, None, 2.0, 30)
PEOPLE = [
    ResidentState("a", "C1", {"beading": 2}, "home", frozenset(), EVERY_DAY, earned_this_period_fen=1_000),
    ResidentState("b", "C1", {"beading": 3}, "home", frozenset(), EVERY_DAY, earned_this_period_fen=99_000),
]


def _offer():  # type: ignore[no-untyped-def]
    [offer] = match(lots=[LOT], residents=PEOPLE, sites=[], now=NOW).proposals
    return offer


def test_explains_in_chinese_by_default() -> None:
    text = explain(_offer())
    assert "串珠2级技能" in text
    assert "收入最少" in text
    assert "11月27日（周五）前完成" in text


def test_explains_in_english_on_request() -> None:
    text = explain(_offer(), "en")
    assert "you have the skill (beading, level 2)" in text
    assert "you earned least this period" in text
    assert "you can finish by Fri 27 Nov" in text


def test_names_the_coordinator_when_a_lot_was_dispatched() -> None:
    pinned = LotNeed("L1", "O1", "C1", "beading", 1, 30, NOW.replace(day=27), True, None, 2.0, 30, "b")
    [offer] = match(lots=[pinned], residents=PEOPLE, sites=[], now=NOW).proposals
    assert explain(offer).startswith("社区工作者把这批活指派给你")
    assert explain(offer, "en").startswith("your community coordinator assigned this lot to you")
