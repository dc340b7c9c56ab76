"""Sign-in (password, PIN or one-time code), sign-out, choosing a PIN, printing a resident's code, and who am I."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import select

from services.api.deps import ActorDep, EngineDep, SettingsDep
from store.db import reading, transaction
from store.tables import User
from usecases import throttle
from usecases.auth import code_of_token, needs_pin, revoke_token, set_pin, sign_in
from usecases.execute import execute
from usecases.sign_ins import issue_sign_in_code

router = APIRouter(prefix="/api/v1", tags=["auth"])
_bearer = HTTPBearer(auto_error=False)  # the token itself, for the code it was signed in with


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str
    username: str
    needs_pin: bool = False  # signed in with a one-time code: choose a PIN next (POST /api/v1/auth/pin)


class ChoosePin(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    pin: str = Field(min_length=1, max_length=40, description="6 to 12 digits, not all the same, not a run")
    confirm: str | None = Field(default=None, max_length=40, description="the PIN typed again (checked if given)")


class Slip(BaseModel):
    resident_id: str
    name: str
    username: str
    code: str = Field(description="shown this once; works once, until expires_at")
    expires_at: datetime
    reissued: bool
    phone: str = Field(default="", description="her mobile number (11 digits): what she types as 手机号 to sign in")


class Me(BaseModel):
    username: str
    role: str
    resident_id: str | None
    enterprise_id: str | None
    community_ids: list[str]
    needs_pin: bool = False


@router.post("/auth/token", response_model=Token)
def token(body: SignIn, request: Request, engine: EngineDep, settings: SettingsDep) -> Token:
    """Exchange a username or a resident's mobile number (any spelling: spaces, +86, full-width digits) and a
    password, PIN or one-time sign-in code for a bearer token that expires.

    A code works once: of two requests with it, one gets a token and the other 401. 401 alike for an unknown user
    and a wrong password, and one reason (登录码无效或已使用) for a wrong, used, replaced or expired code; 429 with
    Retry-After while this client must wait. A token from a code says needs_pin: choose a PIN next.
    """
    client = request.client.host if request.client else "unknown"
    # sign_in commits a failed attempt itself (it counts towards the throttle) before raising it.
    access, user = sign_in(engine, body.username, body.password, settings=settings, now=datetime.now(UTC),
                           client=client)
    return Token(access_token=access, role=user.role, username=user.username, needs_pin=needs_pin(user))


@router.post("/auth/sign-out", status_code=204)
def sign_out(request: Request, actor: ActorDep, engine: EngineDep, settings: SettingsDep,
             creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Response:
    """Sign this token out before it expires: every later request with it is answered 401 (已退出登录). Only this
    token: the person's other sessions stay signed in. 401 for a token that is already refused. Another API process
    that checked this token in the last ACTOR_TTL_S seconds (services.api.deps) may answer it until then."""
    if creds is not None:  # ActorDep has accepted it, so it is there
        revoke_token(engine, creds.credentials, settings=settings, now=datetime.now(UTC))
        request.app.state.actors.forget(creds.credentials)  # another API process may answer it ACTOR_TTL_S more
    return Response(status_code=204)


@router.post("/auth/pin")
def choose_pin(body: ChoosePin, actor: ActorDep, engine: EngineDep, settings: SettingsDep,
               creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> dict[str, object]:
    """After signing in with a one-time code, choose the PIN to sign in with from then on (once; 409 after; 403
    with a token that was not signed in with her newest code, e.g. a lost phone's after a new code was printed)."""
    code_id = code_of_token(creds.credentials if creds else None, settings=settings)
    execute(engine, settings, set_pin, body.pin, body.confirm, code_id=code_id, actor=actor)
    return {"username": actor.username, "needs_pin": False}


@router.post("/residents/{resident_id}/sign-in-code", status_code=201, response_model=Slip)
def print_sign_in_code(resident_id: str, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> Slip:
    """A coordinator's printable one-time code for a resident with a phone (a new one replaces the old; 422 for a
    resident without a phone: the coordinator acts for her)."""
    slip, _ = execute(engine, settings, issue_sign_in_code, resident_id, actor=actor)
    return Slip(resident_id=slip.resident_id, name=slip.name, username=slip.username, code=slip.code,
                expires_at=slip.expires_at, reissued=slip.reissued, phone=slip.phone)


@router.get("/me", response_model=Me)
def me(actor: ActorDep, engine: EngineDep) -> Me:
    with reading(engine) as session:
        user = session.exec(select(User).where(User.username == actor.username)).first()
    return Me(username=actor.username, role=actor.role, resident_id=actor.resident_id,
              enterprise_id=actor.enterprise_id, community_ids=sorted(actor.community_ids),
              needs_pin=user is not None and needs_pin(user))


@router.post("/accounts/{username}/sign-in-throttle/reset")
def reset_throttle(username: str, actor: ActorDep, engine: EngineDep) -> dict[str, object]:
    """Let an account sign in again from every client at once (city: any account; coordinator: their residents)."""
    with transaction(engine) as session:
        cleared = throttle.reset(session, username, actor=actor, now=datetime.now(UTC))
    return {"username": username, "cleared": cleared}
