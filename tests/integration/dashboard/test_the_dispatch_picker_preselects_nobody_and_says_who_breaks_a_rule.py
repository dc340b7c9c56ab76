"""派单 (new-user trial): the resident picker started on the first name in the list even when she lacked the lot's
skill. It now starts on nobody (a placeholder), lists first who meets every rule for the lot (the dispatch's own
check, usecases.hard_rules.preview), then the others, each saying the rules she would break; 改派 starts on nobody
too."""

from __future__ import annotations

from sqlmodel import select

from bench.dashboard_world import COORD1
from store.db import reading
from store.tables import Lot, Resident
from usecases.context import Context
from usecases.hard_rules import preview, rules_broken_by_each


def opened_at_dispatch(open_page):  # noqa: ANN001, ANN201
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "dispatch"
    return at.run()


def test_nobody_is_preselected_and_the_unfit_come_last_with_their_reasons(world, open_page) -> None:
    at = opened_at_dispatch(open_page)
    assert not at.exception
    picker = at.selectbox(key="dispatch_resident")
    assert picker.value is None and picker.index is None  # the placeholder, not the first name
    assert at.button(key="dispatch_go").disabled
    lot_id = at.selectbox(key="dispatch_lot").value
    now = Context.live(world.settings).now
    with reading(world.engine) as s:
        community = s.get(Lot, lot_id).community_id
        residents = {r.id: r.name for r in s.exec(select(Resident).where(Resident.community_id == community))}
        broken = {r: [b["rule"] for b in preview(s, lot_id, r, actor=COORD1, now=now)] for r in residents}
    unfit = [r for r in residents if broken[r]]
    assert unfit and len(unfit) < len(residents), broken  # the world has both kinds for this lot
    options = picker.options
    first_unfit = min(i for i, o in enumerate(options) if "不符合" in o)
    assert all("不符合" in o for o in options[first_unfit:]), options  # the fit first, then the unfit
    assert first_unfit == len(residents) - len(unfit), options
    skill_less = next(r for r in unfit if broken[r][0] == "skill")
    label = next(o for o in options if o.startswith(residents[skill_less] + " · "))
    assert "不符合：技能" in label, label


def test_reassign_starts_on_nobody(world, open_page) -> None:
    at = opened_at_dispatch(open_page)
    assert at.selectbox(key="reassign_resident").value is None


def test_the_rules_read_for_everyone_at_once_are_each_one_s_preview(world) -> None:
    """The picker reads every resident's rules in one go (rules_broken_by_each: 20 previews took ~10 ms each, 2 s
    a rerun for a community of 200); for every lot of comm-001 it says exactly what preview says of each."""
    now = Context.live(world.settings).now
    with reading(world.engine) as s:
        lots = [lot.id for lot in s.exec(select(Lot).where(Lot.community_id == "comm-001"))]
        residents = [r.id for r in s.exec(select(Resident).where(Resident.community_id == "comm-001"))]
        assert lots and residents
        for lot_id in lots:
            each = rules_broken_by_each(s, COORD1, lot_id, now=now)
            one_by_one = {r: [b["rule"] for b in preview(s, lot_id, r, actor=COORD1, now=now)] for r in residents}
            assert each == one_by_one, lot_id
        assert any(any(v) for v in each.values()) or len(lots) > 1
