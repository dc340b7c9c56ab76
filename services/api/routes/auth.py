"""Sign-in and who am I."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from services.api.deps import ActorDep, EngineDep, SettingsDep
from store.db import transaction
from usecases import throttle
from usecases.auth import sign_in
from usecases.errors import Unauthorized

router = APIRouter(prefix="/api/v1", tags=["auth"])


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
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
def token(body: SignIn, request: Request, engine: EngineDep, settings: SettingsDep) -> Token:
    """Exchange a username and password for a bearer token that expires.

    401 alike for an unknown user and a wrong password; 429 with Retry-After while this client must wait.
    """
    client = request.client.host if request.client else "unknown"
    # A failed attempt must be committed (it counts towards the throttle), so it is raised after the commit.
    with transaction(engine) as session:
        try:
            access, user = sign_in(session, body.username, body.password, settings=settings, now=datetime.now(UTC),
                                   client=client)
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


@router.post("/accounts/{username}/sign-in-throttle/reset")
def reset_throttle(username: str, actor: ActorDep, engine: EngineDep) -> dict[str, object]:
    """Let an account sign in again from every client at once (city: any account; coordinator: their residents)."""
    with transaction(engine) as session:
        cleared = throttle.reset(session, username, actor=actor, now=datetime.now(UTC))
    return {"username": username, "cleared": cleared}
