"""The deployment files, loaded once for the tests that hold them to their promises."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
COMPOSE_FILE = REPO / "docker-compose.yml"
CONFIGURATION_DOC = REPO / "docs" / "configuration.md"
# A table row whose first cell names a variable: | `NAME` | ... |
_DOCUMENTED = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", re.MULTILINE)


@pytest.fixture(scope="session")
def repo() -> Path:
    """The checkout's root."""
    return REPO


@pytest.fixture(scope="session")
def compose_text() -> str:
    return COMPOSE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def compose(compose_text: str) -> dict[str, Any]:
    """docker-compose.yml as compose reads it, with the `<<: *anchor` merges applied."""
    loaded = yaml.safe_load(compose_text)
    assert isinstance(loaded, dict), "docker-compose.yml is not a mapping"
    return loaded


@pytest.fixture(scope="session")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def documented_variables() -> set[str]:
    """Every variable named in the first column of a table in docs/configuration.md."""
    return set(_DOCUMENTED.findall(CONFIGURATION_DOC.read_text(encoding="utf-8")))
