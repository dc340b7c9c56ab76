"""Offers answered, materials, submissions, inspections, earnings."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response

from domain.lifecycle.submission import SubmissionStatus
from schemas import commands as c
from services.api.deps import ActorDep, EngineDep, SettingsDep, read
from services.api.paging import PageDep, paged
from store.db import reading
from usecases import offers as offer_uc
from usecases import work as uc
from usecases.execute import execute, execute_keyed
from usecases.queries import reads
from usecases.queries.views import Earnings, InspectionView, OfferView, SubmissionView

router = APIRouter(prefix="/api/v1", tags=["work"])


@router.get("/residents/{resident_id}/offers", response_model=list[OfferView])
async def resident_offers(resident_id: str, actor: ActorDep, engine: EngineDep, page: PageDep, request: Request,
                          response: Response, status: str | None = None) -> list[OfferView]:
    """One resident's offers, newest first, a page at a time (`limit`, `cursor`; X-Has-More says if there is more)."""
    rows = await read(engine, reads.offers, actor, resident_id, status=status, limit=page.limit + 1,
                      offset=page.offset)
    return paged(rows, page, request, response)


@router.get("/offers", response_model=list[OfferView])
async def list_offers(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
                      status: str | None = None) -> list[OfferView]:
    """Your offers (resident) or those of your communities (coordinator), a page at a time (`limit`, `cursor`)."""
    rows = await read(engine, reads.offers, actor, status=status, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.post("/offers/{offer_id}/answer", status_code=200)
def answer_offer(offer_id: str, body: c.AnswerOffer, actor: ActorDep, engine: EngineDep,
                 settings: SettingsDep) -> dict[str, str]:
    """Accept or decline, as the resident or a coordinator on their behalf (recorded as such)."""
    execute(engine, settings, offer_uc.answer_offer, offer_id, body, actor=actor)
    return {"offer_id": offer_id, "status": "accepted" if body.decision == "accept" else "declined"}


@router.post("/materials/issue", status_code=201)
def issue(body: c.IssueMaterials, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> dict[str, str]:
    issued, _ = execute_keyed(engine, settings, uc.issue_materials, body, actor=actor)
    return {"issue_id": issued.id}


@router.post("/materials/return", status_code=201)
def return_materials(body: c.ReturnMaterials, actor: ActorDep, engine: EngineDep,
                     settings: SettingsDep) -> dict[str, str]:
    returned, _ = execute_keyed(engine, settings, uc.return_materials, body, actor=actor)
    return {"return_id": returned.id}


@router.post("/residents/{resident_id}/submissions", status_code=201)
def submit(resident_id: str, body: c.SubmitOutput, actor: ActorDep, engine: EngineDep,
           settings: SettingsDep) -> dict[str, str]:
    sub, _ = execute_keyed(engine, settings, uc.submit_output, resident_id, body, actor=actor)
    return {"submission_id": sub.id}


@router.get("/submissions", response_model=list[SubmissionView])
def inspection_queue(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
                     status: str | None = SubmissionStatus.PENDING) -> list[SubmissionView]:
    """The inspection queue a page at a time (`limit`, `cursor`; X-Has-More says if there is more)."""
    with reading(engine) as session:
        rows = reads.submissions(session, actor, status=status, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.post("/inspections", status_code=201)
def inspect(body: c.RecordInspection, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> dict[str, str]:
    inspection, _ = execute_keyed(engine, settings, uc.record_inspection, body, actor=actor)
    return {"inspection_id": inspection.id}


@router.get("/residents/{resident_id}/inspections", response_model=list[InspectionView])
async def resident_inspections(resident_id: str, actor: ActorDep, engine: EngineDep, page: PageDep,
                               request: Request, response: Response) -> list[InspectionView]:
    """One resident's inspections, newest first, a page at a time (`limit`, `cursor`; X-Has-More says if there is
    more)."""
    rows = await read(engine, reads.inspections, actor, resident_id, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.get("/residents/{resident_id}/earnings", response_model=Earnings)
async def resident_earnings(resident_id: str, actor: ActorDep, engine: EngineDep) -> Earnings:
    return await read(engine, reads.earnings, actor, resident_id, now=datetime.now(UTC))
