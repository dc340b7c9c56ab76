"""发放奖励或扣回 (board walk-through at 1366 and 390 px): the form's resident picker started on the first name in the
list, so a coordinator who typed an amount and a reason and pressed 记入工资 paid or docked whoever came first. It now
starts on nobody (请选择居民), refuses to post without a choice (saying so, nothing posted), and after a post the next
entry starts on nobody again."""

from __future__ import annotations

from sqlmodel import func, select

from bench.dashboard_world import COORD1
from store.db import reading
from store.tables import PayAdjustment


def posted(world) -> int:  # noqa: ANN001
    with reading(world.engine) as s:
        return int(s.exec(select(func.count()).select_from(PayAdjustment)).one())


def test_nobody_is_chosen_and_nothing_posts_until_someone_is(world, open_page) -> None:
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "pay"
    at.run()
    assert at.selectbox(key="adjust_resident").value is None  # the placeholder, not the first name
    reference = str(at.session_state["adjust_reference"])
    at.text_input(key=f"adjust_amount_{reference}").input("12.50")
    at.text_input(key=f"adjust_reason_{reference}").input("端午节奖励")
    at.button(key=f"FormSubmitter:adjust_form_{reference}-记入工资").click().run()
    assert not at.exception
    assert "居民：请先选择给谁记入" in [e.value for e in at.error] and posted(world) == 0

    resident = world.phone_residents["comm-001"][0]
    at.selectbox(key="adjust_resident").select(resident)
    at.button(key=f"FormSubmitter:adjust_form_{reference}-记入工资").click().run()
    assert "已记入工资，见工资条" in [s.value for s in at.success] and posted(world) == 1
    assert at.selectbox(key="adjust_resident").value is None, "the next entry starts on nobody again"
