"""A lot's printed label: its QR code carries 'MF1:<lot>:<check code>', and scanning it opens the lot."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from lots_world import LotsWorld, sign_in

from domain.orders.labels import lot_qr_payload, parse_lot_qr, qr_matrix, verify_lot_code
from services.api.app import create_app


def _drawn_modules(svg: str) -> list[list[bool]]:
    """The dark QR modules as drawn in the label ('M{x},{y}h1v1h-1z' each)."""
    dark = {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)h1v1h-1z", svg)}
    size = max(max(x, y) for x, y in dark) + 1
    return [[(x, y) in dark for x in range(size)] for y in range(size)]


def test_the_label_qr_parses_back_to_the_lot_and_its_check_code_verifies(world: LotsWorld) -> None:
    cid = world.community("lb")
    world.resident("lb-r1", cid, login=True)
    world.resident("lb-r2", cid, skill="sewing", login=True)
    order_id = world.order(cid, quantity=10)
    world.pump()
    [lot] = world.lots(order_id)
    client = TestClient(create_app(world.settings))
    coordinator = sign_in(client, f"coord-{cid}")

    reply = client.get(f"/api/v1/lots/{lot.id}/label.svg", headers=coordinator)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("image/svg+xml")
    svg = reply.text
    [code] = re.findall(r"校验码：([0-9A-Z]+)<", svg)
    assert re.findall(r"批次：([^<]+)<", svg) == [lot.short_code]  # people read the short code; the QR has the id
    payload = lot_qr_payload(lot.id, code)
    # No QR decoder is installed: the drawn code must be exactly the encoding of this payload.
    assert _drawn_modules(svg) == qr_matrix(payload)
    assert parse_lot_qr(payload) == (lot.id, code)
    assert verify_lot_code(lot.id, code, world.settings.secret_key)
    assert not verify_lot_code(lot.id, code, "another deployment's secret")

    scanned = client.get("/api/v1/lots/scan", params={"code": payload}, headers=coordinator)
    assert scanned.status_code == 200 and scanned.json()["id"] == lot.id

    holder = sign_in(client, "lb-r1")
    assert client.get("/api/v1/lots/scan", params={"code": payload}, headers=holder).status_code == 404  # offered
    [offer] = world.offers(status="pending")
    world.answer(offer, "accept")
    assert client.get("/api/v1/lots/scan", params={"code": payload}, headers=holder).json()["id"] == lot.id
    stranger = client.get("/api/v1/lots/scan", params={"code": payload}, headers=sign_in(client, "lb-r2"))
    assert stranger.status_code == 404

    forged = lot_qr_payload(lot.id, "0" * 6 if code != "0" * 6 else "1" * 6)
    for bad in (forged, "not a label", f"MF1:{lot.id}"):
        reply = client.get("/api/v1/lots/scan", params={"code": bad}, headers=coordinator)
        assert reply.status_code == 422, bad
        assert reply.json()["detail"][0]["field"] == "code"
