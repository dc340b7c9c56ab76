"""The running system for end-to-end tests (see services/harness.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.demo.city import build_city
from services.demo.seed import load_city
from services.harness import System


@pytest.fixture
def system(tmp_path: Path) -> Iterator[System]:
    """A running system (embedded broker, relay, worker, API) with a one-community city loaded."""
    sys_ = System(tmp_path)
    load_city(sys_.engine, sys_.settings, build_city(communities=1, residents_per_community=12))
    sys_.start_broker()
    for name in ("relay", "worker", "api"):
        sys_.start(name)
    try:
        yield sys_
    finally:
        sys_.stop()
