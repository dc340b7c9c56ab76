"""Refuse control characters in a request's path and query before any route reads them.

A NUL (U+0000) in an id, e.g. GET /api/v1/orders/a%00b, reached PostgreSQL, which cannot hold it in text, and the
request failed with a 500. Bodies are checked field by field by schemas.commands.Command; this covers what a body
does not: the path and the query. Tab, line feed and carriage return are refused here too (no id or filter has them).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from services.api.errors import problem
from usecases.reasons import language, localize

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
Scope = dict[str, Any]


def bad_part(scope: Scope) -> str | None:
    """The request part holding a control character: 'path' or the query parameter's name; None when clean."""
    if _CONTROL.search(scope.get("path", "")):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="replace"):
        if _CONTROL.search(name) or _CONTROL.search(value):
            return _CONTROL.sub("", name) or "query"
    return None


class RefuseControlCharacters:
    """ASGI middleware: a 422 naming the path or the query parameter, in the caller's language; nothing runs."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        part = bad_part(scope) if scope["type"] == "http" else None
        if part is None:
            await self.app(scope, receive, send)
            return
        accept = dict(scope.get("headers") or []).get(b"accept-language", b"").decode("latin-1")
        reason = "不能含控制字符（如 %00）/ must not contain control characters (such as %00)"
        await problem(422, part, localize(reason, language(accept or None)))(scope, receive, send)
