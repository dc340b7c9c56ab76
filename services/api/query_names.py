"""Refuse a query parameter a route does not read, naming it, instead of answering as if it were not there.

GET /api/v1/lots?order_id=… returned every lot of the caller's communities: `order_id` is not one of the list's
filters, and FastAPI (like Starlette) passes over a query parameter no handler declares (new-user trial, 2026-11-30).
A misspelt filter (?stauts=open) did the same. Bad input gets an error naming the field and the reason, and changes
nothing: a 422 in the caller's language that names the parameter and the ones the route takes.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send

from services.api.errors import problem
from usecases.reasons import language, localize


def query_names(dependant: Dependant) -> frozenset[str]:
    """The query parameters a route reads: its own and its dependencies', by the names callers send (aliases)."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= query_names(sub)
    return frozenset(names)


def unknown_name(scope: Scope, known: frozenset[str]) -> str | None:
    """The first query parameter of the request that is not in `known`; None when every one is."""
    query = scope.get("query_string", b"").decode("latin-1")
    for name, _ in parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="replace"):
        if name not in known:
            return name
    return None


def refuse_unknown_query(route: APIRoute) -> None:
    """Wrap the route's handler so that a request with a query parameter it does not read is refused (422) before
    the handler runs. Done once per route when the app is built: routing itself is not repeated."""
    known, handle = query_names(route.dependant), route.app

    async def checked(scope: Scope, receive: Receive, send: Send) -> None:
        name = unknown_name(scope, known) if scope.get("query_string") else None
        if name is None:
            await handle(scope, receive, send)
            return
        accept = dict(scope.get("headers") or []).get(b"accept-language", b"").decode("latin-1")
        takes = "、".join(sorted(known)) or "无"
        reason = (f"不认识的查询参数；这里可用的是：{takes} / not a query parameter of this address; it takes: "
                  f"{', '.join(sorted(known)) or 'none'}")
        await problem(422, name[:100], localize(reason, language(accept or None)))(scope, receive, send)

    route.app = checked
