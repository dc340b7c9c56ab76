"""派单: a resident no longer active (Resident.active false, 停用) was listed among those who meet every rule, first
in the picker, though the matcher never gives her work. She now comes among the unfit, saying why
('不符合：启用（该居民已停用）'), as the dispatch's own check (usecases.hard_rules) says."""

from __future__ import annotations

from bench.dashboard_world import COORD1
from store.db import transaction
from store.tables import Resident


def test_an_inactive_resident_is_listed_among_those_who_break_a_rule(world, open_page) -> None:  # noqa: ANN001
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "dispatch"
    at.run()
    assert not at.exception, at.exception
    options = at.selectbox(key="dispatch_resident").options
    fit = [o for o in options if "不符合" not in o]
    assert fit, options
    name = fit[0].split(" · ")[0]
    with transaction(world.engine) as session:
        [gone] = [r for r in session.query(Resident).filter(Resident.name == name)]
        gone.active = False
        session.add(gone)

    at.run()
    assert not at.exception, at.exception
    options = at.selectbox(key="dispatch_resident").options
    [label] = [o for o in options if o.split(" · ")[0] == name]
    assert "不符合：启用（该居民已停用）" in label, label
    first_unfit = min(i for i, o in enumerate(options) if "不符合" in o)
    assert options.index(label) >= first_unfit and all("不符合" in o for o in options[first_unfit:]), options
