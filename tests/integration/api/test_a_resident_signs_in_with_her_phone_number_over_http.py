"""Issue 16 over HTTP (SQLite and PostgreSQL): a resident signs in with her mobile number, typed any way a phone
types it (spaces, +86, full-width digits), even when her sign-in is named by an internal id (comm-001-r001); that
username still works. Unknown phone, unknown username and wrong password are refused alike, and guesses through
her phone and through her username count on one account in the throttle. A used code's refusal says what to do
next, in Chinese and in English, the same whatever the cause."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlmodel import select

from store.db import reading, transaction
from store.tables import Resident, SignInThrottle, User
from tests.integration.api.test_a_residents_sign_in_code_works_once_over_http import PIN, TOKEN, USED, Desk, bearer
from usecases.throttle import FREE_FAILURES

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.fixture
def desk(city_api: FastAPI) -> Desk:
    """coord1 at her desk over the one-community city (SQLite and PostgreSQL: city_api)."""
    return Desk(city_api)


def internal_resident(desk: Desk) -> tuple[str, str, str]:
    """A resident whose sign-in is named by her resident id, not her phone: (resident id, username, phone)."""
    desk.register("comm-001-new5", "13812345670")
    desk.print_code("comm-001-new5")
    with transaction(desk.app.state.engine) as s:  # as the demo and older sign-ins name her
        s.execute(update(User).where(User.resident_id == "comm-001-new5")  # type: ignore[arg-type]
                  .values(username="comm-001-new5"))
    with reading(desk.app.state.engine) as s:
        phone = s.exec(select(Resident.phone).where(Resident.id == "comm-001-new5")).one()
    assert phone == "13812345670"
    return "comm-001-new5", "comm-001-new5", phone


def test_her_phone_in_any_spelling_signs_her_in_and_her_old_username_still_works(desk: Desk) -> None:
    rid, username, phone = internal_resident(desk)
    slip = desk.print_code(rid)
    assert (slip["phone"], slip["username"]) == (phone, username), "the slip names her phone"
    typed = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}".translate(FULL_WIDTH)
    first = desk.phone(1).post(TOKEN, json={"username": typed, "password": slip["code"]})
    assert first.status_code == 200, first.text
    assert (first.json()["username"], first.json()["needs_pin"]) == (username, True)
    assert desk.phone(1).post(PIN, headers=bearer(first), json={"pin": "480213"}).status_code == 200
    for who in (phone, f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", "0086" + phone, username):
        reply = desk.phone(2).post(TOKEN, json={"username": who, "password": "480213"})
        assert reply.status_code == 200 and reply.json()["username"] == username, (who, reply.text)


def test_unknown_phone_unknown_username_and_wrong_pin_are_refused_alike(desk: Desk) -> None:
    _, username, phone = internal_resident(desk)
    code = desk.print_code("comm-001-new5")["code"]
    assert desk.phone(1).post(TOKEN, json={"username": phone, "password": code}).status_code == 200
    first = desk.phone(1).post(TOKEN, json={"username": username, "password": code})
    assert first.status_code == 401, "the code was used: it does not work again"
    refusals = [desk.phone(n).post(TOKEN, json={"username": who, "password": "480231"}) for n, who in (
        (3, phone), (4, "13700000000"), (5, "no-such-user"), (6, username), (7, "+86 137 0000 0001"))]
    assert {(r.status_code, str(r.json())) for r in refusals} == {
        (401, str({"detail": [{"field": "password", "reason": "用户名或密码错误"}]}))}
    coded = [desk.phone(n).post(TOKEN, json={"username": who, "password": code}) for n, who in (
        (8, phone), (9, "13700000000"), (10, "no-such-user"))]
    assert [(r.status_code, r.json()) for r in coded] == [(401, USED)] * 3, "a used code: no account revealed"


def test_a_used_codes_refusal_says_what_to_do_next_in_english_too(desk: Desk) -> None:
    _, _, phone = internal_resident(desk)
    code = desk.print_code("comm-001-new5")["code"]
    assert desk.phone(1).post(TOKEN, json={"username": phone, "password": code}).status_code == 200
    again = desk.phone(2).post(TOKEN, json={"username": phone, "password": code},
                               headers={"Accept-Language": "en"})
    unknown = desk.phone(3).post(TOKEN, json={"username": "13700000000", "password": code},
                                 headers={"Accept-Language": "en"})
    assert again.status_code == unknown.status_code == 401 and again.json() == unknown.json()
    assert again.json()["detail"][0]["reason"] == (
        "sign-in code invalid or already used. If you used the code but have not chosen a PIN yet, "
        "ask your community worker to print a new sign-in slip")


def test_guesses_through_her_phone_and_her_username_count_as_one_account(desk: Desk) -> None:
    _, username, phone = internal_resident(desk)
    guesser = desk.phone(11)
    spellings = [phone, "+86" + phone, phone.translate(FULL_WIDTH), f"{phone[:3]} {phone[3:7]} {phone[7:]}"]
    for who in spellings[:FREE_FAILURES]:
        assert guesser.post(TOKEN, json={"username": who, "password": "000000"}).status_code == 401
    assert guesser.post(TOKEN, json={"username": username, "password": "000001"}).status_code == 401
    blocked = guesser.post(TOKEN, json={"username": spellings[-1], "password": "000002"})
    assert blocked.status_code == 429 and blocked.headers.get("retry-after"), blocked.text
    with reading(desk.app.state.engine) as s:  # the throttle's rows name her account, not each spelling
        rows = s.exec(select(SignInThrottle.username).where(SignInThrottle.client == "203.0.113.11")).all()
    assert rows == [username]
