"""The demo starts with a month of past work made through the product's use cases (issue 15): the invariant audit
and reconciliation find nothing, every working day has inspections, older periods are closed and paid, and the
latest ended period is left for the coordinator, who closes it and records a payout through the API; the month's
work earned points (积分) in each community, whose points shop has something a resident can afford."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD, build_city
from services.demo.history import seed_history
from services.demo.seed import load_city
from store.db import reading
from store.tables import Inspection, LedgerEntry, Payout, PayPeriod, PointEntry, ShopItem
from usecases import shop
from usecases.actors import Actor
from usecases.invariants import run as run_checks
from usecases.queries.dashboard_city import city_income
from usecases.reconcile import reconcile
from usecases.settings import Settings

TZ = ZoneInfo("Asia/Shanghai")


def test_a_month_of_history_passes_the_audit_and_leaves_an_ended_period_to_close_and_pay(
        settings: Settings, engine: Engine) -> None:
    plan = build_city()
    load_city(engine, settings, plan)
    # One clock for the seeding and for what is checked: read twice, a seeding that ran over a Shanghai midnight
    # made the month before the old day while the checks counted back from the new one (min(days) fell short).
    now = datetime.now(UTC)
    made = seed_history(engine, settings, plan, logins={r.resident_id for r in plan.residents if r.password},
                        now=now)
    assert made.days >= 20 and made.inspections >= made.days * len(plan.communities)
    assert run_checks(engine).violations == [] and reconcile(engine) == []

    today = now.astimezone(TZ).date()
    with reading(engine) as session:
        days = {i.inspected_at.replace(tzinfo=UTC).astimezone(TZ).date()
                for i in session.exec(select(Inspection)).all()}
        periods = set(session.exec(select(LedgerEntry.period_id)).all())
        closed = {(p.community_id, p.period_id, p.status) for p in session.exec(select(PayPeriod)).all()}
        paid = int(session.exec(select(func.sum(Payout.amount_fen))).one() or 0)
        references = set(session.exec(select(Payout.reference)).all())
    assert len(days) == made.days and max(days) < today and min(days) >= today - timedelta(days=30)
    assert len(periods) >= 2  # trends have more than one point
    assert made.closed and {(c, p, "paid") for c, p in made.closed} == closed and paid > 0
    # as a bank's transfer list gives them (her slip and message show it): not 'DEMO-2026-11-A-comm-001-r001'
    assert references and all(re.fullmatch(r"BANK-\d{8}-\d{3}-\d{3}", r) for r in references), references
    assert {c for c, _ in made.left_to_close} == {cm.community_id for cm in plan.communities}

    with reading(engine) as session:  # points: a rule scored the month, and the shop has what they can afford
        earned = dict(session.exec(select(PointEntry.community_id, func.sum(PointEntry.points))
                                   .group_by(PointEntry.community_id)).all())
        cheapest = dict(session.exec(select(ShopItem.community_id, func.min(ShopItem.price_points))
                                     .where(ShopItem.stock > 0).group_by(ShopItem.community_id)).all())
        me = next(r for r in plan.residents if r.community_id == "comm-001" and r.password)
        mine = shop.balance_of(session, me.resident_id)
    assert set(earned) == set(cheapest) == {cm.community_id for cm in plan.communities}
    assert all(int(n) > 0 for n in earned.values()) and mine >= cheapest["comm-001"], (earned, mine, cheapest)

    with reading(engine) as session:
        income = city_income(session, Actor(username="city", role="city"), now=now)
    if today.month > 1 or today.day > 15:  # the year so far holds some of the month
        assert income.ytd_income_fen > 0 and income.ytd_people > 0

    client = TestClient(create_app(settings))
    token = client.post("/api/v1/auth/token", json={"username": "coord1", "password": DEMO_PASSWORD})
    coord1 = {"Authorization": f"Bearer {token.json()['access_token']}"}
    [period_id] = [p for c, p in made.left_to_close if c == "comm-001"]
    reply = client.post("/api/v1/pay-periods/close", headers=coord1,
                        json={"community_id": "comm-001", "period_id": period_id})
    assert reply.status_code == 201, reply.text
    assert reply.json()["total_fen"] > 0 and reply.json()["residents"] > 0
    with reading(engine) as session:
        resident, owed = session.exec(
            select(LedgerEntry.resident_id, func.sum(LedgerEntry.amount_fen))
            .where(LedgerEntry.community_id == "comm-001", LedgerEntry.period_id == period_id)
            .group_by(LedgerEntry.resident_id)).first()  # type: ignore[misc]
    reply = client.post("/api/v1/payouts", headers=coord1, json={
        "resident_id": resident, "period_id": period_id, "amount_fen": int(owed), "method": "cash",
        "reference": "TRY-1"})
    assert reply.status_code == 201, reply.text
    assert run_checks(engine).violations == [] and reconcile(engine) == []
