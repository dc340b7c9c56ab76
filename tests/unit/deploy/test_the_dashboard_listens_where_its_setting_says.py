"""The dashboard answers only this machine unless DASHBOARD_HOST says otherwise, as the API does with API_HOST: `make
run` used to start Streamlit on 0.0.0.0, showing the demo's sign-ins (their one password is in the README) to the whole
network (new-user trial, 2026-11-30); the containers of docker-compose.yml listen on every address, as they must."""

from __future__ import annotations

from typing import Any

import pytest

from services import cli


def started_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    called: list[list[str]] = []
    monkeypatch.setattr(cli.os, "execvp", lambda _file, args: called.append(list(args)))
    monkeypatch.setattr(cli.os, "chdir", lambda _path: None)
    cli.get_settings.cache_clear()  # the process's settings are read once: read them again with this environment
    try:
        cli.dashboard()
    finally:
        cli.get_settings.cache_clear()
    return called[0]


def address(args: list[str]) -> str:
    return args[args.index("--server.address") + 1]


def test_the_dashboard_listens_on_this_machine_only_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHBOARD_HOST", raising=False)
    assert address(started_with(monkeypatch)) == "127.0.0.1"


def test_dashboard_host_chooses_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    assert address(started_with(monkeypatch, DASHBOARD_HOST="0.0.0.0")) == "0.0.0.0"


def test_the_dashboard_container_listens_on_every_address(services: dict[str, dict[str, Any]]) -> None:
    assert services["dashboard"]["environment"]["DASHBOARD_HOST"] == "0.0.0.0"
