"""A reload starts a new session (st.session_state forgotten): the coordinator's section rides in the address
(?section=…), so the reload reopens the section she was on, not 概况 (a fresh user's report at 390 and 1366 px)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.dashboard_world import COORD1

PAGE = "views/coordinator.py"
SCRIPT = Path(__file__).resolve().parents[3] / "dashboard" / PAGE


def opened_at(address: Mapping[str, str]) -> AppTest:
    """A new session (what a reload starts) at an address with these query parameters, the cookie's sign-in read."""
    at = AppTest.from_file(str(SCRIPT), default_timeout=60)
    at.query_params.update(address)
    at.session_state["actor"], at.session_state["lang"] = COORD1, "zh"
    return at.run()


def test_the_chosen_section_is_in_the_address_and_a_reload_reopens_it(world, open_page) -> None:
    at = open_page(PAGE, COORD1)
    assert at.segmented_control(key="co_section").value == "board" and "section" not in at.query_params
    at.segmented_control(key="co_section").set_value("inspect").run()
    assert not at.exception
    assert at.query_params["section"] == "inspect"
    assert set(at.query_params) == {"section"}, "only the section's name goes into the address, never a token"
    again = opened_at(at.query_params)
    assert not again.exception
    assert again.segmented_control(key="co_section").value == "inspect"
    assert again.selectbox(key="inspect_submission").options, "the inspection section is drawn, not the overview"


def test_back_to_the_overview_takes_the_section_out_of_the_address(world, open_page) -> None:
    at = open_page(PAGE, COORD1)
    at.segmented_control(key="co_section").set_value("pay").run()
    at.segmented_control(key="co_section").set_value("board").run()
    assert "section" not in at.query_params
    assert opened_at(at.query_params).segmented_control(key="co_section").value == "board"


def test_an_unknown_section_in_the_address_opens_the_overview(world, open_page) -> None:
    at = opened_at({"section": "nonsense"})
    assert not at.exception and at.segmented_control(key="co_section").value == "board"
    assert opened_at({"section": "pay"}).segmented_control(key="co_section").value == "pay"
