"""Issue 14 fault 4b: lot lists filter in the database and page, so no resident's lots fall off a 500-row cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from lots_world import ENTERPRISE_ID, PRODUCT, LotsWorld, coordinator_of, sign_in
from sqlmodel import select

from services.api.app import create_app
from store.db import reading, transaction
from store.tables import Lot, Order
from usecases.queries.dashboard_resident import resident_home

OTHERS, HERS = 505, 3


def _busy_community(world: LotsWorld) -> tuple[str, list[str]]:
    """505 lots held by a neighbour fall due before the 3 lots she holds."""
    cid = world.community("busy")
    world.resident("busy-her", cid, login=True)
    world.resident("busy-him", cid, login=True)
    now = datetime.now(UTC)
    with transaction(world.engine) as session:
        session.add(Order(id="ord-busy", enterprise_id=ENTERPRISE_ID, product_code=PRODUCT,
                          quantity=10 * (OTHERS + HERS), piece_rate_centifen=30000, due_at=now + timedelta(days=60),
                          eligible_community_ids=[cid], status="in_progress", posted_at=now))
        session.flush()
        for n in range(OTHERS + HERS):
            mine = n >= OTHERS
            session.add(Lot(id=f"lot-busy-{n:04d}", order_id="ord-busy", community_id=cid, lot_no=n + 1, pieces=10,
                            due_at=now + timedelta(days=1, minutes=n), status="accepted",
                            resident_id="busy-her" if mine else "busy-him", piece_rate_centifen=30000, accepted_at=now))
    return cid, [f"lot-busy-{n:04d}" for n in range(OTHERS, OTHERS + HERS)]


def test_her_page_shows_every_lot_she_holds_in_a_community_of_more_than_500_lots(world: LotsWorld) -> None:
    cid, hers = _busy_community(world)
    with reading(world.engine) as session:
        page = resident_home(session, coordinator_of(cid), "busy-her", now=datetime.now(UTC))
    assert [lot.id for lot in page.lots] == hers


def test_the_api_filters_lots_by_resident_and_pages_through_all_of_them(world: LotsWorld) -> None:
    cid, hers = _busy_community(world)
    client = TestClient(create_app(world.settings))
    coordinator = sign_in(client, f"coord-{cid}")

    mine = client.get("/api/v1/lots", params={"resident_id": "busy-her"}, headers=coordinator)
    assert mine.status_code == 200 and [lot["id"] for lot in mine.json()] == hers
    seen: list[str] = []
    for offset in range(0, OTHERS + HERS, 200):
        page = client.get("/api/v1/lots", params={"limit": 200, "offset": offset}, headers=coordinator)
        assert page.status_code == 200
        seen += [lot["id"] for lot in page.json()]
    assert len(seen) == len(set(seen)) == OTHERS + HERS and seen[-HERS:] == hers

    herself = sign_in(client, "busy-her")
    assert [x["id"] for x in client.get("/api/v1/lots", headers=herself).json()] == hers
    assert client.get("/api/v1/lots", params={"resident_id": "busy-him"}, headers=herself).status_code == 404


@pytest.mark.parametrize(("params", "field"), [({"limit": 0}, "limit"), ({"limit": 501}, "limit"),
                                               ({"limit": "many"}, "limit"), ({"offset": -1}, "offset")])
def test_a_bad_page_is_a_422_naming_the_parameter(world: LotsWorld, params: dict[str, object], field: str) -> None:
    cid = world.community("pages")
    client = TestClient(create_app(world.settings))
    reply = client.get("/api/v1/lots", params=params, headers=sign_in(client, f"coord-{cid}"))
    assert reply.status_code == 422
    assert any(field in problem["field"] for problem in reply.json()["detail"])


def test_the_coordinator_board_lists_live_lots_however_many_finished_ones_fall_due_before_them(
        world: LotsWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    from usecases.queries import dashboard, reads

    cid, hers = _busy_community(world)
    with transaction(world.engine) as session:  # the neighbour's lots are long finished; hers are still open
        for lot in session.exec(select(Lot).where(Lot.resident_id == "busy-him")):
            lot.status, lot.pieces_passed = "done", lot.pieces
            session.add(lot)
        for lot_id in hers:
            lot = session.get(Lot, lot_id)
            assert lot is not None
            lot.status, lot.resident_id, lot.accepted_at, lot.piece_rate_centifen = "open", None, None, None
            session.add(lot)
    capped = reads.lots  # the board's cap, made small so a test need not write thousands of rows
    monkeypatch.setattr(reads, "lots", lambda *a, **kw: capped(*a, **{**kw, "limit": 100}))
    with reading(world.engine) as session:
        board = dashboard.coordinator_board(session, coordinator_of(cid), now=datetime.now(UTC))
    assert [lot.id for lot in board.open_lots] == hers
