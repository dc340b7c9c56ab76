"""FastAPI dependencies: the engine, the caller, and running a use case in one transaction."""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine

from store.db import reading
from usecases.actors import Actor
from usecases.auth import actor_from_token
from usecases.errors import Unauthorized
from usecases.settings import Settings

T = TypeVar("T")
_bearer = HTTPBearer(auto_error=False)


# The two below do no I/O, so they are coroutines: FastAPI runs a plain function dependency in a worker thread,
# a hand-over that cost more than the function (≈ 0.1 ms each, on every request).
async def get_engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_actor(engine: EngineDep, settings: SettingsDep,
              creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Actor:
    if creds is None:
        raise Unauthorized("authorization", "sign in first: send 'Authorization: Bearer <token>'")
    with reading(engine) as session:
        return actor_from_token(session, creds.credentials, settings=settings)


ActorDep = Annotated[Actor, Depends(get_actor)]
