"""Sign-in: argon2 password hashes, one-time codes, signed tokens that must expire, and a throttle instead of a lock.

A resident a coordinator imported signs in the first time with a printed one-time code (usecases/sign_ins.py) and
then chooses her own PIN (set_pin); staff sign in with passwords. Both are checked by sign_in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import NoReturn

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from domain.people import BadIdentity, normalise_phone
from schemas.envelope import Event
from store.db import reading, transaction
from store.outbox import audit
from store.tables import Community, Enterprise, Resident, RevokedToken, SignInCode, User
from usecases import throttle
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, Forbidden, Rejected, Unauthorized
from usecases.settings import Settings

# Argon2id at OWASP's minimum (Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1), which is also the default
# of the maintained RustCrypto `argon2` crate (Params::DEFAULT). argon2-cffi's own default (RFC 9106's second
# choice: 64 MiB, t = 3, p = 4) took 0.4-0.7 s a check on this project's 2-core machine idle and about 3 s with the
# cores busy (its four lanes fight the workers for two cores); this takes 0.15-0.3 s. Hashes made with the old
# parameters still verify, and are re-hashed with these at their next successful sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
ALGORITHM = "HS256"
WRONG = "wrong username or password"
# One reason for a wrong, used, replaced or expired code, whichever it was (nothing revealed), with the next step for
# the commonest real case: she used the code and closed the browser before choosing her PIN (issue 16).
WRONG_CODE = ("登录码无效或已使用。如果登录码已用过但还没设密码，请找社区工作者重新打印登录单 / "
              "sign-in code invalid or already used. If you used the code but have not chosen a PIN yet, "
              "ask your community worker to print a new sign-in slip")
# Crockford-like base32 without 0/1/I/L/O/U look-alikes: a code read off paper and typed on a phone is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8  # 30^8 ≈ 6.6e11; the sign-in throttle (usecases/throttle.py) stops guessing long before
_CODE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # as schemas.commands: tab, LF and CR are text
SIGNED_OUT = "已退出登录，请重新登录 / signed out; sign in again"
CODE_CLAIM = "code"  # a token signed in with a one-time code names it (SignInCode.id), for set_pin
PIN_DIGITS = (6, 12)
PIN_RULES = "密码须为 6 到 12 位数字，不能全部相同，也不能是连续的数字（如 123456） / " \
            "the PIN must be 6 to 12 digits, not all the same and not a run such as 123456"


def hash_password(password: str) -> str:
    """An argon2id hash (PHC string) of a password or PIN, at the parameters above."""
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    # Checked against when there is no hash to check (unknown user, PIN not chosen yet), so timing does not reveal
    # which; made on first need, not at import (importing this module cost a whole hash on every process start).
    return _hasher.hash("not-a-real-password")


def normal_code(typed: str) -> str:
    """A code as typed on a phone, in its printed form: capitals, no spaces or dashes ('abcd 2345' → 'ABCD2345')."""
    return re.sub(r"[\s-]", "", typed).upper()


def looks_like_code(typed: str) -> bool:
    """Whether what was typed has a code's shape (8 of CODE_ALPHABET with a letter); a PIN (digits) never has."""
    code = normal_code(typed)
    return bool(_CODE.match(code)) and not code.isdigit()


def code_hash(code: str, settings: Settings) -> str:
    """The keyed hash (HMAC-SHA256 under SECRET_KEY, hex) a sign-in code is kept as.

    Not argon2: a code is random (about 39 bits), lives at most CODE_DAYS and works once, so what protects it in a
    stolen database is the key, which an attacker who has it could use to forge tokens anyway; and a keyed hash costs
    nothing at sign-in.
    """
    return hmac.new(settings.secret_key.encode(), normal_code(code).encode(), hashlib.sha256).hexdigest()


def needs_pin(user: User) -> bool:
    """A sign-in made from a code whose person has not chosen a PIN yet (no password hash)."""
    return not user.password_hash


def sign_in(engine: Engine, username: str, password: str, *, settings: Settings, now: datetime,
            client: str = "local") -> tuple[str, User]:
    """Check a password, PIN or one-time code from `client` (an IP address); return a token that expires, and the user.

    `username` is a sign-in's username or, for a resident, her mobile phone number in any spelling (spaces, dashes,
    +86, full-width digits: domain.people.normalise_phone), which names the sign-in of the resident with that phone
    (issue 16). An unknown phone is refused exactly like an unknown username.
    A live code (not used, not replaced, not expired) for this user signs her in once: it is marked used in the
    transaction that lets the token out, so of two phones racing with one code exactly one gets a token. Unknown
    user and wrong password are answered alike (Unauthorized 401, the same words, a hash verified either way); a
    code-shaped entry that is wrong, used, replaced or expired is answered WRONG_CODE, whichever it was. Raises
    Throttled (429) while this client must wait before trying this account again; every failure is committed before
    it is raised, so the count holds.

    The hash is checked with no transaction open: on SQLite a write transaction holds the database's one write lock
    (BEGIN IMMEDIATE), and a sign-in used to wait for the workers' batches to take it and then hold it through the
    hash; a sign-in now writes only when it has something to write (a code used, a throttle cleared, a re-hash).

    Raises Rejected('username') for a username with a control character (no sign-in has one; a NUL failed the
    query on PostgreSQL, a 500), before anything is read or counted.
    """
    found = _CONTROL.search(username)
    if found:
        raise Rejected("username", f"不能含控制字符（U+{ord(found.group()):04X}）/ must not contain control characters "
                                   f"(U+{ord(found.group()):04X})")
    with reading(engine) as session:
        user, account = _account(session, username)
        username = account  # the throttle counts every spelling of her phone, and her username, as one account
        throttle.check(session, username=username, client=client, now=now)
        code = _live_code(session, user, now) if user is not None and looks_like_code(password) else None
        failed_before = throttle.failed_before(session, username=username, client=client)
    by_code = code is not None and hmac.compare_digest(code.code_hash, code_hash(password, settings))
    by_password = not by_code and _password_matches(user, password)
    if user is None or not (by_code or by_password):
        _refuse(engine, username=username, client=client, now=now,
                reason=WRONG_CODE if looks_like_code(password) else WRONG)
    # Made with older parameters: re-made now, outside the transaction (which then holds the write lock briefly).
    rehashed = hash_password(password) if by_password and _hasher.check_needs_rehash(user.password_hash) else None
    if by_code or failed_before or rehashed:
        with transaction(engine) as session:
            if code is not None and by_code and not _use_code(session, code, user, now=now, client=client):
                throttle.record_failure(session, username=username, client=client, now=now)
                lost = True
            else:
                lost = False
                throttle.record_success(session, username=username, client=client)
                if rehashed:  # unless a new code or PIN replaced the hash meanwhile
                    session.execute(update(User).where(col(User.id) == user.id,
                                                       col(User.password_hash) == user.password_hash)
                                    .values(password_hash=rehashed))
        if lost:  # another phone used the code first (committed above)
            raise Unauthorized("password", WRONG_CODE)
    # jti: the token's own random id, by which signing out refuses it (revoke_token) without storing the token.
    claims: dict[str, object] = {"sub": user.username, "role": user.role, "iat": now,
                                 "exp": now + timedelta(minutes=settings.token_minutes),
                                 "jti": secrets.token_urlsafe(16)}
    if by_code and code is not None:  # which code: only a sign-in with her newest code may choose the PIN (set_pin)
        claims[CODE_CLAIM] = code.id
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM), user


def code_of_token(token: str | None, *, settings: Settings) -> int | None:
    """The id of the one-time code a token was signed in with (its CODE_CLAIM), or None for a password or PIN
    sign-in, or a token that is missing, forged or expired. What set_pin is given to check."""
    if not token:
        return None
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM])
    except jwt.InvalidTokenError:
        return None
    found = claims.get(CODE_CLAIM)
    return found if isinstance(found, int) else None


def _account(session: Session, typed: str) -> tuple[User | None, str]:
    """The sign-in `typed` names, and the account key the throttle counts it under.

    A username as typed comes first (staff, and residents' old usernames such as comm-001-r019, keep working);
    otherwise a mobile number, normalised, names the resident whose record has that phone (Resident.phone is unique
    and normalised the same way on every path). The key is the sign-in's username when there is one, else the
    normalised phone, else what was typed: so guesses through her phone and through her username count together.
    """
    user = session.exec(select(User).where(User.username == typed)).first()
    if user is not None:
        return user, user.username
    try:
        phone = normalise_phone(typed)
    except BadIdentity:
        return None, typed
    user = session.exec(select(User).where(User.username == phone)).first() or session.exec(
        select(User).join(Resident, col(Resident.id) == col(User.resident_id))
        .where(Resident.phone == phone, User.role == "resident")).first()
    return user, user.username if user is not None else phone


def _live_code(session: Session, user: User, now: datetime) -> SignInCode | None:
    return session.exec(select(SignInCode).where(
        SignInCode.user_id == user.id, col(SignInCode.used_at).is_(None), col(SignInCode.revoked_at).is_(None),
        col(SignInCode.expires_at) > now).order_by(col(SignInCode.id).desc())).first()


def _password_matches(user: User | None, password: str) -> bool:
    stored = user.password_hash if user is not None and user.password_hash else ""
    try:
        _hasher.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return bool(stored)


def _use_code(session: Session, code: SignInCode, user: User, *, now: datetime, client: str) -> bool:
    """Mark the code used if it is still live; False if another sign-in (or a new code, or time) got there first.

    One conditional UPDATE: SQLite's BEGIN IMMEDIATE runs the racing transactions one after the other, and on
    PostgreSQL the second waits for the first's row lock and then finds used_at set.
    """
    done = session.execute(update(SignInCode).where(
        col(SignInCode.id) == code.id, col(SignInCode.used_at).is_(None), col(SignInCode.revoked_at).is_(None),
        col(SignInCode.expires_at) > now).values(used_at=now, used_from=client))
    if int(getattr(done, "rowcount", 0) or 0) != 1:
        return False
    audit(session, at=now, actor=user.username, role=user.role, action="sign_in.code_used",
          subject=user.resident_id or user.username, code_id=code.id, client=client)
    return True


def _refuse(engine: Engine, *, username: str, client: str, now: datetime, reason: str) -> NoReturn:
    """Count the failure (committed) and raise Unauthorized('password', reason)."""
    with transaction(engine) as session:
        throttle.record_failure(session, username=username, client=client, now=now)
    raise Unauthorized("password", reason)


def pin_problem(pin: str) -> str | None:
    """Why `pin` may not be a resident's PIN (PIN_RULES), or None: 6-12 ASCII digits, not one digit repeated, not
    a run up or down (123456, 987654), the guesses tried first."""
    low, high = PIN_DIGITS
    if not re.fullmatch(f"[0-9]{{{low},{high}}}", pin):
        return PIN_RULES
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    return PIN_RULES if steps in ({0}, {1}, {-1}) else None


def set_pin(session: Session, pin: str, confirm: str | None = None, *, code_id: int | None, actor: Actor,
            ctx: Context) -> list[Event]:
    """The signed-in person chooses her PIN after signing in with a one-time code; from then on she signs in with it.

    Only while her sign-in has none (needs_pin), and only from a sign-in with her newest code (`code_id`: the
    token's code, code_of_token): a PIN is changed by a new code from her coordinator, which also clears the old
    PIN, so a phone left signed in — with a token from an older code, or from her PIN — cannot choose the new PIN
    before her and keep the account (issue 15). Raises Rejected('pin') against PIN_RULES, Rejected('confirm') if
    the two entries differ, Conflict('pin') if a PIN is set already, Forbidden('pin') for a sign-in that was not
    made with her newest code, Unauthorized for an unknown sign-in.
    """
    user = session.exec(select(User).where(User.username == actor.username).with_for_update()).first()
    if user is None:
        raise Unauthorized("authorization", "unknown user")
    if not needs_pin(user):
        raise Conflict("pin", "已经设置过密码；忘记密码请找社区工作者重新生成登录码 / "
                              "a PIN is set already; ask your coordinator for a new code if you forgot it")
    newest = session.exec(select(SignInCode).where(SignInCode.user_id == user.id)
                          .order_by(col(SignInCode.id).desc())).first()
    if newest is None or code_id is None or newest.id != code_id or newest.used_at is None:
        raise Forbidden("pin", "请先用社区工作者给你的最新登录码登录，再设置密码 / "
                               "sign in with the newest code your coordinator gave you, then choose your PIN")
    problem = pin_problem(pin)
    if problem:
        raise Rejected("pin", problem)
    if confirm is not None and confirm != pin:
        raise Rejected("confirm", "两次输入的密码不一样 / the two entries differ")
    user.password_hash = hash_password(pin)
    session.add(user)
    audit(session, at=ctx.now, actor=user.username, role=user.role, action="sign_in.pin_set",
          subject=user.resident_id or user.username)
    return []


def actor_from_token(session: Session, token: str, *, settings: Settings) -> Actor:
    """The Actor a bearer token stands for; expired or forged tokens, and tokens without exp or iat, are refused."""
    return actor_named(session, verify_token(token, settings=settings))


@dataclass(frozen=True)
class VerifiedToken:
    """What a token whose signature checked says: who it was issued to, when and until when (POSIX seconds, UTC),
    and the one-time code it was signed in with (None for a password or PIN)."""

    username: str
    expires_at: float
    issued_at: float = 0.0
    code_id: int | None = None
    token_id: str | None = None  # what signing it out records (token_id_of); verify_token always gives one


def verify_token(token: str, *, settings: Settings) -> VerifiedToken:
    """Check a bearer token's signature and expiry (no I/O) and say whom it was issued to, until when.

    Raises Unauthorized('authorization') for a forged, expired or malformed token, or one without exp, iat or sub.
    """
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM],
                            options={"require": ["exp", "iat", "sub"]})
    except jwt.ExpiredSignatureError:
        raise Unauthorized("authorization", "token expired; sign in again") from None
    except jwt.MissingRequiredClaimError as exc:
        raise Unauthorized("authorization", f"登录凭证无效（缺少 {exc.claim} 字段），请重新登录 / "
                                            f"invalid token: it has no {exc.claim!r} claim") from None
    except jwt.InvalidTokenError:
        raise Unauthorized("authorization", "invalid token") from None
    code = claims.get(CODE_CLAIM)
    return VerifiedToken(username=str(claims["sub"]), expires_at=float(claims["exp"]),
                         issued_at=float(claims["iat"]), code_id=code if isinstance(code, int) else None,
                         token_id=token_id_of(token, claims.get("jti")))


_JTI = re.compile(r"[A-Za-z0-9_\-]{1,64}")  # what sign_in puts in jti (secrets.token_urlsafe(16): 22 characters)


def token_id_of(token: str, jti: object) -> str:
    """The id by which a token is signed out (revoked_token.token_id): its jti claim as sign_in makes it, else
    'sha256:' and the hex SHA-256 of the whole token, never the token itself.

    A token made before tokens carried a jti (still valid for up to TOKEN_MINUTES after the upgrade) was answered 204
    by POST /auth/sign-out and then went on working; so would one whose jti could not be a key (not text, longer than
    64 characters, or holding a NUL, which PostgreSQL's text refuses)."""
    if isinstance(jti, str) and _JTI.fullmatch(jti):
        return jti
    return "sha256:" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def actor_named(session: Session, token: VerifiedToken) -> Actor:
    """The Actor of the sign-in a verified token names (its role and scope, read with one query of the columns that
    make it).

    A resident's token from before her newest one-time code is refused: a new code is how her coordinator replaces
    a lost phone or slip (usecases.sign_ins), so the lost phone's token, from an older code or her old PIN, stops
    working then rather than when it expires (issue 15). Valid are a token from her newest code, and one from her
    PIN made after that code was used (to the second: a token says when it was made in whole seconds).

    A token signed out (revoke_token) is refused too: whether it was is asked in the same statement.

    Raises Unauthorized('authorization') when there is no such sign-in, for a signed-out token, or for a token from
    before her newest code.
    """
    columns = (User.username, User.role, User.resident_id, User.enterprise_id, User.community_ids, User.id)
    statement = sa_select(*map(col, columns)).where(col(User.username) == token.username)
    if token.token_id is not None:
        statement = statement.add_columns(
            sa_select(col(RevokedToken.token_id)).where(col(RevokedToken.token_id) == token.token_id).exists())
    row = session.execute(statement).first()
    if row is None:
        raise Unauthorized("authorization", "unknown user")
    if token.token_id is not None and row[6]:
        raise Unauthorized("authorization", SIGNED_OUT)
    if row[1] == "resident" and _before_newest_code(session, row[5], token):
        raise Unauthorized("authorization", "登录已失效：社区工作者已重新生成登录码，请用新的登录码登录 / "
                                            "signed out: a new sign-in code was printed; sign in with it")
    return Actor(username=row[0], role=row[1], resident_id=row[2], enterprise_id=row[3],
                 community_ids=frozenset(row[4] or ()))


def revoke_token(engine: Engine, token: str, *, settings: Settings, now: datetime) -> bool:
    """Sign a session token out: from now on the API and the dashboard refuse it (actor_named), though it has not
    expired. Only this token: her other sessions (another phone, the office computer) stay signed in.

    Keeps the token's jti and expiry, never the token; rows of tokens expired by `now` (UTC) are deleted meanwhile, so
    the table holds at most the tokens of the last TOKEN_MINUTES. Returns False, changing nothing, for a token that is
    forged or expired (nothing left to refuse); True once it is revoked (again: idempotent). A token without a usable
    jti is kept by its hash (token_id_of).
    """
    try:
        verified = verify_token(token, settings=settings)
    except Unauthorized:
        return False
    if verified.token_id is None:
        return False
    expires_at = datetime.fromtimestamp(verified.expires_at, tz=UTC)
    try:
        with transaction(engine) as session:
            session.execute(delete(RevokedToken).where(col(RevokedToken.expires_at) < now))
            if session.get(RevokedToken, verified.token_id) is None:
                session.add(RevokedToken(token_id=verified.token_id, expires_at=expires_at))
    except IntegrityError:  # the same token signed out twice at once on PostgreSQL: the other one revoked it
        pass
    return True


def _before_newest_code(session: Session, user_id: int, token: VerifiedToken) -> bool:
    newest = session.execute(sa_select(col(SignInCode.id), col(SignInCode.used_at))
                             .where(col(SignInCode.user_id) == user_id)
                             .order_by(col(SignInCode.id).desc()).limit(1)).first()
    if newest is None:  # never had a code (a password set by other means): nothing to be older than
        return False
    if token.code_id is not None:
        return bool(token.code_id != newest[0])
    return newest[1] is None or token.issued_at < int(newest[1].timestamp())


def actor_of(user: User) -> Actor:
    return Actor(username=user.username, role=user.role,  # type: ignore[arg-type]
                 resident_id=user.resident_id, enterprise_id=user.enterprise_id,
                 community_ids=frozenset(user.community_ids))


def create_user(session: Session, *, username: str, password: str | None, role: str, display_name: str = "",
                resident_id: str | None = None, enterprise_id: str | None = None,
                community_ids: list[str] | None = None) -> User:
    """Add a sign-in; every resident, enterprise and community it names must exist.

    `password` None: no password yet (she signs in with a one-time code and chooses a PIN: usecases.sign_ins).
    Raises Conflict for a username already taken, Rejected (naming the field) for an unknown role or record.
    """
    _check_sign_in(session, username=username, role=role, resident_id=resident_id, enterprise_id=enterprise_id,
                   community_ids=community_ids or [])
    user = User(username=username, password_hash=hash_password(password) if password else "", role=role,
                display_name=display_name, resident_id=resident_id, enterprise_id=enterprise_id,
                community_ids=community_ids or [])
    session.add(user)
    return user


def _check_sign_in(session: Session, *, username: str, role: str, resident_id: str | None,
                   enterprise_id: str | None, community_ids: list[str]) -> None:
    if role not in ("city", "coordinator", "enterprise", "resident"):
        raise Rejected("role", f"没有这个角色「{role}」：只能是 city（城市管理员）、coordinator（社区工作者）、"
                               f"enterprise（企业）或 resident（居民） / "
                               f"unknown role {role!r}: city, coordinator, enterprise or resident")
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise Conflict("username", f"用户名已存在 (username already taken): {username}")
    needed = {"resident": ("resident_id", resident_id), "enterprise": ("enterprise_id", enterprise_id)}.get(role)
    if needed is not None and not needed[1]:
        raise Rejected(needed[0], f"这种账号（{role}）须填写 {needed[0]} / a {role} sign-in needs {needed[0]}")
    if resident_id is not None and session.get(Resident, resident_id) is None:
        raise Rejected("resident_id", f"no such resident: {resident_id}")
    if enterprise_id is not None and session.get(Enterprise, enterprise_id) is None:
        raise Rejected("enterprise_id", f"no such enterprise: {enterprise_id}")
    for community_id in community_ids:
        if session.get(Community, community_id) is None:
            raise Rejected("community_ids", f"no such community: {community_id}")
