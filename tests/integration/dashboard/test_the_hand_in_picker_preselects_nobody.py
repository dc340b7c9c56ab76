"""代交货 (board walk-through at 1366 px): the picker opened on the first holder, or the first name, whoever it was —
in the walk-through 何建花, who had nothing to hand in. It now opens on nobody (请选择居民), with those who have pieces
out to hand in listed first, then other holders, then everyone else."""

from __future__ import annotations

from bench.dashboard_world import COORD1
from store.db import reading
from store.tables import Resident


def test_the_hand_in_picker_opens_on_nobody_with_holders_first(world, open_page) -> None:
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "handin"
    at.run()
    assert not at.exception
    picker = at.selectbox(key="hand_resident")
    assert picker.value is None and picker.index is None
    with reading(world.engine) as s:
        holder = s.get(Resident, world.worker).name  # she holds the worked lot; nobody else in comm-001 holds one
    assert picker.options[0] == holder, picker.options
    at.selectbox(key="hand_resident").select(world.worker).run()
    assert at.selectbox(key="hand_resident").value == world.worker
