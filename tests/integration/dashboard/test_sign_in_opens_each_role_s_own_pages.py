"""Signing in with a password opens each role's own first page; a wrong password is a sentence and counts."""

from __future__ import annotations

import pytest
from sqlmodel import select

from store.db import reading
from store.tables import Resident, SignInThrottle


def sign_in(open_page, username: str, password: str = "demo-pass-1"):  # noqa: ANN001, ANN201
    at = open_page("Home.py", None)
    at.text_input(key="username").input(username)
    at.text_input(key="password").input(password)
    return at.button(key="FormSubmitter:sign_in-登录").click().run()


@pytest.mark.parametrize(("username", "role", "title"), [
    ("city", "city", "全区概览"),
    ("coord1", "coordinator", "社区工作台"),
    ("ent1", "enterprise", "企业订单"),
    ("comm-001-r001", "resident", "{name}，你好"),
])
def test_each_role_lands_on_its_own_page(world, open_page, username: str, role: str, title: str) -> None:
    at = sign_in(open_page, username)
    assert not at.exception and not at.error
    assert at.session_state["actor"].role == role
    if role == "resident":
        with reading(world.engine) as s:
            title = title.format(name=s.get(Resident, username).name)
    assert [t.value for t in at.title] == [title]


def test_a_wrong_password_is_refused_in_words_and_counted(world, open_page) -> None:
    at = sign_in(open_page, "coord1", "wrong-password")
    assert not at.exception
    assert [e.value for e in at.error] == ["登录失败：用户名或密码错误"]
    with reading(world.engine) as s:
        assert s.exec(select(SignInThrottle).where(SignInThrottle.username == "coord1")).one().failures == 1
    assert "actor" not in at.session_state


def test_signing_out_returns_to_the_sign_in_form(world, open_page) -> None:
    at = sign_in(open_page, "coord1")
    at.button(key="sign_out").click().run()
    assert "actor" not in at.session_state
    # The board is gone; the page asks to sign in again, at the board's own address (Home.py gives every page's
    # address the sign-in form when signed out), with the public figures under the form.
    assert not [m.label for m in at.metric if m.label not in ("微工厂/站点", "本月在岗居民", "合格件数", "计件收入")]
    assert [w.value for w in at.warning] == ["请先登录。"] or [t.label for t in at.text_input] == [
        "手机号（工作人员填用户名）", "密码"]


@pytest.mark.parametrize("username", ["comm-001-r001", "coord1", "ent1", "city"])
def test_every_page_ends_with_who_is_signed_in_and_a_sign_out_button(world, open_page, username: str) -> None:
    """Not only in the sidebar, which a phone folds behind an unlabelled icon: a resident on a shared phone must find
    退出登录 at the foot of her page (new-user trial at 390 px)."""
    at = sign_in(open_page, username)
    foot = at.main.button(key="sign_out_foot")
    assert foot.label == "退出登录"
    role = {"resident": "居民", "coordinator": "社区工作者", "enterprise": "合作企业", "city": "区人社局"}[
        at.session_state["actor"].role]
    assert at.main.caption[-1].value.endswith(f"（{role}）")  # whose page this is, beside the button
    foot.click().run()
    assert "actor" not in at.session_state
    # AppTest runs the role's page file again after the click (a browser runs Home.py): it asks for a sign-in.
    assert [w.value for w in at.warning] == ["请先登录。"] or [t.label for t in at.text_input] == [
        "手机号（工作人员填用户名）", "密码"]
