"""Paging for the API's lists: a page size and a cursor in, and the answer says whether there is more.

`?limit=N&cursor=C` (the cursor from the previous page); the body stays the list it always was, and the
headers tell the rest: `X-Has-More: true|false`, `X-Next-Cursor: C` and `Link: <…>; rel="next"` when there is
another page. No list is cut silently: a client that ignores the headers can still see `X-Has-More`.
The cursor is opaque (base64 of the position), so its form may change without breaking clients.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request, Response

from usecases.errors import Rejected

T = TypeVar("T")
DEFAULT_LIMIT = 200
MAX_LIMIT = 1000
MAX_POSITION = 10_000_000


@dataclass(frozen=True)
class Page:
    """Which rows to answer: `limit` of them from `offset` (0-based)."""

    limit: int
    offset: int


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; Rejected("cursor") for anything this API did not hand out."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        offset = int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        offset, kind = -1, ""
    if kind != "o" or not 0 <= offset <= MAX_POSITION:
        raise Rejected("cursor", "翻页游标无效，请使用上一页返回的 X-Next-Cursor / not a cursor this API gave out: "
                                 "use the previous page's X-Next-Cursor")
    return offset


# A coroutine though it does no I/O: FastAPI runs a plain function dependency in a worker thread (issue 19).
async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=64, description="X-Next-Cursor of the previous page.")] = None,
) -> Page:
    return Page(limit=limit, offset=decode_cursor(cursor) if cursor else 0)


PageDep = Annotated[Page, Depends(page_params)]


def paged(rows: Sequence[T], page: Page, request: Request, response: Response) -> list[T]:
    """This page of `rows` (starting at the page's offset, and holding one row beyond the page when there is
    more: see window()), with the paging headers set on `response`."""
    more = len(rows) > page.limit
    response.headers["X-Has-More"] = "true" if more else "false"
    if more:
        cursor = encode_cursor(page.offset + page.limit)
        response.headers["X-Next-Cursor"] = cursor
        response.headers["Link"] = f'<{request.url.include_query_params(cursor=cursor, limit=page.limit)}>; rel="next"'
    return list(rows[:page.limit])


def window(rows: Sequence[T], page: Page) -> Sequence[T]:
    """The page and one row beyond it, cut from a whole list (for queries that return everything)."""
    return rows[page.offset:page.offset + page.limit + 1]
