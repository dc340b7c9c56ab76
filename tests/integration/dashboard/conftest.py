"""A seeded database per test and a way to open any dashboard page as a given person."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import streamlit.runtime.context
from streamlit.testing.v1 import AppTest

from bench.dashboard_world import World, build_world
from usecases.actors import Actor

DASHBOARD = Path(__file__).resolve().parents[3] / "dashboard"
OpenPage = Callable[..., AppTest]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    url = f"sqlite:///{tmp_path / 'dashboard.db'}"
    monkeypatch.setenv("DATABASE_URL", url)  # the app under test reads its settings from the environment
    return build_world(url)


@pytest.fixture
def open_page(world: World) -> OpenPage:
    """Run a page as `actor` (already signed in), optionally in English."""

    def run(page: str, actor: Actor | None, *, lang: str = "zh") -> AppTest:
        at = AppTest.from_file(str(DASHBOARD / page), default_timeout=60)
        if actor is not None:
            at.session_state["actor"] = actor
        at.session_state["lang"] = lang
        return at.run()

    return run


@dataclass
class Handshake:
    """What a browser sent when its session started, as st.context reads it (streamlit's ClientContext)."""

    cookies: Mapping[str, str] = field(default_factory=dict)
    headers: Iterable[tuple[str, str]] = ()
    remote_ip: str | None = None


@pytest.fixture
def browser_cookies(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The cookies every page opened in this test finds in st.context.cookies (set them before the run that starts
    the session). AppTest cannot seed a session's cookies (AppTest.context takes none), so the client context
    st.context reads them from is replaced by one that holds these."""
    cookies: dict[str, str] = {}
    monkeypatch.setattr(streamlit.runtime.context, "_get_client_context", lambda: Handshake(cookies=cookies))
    return cookies
