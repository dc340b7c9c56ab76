"""The coordinator's bonus or recovery form posts an entry once however often it is submitted (issue 16).

Each entry's form carries a reference minted when it was drawn (dashboard/pay_forms.py); the use case answers a
reference posted before with the first adjustment. A double click is simulated by clicking the button of the form
as the browser still shows it (AppTest's element from before the first answer), with the values typed into it.
"""

from __future__ import annotations

from sqlmodel import col, func, select
from streamlit.testing.v1 import AppTest

from bench.dashboard_world import COORD1
from schemas import commands as c
from store.db import reading
from store.tables import LedgerEntry, PayAdjustment
from usecases import adjustments
from usecases.execute import execute


def pay_section(open_page) -> AppTest:
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "pay"
    return at.run()


def fill(at: AppTest, resident_id: str, amount: str, reason: str) -> str:
    """Type an entry into the adjustment form; the form's reference (what its keys end with)."""
    reference = str(at.session_state["adjust_reference"])
    at.selectbox(key="adjust_resident").select(resident_id)
    at.text_input(key=f"adjust_amount_{reference}").input(amount)
    at.text_input(key=f"adjust_reason_{reference}").input(reason)
    return reference


def post_button(at: AppTest, reference: str):  # noqa: ANN201 - AppTest's Button element
    return at.button(key=f"FormSubmitter:adjust_form_{reference}-记入工资")


def lines(world, resident_id: str) -> tuple[int, list[tuple[str, int, str | None]]]:
    """The resident's ledger lines and adjustments (kind, fen, reference)."""
    with reading(world.engine) as s:
        n = s.exec(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.resident_id == resident_id)).one()
        rows = s.exec(select(PayAdjustment).where(PayAdjustment.resident_id == resident_id)
                      .order_by(col(PayAdjustment.at), col(PayAdjustment.id))).all()
        return int(n), [(a.kind, a.amount_fen, a.reference) for a in rows]


def test_a_double_click_posts_once_and_the_next_entry_posts(world, open_page) -> None:
    resident = world.phone_residents["comm-001"][0]
    before, _ = lines(world, resident)
    at = pay_section(open_page)
    first = fill(at, resident, "12.50", "端午节奖励")
    button = post_button(at, first)  # the button as the browser shows it until the answer arrives
    button.click().run()
    assert not at.exception
    assert "已记入工资，见工资条" in [s.value for s in at.success]
    button.click().run()  # the second click of a double click: the same drawn form, the same typed values
    assert not at.exception and not at.error
    n, posted = lines(world, resident)
    assert (n, posted) == (before + 1, [("bonus", 1250, first)]), "the same entry submitted twice posts once"

    second = str(at.session_state["adjust_reference"])
    assert second != first, "after a post the next entry has its own reference"
    assert at.text_input(key=f"adjust_amount_{second}").value == "", "the next entry starts empty"
    fill(at, resident, "8", "补发交通费")
    at.radio(key="adjust_kind").set_value("recovery")
    post_button(at, second).click().run()
    assert "已记入工资，见工资条" in [s.value for s in at.success]
    n, posted = lines(world, resident)
    assert (n, posted) == (before + 2, [("bonus", 1250, first), ("recovery", -800, second)])


def test_a_resubmission_after_a_lost_answer_posts_nothing_new(world, open_page) -> None:
    """The first request reached the database but its answer never reached the page; the coordinator clicks again."""
    resident = world.phone_residents["comm-001"][1]
    at = pay_section(open_page)
    reference = fill(at, resident, "20", "季度全勤奖")
    execute(world.engine, world.settings, adjustments.post_adjustment, c.PostAdjustment(
        resident_id=resident, kind="bonus", amount_fen=2000, reason="季度全勤奖", reference=reference), actor=COORD1)
    before, posted = lines(world, resident)
    post_button(at, reference).click().run()
    assert not at.exception and not at.error
    assert "这笔调整已记入过工资，没有重复记入" in [s.value for s in at.success]
    assert lines(world, resident) == (before, posted) and [p[1] for p in posted] == [2000]
    assert str(at.session_state["adjust_reference"]) != reference, "answered: the next entry gets a new reference"
