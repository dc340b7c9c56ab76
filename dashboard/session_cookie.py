"""The browser's sign-in cookie: where a signed-in person's session token is kept between page loads.

The token used to ride in the page address (?s=…), and so in the browser history, in screenshots of the address bar
and in every link copied from the page; on a family's shared phone anyone with that link was signed in as her and saw
her pay (personal data). It now lives in a cookie, which a page address never shows:

- written by a script in the page (Streamlit answers over its websocket, so no HTTP response of ours can set it) when
  she signs in, for no longer than the token itself lives;
- read by the server from the websocket handshake (st.context.cookies), i.e. when a session starts: a reload or a
  new tab of the same browser finds her signed in;
- deleted by a script when she signs out and when the server refuses the token (expired, or replaced by a new code).

Path=/ and SameSite=Strict (a page of another site cannot open a session with it), Secure when the page is served
over https. Not HttpOnly: only a script can write it here, and the page runs no script but ours.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

NAME = "microfactory_session"
# What a signed token (JWT, base64url parts joined by dots) can hold: all of it is safe in a cookie value and inside
# a JavaScript string, so nothing needs escaping; anything else is never written.
_TOKEN = re.compile(r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+){2}$")
# `Secure` is added by the page itself, which knows whether it was served over https (behind a proxy too).
_WRITE = ("<script>(() => {{ const secure = location.protocol === 'https:' ? '; Secure' : '';"
          " document.cookie = {cookie} + secure; }})();</script>")


def token_from(cookies: Mapping[str, str]) -> str | None:
    """The session token in a browser's cookies (name → value, as the handshake sent them), or None if there is none.
    Whatever it holds is checked like any token (usecases.auth.verify_token), and refused if it is not one."""
    return cookies.get(NAME) or None


def attributes(max_age_s: int) -> str:
    """The cookie's attributes after its value: '; Path=/; Max-Age=<seconds>; SameSite=Strict' (Max-Age 0 deletes)."""
    return f"; Path=/; Max-Age={max(0, int(max_age_s))}; SameSite=Strict"


def write_script(token: str, *, max_age_s: int) -> str:
    """An HTML <script> that stores `token` in the cookie for `max_age_s` seconds (at most the token's remaining
    life). Raises ValueError for a value not shaped like a token (it would go into a script)."""
    if not _TOKEN.match(token):
        raise ValueError("not a session token")
    return _WRITE.format(cookie=json.dumps(f"{NAME}={token}{attributes(max_age_s)}"))


def delete_script() -> str:
    """An HTML <script> that deletes the cookie (same name and path, Max-Age=0)."""
    return _WRITE.format(cookie=json.dumps(f"{NAME}={attributes(0)}"))
