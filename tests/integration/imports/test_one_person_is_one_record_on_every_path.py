"""One person, one record: the same ID or phone typed differently on the API and in a spreadsheet is one resident."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from lots_world import LotsWorld, sign_in
from sqlmodel import func, select

from services.api.app import create_app
from store.db import reading
from store.tables import Resident

ID_ASCII = "11010519491231002X"  # GB 11643's own example of a valid number
ID_FULL_WIDTH = "１１０１０５ １９４９１２３１ ００２ｘ"  # as a phone's input method types it, with spaces
HEADER = "name,phone,id_number,community_id,work_mode,skills,availability,reachable_sites,priority_group\n"


@pytest.fixture
def client(world: LotsWorld) -> TestClient:
    world.community("im")
    world.community("other")
    return TestClient(create_app(world.settings))


def _register(client: TestClient, resident_id: str, user: str = "coord-im", community: str = "im",
              **person: Any) -> Any:
    body = {"resident_id": resident_id, "community_id": community, "name": "王秀英", **person}
    return client.post("/api/v1/residents", json=body, headers=sign_in(client, user))


def _problem(reply: Any) -> tuple[str, str]:
    [problem] = reply.json()["detail"]
    return problem["field"], problem["reason"]


def _residents(world: LotsWorld) -> int:
    with reading(world.engine) as session:
        return int(session.exec(select(func.count()).select_from(Resident)).one())


def test_full_width_id_and_formatted_phone_are_stored_in_one_canonical_form(world: LotsWorld,
                                                                            client: TestClient) -> None:
    reply = _register(client, "wang", id_number=ID_FULL_WIDTH, phone="+86 138-1234-5678")
    assert reply.status_code == 201, reply.text
    with reading(world.engine) as session:
        wang = session.get(Resident, "wang")
    assert wang is not None and (wang.id_number, wang.phone) == (ID_ASCII, "13812345678")


def test_the_same_id_in_a_spreadsheet_is_refused_naming_who_holds_it(world: LotsWorld, client: TestClient) -> None:
    assert _register(client, "wang", id_number=ID_FULL_WIDTH).status_code == 201
    csv = HEADER + f"王秀英,13900000000,{ID_ASCII.lower()},im,either,beading:2,,,否\n"
    reply = client.post("/api/v1/residents/import", headers=sign_in(client, "coord-im"),
                        files={"file": ("r.csv", csv.encode("utf-8-sig"), "text/csv")})
    assert reply.status_code == 422
    [row] = reply.json()["rows"]
    assert (row["row"], row["field"]) == (1, "id_number") and "wang" in row["reason"]
    assert _residents(world) == 1


def test_the_same_phone_again_is_a_409_that_names_the_resident_only_to_who_may_see_them(
        world: LotsWorld, client: TestClient) -> None:
    assert _register(client, "wang", phone="13812345678").status_code == 201
    again = _register(client, "wang2", phone="138 1234 5678")
    assert again.status_code == 409
    field, reason = _problem(again)
    assert field == "phone" and "wang" in reason
    elsewhere = _register(client, "w3", user="coord-other", community="other", phone="0086 13812345678")
    assert elsewhere.status_code == 409
    field, reason = _problem(elsewhere)
    assert field == "phone" and "wang" not in reason and "王秀英" not in reason
    assert _residents(world) == 1


@pytest.mark.parametrize(("field", "value", "words"), [
    ("id_number", "1.10105E+17", "科学计数法"),        # a spreadsheet showed the number in scientific notation
    ("id_number", "110105194912310000", "000"),      # ... or kept 15 digits and filled the rest with zeros
    ("id_number", "110105194902300021", "出生日期"),    # 30 February
    ("phone", "1.38123E+10", "科学计数法"),
    ("phone", "12812345678", "手机号码"),
    ("name", "王?英", "生僻字"),                       # a GBK export destroyed 𠮷
    ("name", "王\ufffd英", "生僻字"),
])
def test_damaged_numbers_and_names_are_refused_with_the_reason_and_change_nothing(
        world: LotsWorld, client: TestClient, field: str, value: str, words: str) -> None:
    reply = _register(client, "r1", **{field: value})
    assert reply.status_code == 422, reply.text
    got_field, reason = _problem(reply)
    assert got_field == field and words in reason
    assert _residents(world) == 0


def test_middle_dot_variants_in_a_name_become_one_spelling(world: LotsWorld, client: TestClient) -> None:
    for i, dotted in enumerate(["买买提•艾力", "买买提・艾力", "买买提 . 艾力"]):
        assert _register(client, f"m{i}", name=dotted).status_code == 201
    with reading(world.engine) as session:
        names = {r.name for r in session.exec(select(Resident))}
    assert names == {"买买提·艾力"}
