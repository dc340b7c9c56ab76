"""FastAPI dependencies: the engine, the caller, and running a use case in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from store.db import reading_statements
from usecases.actors import Actor
from usecases.auth import actor_named, verify_token
from usecases.errors import Unauthorized
from usecases.settings import Settings

T = TypeVar("T")
_bearer = HTTPBearer(auto_error=False)
ACTOR_TTL_S = 10.0  # how long this process trusts what it read of a sign-in's role and scope
ACTOR_CACHE_MAX = 10_000  # sign-ins remembered at once; past that the cache starts again empty


# The two below do no I/O, so they are coroutines: FastAPI runs a plain function dependency in a worker thread,
# a hand-over that cost more than the function (≈ 0.1 ms each, on every request).
async def get_engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def read(engine: Engine, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`query(session, *args, **kwargs)` in a read-only session, in one worker thread: a read route's one hand-over.

    A plain (def) route costs up to four hand-overs between the event loop and the thread pool (each sync
    dependency, the route, then FastAPI's validation of its answer), each ≈ 0.05-0.1 ms of CPU (issue 19).
    The session holds no transaction on PostgreSQL and runs SELECTs only (store.db.reading_statements): `query`
    must not write (store.db.WriteInRead if it tries).
    """
    def run() -> T:
        with reading_statements(engine) as session:
            return query(session, *args, **kwargs)

    return await run_in_threadpool(run)


class ActorCache:
    """The Actors (role and scope) this API process has found for bearer tokens, each trusted for ACTOR_TTL_S seconds
    and never past its token's expiry.

    Per request, reading the sign-in (a session and a query) cost ≈ 1 ms of CPU on the loaded two-core machine and
    decoding the token (PyJWT) ≈ 0.1 ms, of a light read's 5-8 ms (issue 19, bench/api_cpu.py). Keyed by the whole
    token, whose signature was checked when it was first seen: the same token string can only carry the same
    claims, so no caller is ever given another's Actor, and a token past its exp is dropped and checked again in
    full (refused as expired). What is cached of the sign-in is only what the users row says of its role and scope
    (role, resident, enterprise, communities), which no use case changes once the sign-in exists (a new code or PIN
    changes the password, not the scope), so a cached Actor is the one a fresh read would give; the TTL bounds how
    long a change made later, or by another process, could go unseen. That includes revocation: a resident's new
    sign-in code refuses her older tokens (usecases.auth.actor_named, issue 15), and a process that remembers such
    a token answers it for at most ACTOR_TTL_S more, as does another API process for a token signed out (this one
    forgets it at once: POST /auth/sign-out). A token whose user does not exist, or that is refused, is
    never cached. Nothing a caller reads is cached. One per app (app.state).
    """

    def __init__(self, ttl_s: float = ACTOR_TTL_S, max_size: int = ACTOR_CACHE_MAX) -> None:
        self.ttl_s, self.max_size = ttl_s, max_size
        self._actors: dict[str, tuple[float, float, Actor]] = {}  # token -> (expires_at, read_at, actor)
        self._forgotten: dict[str, float] = {}  # token -> when forget() was called (time.monotonic()), for ttl_s

    def get(self, token: str, *, wall: float, now: float) -> Actor | None:
        """The Actor of `token` if it was read less than ttl_s before `now` (time.monotonic()) and the token is
        still unexpired at `wall` (time.time()); else None."""
        found = self._actors.get(token)
        if found is None:
            return None
        expires_at, read_at, actor = found
        if wall >= expires_at or now - read_at >= self.ttl_s:
            del self._actors[token]
            return None
        return actor

    def forget(self, token: str, *, now: float | None = None) -> None:
        """Drop `token`: signed out, it is checked in full again (and refused) at its next request. For ttl_s after,
        put() does not keep it: a request with it that read its sign-in before the sign-out committed, and finished
        after, put it back, and this process answered the signed-out token for ttl_s more."""
        now = time.monotonic() if now is None else now
        # Built whole, then swapped in (the sign-out route runs in a worker thread, put() on the event loop).
        self._forgotten = {**{t: at for t, at in self._forgotten.items() if now - at < self.ttl_s}, token: now}
        self._actors.pop(token, None)

    def put(self, token: str, expires_at: float, actor: Actor, *, now: float) -> None:
        """Remember `token`'s Actor from `now` (time.monotonic()), unless the token was forgotten (signed out) in the
        last ttl_s (a request that was in flight longer than that could still put it back)."""
        if self._forgotten and token in self._forgotten:
            return
        if len(self._actors) >= self.max_size:
            self._actors.clear()
        self._actors[token] = (expires_at, now, actor)


async def get_actor(request: Request, engine: EngineDep, settings: SettingsDep,
                    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Actor:
    """The caller: the bearer token verified in full and the sign-in read when the token is new to this process (or
    its Actor is older than ACTOR_TTL_S), else the Actor found then, while the token is unexpired.

    Raises Unauthorized (401) without a token, with an invalid or expired one, or for a sign-in that does not exist.
    """
    if creds is None:
        raise Unauthorized("authorization", "sign in first: send 'Authorization: Bearer <token>'")
    token = creds.credentials
    actors: ActorCache = request.app.state.actors
    actor = actors.get(token, wall=time.time(), now=time.monotonic())
    if actor is None:
        verified = verify_token(token, settings=settings)
        actor = await read(engine, actor_named, verified)
        actors.put(token, verified.expires_at, actor, now=time.monotonic())
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]
