"""批次简码: each lot gets '<product>-<MMDD>-<nn>' when it is made, and a person may type it where the id went."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from lots_world import LotsWorld, sign_in

from bench.dashboard_world import wait_out_a_shanghai_midnight
from services.api.app import create_app


def test_lots_are_numbered_per_product_per_day_and_the_api_takes_the_code(world: LotsWorld) -> None:
    # The lots take the day of the real clock when they are split (Context.live) and the test reads the day again
    # after: lots split just before a Shanghai midnight were '-1130-' and the test expected '-1201-'. The test never
    # starts in the 30 s before one (it runs in a few).
    wait_out_a_shanghai_midnight(30.0)
    cid = world.community("sc")
    world.resident("sc-r1", cid, max_open_lots=5, login=True)
    first = world.order(cid, quantity=20)  # two 10-piece lots
    second = world.order(cid, quantity=10)
    world.pump()
    day = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%m%d")
    codes = [lot.short_code for lot in world.lots(first)] + [lot.short_code for lot in world.lots(second)]
    assert sorted(codes) == [f"串珠-{day}-01", f"串珠-{day}-02", f"串珠-{day}-03"]  # type: ignore[type-var]

    offer = world.offers(status="pending")[0]  # whichever lot the matcher offered first
    lot = next(x for x in world.lots(first) + world.lots(second) if x.id == offer.lot_id)
    client = TestClient(create_app(world.settings))
    coordinator = sign_in(client, f"coord-{cid}")
    shown = client.get(f"/api/v1/lots/{lot.short_code}", headers=coordinator)
    assert shown.status_code == 200, shown.text
    assert shown.json()["id"] == lot.id and shown.json()["short_code"] == lot.short_code
    assert shown.json()["product_name"] == "串珠"

    check = client.get(f"/api/v1/lots/{lot.short_code}/dispatch-check", headers=coordinator,
                       params={"resident_id": offer.resident_id})
    assert check.status_code == 200 and check.json()["broken"] == [], check.text
    world.answer(offer, "accept")
    typed = (lot.short_code or "").replace("-", "－")  # a full-width dash, as a phone keyboard may type it
    issued = client.post("/api/v1/materials/issue", headers=coordinator,
                         json={"lot_id": typed, "resident_id": offer.resident_id, "pieces": 4})
    assert issued.status_code == 201, issued.text
    assert [x.pieces_issued for x in world.lots(lot.order_id) if x.id == lot.id] == [4]

    stranger = client.get("/api/v1/lots/串珠-0101-99", headers=coordinator)
    assert stranger.status_code == 404
