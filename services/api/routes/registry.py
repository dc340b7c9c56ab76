"""Registering communities, enterprises, products, sites and residents; residents' availability."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel

from schemas import commands as c
from schemas.registry import AddMinimumWage, ChangeCommunitySettings
from services.api.deps import ActorDep, EngineDep, SettingsDep
from services.api.paging import PageDep, paged, window
from store.db import reading
from usecases import community_settings as cs
from usecases import minimum_wages as mw
from usecases import registry as uc
from usecases.auth import hash_password
from usecases.execute import execute
from usecases.queries import reads
from usecases.queries import registry as q
from usecases.queries.views import ResidentView

router = APIRouter(prefix="/api/v1", tags=["registry"])


@router.post("/communities", status_code=201)
def register_community(body: c.RegisterCommunity, actor: ActorDep, engine: EngineDep,
                       settings: SettingsDep) -> dict[str, str]:
    execute(engine, settings, uc.register_community, body, actor=actor)
    return {"community_id": body.community_id}


@router.post("/enterprises", status_code=201)
def register_enterprise(body: c.RegisterEnterprise, actor: ActorDep, engine: EngineDep,
                        settings: SettingsDep) -> dict[str, str]:
    execute(engine, settings, uc.register_enterprise, body, actor=actor)
    return {"enterprise_id": body.enterprise_id}


@router.post("/products", status_code=201)
def register_product(body: c.RegisterProduct, actor: ActorDep, engine: EngineDep,
                     settings: SettingsDep) -> dict[str, str]:
    execute(engine, settings, uc.register_product, body, actor=actor)
    return {"product_code": body.product_code}


@router.post("/sites", status_code=201)
def register_site(body: c.RegisterSite, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> dict[str, str]:
    execute(engine, settings, uc.register_site, body, actor=actor)
    return {"site_id": body.site_id}


@router.post("/residents", status_code=201)
def register_resident(body: c.RegisterResident, actor: ActorDep, engine: EngineDep,
                      settings: SettingsDep) -> dict[str, str]:
    hashed = hash_password(body.password) if body.password else None
    execute(engine, settings, uc.register_resident, body, actor=actor, password_hash=hashed)
    return {"resident_id": body.resident_id}


@router.get("/residents", response_model=list[ResidentView])
def list_residents(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
                   community_id: str | None = None) -> list[ResidentView]:
    """Residents of your communities, phone and ID numbers masked, a page at a time (`limit`, `cursor`)."""
    with reading(engine) as session:
        rows = reads.residents(session, actor, community_id=community_id)
    return paged(window(rows, page), page, request, response)


@router.put("/residents/{resident_id}/availability", status_code=200)
def update_availability(resident_id: str, body: c.UpdateAvailability, actor: ActorDep, engine: EngineDep,
                        settings: SettingsDep) -> dict[str, str]:
    execute(engine, settings, uc.update_availability, resident_id, body, actor=actor)
    return {"resident_id": resident_id}


@router.get("/communities/{community_id}/settings", response_model=cs.CommunitySettingsView)
def get_community_settings(community_id: str, actor: ActorDep, engine: EngineDep) -> cs.CommunitySettingsView:
    """Pay period kind, minimum-wage top-up, division and debt-recovery cap (city, or the community's coordinator)."""
    with reading(engine) as session:
        return cs.community_settings(session, actor, community_id)


@router.put("/communities/{community_id}/settings", response_model=cs.CommunitySettingsView)
def change_community_settings(community_id: str, body: ChangeCommunitySettings, actor: ActorDep, engine: EngineDep,
                              settings: SettingsDep) -> cs.CommunitySettingsView:
    """Change the fields given (the others stay); recorded in the audit trail with before and after."""
    execute(engine, settings, cs.change_community_settings, community_id, body, actor=actor)
    with reading(engine) as session:
        return cs.community_settings(session, actor, community_id)


async def _no_filter() -> dict[str, Any]:
    """A registry list that takes no filter (a coroutine: FastAPI would run a plain function in a thread)."""
    return {}


async def _in_community(community_id: str | None = None) -> dict[str, Any]:
    """A registry list filtered to one community (`?community_id=`)."""
    return {"community_id": community_id}


def _list_and_get(path: str, key: str, view: type[BaseModel], read: Callable[..., Sequence[BaseModel]], *,
                  names: tuple[str, str], summary: str,
                  filters: Callable[..., Awaitable[dict[str, Any]]] = _no_filter) -> None:
    """Register `GET path` (a page of `read`'s rows: `limit`, `cursor`, X-Has-More, X-Next-Cursor) and
    `GET path/{key}` (the one row, or read's NotFound naming `key`) for one kind of registry record.

    `filters` turns the query into read's keyword filters; `read(session, actor, **filters, limit=, offset=)`
    answers rows in a stable order of their unique key, `read(session, actor, **{key: value})` the one row.
    `names`: the two routes' names (their OpenAPI operation ids).
    """
    def list_rows(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
                  where: dict[str, Any] = Depends(filters)) -> list[BaseModel]:
        with reading(engine) as session:
            rows = read(session, actor, **where, limit=page.limit + 1, offset=page.offset)
        return paged(rows, page, request, response)

    def get_row(actor: ActorDep, engine: EngineDep, value: str = Path(alias=key)) -> BaseModel:
        with reading(engine) as session:
            return read(session, actor, **{key: value})[0]

    router.add_api_route(path, list_rows, methods=["GET"], response_model=list[view],  # type: ignore[valid-type]
                         name=names[0], description=summary)
    router.add_api_route(f"{path}/{{{key}}}", get_row, methods=["GET"], response_model=view, name=names[1])


_list_and_get("/communities", "community_id", q.CommunityView, q.communities,
              names=("list_communities", "get_community"),
              summary="Communities you may see (the city and enterprises: all; coordinators and residents: their "
                      "own), a page at a time (`limit`, `cursor`).")
_list_and_get("/enterprises", "enterprise_id", q.EnterpriseView, q.enterprises,
              names=("list_enterprises", "get_enterprise"),
              summary="Enterprises (an enterprise: itself), a page at a time (`limit`, `cursor`).")
_list_and_get("/products", "product_code", q.ProductView, q.products, names=("list_products", "get_product"),
              summary="The product catalogue, a page at a time (`limit`, `cursor`).")
_list_and_get("/sites", "site_id", q.SiteView, q.sites, names=("list_sites", "get_site"), filters=_in_community,
              summary="Sites of the communities you may see, a page at a time (`limit`, `cursor`).")


@router.get("/minimum-wages", response_model=list[q.MinimumWageView])
def list_minimum_wages(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
                       division: str | None = None) -> list[q.MinimumWageView]:
    """The part-time hourly minimum wages in use: the shipped table and the figures the city added; a page at a
    time (`limit`, `cursor`)."""
    with reading(engine) as session:
        rows = q.minimum_wages(session, actor, division=division)
    return paged(window(rows, page), page, request, response)


@router.post("/minimum-wages", status_code=201)
def add_minimum_wage(body: AddMinimumWage, actor: ActorDep, engine: EngineDep,
                     settings: SettingsDep) -> dict[str, str]:
    """Record a published figure for a division from a date (city role): the table is data, never code."""
    code, _ = execute(engine, settings, mw.add_figure, body, actor=actor)
    return {"division": code, "effective_from": body.effective_from.isoformat()}
