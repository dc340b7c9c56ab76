"""Throttling failed sign-ins, so guessing is slow and nobody can lock the owner out.

Two throttles, neither a lock an attacker can hold:
- by (account, client): after FREE_FAILURES wrong passwords from one client, each further one doubles the wait
  before that client may try that account again (1 s, 2 s, 4 s … at most MAX_WAIT). In the database, so every API
  replica counts the same tries. The owner's client is another pair, so the owner still signs in.
- by client across accounts (spraying one password over many names): at most CLIENT_FAILURES failures per
  CLIENT_WINDOW, counted by the `limits` library in this process's memory (each replica counts its own).
A coordinator or the city bureau can clear an account's throttle; the reset is in the audit trail.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timedelta

from limits import RateLimitItemPerMinute, storage, strategies
from sqlmodel import Session, col, delete, select

from store.outbox import audit
from store.tables import Resident, SignInThrottle, User
from usecases.actors import Actor
from usecases.errors import Forbidden, NotFound, Throttled

FREE_FAILURES = 3
MAX_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)  # a pair that has not failed for this long starts again from nothing
CLIENT_FAILURES, CLIENT_WINDOW_MINUTES = 30, 5
_CLIENT_LIMIT = RateLimitItemPerMinute(CLIENT_FAILURES, CLIENT_WINDOW_MINUTES)
_client_limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
TOO_MANY = "尝试次数过多，请 {s} 秒后再试 / too many failed sign-ins; try again in {s} s"


def client_of(remote: str | None, forwarded_for: str | None, trusted: str) -> str:
    """The address the throttle counts a sign-in under.

    `remote`: the connection's peer (None: a local connection, as Streamlit reports localhost); `forwarded_for`: the
    request's X-Forwarded-For header, believed only when the peer is one of `trusted` (FORWARDED_ALLOW_IPS,
    comma-separated; "*" for any), and then its last entry — the one the trusted proxy appended, which a client
    cannot forge. Otherwise the peer itself. Without this every user behind a proxy was one client, so thirty
    wrong tries by anyone locked every dashboard user out for five minutes.
    """
    peer = remote or "127.0.0.1"
    allowed = {a.strip() for a in trusted.split(",") if a.strip()}
    hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    if hops and (peer in allowed or "*" in allowed):
        return hops[-1]
    return peer


def check(session: Session, *, username: str, client: str, now: datetime) -> None:
    """Raise Throttled (429, with the seconds to wait) if this client must wait before trying this account."""
    if not _client_limiter.test(_CLIENT_LIMIT, client):
        reset_at, _ = _client_limiter.get_window_stats(_CLIENT_LIMIT, client)
        wait = max(1, math.ceil(reset_at - time.time()))
        raise Throttled("username", TOO_MANY.format(s=wait), retry_after_s=wait)
    row = session.get(SignInThrottle, (username, client))
    if row is not None and row.blocked_until is not None and row.blocked_until > now:
        wait = max(1, math.ceil((row.blocked_until - now).total_seconds()))
        raise Throttled("username", TOO_MANY.format(s=wait), retry_after_s=wait)


def failed_before(session: Session, *, username: str, client: str) -> bool:
    """Whether this client has failures on this account to clear (so a good sign-in need not write otherwise)."""
    return session.get(SignInThrottle, (username, client)) is not None


def wait_after(failures: int) -> timedelta:
    """How long a client waits after its n-th consecutive failure on one account: 0, then doubling to MAX_WAIT."""
    if failures <= FREE_FAILURES:
        return timedelta(0)
    return min(MAX_WAIT, timedelta(seconds=2 ** min(failures - FREE_FAILURES - 1, 20)))


def record_failure(session: Session, *, username: str, client: str, now: datetime) -> None:
    """Count one failed sign-in of `username` (known or not) from `client`; the caller commits."""
    _client_limiter.hit(_CLIENT_LIMIT, client)
    row = session.get(SignInThrottle, (username, client))
    if row is None or now - row.last_failure_at > FORGET_AFTER:
        row = row or SignInThrottle(username=username, client=client, last_failure_at=now)
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    wait = wait_after(row.failures)
    row.blocked_until = now + wait if wait else None
    session.add(row)


def record_success(session: Session, *, username: str, client: str) -> None:
    """A correct password from this client clears its count on this account."""
    session.execute(delete(SignInThrottle).where(col(SignInThrottle.username) == username,
                                                 col(SignInThrottle.client) == client))


def reset(session: Session, username: str, *, actor: Actor, now: datetime) -> int:
    """Clear every client's throttle on an account; returns how many were cleared.

    The city bureau may reset any account, a coordinator the residents of their communities.
    Raises NotFound for an unknown account, Forbidden for one outside the actor's reach.
    """
    actor.require("city", "coordinator")
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound("username", f"没有这个账号：{username} / no such account: {username}")
    if actor.role == "coordinator":
        resident = session.get(Resident, user.resident_id) if user.resident_id else None
        if resident is None or not actor.may_see_community(resident.community_id):
            raise Forbidden("username", "社区工作者只能为本社区的居民解锁 / "
                                             "a coordinator may reset only residents of their communities")
    result = session.execute(delete(SignInThrottle).where(col(SignInThrottle.username) == username))
    cleared = int(getattr(result, "rowcount", 0) or 0)
    audit(session, at=now, actor=actor.username, role=actor.role, action="auth.throttle_reset", subject=username,
          cleared=cleared)
    return cleared


def forget_clients() -> None:
    """Clear this process's per-client counts (tests start each from nothing)."""
    _client_limiter.storage.reset()
