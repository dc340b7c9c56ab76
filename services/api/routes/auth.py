"""Sign-in and who am I."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from services.api.deps import ActorDep, EngineDep, SettingsDep
from store.db import transaction
from usecases.auth import sign_in
from usecases.errors import Unauthorized

router = APIRouter(prefix="/api/v1", tags=["auth"])


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str
    username: str


class Me(BaseModel):
    username: str
    role: str
    resident_id: str | None
    enterprise_id: str | None
    community_ids: list[str]


@router.post("/auth/token", response_model=Token)
def token(body: SignIn, engine: EngineDep, settings: SettingsDep) -> Token:
    """Exchange a username and password for a bearer token that expires."""
    # A failed attempt must be committed (it counts towards the lock), so it is raised after the commit.
    with transaction(engine) as session:
        try:
            access, user = sign_in(session, body.username, body.password, settings=settings, now=datetime.now(UTC))
        except Unauthorized as exc:
            failure: Unauthorized | None = exc
        else:
            failure = None
            result = Token(access_token=access, role=user.role, username=user.username)
    if failure is not None:
        raise failure
    return result


@router.get("/me", response_model=Me)
def me(actor: ActorDep) -> Me:
    return Me(username=actor.username, role=actor.role, resident_id=actor.resident_id,
              enterprise_id=actor.enterprise_id, community_ids=sorted(actor.community_ids))
