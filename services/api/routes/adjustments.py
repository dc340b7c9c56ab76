"""Pay changed by hand (issue 16): adjustments (bonus or recovery) and corrections a second coordinator approves."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from schemas import commands as c
from services.api.deps import ActorDep, EngineDep, SettingsDep
from services.api.paging import PageDep, paged
from store.db import reading
from usecases import adjustments as adjust_uc
from usecases import corrections as correct_uc
from usecases.execute import execute, execute_keyed
from usecases.queries import corrections as reads
from usecases.queries.corrections import AdjustmentView, CorrectionRequestView

router = APIRouter(prefix="/api/v1", tags=["pay"])


@router.post("/adjustments", status_code=201)
def post_adjustment(body: c.PostAdjustment, actor: ActorDep, engine: EngineDep, settings: SettingsDep,
                    response: Response) -> dict[str, Any]:
    """A bonus or a recovery with its reason; it posts to the first open period and shows on that slip.

    With a `reference` (idempotency key), the same reference and body again answers 200 with the first adjustment
    (`created: false`) and posts nothing; the same reference with another body is 409 naming the field.
    """
    outcome, _ = execute_keyed(engine, settings, adjust_uc.post_adjustment, body, actor=actor)
    if not outcome.created:
        response.status_code = 200
    row = outcome.adjustment
    return {"adjustment_id": row.id, "resident_id": row.resident_id, "kind": row.kind,
            "amount_fen": row.amount_fen, "period_id": row.period_id, "reason": row.reason,
            "reference": row.reference, "created": outcome.created}


@router.get("/adjustments", response_model=list[AdjustmentView])
def list_adjustments(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
                     resident_id: str | None = None) -> list[AdjustmentView]:
    """Adjustments newest first, a page at a time (`limit`, `cursor`; X-Has-More and X-Next-Cursor say if there
    is more)."""
    with reading(engine) as session:
        rows = reads.adjustments(session, actor, resident_id=resident_id, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.post("/correction-requests", status_code=201)
def request_correction(body: c.RequestCorrection, actor: ActorDep, engine: EngineDep,
                       settings: SettingsDep) -> dict[str, str]:
    """Ask for a correction of frozen pay; nothing changes until another coordinator approves it."""
    row, _ = execute(engine, settings, correct_uc.request_correction, body, actor=actor)
    return {"request_id": row.id, "status": row.status, "why_approval": row.why_approval}


@router.post("/correction-requests/{request_id}/decision")
def decide_correction(request_id: str, body: c.DecideCorrection, actor: ActorDep, engine: EngineDep,
                      settings: SettingsDep) -> dict[str, str | None]:
    """Approve (the correcting inspection is recorded and paid) or reject; never by the coordinator who asked."""
    row, _ = execute(engine, settings, correct_uc.decide_correction, request_id, body, actor=actor)
    return {"request_id": row.id, "status": row.status, "correction_inspection_id": row.correction_inspection_id}


@router.get("/correction-requests", response_model=list[CorrectionRequestView])
def list_correction_requests(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
                             status: str | None = None) -> list[CorrectionRequestView]:
    """Correction requests newest first, a page at a time (`limit`, `cursor`; X-Has-More says if there is more)."""
    with reading(engine) as session:
        rows = reads.correction_requests(session, actor, status=status, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)
