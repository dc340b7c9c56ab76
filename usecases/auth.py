"""Sign-in: argon2 password hashes, signed tokens that must expire, and a throttle instead of a lock."""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlmodel import Session, select

from store.tables import Community, Enterprise, Resident, User
from usecases import throttle
from usecases.actors import Actor
from usecases.errors import Conflict, Rejected, Unauthorized
from usecases.settings import Settings

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password")
ALGORITHM = "HS256"
WRONG = "wrong username or password"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def sign_in(session: Session, username: str, password: str, *, settings: Settings, now: datetime,
            client: str = "local") -> tuple[str, User]:
    """Check a password from `client` (an IP address) and return a token that expires, and the user.

    Unknown user and wrong password are answered alike (Unauthorized 401, the same words, a hash verified either
    way). Raises Throttled (429) while this client must wait before trying this account again; the caller commits
    a failure before raising it, so the count holds.
    """
    throttle.check(session, username=username, client=client, now=now)
    user = session.exec(select(User).where(User.username == username)).first()
    try:
        # Verify even when the user does not exist, so timing does not reveal which usernames exist.
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None
    except VerificationError:
        ok = False
    if not ok or user is None:
        throttle.record_failure(session, username=username, client=client, now=now)
        raise Unauthorized("password", WRONG)
    throttle.record_success(session, username=username, client=client)
    claims = {"sub": user.username, "role": user.role, "iat": now,
              "exp": now + timedelta(minutes=settings.token_minutes)}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM), user


def actor_from_token(session: Session, token: str, *, settings: Settings) -> Actor:
    """The Actor a bearer token stands for; expired or forged tokens, and tokens without exp or iat, are refused."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM],
                            options={"require": ["exp", "iat", "sub"]})
    except jwt.ExpiredSignatureError:
        raise Unauthorized("authorization", "token expired; sign in again") from None
    except jwt.MissingRequiredClaimError as exc:
        raise Unauthorized("authorization", f"invalid token: it has no {exc.claim!r} claim") from None
    except jwt.InvalidTokenError:
        raise Unauthorized("authorization", "invalid token") from None
    user = session.exec(select(User).where(User.username == claims.get("sub"))).first()
    if user is None:
        raise Unauthorized("authorization", "unknown user")
    return actor_of(user)


def actor_of(user: User) -> Actor:
    return Actor(username=user.username, role=user.role,  # type: ignore[arg-type]
                 resident_id=user.resident_id, enterprise_id=user.enterprise_id,
                 community_ids=frozenset(user.community_ids))


def create_user(session: Session, *, username: str, password: str, role: str, display_name: str = "",
                resident_id: str | None = None, enterprise_id: str | None = None,
                community_ids: list[str] | None = None) -> User:
    """Add a sign-in; every resident, enterprise and community it names must exist.

    Raises Conflict for a username already taken, Rejected (naming the field) for an unknown role or record.
    """
    _check_sign_in(session, username=username, role=role, resident_id=resident_id, enterprise_id=enterprise_id,
                   community_ids=community_ids or [])
    user = User(username=username, password_hash=hash_password(password), role=role, display_name=display_name,
                resident_id=resident_id, enterprise_id=enterprise_id, community_ids=community_ids or [])
    session.add(user)
    return user


def _check_sign_in(session: Session, *, username: str, role: str, resident_id: str | None,
                   enterprise_id: str | None, community_ids: list[str]) -> None:
    if role not in ("city", "coordinator", "enterprise", "resident"):
        raise Rejected("role", f"unknown role {role!r}: city, coordinator, enterprise or resident")
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise Conflict("username", f"用户名已存在 (username already taken): {username}")
    needed = {"resident": ("resident_id", resident_id), "enterprise": ("enterprise_id", enterprise_id)}.get(role)
    if needed is not None and not needed[1]:
        raise Rejected(needed[0], f"a {role} sign-in needs {needed[0]}")
    if resident_id is not None and session.get(Resident, resident_id) is None:
        raise Rejected("resident_id", f"no such resident: {resident_id}")
    if enterprise_id is not None and session.get(Enterprise, enterprise_id) is None:
        raise Rejected("enterprise_id", f"no such enterprise: {enterprise_id}")
    for community_id in community_ids:
        if session.get(Community, community_id) is None:
            raise Rejected("community_ids", f"no such community: {community_id}")
