"""Sign-ins for residents a coordinator registered or imported: a printable code for those who will use a phone."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session, select

from schemas.envelope import Event
from store.outbox import audit
from store.tables import User
from usecases.actors import Actor
from usecases.auth import create_user, hash_password
from usecases.context import Context
from usecases.errors import Rejected
from usecases.lookups import locked_resident

# Crockford's base32 without 0/1 look-alikes: a code read off paper and typed on a phone is typed right.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8  # 30^8 ≈ 6.6e11; sign-in throttling (usecases/throttle.py) stops guessing long before


@dataclass(frozen=True)
class SignInSlip:
    """What the coordinator prints and hands over: who, the username (their phone number) and the code."""

    resident_id: str
    name: str
    username: str
    code: str
    reissued: bool


def issue_sign_in_code(session: Session, resident_id: str, *, actor: Actor,
                       ctx: Context) -> tuple[SignInSlip, list[Event]]:
    """Give a resident with a phone a sign-in (username: their phone number) and a new code as its password.

    A second call replaces the code (the old one stops working): a lost slip is replaced, never looked up; the code
    is shown once and only its hash is kept. Raises Rejected('resident_id') for a resident without a phone (the
    coordinator acts for them instead) and NotFound/Forbidden outside the coordinator's communities.
    """
    actor.require("coordinator")
    resident = locked_resident(session, resident_id)
    actor.require_community(resident.community_id)
    if not resident.phone:
        raise Rejected("resident_id", "没有手机的居民不需要登录：由社区工作者代办 (no phone: act for them instead)")
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    user = session.exec(select(User).where(User.resident_id == resident.id)).first()
    reissued = user is not None
    if user is None:
        user = create_user(session, username=resident.phone, password=code, role="resident",
                           display_name=resident.name, resident_id=resident.id,
                           community_ids=[resident.community_id])
    else:
        user.password_hash = hash_password(code)
        session.add(user)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="sign_in.issue", subject=resident.id,
          username=user.username, reissued=reissued)
    return SignInSlip(resident_id=resident.id, name=resident.name, username=user.username, code=code,
                      reissued=reissued), []


def residents_signed_in(session: Session, actor: Actor) -> set[str]:
    """Ids of the coordinator's residents who have a sign-in."""
    actor.require("coordinator")
    rows = session.exec(select(User.resident_id, User.community_ids).where(User.role == "resident")).all()
    return {rid for rid, communities in rows if rid and any(actor.may_see_community(c) for c in communities)}
