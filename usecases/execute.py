"""Running one use case as one unit of work, whoever calls it (an API route, a dashboard page, a timer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from schemas.envelope import Event
from store.db import transaction
from store.outbox import record_events
from usecases.context import Context
from usecases.settings import Settings


def execute(engine: Engine, settings: Settings, use_case: Callable[..., Any], *args: Any, producer: str = "api",
            **kwargs: Any) -> Any:
    """Run a use case; its state change, its events (outbox) and audit commit together or not at all."""
    with transaction(engine) as session:
        result = use_case(session, *args, ctx=Context.live(settings, producer=producer), **kwargs)
        events = result[1] if isinstance(result, tuple) else result
        record_events(session, [e for e in events if isinstance(e, Event)])
    return result


def execute_keyed(engine: Engine, settings: Settings, use_case: Callable[..., Any], *args: Any,
                  **kwargs: Any) -> Any:
    """Run a use case that takes an idempotency reference (a payout, an adjustment, any usecases.receipts.keyed
    command): when a concurrent request with the same reference commits first, the unique index refuses ours
    (IntegrityError) and running it again finds that request's row and answers with it, as the use case does for a
    retry. Any other IntegrityError is raised again by the second run."""
    try:
        return execute(engine, settings, use_case, *args, **kwargs)
    except IntegrityError:
        return execute(engine, settings, use_case, *args, **kwargs)
