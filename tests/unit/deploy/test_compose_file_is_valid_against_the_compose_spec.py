"""docker-compose.yml is a valid Compose file: against the official JSON Schema and, where present, docker itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from jsonschema.validators import validator_for


def _compose_spec(repo: Path) -> dict[str, Any]:
    """The official Compose JSON Schema, as check-jsonschema vendors it (compose-spec/compose-spec)."""
    # Found without importing the package: its CLI needs a newer click than faust allows in this environment.
    spec = find_spec("check_jsonschema")
    assert spec is not None and spec.origin is not None, "check-jsonschema is not installed (make test installs it)"
    vendored = Path(spec.origin).parent / "builtin_schemas" / "vendor" / "compose-spec.json"
    return json.loads(vendored.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _docker_compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30, check=False)
    return probe.returncode == 0


def test_compose_file_validates_against_the_official_compose_schema(compose: dict[str, Any], repo: Path) -> None:
    schema = _compose_spec(repo)
    validator = validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda e: [str(p) for p in e.absolute_path])
    assert not errors, "docker-compose.yml breaks the Compose spec:\n" + "\n".join(
        f"  {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors)

    # A second, stricter opinion when the docker CLI with its compose plugin is here (it needs no engine).
    if _docker_compose_available():
        env = os.environ | {"SECRET_KEY": "test-only-secret", "POSTGRES_PASSWORD": "test-only"}
        checked = subprocess.run(["docker", "compose", "-f", str(repo / "docker-compose.yml"), "config", "-q"],
                                 capture_output=True, text=True, env=env, cwd=repo, timeout=60, check=False)
        assert checked.returncode == 0, f"docker compose config rejects docker-compose.yml:\n{checked.stderr}"


def test_the_schema_check_would_catch_a_misspelt_service_key(compose: dict[str, Any], repo: Path) -> None:
    schema = _compose_spec(repo)
    api = {**compose["services"]["api"], "comand": ["microfactory", "api"]}
    broken = {**compose, "services": {**compose["services"], "api": api}}
    assert not validator_for(schema)(schema).is_valid(broken)


def test_compose_refuses_to_start_without_a_secret_key(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        secret = (service.get("environment") or {}).get("SECRET_KEY")
        assert secret is None or str(secret).startswith("${SECRET_KEY:?"), \
            f"{name}: SECRET_KEY must be ${{SECRET_KEY:?...}} so compose refuses to start without one"
    assert any("SECRET_KEY" in (s.get("environment") or {}) for s in compose["services"].values())
