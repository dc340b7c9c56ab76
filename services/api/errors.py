"""Every error answers with the field and the reason, in one shape: {"detail": [{"field", "reason"}]}.

Never a bare-text 500 or a stack trace: a unique clash is a 409 naming the field, a database that is locked or
unreachable a 503 with Retry-After naming the cause, and anything unforeseen a JSON 500 with a reference to the
logged traceback.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from usecases.errors import Rejected, Throttled
from usecases.reasons import Lang, language, localize, validation_reason

log = logging.getLogger("microfactory.api")
RETRY_AFTER_S = 5
# Where a database names the column of a unique clash: SQLite "UNIQUE constraint failed: user.username",
# PostgreSQL "Key (username)=(x) already exists".
_SQLITE_COLUMN = re.compile(r"constraint failed: (?:\w+\.)?(\w+)")
_POSTGRES_COLUMN = re.compile(r"Key \((\w+)(?:, *\w+)*\)=")
# A unique clash on a column the user did not name: which field of the request it comes from.
FIELD_OF_COLUMN = {"username": "resident_id"}


MAX_REASON = 500  # a reason may quote what was sent: never echo a 100,000-character field back whole


def problem(status: int, field: str, reason: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The one error shape: {"detail": [{"field", "reason"}]}."""
    return JSONResponse(status_code=status, content={"detail": [{"field": field[:100], "reason": _cut(reason)}]},
                        headers=headers)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_REASON else f"{text[:MAX_REASON]}…（已截断 / truncated）"


def validation_problem(err: Mapping[str, Any], lang: Lang = "zh") -> dict[str, str]:
    """One pydantic error as {"field", "reason"} in `lang`; a body that is not JSON at all is about the body."""
    if err.get("type") == "json_invalid":
        detail = err.get("ctx", {}).get("error", "invalid")
        return {"field": "body", "reason": f"the body is not valid JSON ({detail})" if lang == "en"
                else f"请求体不是有效的 JSON（{detail}）"}
    loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
    return {"field": ".".join(loc)[:100] or "body", "reason": _cut(validation_reason(err, lang))}


def lang_of(request: Request) -> Lang:
    """zh-CN unless the caller's Accept-Language puts English first."""
    return language(request.headers.get("accept-language"))


def clashing_field(exc: IntegrityError) -> str:
    """The request field a database integrity error is about, as well as the message tells; else 'body'."""
    text = str(exc.orig)
    found = _SQLITE_COLUMN.search(text) or _POSTGRES_COLUMN.search(text)
    column = found.group(1) if found else getattr(getattr(exc.orig, "diag", None), "column_name", None)
    return FIELD_OF_COLUMN.get(column, column) if column else "body"


def unavailable_cause(exc: Exception) -> str:
    """Why the database did not answer, in words a caller can act on."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return "数据库正忙，请稍后重试 / the database is locked by another writer; try again shortly"
    if isinstance(exc, PoolTimeout):
        return "服务繁忙，请稍后重试 / every database connection is busy; try again shortly"
    return "数据库暂时无法访问，请稍后重试 / the database cannot be reached; try again shortly"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the one JSON error shape."""

    @app.exception_handler(Rejected)
    async def rejected(request: Request, exc: Rejected) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if isinstance(exc, Throttled):
            headers = {"Retry-After": str(exc.retry_after_s)}
        return problem(exc.status, exc.field, localize(exc.reason, lang_of(request)), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = lang_of(request)
        return JSONResponse(status_code=422, content={"detail": [validation_problem(e, lang) for e in exc.errors()]})

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> JSONResponse:
        # 400 is the body that could not be parsed at all (e.g. nested past the parser's limit); the rest are
        # about the path (404, 405).
        return problem(exc.status_code, "body" if exc.status_code == 400 else "path",
                       localize(str(exc.detail), lang_of(request)), dict(exc.headers or {}) or None)

    @app.exception_handler(IntegrityError)
    async def clash(request: Request, exc: IntegrityError) -> JSONResponse:
        field = clashing_field(exc)
        reason = (f"与已有记录冲突（{field} 已被使用或引用不存在）/ conflicts with an existing record: {field} is "
                  "taken or refers to nothing")
        return problem(409, field, localize(reason, lang_of(request)))

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        return problem(503, "database", localize(unavailable_cause(exc), lang_of(request)),
                       {"Retry-After": str(RETRY_AFTER_S)})

    @app.exception_handler(DBAPIError)
    async def database(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:  # the connection dropped mid-request: the database went away
            return await unavailable(request, exc)
        return await internal(request, exc)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        reference = uuid.uuid4().hex[:12]
        log.error("unhandled error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
        reason = f"内部错误，已记录（编号 {reference}）/ internal error, logged as {reference}"
        return problem(500, "server", localize(reason, lang_of(request)))
