"""Issue 15 (attack) over HTTP: a coordinator prints a sign-in code only for residents of her own communities; one of
another community's, asked for by id, is refused and nothing changes (no sign-in made, no code, no PIN cleared)."""

from __future__ import annotations

from sqlmodel import select

from store.db import reading
from store.tables import Resident, SignInCode, User


def test_a_coordinator_cannot_print_a_code_for_another_community_s_resident(world) -> None:  # noqa: ANN001
    with reading(world.engine) as s:
        theirs = s.exec(select(Resident).where(Resident.community_id == "comm-001",
                                               Resident.phone != None)).first()  # noqa: E711
        assert theirs is not None
        before = s.exec(select(User.password_hash).where(User.resident_id == theirs.id)).first()
    reply = world.client.post(f"/api/v1/residents/{theirs.id}/sign-in-code", headers=world.headers["coord2"])
    assert reply.status_code in (403, 404), reply.text
    assert reply.json()["detail"][0]["field"] in ("resident_id", "community_id"), reply.text
    with reading(world.engine) as s:
        assert s.exec(select(SignInCode)).first() is None
        assert s.exec(select(User.password_hash).where(User.resident_id == theirs.id)).first() == before
    mine = world.client.post(f"/api/v1/residents/{theirs.id}/sign-in-code", headers=world.headers["coord1"])
    assert mine.status_code == 201, mine.text
