"""Sign-in: argon2 password hashes, expiring signed tokens, and a lock after repeated failures."""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlmodel import Session, select

from store.tables import User
from usecases.actors import Actor
from usecases.errors import Unauthorized
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
    user = User(username=username, password_hash=hash_password(password), role=role, display_name=display_name,
                resident_id=resident_id, enterprise_id=enterprise_id, community_ids=community_ids or [])
    session.add(user)
    return user
