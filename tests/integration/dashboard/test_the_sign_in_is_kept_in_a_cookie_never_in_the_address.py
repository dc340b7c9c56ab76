"""A signed-in person's session token is kept in a cookie, never in the page address: a link copied from the page, a
screenshot of its address bar or the browser history of a shared family phone must not sign anyone in as her. A new
session (a reload, a new tab) started with the cookie is signed in; signing out, and a token the server refuses,
delete the cookie; a token in the address is neither accepted nor left there."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from bench.dashboard_world import World
from dashboard import session_cookie, ui
from usecases.auth import ALGORITHM, verify_token

HOME = Path(__file__).resolve().parents[3] / "dashboard" / "Home.py"
BOARD = ["社区工作台"]
SIGN_IN_FORM = ["手机号（工作人员填用户名）", "密码"]


def sign_in(open_page, username: str = "coord1", password: str = "demo-pass-1") -> AppTest:  # noqa: ANN001
    at = open_page("Home.py", None)
    at.text_input(key="username").input(username)
    at.text_input(key="password").input(password)
    return at.button(key="FormSubmitter:sign_in-登录").click().run()


def scripts(at: AppTest) -> str:
    """The page scripts (st.html with JavaScript) of the last run, one after the other."""
    return "\n".join(h.proto.body for h in at.get("html") if h.proto.unsafe_allow_javascript)


def cookie_written(at: AppTest) -> str:
    """The cookie the last run's script stores: 'name=value; attributes'."""
    found = re.findall(rf'document\.cookie = "({session_cookie.NAME}=[^"]*)"', scripts(at))
    assert len(found) == 1, scripts(at)
    return str(found[0])


def test_signing_in_stores_the_token_in_a_cookie_for_no_longer_than_it_lives(world: World, open_page) -> None:  # noqa: ANN001
    at = sign_in(open_page)
    assert not at.exception and [t.value for t in at.title] == BOARD
    token = at.session_state["token"]
    assert at.query_params == {}, "nothing in the address"
    cookie = cookie_written(at)
    assert cookie.startswith(f"{session_cookie.NAME}={token};")
    max_age = int(re.findall(r"Max-Age=(\d+)", cookie)[0])
    assert 0 < max_age <= world.settings.token_minutes * 60
    assert "; Path=/" in cookie and "; SameSite=Strict" in cookie
    assert "location.protocol === 'https:' ? '; Secure'" in scripts(at), "Secure when served over https"
    assert session_cookie.NAME not in scripts(at.run()), "written once, not on every run"


def test_a_new_session_with_the_cookie_is_signed_in(world: World, open_page, browser_cookies: dict[str, str]) -> None:  # noqa: ANN001
    token = sign_in(open_page).session_state["token"]
    browser_cookies[session_cookie.NAME] = token  # a reload, or the page's address opened in a new tab
    again = open_page("Home.py", None)
    assert not again.exception and [t.value for t in again.title] == BOARD
    assert again.session_state["actor"].username == "coord1"
    assert again.query_params == {}
    assert session_cookie.NAME not in scripts(again), "it has the cookie already"


def test_signing_out_deletes_the_cookie_and_the_session_stays_signed_out(world: World, open_page,  # noqa: ANN001
                                                                         browser_cookies: dict[str, str]) -> None:
    browser_cookies[session_cookie.NAME] = sign_in(open_page).session_state["token"]
    at = open_page("Home.py", None)
    assert [t.value for t in at.title] == BOARD
    at = at.button(key="sign_out").click().run()
    assert "actor" not in at.session_state
    # The runs after in the same session (each runs Home.py, whose navigation now holds only the signed-out pages, as
    # a browser's would): the session began with the cookie, and st.context.cookies keeps what the handshake sent, but
    # it must not sign her back in; the page deletes the cookie, on every run.
    for run in (at.run(), at.run()):
        assert "actor" not in run.session_state and [x.label for x in run.text_input] == SIGN_IN_FORM
        assert cookie_written(run) == f"{session_cookie.NAME}=; Path=/; Max-Age=0; SameSite=Strict"


def test_a_signed_out_token_copied_elsewhere_signs_nobody_in(world: World, open_page,  # noqa: ANN001
                                                              browser_cookies: dict[str, str]) -> None:
    """Signing out stops the token on the server too (usecases.auth.revoke_token): a copy of the cookie taken before
    (another browser, a script, a shared phone's other profile) no longer signs her in, though it has not expired."""
    at = sign_in(open_page)
    token = at.session_state["token"]
    at.button(key="sign_out").click().run()
    browser_cookies[session_cookie.NAME] = token
    copy = open_page("Home.py", None)
    assert not copy.exception and "actor" not in copy.session_state
    assert [x.label for x in copy.text_input] == SIGN_IN_FORM
    assert cookie_written(copy).endswith("=; Path=/; Max-Age=0; SameSite=Strict"), "deleted there too"


def test_a_refused_token_in_the_cookie_signs_nobody_in_and_deletes_it(world: World, open_page,  # noqa: ANN001
                                                                      browser_cookies: dict[str, str]) -> None:
    token = sign_in(open_page).session_state["token"]
    claims = verify_token(token, settings=world.settings)
    expired = jwt.encode({"sub": claims.username, "role": "coordinator", "iat": int(claims.issued_at) - 60_000,
                          "exp": int(claims.issued_at) - 1}, world.settings.secret_key, algorithm=ALGORITHM)
    forged = jwt.encode({"sub": "city", "role": "city", "iat": int(claims.issued_at),
                         "exp": int(claims.issued_at + timedelta(hours=1).total_seconds())},
                        "a key of 32 bytes or more, not the server's", algorithm=ALGORITHM)
    for refused in (expired, forged, "garbage"):
        browser_cookies[session_cookie.NAME] = refused
        at = open_page("Home.py", None)
        assert not at.exception and "actor" not in at.session_state, refused
        assert [x.label for x in at.text_input] == SIGN_IN_FORM
        assert cookie_written(at).endswith("=; Path=/; Max-Age=0; SameSite=Strict"), "deleted"


def test_a_token_in_the_address_is_not_accepted_and_is_taken_out(world: World, open_page) -> None:  # noqa: ANN001
    """An address saved before the token left it (?s=<token>, a bookmark or a link in a group chat)."""
    token = sign_in(open_page).session_state["token"]
    at = AppTest.from_file(str(HOME), default_timeout=60)
    at.query_params["s"] = token
    at.session_state["lang"] = "zh"
    at = at.run()
    assert not at.exception and "actor" not in at.session_state
    assert [x.label for x in at.text_input] == SIGN_IN_FORM
    assert token not in str(at.query_params) and "s" not in at.query_params


def test_signing_out_while_the_database_cannot_record_it_still_signs_her_out_here(
        world: World, open_page, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """The database refusing the sign-out's write (locked past its timeout, or unreachable) raised into the page: an
    error instead of the sign-in form, and she stayed signed in on a shared phone. She is signed out here, the cookie
    deleted; the token then lives until it expires (as before tokens could be revoked)."""
    at = sign_in(open_page)

    def database_down(*_args: object, **_kwargs: object) -> bool:
        raise OperationalError("INSERT INTO revoked_token", {}, Exception("database is locked"))

    monkeypatch.setattr(ui, "revoke_token", database_down)
    at = at.button(key="sign_out").click().run()
    assert not at.exception
    assert "actor" not in at.session_state and "token" not in at.session_state
    home = at.run()  # the sign-in form, at the board's address (Home.py's signed-out pages)
    assert not home.exception and [x.label for x in home.text_input] == SIGN_IN_FORM
    assert cookie_written(home) == f"{session_cookie.NAME}=; Path=/; Max-Age=0; SameSite=Strict"
