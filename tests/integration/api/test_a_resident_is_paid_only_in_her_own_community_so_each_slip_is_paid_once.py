"""A resident's pay lines are all in her own community, so paying and settling per community pays each slip once.

record_payout adds up what a resident is owed for a period across every community, while settling a period
(usecases.pay._fully_paid) looks at one community's. They agree because no resident can have a pay line outside her
community: a resident is registered in one community and no command moves her; the matcher offers a community's
lots only to its residents; a coordinator's dispatch refuses a resident of another community (even from a
coordinator who runs both); materials, hand-ins and inspections need the lot's accepted offer; and every money line
takes its community from its lot (piece pay), its resident (adjustments) or the period being closed (top-ups,
carried debts, for residents with lines there). This walks an order split between two communities through a
coordinator who runs both, tries the dispatch that would cross them, then closes and pays per community.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from domain.pay import period_by_id
from schemas import commands as c
from services.api.app import create_app
from store.db import reading, transaction
from store.tables import LedgerPeriod, Lot, Offer, Payout, PayPeriod, Resident
from tests.integration.lots_world import ENTERPRISE, ENTERPRISE_ID, PASSWORD, PRODUCT, make_world, sign_in
from usecases import hard_rules, pay, work
from usecases import offers as offer_uc
from usecases import orders as order_uc
from usecases.actors import Actor
from usecases.auth import create_user
from usecases.settings import Settings

EAST, WEST = "mc-east", "mc-west"
STREET = Actor(username="coord-street", role="coordinator", community_ids=frozenset({EAST, WEST}))


def _state(engine: Engine) -> list[tuple[Any, ...]]:
    """What a refused dispatch must leave as it was: every offer and lot."""
    with reading(engine) as session:
        return [*((o.id, o.lot_id, o.resident_id, o.status) for o in session.exec(select(Offer).order_by(Offer.id))),
                *((x.id, x.status, x.resident_id) for x in session.exec(select(Lot).order_by(Lot.id)))]


def test_no_lot_crosses_communities_and_each_community_s_slips_are_paid_once(
        engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    [east], [west] = world.crew(EAST, 1), world.crew(WEST, 1)
    with transaction(engine) as session:  # a street's coordinator who runs both communities
        create_user(session, username=STREET.username, password=PASSWORD, role="coordinator",
                    community_ids=[EAST, WEST])
    world.run(order_uc.post_order, c.PostOrder(
        enterprise_id=ENTERPRISE_ID, product_code=PRODUCT, quantity=20, piece_rate_fen=300,
        due_at=datetime.now(UTC) + timedelta(days=5), eligible_community_ids=[EAST, WEST], take_home_allowed=False,
        min_level=1), actor=ENTERPRISE)
    world.pump()
    offers = {o.community_id: o for o in world.offers(status="pending")}
    assert {k: o.resident_id for k, o in offers.items()} == {EAST: east, WEST: west}  # each lot to its own

    client = TestClient(create_app(settings))
    street = sign_in(client, STREET.username)
    before = _state(engine)
    check = client.get(f"/api/v1/lots/{offers[EAST].lot_id}/dispatch-check", headers=street,
                       params={"resident_id": west})
    assert check.status_code == 422 and check.json()["detail"][0]["field"] == "resident_id", check.text
    # Every hard rule the dispatch breaks overridden with a reason, so only the community refuses it.
    with reading(engine) as session:
        lot, resident = session.get(Lot, offers[EAST].lot_id), session.get(Resident, west)
        assert lot is not None and resident is not None
        broken = list(hard_rules.check(session, lot, resident, now=datetime.now(UTC)).rules)
    crossed = client.post(f"/api/v1/lots/{offers[EAST].lot_id}/dispatch", headers=street, json={
        "resident_id": west, "override_rules": broken, "override_reason": "她搬到东社区了，想接东社区的活"})
    assert crossed.status_code == 422, crossed.text
    assert crossed.json()["detail"][0]["field"] == "resident_id"
    assert f"社区 {EAST} 没有这位居民" in crossed.text  # no Accept-Language: the Chinese half
    assert _state(engine) == before

    for community, offer in offers.items():
        world.run(offer_uc.answer_offer, offer.id, c.AnswerOffer(decision="accept"), actor=STREET)
        world.run(work.issue_materials, c.IssueMaterials(lot_id=offer.lot_id, resident_id=offer.resident_id,
                                                         pieces=10), actor=STREET)
        sub, _ = world.run(work.submit_output, offer.resident_id, c.SubmitOutput(
            lot_id=offer.lot_id, pieces=10, minutes_spent=60), actor=STREET)
        world.run(work.record_inspection, c.RecordInspection(
            submission_id=sub.id, passed=10 if community == EAST else 9, rejected=0 if community == EAST else 1,
            defect_codes=[] if community == EAST else ["LOOSE"]), actor=STREET)
    world.pump()

    with reading(engine) as session:
        rows = session.exec(select(LedgerPeriod)).all()
    # every pay line of each resident is in her own community: one (community, period) row each
    assert sorted((r.community_id, r.resident_id) for r in rows) == [(EAST, east), (WEST, west)]
    owed = {r.resident_id: r.amount_fen for r in rows}
    assert owed == {east: 3000, west: 2700}
    period = period_by_id(rows[0].period_id)
    assert {r.period_id for r in rows} == {period.period_id}

    for community, resident in ((EAST, east), (WEST, west)):
        world.run(pay.close_period, c.ClosePayPeriod(community_id=community, period_id=period.period_id),
                  actor=STREET, at=period.ends_at + timedelta(minutes=1))
        paid = client.post("/api/v1/payouts", headers=street, json={
            "resident_id": resident, "period_id": period.period_id, "amount_fen": owed[resident],
            "method": "cash", "reference": f"pay-{community}"})
        assert paid.status_code == 201, paid.text
        again = client.post("/api/v1/payouts", headers=street, json={
            "resident_id": resident, "period_id": period.period_id, "amount_fen": 1, "method": "cash",
            "reference": f"pay-{community}-again"})
        assert again.status_code == 422 and again.json()["detail"][0]["field"] == "amount_fen", again.text

    with reading(engine) as session:
        statuses = {p.community_id: p.status for p in session.exec(select(PayPeriod))}
        payouts = sorted((p.resident_id, p.amount_fen) for p in session.exec(select(Payout)))
    assert statuses == {EAST: "paid", WEST: "paid"}
    assert payouts == sorted(owed.items())
