"""Transient database errors: told apart from permanent ones, and waited out with backoff.

A database that is locked (SQLite's busy timeout ran out while another process held the write lock),
restarting, or unreachable will take the same write later; a dead letter is only for what never will.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import exc as sa

log = logging.getLogger(__name__)
T = TypeVar("T")
FIRST_PAUSE_S, LONGEST_PAUSE_S = 0.2, 5.0


def is_transient(error: BaseException) -> bool:
    """Whether the same statement may succeed later: locked, busy, down, disconnected, or a lost pool slot.

    OperationalError covers SQLite's "database is locked" and PostgreSQL's connection failures, serialization
    failures and deadlocks; integrity and data errors are permanent (the same input fails the same way).
    """
    if isinstance(error, sa.OperationalError | sa.InterfaceError | sa.DisconnectionError | sa.TimeoutError):
        return True
    if isinstance(error, sa.DBAPIError):
        return bool(error.connection_invalidated)
    return isinstance(error, sqlite3.OperationalError | ConnectionError)


def pause_s(attempt: int) -> float:
    """The pause before retry number `attempt` (1, 2, …): doubling from FIRST_PAUSE_S up to LONGEST_PAUSE_S."""
    return float(min(LONGEST_PAUSE_S, FIRST_PAUSE_S * 2 ** min(max(attempt - 1, 0), 10)))


def retrying(work: Callable[[], T], *, what: str, pause: Callable[[float], None] = time.sleep,
             attempts: int | None = None) -> T:
    """Run `work`; while it fails with a transient database error, wait (with backoff) and run it again.

    Retries without end unless `attempts` bounds them (then the last error is raised). A permanent error is
    raised at once. `pause` is injected so tests need not wait.
    """
    attempt = 0
    while True:
        try:
            return work()
        except Exception as error:
            attempt += 1
            if not is_transient(error) or (attempts is not None and attempt >= attempts):
                raise
            wait = pause_s(attempt)
            log.warning("%s: database unavailable (%s); retry %d in %.1f s", what, str(error).splitlines()[0][:200],
                        attempt, wait)
            pause(wait)
