"""Sign-in: argon2 password hashes, expiring signed tokens, and a lock after repeated failures."""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlmodel import Session, select

from store.tables import Community, Enterprise, Resident, User
from usecases.actors import Actor
from usecases.errors import Conflict, Rejected, Unauthorized
from usecases.settings import Settings

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password")
MAX_FAILURES = 5
LOCK_MINUTES = 5
ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def sign_in(session: Session, username: str, password: str, *, settings: Settings, now: datetime) -> tuple[str, User]:
    """Check a password and return a token; after MAX_FAILURES wrong tries the account waits LOCK_MINUTES."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user and user.locked_until and user.locked_until > now:
        raise Unauthorized("username", f"too many failed attempts; try again after {LOCK_MINUTES} minutes")
    try:
        # Verify even when the user does not exist, so timing does not reveal which usernames exist.
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None
    except VerificationError:
        ok = False
    if not ok or user is None:
        if user is not None:
            user.failed_attempts += 1
            if user.failed_attempts >= MAX_FAILURES:
                user.locked_until, user.failed_attempts = now + timedelta(minutes=LOCK_MINUTES), 0
            session.add(user)
        raise Unauthorized("password", "wrong username or password")
    user.failed_attempts, user.locked_until = 0, None
    session.add(user)
    claims = {"sub": user.username, "role": user.role, "exp": now + timedelta(minutes=settings.token_minutes)}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM), user


def actor_from_token(session: Session, token: str, *, settings: Settings) -> Actor:
    """The Actor a bearer token stands for; expired or forged tokens are refused."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM])
    except jwt.ExpiredSignatureError:
        raise Unauthorized("authorization", "token expired; sign in again") from None
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
