"""The caller's in-app inbox: offers, withdrawals, escalations, minimum-wage flags."""

from __future__ import annotations

from fastapi import APIRouter

from services.api.deps import ActorDep, EngineDep
from store.db import reading
from usecases.queries.inbox import InboxMessage, inbox

router = APIRouter(prefix="/api/v1", tags=["inbox"])


@router.get("/inbox", response_model=list[InboxMessage])
def my_inbox(actor: ActorDep, engine: EngineDep, limit: int = 200) -> list[InboxMessage]:
    """A resident's own messages, a coordinator's for their communities, an enterprise's for itself."""
    with reading(engine) as session:
        return inbox(session, actor, limit=max(1, min(limit, 500)))
