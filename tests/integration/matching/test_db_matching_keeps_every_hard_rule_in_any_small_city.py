"""Property, through the database and the processors: random small cities and orders, random answers.

After every round of matching the rows themselves must show: at most one pending offer per lot,
pieces offered plus issued within the order quantity, no resident over their lot limit, every
offer to a resident with the skill level and enough free hours before the due time, with both
explanations. Each example gets its own community in one database, so examples stay independent.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lots_world import FAIR_RATE_FEN, LotsWorld

residents = st.lists(st.fixed_dictionaries({
    "level": st.one_of(st.none(), st.integers(1, 3)),
    "minutes_a_day": st.sampled_from([10, 60, 240, 1440]),
    "max_open_lots": st.integers(1, 3),
    "work_mode": st.sampled_from(["onsite", "home", "either"]),
}), min_size=1, max_size=5)
orders = st.lists(st.fixed_dictionaries({
    "quantity": st.integers(5, 40),
    "min_level": st.integers(1, 3),
    "due_hours": st.integers(48, 120),  # shorter orders are refused at posting as unreachable
    "take_home": st.booleans(),
}), min_size=1, max_size=3)
rounds = st.lists(st.lists(st.sampled_from(["accept", "decline", "wait"]), min_size=1, max_size=4),
                  min_size=1, max_size=3)
_ids = itertools.count()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(people=residents, posted=orders, answers=rounds, seats=st.integers(1, 3), expire=st.booleans())
def test_no_round_of_matching_breaks_a_hard_rule(world: LotsWorld, people: list[dict], posted: list[dict],
                                                 answers: list[list[str]], seats: int, expire: bool) -> None:
    cid = world.community(f"p{next(_ids)}", seats=seats)
    world.resident(f"{cid}-able", cid, level=3, max_open_lots=3)  # someone can always take a lot: never vacuous
    for n, person in enumerate(people):
        world.resident(f"{cid}-r{n}", cid, level=person["level"], max_open_lots=person["max_open_lots"],
                       work_mode=person["work_mode"],
                       availability=[(d, 0, person["minutes_a_day"]) for d in range(7)])
    for spec in posted:
        world.order(cid, quantity=spec["quantity"], rate_fen=FAIR_RATE_FEN, min_level=spec["min_level"],
                    due_in=timedelta(hours=spec["due_hours"]), take_home=spec["take_home"])
    world.pump()
    assert [o for o in world.offers() if o.community_id == cid], "the able resident got no offer"
    assert world.hard_rule_breaches() == []
    for choices in answers:
        pending = [o for o in world.offers(status="pending") if o.community_id == cid]
        for offer, choice in zip(pending, itertools.cycle(choices)):
            if choice != "wait":
                world.answer(offer, choice)
        if expire:
            world.expire(datetime.now(UTC) + timedelta(hours=3))
        world.pump()
        assert world.hard_rule_breaches() == []
