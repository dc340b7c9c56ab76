"""A resident signs in with her mobile number; when that fails the sentence names 手机号 (not 用户名, which she never
typed), says why and what to do, and reads the same whether or not the number has a sign-in (new-user trial)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from store.db import reading
from store.tables import Resident, SignInThrottle
from tests.integration.dashboard.test_sign_in_opens_each_role_s_own_pages import sign_in

WRONG_PHONE = ("登录失败：手机号或密码不对。请核对手机号和密码；第一次登录，密码填登录单上的登录码；"
               "忘了密码，请找社区工作者重新打印登录单。")


def her_phone(world) -> str:  # noqa: ANN001
    with reading(world.engine) as s:
        phone = s.get(Resident, world.worker).phone
    assert phone
    return phone


def test_a_wrong_password_with_her_phone_names_the_phone_and_is_counted(world, open_page) -> None:
    phone = her_phone(world)
    at = sign_in(open_page, f"{phone[:3]} {phone[3:7]} {phone[7:]}", "wrong-pass-9")  # as she may type it
    assert not at.exception and "actor" not in at.session_state
    assert [e.value for e in at.error] == [WRONG_PHONE]
    with reading(world.engine) as s:
        assert s.exec(select(SignInThrottle).where(SignInThrottle.username == world.worker)).one().failures == 1


def test_a_phone_without_a_sign_in_reads_exactly_the_same(world, open_page) -> None:
    with reading(world.engine) as s:
        taken = {r.phone for r in s.exec(select(Resident)) if r.phone}
    unknown = next(p for p in (f"139{n:08d}" for n in range(1000)) if p not in taken)
    assert [e.value for e in sign_in(open_page, unknown, "wrong-pass-9").error] == [WRONG_PHONE]


def test_what_cannot_be_a_phone_number_is_told_why(world, open_page) -> None:
    at = sign_in(open_page, "1380013", "wrong-pass-9")
    assert [e.value for e in at.error] == ["登录失败：不是有效的手机号码：「1380013」，应为 13–19 开头的 11 位数字"]


@pytest.mark.parametrize("username", ["coord1", "nobody-here"])
def test_staff_usernames_keep_the_username_sentence(world, open_page, username: str) -> None:
    assert [e.value for e in sign_in(open_page, username, "wrong-password").error] == ["登录失败：用户名或密码错误"]


def test_in_english_she_is_told_the_same_in_english(world, open_page) -> None:
    at = open_page("Home.py", None, lang="en")
    at.text_input(key="username").input(her_phone(world))
    at.text_input(key="password").input("wrong-pass-9")
    at = at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    assert [e.value for e in at.error] == [
        "Sign-in failed: wrong mobile number or password. Check both; the first time, the password is the code on "
        "your sign-in slip; if you forgot your PIN, ask your community worker for a new slip."]


def test_a_control_character_is_refused_naming_the_field_as_the_form_labels_it(world, open_page) -> None:
    at = sign_in(open_page, "138\x000000000", "wrong-pass-9")  # pasted from a message with a stray NUL
    assert not at.exception and "actor" not in at.session_state
    [error] = [e.value for e in at.error]
    assert "「手机号（或用户名）」" in error and "username" not in error and "控制字符" in error
