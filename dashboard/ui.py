"""What every page shares: who is signed in, the language, messages as sentences, and the phone layout."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from dashboard import data, session_cookie
from dashboard.format import md
from dashboard.i18n import STRINGS, translate
from store.db import reading
from usecases.actors import Actor, Role
from usecases.auth import actor_from_token, actor_of, revoke_token, sign_in, verify_token
from usecases.errors import Conflict, Forbidden, NotFound, Rejected, Unauthorized
from usecases.reasons import localize
from usecases.throttle import client_of

log = logging.getLogger(__name__)
ACTOR, TOKEN, LANG, FLASH = "actor", "token", "lang", "flash"
# The signed token is kept in a cookie (dashboard/session_cookie.py), never in the address, so a reload, a new tab
# or a dropped connection keeps the person signed in until the token expires (TOKEN_MINUTES, a working day), and a
# link copied from the page or a screenshot of its address signs nobody in.
COOKIE_WRITE, SIGNED_OUT = "cookie_write", "signed_out"
OLD_TOKEN_PARAM = "s"  # where the token used to ride (?s=…): taken out of an old bookmark's address, never read
REFRESH_S = 5
# A metric's value is a markdown paragraph too: the paragraph rule drew her income as small as its label (390 px
# trial), so the value's own rule names its paragraph and, more specific, wins.
PHONE_CSS = """<style>
.block-container {max-width: 640px; padding: 1rem 0.75rem;}
html, body, [data-testid='stMarkdownContainer'] p {font-size: 1.2rem;}
[data-testid='stMetricValue'], [data-testid='stMetricValue'] [data-testid='stMarkdownContainer'] p {font-size: 2rem;}
button p {font-size: 1.2rem !important;}
</style>"""


def lang() -> str:
    return str(st.session_state.get(LANG, "zh"))


def t(key: str, **values: Any) -> str:
    return translate(key, lang(), **values)


def current_actor() -> Actor | None:
    actor = st.session_state.get(ACTOR)
    return actor if isinstance(actor, Actor) else None


def require_role(*roles: Role) -> Actor:
    """The signed-in person if their role may open this page; otherwise a sentence, and the page stops."""
    actor = current_actor()
    if actor is None:
        st.warning(t("auth.sign_in_first"))
        st.stop()
    if actor.role not in roles:
        st.error(t("auth.not_for_role"))
        st.stop()
    return actor


def sign_in_as(username: str, password: str) -> Actor:
    """Check the password, PIN or one-time code (sign_in commits a failed try, which counts towards the throttle,
    before raising it); keep the token in the session, and have the next run store it in the browser's cookie
    (keep_cookie), so a reload or a new tab keeps her signed in."""
    # The throttle keys on (account, client): the browser's address (behind a trusted proxy, the one it forwards),
    # not one shared client for everyone.
    address = st.context.ip_address  # None for a local connection (and not a str under AppTest)
    client = client_of(address if isinstance(address, str) else None, st.context.headers.get("X-Forwarded-For"),
                       data.settings().forwarded_allow_ips)
    token, user = sign_in(data.engine(), username, password, settings=data.settings(), now=data.now(), client=client)
    actor = actor_of(user)
    st.session_state[ACTOR], st.session_state[TOKEN] = actor, token
    st.session_state[COOKIE_WRITE] = token
    st.session_state.pop(SIGNED_OUT, None)
    return actor


def still_signed_in() -> bool:
    """Whether someone is signed in: by the token of this session, else (when the session has just started: a reload,
    a new tab) by the one in the browser's cookie. An expired or refused token signs the person out.

    The cookie is what the browser sent when the session started (st.context.cookies does not change after that), so
    once she signed out in this session it is not read again: it would sign her straight back in.
    """
    st.query_params.pop(OLD_TOKEN_PARAM, None)
    token = st.session_state.get(TOKEN)
    if not token and not st.session_state.get(SIGNED_OUT):
        token = session_cookie.token_from(st.context.cookies)
    if not token:
        return current_actor() is not None  # signed in by a test harness, not by password
    try:
        with reading(data.engine()) as session:
            st.session_state[ACTOR] = actor_from_token(session, token, settings=data.settings())
        st.session_state[TOKEN] = token
        return True
    except Unauthorized:
        sign_out()
        return False


def sign_out() -> None:
    """Forget the person in this session, have this and every later run delete the browser's cookie, and sign the
    session's token out on the server (refused from now on, wherever it was copied to).

    The session forgets her first: when the database cannot record the sign-out (locked past its timeout, or
    unreachable) she is still signed out on this phone (the token then lives until it expires, as before tokens could
    be revoked), and that is logged; it raised into the page before, leaving her signed in on a shared phone.
    """
    token = st.session_state.get(TOKEN)
    for key in (ACTOR, TOKEN, COOKIE_WRITE):
        st.session_state.pop(key, None)
    st.session_state[SIGNED_OUT] = True
    if token:
        try:
            revoke_token(data.engine(), token, settings=data.settings(), now=data.now())
        except Exception:  # the database's error, whatever it is: she is signed out here all the same
            log.exception("sign-out not recorded on the server; the token lives until it expires")


def keep_cookie() -> None:
    """Write the browser's sign-in cookie in the run after she signed in, for the token's remaining life; delete it in
    each run after a sign-out or a refused token (deleting twice is harmless). A script in the sidebar does it."""
    token = st.session_state.pop(COOKIE_WRITE, None)
    if token:
        try:
            left_s = verify_token(token, settings=data.settings()).expires_at - data.now().timestamp()
        except Unauthorized:
            left_s = 0  # expired already: the next run refuses it and signs her out
        script = session_cookie.write_script(token, max_age_s=int(left_s))
    elif st.session_state.get(SIGNED_OUT):
        script = session_cookie.delete_script()
    else:
        return
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)


def field_name(field: str) -> str:
    """A command field as the form labels it: 'piece_rate_yuan' → '计件单价' (i18n 'field.*'); unknown ones as given."""
    return t(f"field.{field}") if f"field.{field}" in STRINGS else field


def explain(problem: Exception) -> str:
    """A refusal as one sentence in the reader's language; anything unexpected is logged, never shown raw."""
    if isinstance(problem, Rejected):  # the reason's own half in the reader's language (usecases.reasons)
        reason = localize(problem.reason, "en" if lang() == "en" else "zh")
    if isinstance(problem, Forbidden):
        return t("err.forbidden", field=problem.field, reason=reason)
    if isinstance(problem, Unauthorized):
        return t("err.unauthorized", reason=reason)
    if isinstance(problem, NotFound):  # the field as its form labels it, like a refusal (never 「lot_id」)
        return t("err.not_found", field=field_name(problem.field))
    if isinstance(problem, Conflict):
        return t("err.conflict", reason=reason)
    if isinstance(problem, Rejected):
        return t("err.rejected", field=field_name(problem.field), reason=reason)
    log.exception("dashboard error", exc_info=problem)
    return t("err.unexpected")


@contextmanager
def guarded() -> Iterator[None]:
    """Show any error inside as a sentence, never a traceback."""
    try:
        yield
    except ScriptControlException:
        raise  # st.stop() and st.rerun() are not errors
    except Exception as problem:  # the point is to never show a traceback
        st.error(md(explain(problem)))  # a refusal may quote what was typed


def perform(use_case: Callable[..., Any], *args: Any, done: str | Callable[[Any], str], where: str | None = None,
            **kwargs: Any) -> bool:
    """Run an action as the signed-in person; the outcome is kept for the next run to show.

    `done` is the success sentence, or a function of the use case's result giving it. With `where`, the outcome is
    shown by show_flash(where) next to the action that caused it, not at the top of the page.
    """
    slot = flash_key(where)
    actor = current_actor()
    if actor is None:
        st.session_state[slot] = ("error", t("auth.sign_in_first"))
        return False
    try:
        result = data.act(use_case, *args, actor=actor, **kwargs)
    except Exception as problem:
        st.session_state[slot] = ("error", explain(problem))
        return False
    st.session_state[slot] = ("success", done(result) if callable(done) else done)
    return True


def flash_key(where: str | None = None) -> str:
    return FLASH if where is None else f"{FLASH}:{where}"


def say(where: str | None, kind: str, text: str) -> None:
    """Keep a sentence for show_flash(where) (e.g. a refusal found before the use case was called)."""
    st.session_state[flash_key(where)] = (kind, text)


def show_flash(where: str | None = None) -> None:
    kind, text = st.session_state.pop(flash_key(where), (None, None))
    if kind == "success":
        st.success(md(text), icon=":material/check_circle:")  # names in it
    elif kind == "error":
        st.error(md(text), icon=":material/error:")


def phone_layout() -> None:
    """Large type and one narrow column, for residents on a phone (works at 360 px)."""
    st.markdown(PHONE_CSS, unsafe_allow_html=True)
