"""The English switch survives a reload: a reload starts a new Streamlit session (its state is gone), so the choice
rides in the address as ?lang=en, which every run writes while English is on and removes when it is off."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

DASHBOARD = Path(__file__).resolve().parents[3] / "dashboard"


def fresh_session(query: dict[str, str] | None = None) -> AppTest:
    """Home.py as a browser opening (or reloading) an address: nothing in the session, only the address's query."""
    at = AppTest.from_file(str(DASHBOARD / "Home.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def test_switching_to_english_writes_it_into_the_address_and_a_reload_opens_in_english(world) -> None:
    at = fresh_session()
    assert at.toggle(key="english").value is False and "lang" not in at.query_params
    assert any("登录" in b.label for b in at.button)
    at = at.toggle(key="english").set_value(True).run()
    assert at.query_params["lang"] == "en"

    reloaded = fresh_session({"lang": "en"})  # what the browser's address now holds
    assert reloaded.toggle(key="english").value is True
    assert reloaded.session_state["lang"] == "en"
    assert any(b.label == "Sign in" for b in reloaded.button), [b.label for b in reloaded.button]


def test_switching_back_to_chinese_takes_it_out_of_the_address(world) -> None:
    at = fresh_session({"lang": "en"})
    at = at.toggle(key="english").set_value(False).run()
    assert "lang" not in at.query_params and at.session_state["lang"] == "zh"
    assert not any(b.label == "Sign in" for b in at.button)


def test_an_address_with_a_language_it_does_not_know_opens_in_chinese(world) -> None:
    at = fresh_session({"lang": "fr"})
    assert at.toggle(key="english").value is False and at.session_state["lang"] == "zh"
