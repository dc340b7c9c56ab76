"""A unified social credit code (GB 32100) is one enterprise: registering it again is a 409 naming the holder."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lots_world import ENTERPRISE_ID, USCC, LotsWorld, sign_in
from sqlmodel import func, select

from services.api.app import create_app
from store.db import reading
from store.tables import Enterprise

FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"})


def test_the_same_code_again_even_full_width_or_spaced_is_a_409_naming_the_enterprise(world: LotsWorld) -> None:
    world.community("im")
    client = TestClient(create_app(world.settings))
    for typed in (USCC, USCC.translate(FULL_WIDTH), " ".join(USCC[i:i + 6] for i in range(0, 18, 6)).lower()):
        reply = client.post("/api/v1/enterprises", headers=sign_in(client, "coord-im"),
                            json={"enterprise_id": "ent-b", "name": "乙企业", "uscc": typed})
        assert reply.status_code == 409, (typed, reply.text)
        [problem] = reply.json()["detail"]
        assert problem["field"] == "uscc" and ENTERPRISE_ID in problem["reason"] and "甲企业" in problem["reason"]
    with reading(world.engine) as session:
        assert session.exec(select(func.count()).select_from(Enterprise)).one() == 1
