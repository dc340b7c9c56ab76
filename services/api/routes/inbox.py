"""The caller's in-app inbox: offers, withdrawals, escalations, minimum-wage flags."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from services.api.deps import ActorDep, EngineDep
from services.api.paging import PageDep, paged, window
from store.db import reading
from usecases.queries.inbox import InboxMessage, inbox

router = APIRouter(prefix="/api/v1", tags=["inbox"])


@router.get("/inbox", response_model=list[InboxMessage])
def my_inbox(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request,
             response: Response) -> list[InboxMessage]:
    """A resident's own messages, a coordinator's for their communities, an enterprise's for itself, newest
    first, a page at a time (`limit`, `cursor`; X-Has-More and X-Next-Cursor say if there is more)."""
    with reading(engine) as session:
        rows = inbox(session, actor, limit=page.offset + page.limit + 1)
    return paged(window(rows, page), page, request, response)
