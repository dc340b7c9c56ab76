"""The running system for end-to-end tests (see services/harness.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from services.demo.city import build_city
from services.demo.seed import load_city
from services.harness import System


@pytest.fixture(autouse=True)
def invariants_hold_when_the_system_stops() -> Iterator[None]:
    """Every system a test starts is checked for every invariant as it stops (`microfactory audit`'s checks,
    with its processes down); a broken invariant fails the test that left it. Set up before, so torn down
    after, the test's own system fixture."""
    System.check_at_stop = True
    start = len(System.checked)
    yield
    broken = [c for c in System.checked[start:] if not c["ok"]]
    assert not broken, f"invariants broken when the system stopped: {broken}"


@pytest.fixture
def system(tmp_path: Path) -> Iterator[System]:
    """A running system (embedded broker, relay, worker, API) with a one-community city loaded."""
    with running_city(tmp_path) as sys_:
        yield sys_


@contextmanager
def running_city(tmp_path: Path, extra_env: dict[str, str] | None = None) -> Iterator[System]:
    """The `system` fixture's system, its processes given `extra_env` (settings a test shortens)."""
    sys_ = System(tmp_path, extra_env=extra_env)
    load_city(sys_.engine, sys_.settings, build_city(communities=1, residents_per_community=12))
    sys_.start_all()
    try:
        yield sys_
    finally:
        sys_.stop()
