"""Shared fixtures: a fresh database on SQLite and on PostgreSQL, settings pointing at it."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from store import tables  # noqa: F401  (registers every table)
from store.db import make_engine
from store.migrate import upgrade
from usecases.settings import Settings

PG_BASE = "postgresql://postgres@127.0.0.1:5432"
PG_ADMIN = f"{PG_BASE}/test"


def prepare(url: str) -> None:
    """Migrate; tables added since the last migration are created too (drift is its own test)."""
    upgrade(url)
    eng = make_engine(url, pooled=False)
    SQLModel.metadata.create_all(eng)
    eng.dispose()
    if url.startswith("sqlite:///"):  # fold the WAL into the file, so a file copy is the whole database
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class Templates:
    """Migrate once per test session, then copy: a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sqlite: Path | None = None
        self.pg: str | None = None

    def sqlite_copy(self, target: Path) -> str:
        if self.sqlite is None:
            self.sqlite = self.root / "template.db"
            prepare(f"sqlite:///{self.sqlite}")
        shutil.copyfile(self.sqlite, target)
        return f"sqlite:///{target}"

    def pg_copy(self) -> tuple[str, str]:
        if self.pg is None:
            self.pg = f"mf_template_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg}"')
            prepare(f"{PG_BASE}/{self.pg}")
        name = f"mf_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg}"')
        return name, f"{PG_BASE}/{name}"

    def drop(self) -> None:
        if self.pg is not None:
            _drop_pg(self.pg)


def _drop_pg(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    made.drop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, templates: Templates) -> Iterator[str]:
    """An empty, migrated database: the same tests run on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield templates.sqlite_copy(tmp_path / "mf.db")
        return
    name, url = templates.pg_copy()
    try:
        yield url
    finally:
        _drop_pg(name)


@pytest.fixture
def sqlite_url(tmp_path: Path, templates: Templates) -> str:
    """A migrated SQLite database, for tests that need only one backend."""
    return templates.sqlite_copy(tmp_path / "mf.db")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(DATABASE_URL=database_url, LOG_DIR=tmp_path / "logs", DEMO=False)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings.database_url)
    yield eng
    eng.dispose()
