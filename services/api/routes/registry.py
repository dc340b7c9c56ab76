"""Registering communities, enterprises, products, sites and residents; residents' availability."""

from __future__ import annotations

from fastapi import APIRouter

from schemas import commands as c
from services.api.deps import ActorDep, EngineDep, SettingsDep
from store.db import reading
from usecases import registry as uc
from usecases.auth import hash_password
from usecases.execute import execute
from usecases.queries import reads
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
def list_residents(actor: ActorDep, engine: EngineDep, community_id: str | None = None) -> list[ResidentView]:
    """Residents of your communities, phone and ID numbers masked."""
    with reading(engine) as session:
        return reads.residents(session, actor, community_id=community_id)


@router.put("/residents/{resident_id}/availability", status_code=200)
def update_availability(resident_id: str, body: c.UpdateAvailability, actor: ActorDep, engine: EngineDep,
                        settings: SettingsDep) -> dict[str, str]:
    execute(engine, settings, uc.update_availability, resident_id, body, actor=actor)
    return {"resident_id": resident_id}
