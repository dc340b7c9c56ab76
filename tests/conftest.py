"""Shared fixtures: a fresh database on SQLite and on PostgreSQL, settings pointing at it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from services.settings import Settings
from services.store import tables  # noqa: F401  (registers every table)
from services.store.db import make_engine
from services.store.migrate import upgrade

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def _pg_database() -> tuple[str, str]:
    name = f"mf_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql://postgres@127.0.0.1:5432/{name}"


def prepare(url: str) -> None:
    """Migrate; tables added since the last migration are created too (drift is its own test)."""
    upgrade(url)
    eng = make_engine(url)
    SQLModel.metadata.create_all(eng)
    eng.dispose()


def _drop_pg(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database: the same tests run on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'mf.db'}"
        prepare(url)
        yield url
        return
    name, url = _pg_database()
    try:
        prepare(url)
        yield url
    finally:
        _drop_pg(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database, for tests that need only one backend."""
    url = f"sqlite:///{tmp_path / 'mf.db'}"
    prepare(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(DATABASE_URL=database_url, LOG_DIR=tmp_path / "logs", DEMO=False)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings.database_url)
    yield eng
    eng.dispose()
