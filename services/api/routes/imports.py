"""Spreadsheet uploads (CSV in UTF-8 with or without BOM, GBK or GB18030, or .xlsx): all rows imported, or none
and every problem by row. Columns (English or Chinese headers) and templates: docs/spreadsheets.md."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine

from domain.orders.csv_reading import MAX_FILE_BYTES
from services.api.deps import ActorDep, EngineDep, SettingsDep
from services.api.errors import MAX_REASON, problem
from usecases import imports as uc
from usecases.actors import Actor
from usecases.execute import execute
from usecases.reasons import language, localize
from usecases.settings import Settings

router = APIRouter(prefix="/api/v1", tags=["imports"])
MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # the dashboard's limit too
PROBLEMS: dict[int | str, dict[str, Any]] = {
    422: {"description": "Nothing imported: every problem as {row, field, reason} in `rows`, each reason in zh-CN "
                         "unless Accept-Language asks for English."}}


@router.post("/orders/import", responses=PROBLEMS)
def import_orders(file: UploadFile, request: Request, actor: ActorDep, engine: EngineDep,
                  settings: SettingsDep) -> Any:
    """Post the orders of a CSV or .xlsx file (enterprise); columns as in docs/spreadsheets.md, money in yuan."""
    return _run(engine, settings, uc.import_orders, file, actor, request)


@router.post("/residents/import", responses=PROBLEMS)
def import_residents(file: UploadFile, request: Request, actor: ActorDep, engine: EngineDep,
                     settings: SettingsDep) -> Any:
    """Register the residents of a CSV or .xlsx file (coordinator)."""
    return _run(engine, settings, uc.import_residents, file, actor, request)


@router.post("/sites/import", responses=PROBLEMS)
def import_sites(file: UploadFile, request: Request, actor: ActorDep, engine: EngineDep,
                 settings: SettingsDep) -> Any:
    """Register the sites of a CSV or .xlsx file (coordinator)."""
    return _run(engine, settings, uc.import_sites, file, actor, request)


def _run(engine: Engine, settings: Settings, use_case: Callable[..., Any], file: UploadFile,
         actor: Actor, request: Request) -> Any:
    lang = language(request.headers.get("accept-language"))
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        megabytes = MAX_UPLOAD_BYTES // (1024 * 1024)
        reason = f"文件超过 {megabytes} MB，请拆分后分批导入 / larger than {megabytes} MB; split the file"
        return problem(413, "file", localize(reason, lang))
    try:
        imported, _ = execute(engine, settings, use_case, data, actor=actor)
    except uc.ImportRejected as exc:
        # Each row's reason in the caller's language like every other error's (zh-CN unless Accept-Language: en);
        # it may quote a cell (an unknown header of 400 MB was echoed whole): cut like every error's reason.
        rows = [{"row": p.row, "field": p.field[:100], "reason": localize(p.reason, lang)[:MAX_REASON]}
                for p in exc.problems]
        return JSONResponse(status_code=422, content={
            "detail": [{"field": f"row {p['row']}: {p['field']}" if p["field"] else f"row {p['row']}",
                        "reason": p["reason"]} for p in rows], "rows": rows})
    return {"imported": imported}
