"""The dashboard's wiring: settings and one engine per database, scoped reads, use cases run as the API runs them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.db import make_engine, reading
from usecases.actors import Actor
from usecases.execute import execute_keyed
from usecases.queries import reads
from usecases.queries.views import Overview
from usecases.settings import Settings

T = TypeVar("T")
PRODUCER = "dashboard"


def settings() -> Settings:
    """Read from the environment on each run, so a test (or an operator) can point the app at another database."""
    return Settings()


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    """One engine per database URL for the whole server (a resource, shared safely between sessions)."""
    return _engine(settings().database_url)


def now() -> datetime:
    return datetime.now(UTC)


def read(query: Callable[..., T], actor: Actor, *args: Any, **kwargs: Any) -> T:
    """Run a scoped query for this person: the actor goes into the query, so scope is enforced where data is read."""
    with reading(engine()) as session:
        return query(session, actor, *args, **kwargs)


def read_public(query: Callable[[Session], T]) -> T:
    with reading(engine()) as session:
        return query(session)


def act(use_case: Callable[..., Any], *args: Any, actor: Actor, **kwargs: Any) -> Any:
    """Run a use case in one transaction with its events (outbox) and audit, exactly as the API does."""
    # Keyed: a page's double tap from two tabs can run concurrently; the twin that loses on its reference's receipt
    # runs again and answers with the first's record (usecases.receipts).
    return execute_keyed(engine(), settings(), use_case, *args, actor=actor, producer=PRODUCER, **kwargs)


def overview() -> Overview:
    """Public aggregates; safe to share between users."""
    return read_public(partial(reads.overview, now=now()))
