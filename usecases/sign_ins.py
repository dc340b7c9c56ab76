"""Sign-ins for residents a coordinator registered or imported: a printable one-time code for those who will use a
phone, nothing for those who will not (their coordinator acts for them, 代办). Issue 15.

The code signs her in once (usecases.auth.sign_in), within CODE_DAYS; then she chooses her own PIN on her phone
(usecases.auth.set_pin) and signs in with her mobile phone number and PIN from then on (issue 16: the slip names
her phone, not the sign-in's internal username, which older sign-ins such as comm-001-r019 have).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from schemas.envelope import Event
from store.outbox import audit
from store.tables import SignInCode, User
from usecases.actors import Actor
from usecases.auth import CODE_ALPHABET, CODE_LENGTH, code_hash, create_user, looks_like_code
from usecases.context import Context
from usecases.errors import Rejected
from usecases.lookups import locked_resident

CODE_DAYS = 7  # long enough to hand the slip over at the next visit; printed on the slip


@dataclass(frozen=True)
class SignInSlip:
    """What the coordinator prints and hands over: who, the phone number she signs in with (`phone`, normalised
    11 digits; `username` is the sign-in's own name, which also works), the one-time code and when it stops working
    (UTC; the slip shows the Asia/Shanghai date)."""

    resident_id: str
    name: str
    username: str
    code: str
    expires_at: datetime
    reissued: bool
    phone: str = ""


def new_code() -> str:
    """A random code of CODE_LENGTH from CODE_ALPHABET with at least one letter (so it is never taken for a PIN)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if looks_like_code(code):
            return code


def issue_sign_in_code(session: Session, resident_id: str, *, actor: Actor,
                       ctx: Context) -> tuple[SignInSlip, list[Event]]:
    """Give a resident with a phone a sign-in (username: their phone number) and a one-time code for it.

    The code works once, until CODE_DAYS from now; it is shown once and only its keyed hash is kept. A second call
    replaces it: the previous unused code stops working, and so does any PIN she chose (a lost slip or phone is
    replaced, never looked up; she chooses a new PIN with the new code). Raises Rejected('resident_id') for a
    resident without a phone (the coordinator acts for them instead) and NotFound/Forbidden outside the
    coordinator's communities. Audited as sign_in.issue (never the code).
    """
    actor.require("coordinator")
    resident = locked_resident(session, resident_id)
    actor.require_community(resident.community_id)
    if not resident.phone:
        raise Rejected("resident_id", "没有手机的居民不需要登录：由社区工作者代办 (no phone: act for them instead)")
    user = session.exec(select(User).where(User.resident_id == resident.id)).first()
    reissued = user is not None
    if user is None:
        user = create_user(session, username=resident.phone, password=None, role="resident",
                           display_name=resident.name, resident_id=resident.id,
                           community_ids=[resident.community_id])
        session.flush()  # its id, for the code
    else:
        user.password_hash = ""  # she chooses a new PIN with the new code
        session.add(user)
    revoked = session.execute(update(SignInCode).where(
        col(SignInCode.user_id) == user.id, col(SignInCode.used_at).is_(None), col(SignInCode.revoked_at).is_(None))
        .values(revoked_at=ctx.now))
    code = new_code()
    expires_at = ctx.now + timedelta(days=CODE_DAYS)
    assert user.id is not None
    session.add(SignInCode(user_id=user.id, code_hash=code_hash(code, ctx.settings), issued_by=actor.username,
                           issued_at=ctx.now, expires_at=expires_at))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="sign_in.issue", subject=resident.id,
          username=user.username, reissued=reissued, expires_at=expires_at.isoformat(),
          replaced_codes=int(getattr(revoked, "rowcount", 0) or 0))
    return SignInSlip(resident_id=resident.id, name=resident.name, username=user.username, code=code,
                      expires_at=expires_at, reissued=reissued, phone=resident.phone), []


def residents_signed_in(session: Session, actor: Actor) -> set[str]:
    """Ids of the coordinator's residents who have a sign-in."""
    actor.require("coordinator")
    rows = session.exec(select(User.resident_id, User.community_ids).where(User.role == "resident")).all()
    return {rid for rid, communities in rows if rid and any(actor.may_see_community(c) for c in communities)}


def sign_in_states(session: Session, actor: Actor, now: datetime) -> dict[str, str]:
    """Where each of the coordinator's residents with a sign-in stands: resident id -> 'pin' (she chose her PIN),
    'code' (a live code waits to be used) or 'lapsed' (her code was used or expired and no PIN was chosen: print a
    new one)."""
    actor.require("coordinator")
    users = [u for u in session.exec(select(User).where(User.role == "resident", col(User.resident_id).is_not(None)))
             if any(actor.may_see_community(c) for c in u.community_ids)]
    live = set(session.exec(select(SignInCode.user_id).where(
        col(SignInCode.user_id).in_([u.id for u in users]), col(SignInCode.used_at).is_(None),
        col(SignInCode.revoked_at).is_(None), col(SignInCode.expires_at) > now)))
    return {str(u.resident_id): "pin" if u.password_hash else "code" if u.id in live else "lapsed" for u in users}
