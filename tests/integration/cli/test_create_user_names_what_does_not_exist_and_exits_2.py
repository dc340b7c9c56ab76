"""`microfactory create-user` for a community, enterprise or resident that does not exist: one line, exit 2."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from services.cli import app
from store.db import make_engine, reading
from store.migrate import upgrade
from store.tables import User
from usecases.settings import get_settings


def _create(monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> Any:
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()  # the CLI reads the process settings; make it see this database
    try:
        return CliRunner().invoke(app, ["create-user", *args, "--password", "long-enough-1"])
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(("args", "field"), [
    (["c9", "--role", "coordinator", "--community", "nowhere"], "community_ids"),
    (["e9", "--role", "enterprise", "--enterprise", "no-such-ent"], "enterprise_id"),
    (["e8", "--role", "enterprise"], "enterprise_id"),
    (["r9", "--role", "resident", "--resident", "nobody"], "resident_id"),
])
def test_a_sign_in_for_something_that_does_not_exist_is_one_line_and_exit_2(
        database_url: str, monkeypatch: pytest.MonkeyPatch, args: list[str], field: str) -> None:
    upgrade(database_url)
    result = _create(monkeypatch, database_url, *args)
    assert result.exit_code == 2, result.output
    assert result.output.strip().count("\n") == 0 and result.output.startswith(f"{field}:")
    assert "Traceback" not in result.output
    with reading(make_engine(database_url)) as session:
        assert session.exec(select(User)).all() == []


def test_a_city_sign_in_is_created_once_and_the_name_cannot_be_taken_twice(
        database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    upgrade(database_url)
    assert _create(monkeypatch, database_url, "admin", "--role", "city").exit_code == 0
    again = _create(monkeypatch, database_url, "admin", "--role", "city")
    assert again.exit_code == 2 and again.output.startswith("username:")
