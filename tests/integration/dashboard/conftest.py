"""A seeded database per test and a way to open any dashboard page as a given person."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
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
