"""docs/configuration.md lists every variable a process or the compose file reads, and nothing else."""

from __future__ import annotations

import re
from typing import Any

from usecases.settings import Settings

# ${NAME}, ${NAME:-default}, ${NAME:?message}: variables docker compose itself reads.
_INTERPOLATED = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")


def _settings_variables() -> set[str]:
    return {field.alias or name.upper() for name, field in Settings.model_fields.items()}


def _compose_environment_keys(compose: dict[str, Any]) -> set[str]:
    """Keys of every environment map (the x- anchors included) and of every NAME=value list entry."""
    keys: set[str] = set()
    blocks = [s.get("environment") for s in compose["services"].values()]
    blocks += [v for k, v in compose.items() if k.startswith("x-") and k.endswith("-env")]
    for block in blocks:
        if isinstance(block, dict):
            keys |= set(block)
        elif isinstance(block, list):
            keys |= {entry.split("=", 1)[0] for entry in block}
    return keys


def test_every_setting_is_documented(documented_variables: set[str]) -> None:
    missing = _settings_variables() - documented_variables
    assert not missing, f"settings in usecases/settings.py missing from docs/configuration.md: {sorted(missing)}"


def test_every_compose_environment_variable_is_documented(compose: dict[str, Any],
                                                          documented_variables: set[str]) -> None:
    named = _compose_environment_keys(compose)
    assert {"DATABASE_URL", "KAFKA_BOOTSTRAP", "SECRET_KEY", "POSTGRES_PASSWORD"} <= named
    missing = named - documented_variables
    assert not missing, f"environment of docker-compose.yml missing from docs/configuration.md: {sorted(missing)}"


def test_every_interpolated_compose_variable_is_documented(compose_text: str, documented_variables: set[str]) -> None:
    interpolated = set(_INTERPOLATED.findall(compose_text))
    assert "SECRET_KEY" in interpolated
    missing = interpolated - documented_variables
    assert not missing, f"${{...}} in docker-compose.yml missing from docs/configuration.md: {sorted(missing)}"


def test_documentation_names_no_variable_that_nothing_reads(compose: dict[str, Any], compose_text: str,
                                                            documented_variables: set[str]) -> None:
    read = _settings_variables() | _compose_environment_keys(compose) | set(_INTERPOLATED.findall(compose_text))
    stale = documented_variables - read
    assert not stale, f"docs/configuration.md documents variables nothing reads: {sorted(stale)}"
