"""An engine the API's reads have used (store.db.reading_statements keeps an autocommit copy of it, issue 19) is
freed once nothing else refers to it, and its pool's connections with it: a weak-keyed map of engine → copy kept
every such engine, and its idle PostgreSQL sessions, until the process ended (SQLite and PostgreSQL)."""

from __future__ import annotations

import gc
import weakref

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from store.db import make_engine, reading_statements
from store.tables import Community
from usecases.settings import Settings


def test_an_engine_read_through_reading_statements_is_freed(engine: Engine, settings: Settings) -> None:
    used = make_engine(settings.database_url)
    for _ in range(2):  # the second read reuses the copy the first made
        with reading_statements(used) as session:
            assert session.exec(select(func.count()).select_from(Community)).one() == 0
    freed = weakref.ref(used)
    pool = weakref.ref(used.pool)
    del used, session
    gc.collect()
    assert freed() is None and pool() is None
