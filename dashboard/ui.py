"""What every page shares: who is signed in, the language, messages as sentences, and the phone layout."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from pydantic import BaseModel
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from dashboard import data, session_cookie
from dashboard.format import md
from dashboard.i18n import STRINGS, translate
from store.db import reading
from usecases import receipts
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


# A double tap's second tap comes within this many seconds of the first's answer (ui.perform, ui.repeat_of_last).
REPEAT_WINDOW_S = 3.0
LAST_DONE = "_last_done"  # the last form entry done: where, what (use case and arguments), its values, said, at


def perform(use_case: Callable[..., Any], *args: Any, done: str | Callable[[Any], str], where: str | None = None,
            **kwargs: Any) -> bool:
    """Run an action as the signed-in person; the outcome is kept for the next run to show.

    `done` is the success sentence, or a function of the use case's result giving it. With `where`, the outcome is
    shown by show_flash(where) next to the action that caused it, not at the top of the page.

    A form entry's command (one carrying an entry reference, dashboard.ui.entry_reference) that repeats the last
    one done at the same place within REPEAT_WINDOW_S seconds is most likely the second tap of a double tap that
    landed on the form the first tap redrew (an attacker's two taps 150 ms apart handed in 10 pieces twice). It is
    not recorded; the person is told the first was recorded once and that submitting again records another — so a
    real second bag of 10 is one more tap away, never silently dropped. Actions without an entry reference (a
    payout's bank reference is its own key; two redemptions at the counter are two) are never held back.
    """
    slot = flash_key(where)
    actor = current_actor()
    if actor is None:
        st.session_state[slot] = ("error", t("auth.sign_in_first"))
        return False
    keyed = receipts.reference_of(args) is not None
    what = _what(use_case, args)
    if keyed and _held_back(where, lambda last: last["what"] == what):
        return False  # not done: the form keeps what was typed and its reference, for the tap that means it
    try:
        result = data.act(use_case, *args, actor=actor, **kwargs)
    except Exception as problem:
        st.session_state[slot] = ("error", explain(problem))
        return False
    said = done(result) if callable(done) else done
    st.session_state[slot] = ("success", said)
    if keyed:
        st.session_state[LAST_DONE] = {"where": where, "what": what, "values": _values(args), "said": said,
                                       "at": time.monotonic(), "warned": False}
    return True


def repeat_of_last(where: str | None, use_case: Callable[..., Any], *subject: str) -> bool:
    """Whether a tap on a form at `where` that its last entry emptied is the second tap of a double tap: within
    REPEAT_WINDOW_S seconds of that entry, the same use case, about the same `subject` (the resident's and the lot's
    ids, say: another resident's empty form is not a repeat). Then the person is told as perform() tells."""
    name = f"{use_case.__module__}.{use_case.__qualname__}:"
    return _held_back(where, lambda last: last["what"].startswith(name) and set(subject) <= last["values"])


def _held_back(where: str | None, same: Callable[[dict[str, Any]], bool]) -> bool:
    last = st.session_state.get(LAST_DONE)
    if (last is None or last["where"] != where or last["warned"] or not same(last)
            or time.monotonic() - last["at"] >= REPEAT_WINDOW_S):
        return False
    last["warned"] = True  # a third tap records: it was asked for after the warning
    st.session_state[flash_key(where)] = ("warning", t("ui.repeat", done=last["said"]))
    return True


def _what(use_case: Callable[..., Any], args: tuple[Any, ...]) -> str:
    """The action as the use case and its arguments, a command's entry reference left out (usecases.receipts)."""
    return f"{use_case.__module__}.{use_case.__qualname__}:{receipts.fields_of(args)}"


def _values(args: tuple[Any, ...]) -> set[str]:
    """The text values among the arguments and their commands' fields (ids a form's subject is told by)."""
    found = {a for a in args if isinstance(a, str)}
    for a in args:
        if isinstance(a, BaseModel):
            found |= {v for v in a.model_dump().values() if isinstance(v, str)}
    return found


def entry_reference(form: str) -> str:
    """The reference (usecases.receipts: the idempotency key) of the entry being made in `form`: 'dash-' + 32 hex
    digits, minted when the form is first drawn and kept in st.session_state[f"{form}_reference"] until the entry
    is recorded (spend_reference).

    The form's button is keyed by it (entry_key) and passes it to its callback. A second tap that reaches the
    server before the page redrew runs the same callback with the same reference: the use case answers with what
    the first tap recorded. One that arrives after the success redrew the form finds no button of its key: nothing
    runs. Either way one tap's work is recorded once.
    """
    slot = f"{form}_reference"
    if not st.session_state.get(slot):
        st.session_state[slot] = f"dash-{uuid.uuid4().hex}"
    return str(st.session_state[slot])


def entry_key(form: str, name: str) -> str:
    """A widget key that changes with the form's entry reference, e.g. 'inspect_go-dash-3f…'."""
    return f"{name}-{entry_reference(form)}"


def spend_reference(form: str) -> None:
    """The entry was recorded: the next one in `form` gets a fresh reference (and a button of another key)."""
    st.session_state.pop(f"{form}_reference", None)


def flash_key(where: str | None = None) -> str:
    return FLASH if where is None else f"{FLASH}:{where}"


def say(where: str | None, kind: str, text: str) -> None:
    """Keep a sentence for show_flash(where) (e.g. a refusal found before the use case was called)."""
    st.session_state[flash_key(where)] = (kind, text)


def show_flash(where: str | None = None) -> None:
    kind, text = st.session_state.pop(flash_key(where), (None, None))
    if kind == "success":
        st.success(md(text), icon=":material/check_circle:")  # names in it
    elif kind == "warning":
        st.warning(md(text), icon=":material/info:")
    elif kind == "error":
        st.error(md(text), icon=":material/error:")


def phone_layout() -> None:
    """Large type and one narrow column, for residents on a phone (works at 360 px)."""
    st.markdown(PHONE_CSS, unsafe_allow_html=True)
