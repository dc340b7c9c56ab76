"""The lots world (tests/integration/lots_world.py) as a fixture, importable whatever pytest's import mode."""

import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from usecases.settings import Settings

sys.path.insert(0, str(Path(__file__).parent.parent))

from lots_world import LotsWorld, make_world  # noqa: E402


@pytest.fixture
def world(engine: Engine, settings: Settings) -> LotsWorld:
    return make_world(engine, settings)
