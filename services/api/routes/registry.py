"""Registering communities, enterprises, products, sites and residents; residents' availability."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

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


@router.get("/communities", response_model=list[q.CommunityView])
def list_communities(actor: ActorDep, engine: EngineDep) -> list[q.CommunityView]:
    """Communities you may see (the city and enterprises: all; coordinators and residents: their own)."""
    with reading(engine) as session:
        return q.communities(session, actor)


@router.get("/communities/{community_id}", response_model=q.CommunityView)
def get_community(community_id: str, actor: ActorDep, engine: EngineDep) -> q.CommunityView:
    with reading(engine) as session:
        return q.communities(session, actor, community_id=community_id)[0]


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


@router.get("/enterprises", response_model=list[q.EnterpriseView])
def list_enterprises(actor: ActorDep, engine: EngineDep) -> list[q.EnterpriseView]:
    with reading(engine) as session:
        return q.enterprises(session, actor)


@router.get("/enterprises/{enterprise_id}", response_model=q.EnterpriseView)
def get_enterprise(enterprise_id: str, actor: ActorDep, engine: EngineDep) -> q.EnterpriseView:
    with reading(engine) as session:
        return q.enterprises(session, actor, enterprise_id=enterprise_id)[0]


@router.get("/products", response_model=list[q.ProductView])
def list_products(actor: ActorDep, engine: EngineDep) -> list[q.ProductView]:
    with reading(engine) as session:
        return q.products(session, actor)


@router.get("/products/{product_code}", response_model=q.ProductView)
def get_product(product_code: str, actor: ActorDep, engine: EngineDep) -> q.ProductView:
    with reading(engine) as session:
        return q.products(session, actor, product_code=product_code)[0]


@router.get("/sites", response_model=list[q.SiteView])
def list_sites(actor: ActorDep, engine: EngineDep, community_id: str | None = None) -> list[q.SiteView]:
    with reading(engine) as session:
        return q.sites(session, actor, community_id=community_id)


@router.get("/sites/{site_id}", response_model=q.SiteView)
def get_site(site_id: str, actor: ActorDep, engine: EngineDep) -> q.SiteView:
    with reading(engine) as session:
        return q.sites(session, actor, site_id=site_id)[0]


@router.get("/minimum-wages", response_model=list[q.MinimumWageView])
def list_minimum_wages(actor: ActorDep, engine: EngineDep, division: str | None = None) -> list[q.MinimumWageView]:
    """The part-time hourly minimum wages in use: the shipped table and the figures the city added."""
    with reading(engine) as session:
        return q.minimum_wages(session, actor, division=division)


@router.post("/minimum-wages", status_code=201)
def add_minimum_wage(body: AddMinimumWage, actor: ActorDep, engine: EngineDep,
                     settings: SettingsDep) -> dict[str, str]:
    """Record a published figure for a division from a date (city role): the table is data, never code."""
    code, _ = execute(engine, settings, mw.add_figure, body, actor=actor)
    return {"division": code, "effective_from": body.effective_from.isoformat()}
