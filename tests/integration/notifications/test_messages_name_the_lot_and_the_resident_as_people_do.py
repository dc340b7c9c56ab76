"""Every message names the lot by its short code and product ('批次 串珠-1130-01 · 串珠') and the resident by her
name — told apart from a namesake as her pay slip does ('王秀英（尾号800005678）') — never by an internal id: the
offer and the withdrawal in her inbox, the WeCom group's '已派给…', the appeal filed and decided. They read
'新派单：批次 ord-…-L001' and '批次 … 已派给居民 nm-r1', and a withdrawal by dispatch told her who got the lot
('dispatched to nm-r2')."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lots_world import ALL_WEEK, PASSWORD, LotsWorld, coordinator_of, sign_in
from sqlmodel import select

from schemas import commands as c
from services.api.app import create_app
from store.db import reading, transaction
from store.tables import Appeal, Lot, Notification
from usecases import appeals, registry, work
from usecases import offers as offer_uc
from usecases.actors import Actor
from usecases.auth import create_user

CID = "nm"
HER, NAMESAKE = "nm-r1", "nm-r2"
SHOWN = "居民王秀英（尾号800005678）"  # the phones end alike in 00005678: nine digits tell them apart


def _register(world: LotsWorld, resident_id: str, phone: str, skill: str) -> None:
    world.run(registry.register_resident, c.RegisterResident(
        resident_id=resident_id, community_id=CID, name="王秀英", phone=phone, skills={skill: 2},
        availability=ALL_WEEK, reachable_site_ids=[f"{CID}-site"], max_open_lots=2))
    with transaction(world.engine) as session:
        create_user(session, username=resident_id, password=PASSWORD, role="resident", resident_id=resident_id,
                    community_ids=[CID])


def _only_lot(world: LotsWorld, order_id: str) -> Lot:
    world.pump()  # split into one lot of 10 and offered
    [lot] = world.lots(order_id)
    assert lot.short_code, "lots are made with a short code"
    return lot


def test_offers_withdrawals_appeals_and_the_group_message_name_people_and_lots_as_people_do(
        world: LotsWorld) -> None:
    world.settings = world.settings.model_copy(update={"wecom_webhook_url": "http://127.0.0.1:9/hook"})
    world.community(CID)
    _register(world, HER, "13800005678", "beading")
    _register(world, NAMESAKE, "13900005678", "sewing")  # cannot take beading work: every offer goes to HER
    coordinator = coordinator_of(CID)
    client = TestClient(create_app(world.settings))

    def inbox(username: str) -> list[str]:
        reply = client.get("/api/v1/inbox", headers=sign_in(client, username))
        assert reply.status_code == 200, reply.text
        return [m["text"] for m in reply.json()]

    first = _only_lot(world, world.order(CID))
    named = f"批次 {first.short_code} · 串珠"
    [offered] = inbox(HER)
    assert offered.startswith(f"新派单：{named}，10 件，"), offered
    with reading(world.engine) as s:
        [group] = s.exec(select(Notification.text).where(Notification.channel == "wecom")).all()
    assert group.startswith(f"{named} 已派给{SHOWN}，请提醒其在 "), group

    [offer] = world.offers(lot_id=first.id)
    world.answer(offer, "accept")
    world.run(work.issue_materials, c.IssueMaterials(lot_id=first.id, resident_id=HER, pieces=10), actor=coordinator)
    sub, _ = world.run(work.submit_output, HER, c.SubmitOutput(lot_id=first.id, pieces=10, minutes_spent=60),
                       actor=coordinator)
    inspection, _ = world.run(work.record_inspection, c.RecordInspection(
        submission_id=sub.id, passed=8, rejected=2, defect_codes=["LOOSE"]), actor=coordinator)
    her = Actor(username=HER, role="resident", resident_id=HER, community_ids=frozenset({CID}))
    world.run(appeals.file_appeal, inspection.id, c.FileAppeal(reason="线头不算次品"), actor=her)
    with reading(world.engine) as s:
        appeal = s.exec(select(Appeal)).one()
    world.run(appeals.decide_appeal, appeal.id, c.DecideAppeal(decision="reject", reason="复核仍不合格"),
              actor=coordinator)
    world.pump()
    assert f"{SHOWN}对{named} 的验收提出申诉：线头不算次品。请复核。" in inbox(f"coord-{CID}")
    assert f"你对{named} 验收结果的申诉未获支持：复核仍不合格" in inbox(HER)

    second = _only_lot(world, world.order(CID))
    world.run(offer_uc.dispatch_lot, second.id, c.DispatchLot(
        resident_id=NAMESAKE, override_rules=["skill"], override_reason="师傅带着做"), actor=coordinator)
    world.pump()
    [withdrawn] = [t for t in inbox(HER) if "已收回" in t]
    assert withdrawn.startswith(f"批次 {second.short_code} · 串珠 已收回：社区工作者已另行派单"), withdrawn

    texts = [*inbox(HER), *inbox(NAMESAKE), *inbox(f"coord-{CID}"), group]
    for internal in (first.id, second.id, HER, NAMESAKE, inspection.id):
        assert not [t for t in texts if internal in t], internal


def test_an_order_that_ends_or_pays_too_little_is_named_as_its_enterprise_names_it(world: LotsWorld) -> None:
    """'订单 串珠-1201-02（10 件）已取消…' and '订单 串珠-1201-03 低于最低工资…', as the enterprise's page numbers its
    orders of a product each day (usecases.queries.names.order_labels), not '订单 ord-019…' (left open last stop)."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from lots_world import ENTERPRISE

    from store.tables import Order
    from usecases import orders as order_uc

    world.community(CID)
    _register(world, HER, "13800005678", "beading")
    client = TestClient(create_app(world.settings))
    world.order(CID)
    cancelled = world.order(CID)
    low = world.order(CID, rate_fen=1)  # accepted and flagged (REFUSE_BELOW_MINIMUM_WAGE is off by default)
    world.pump()
    world.run(order_uc.cancel_order, cancelled, c.CancelOrder(reason="客户取消"), actor=ENTERPRISE)
    world.pump()
    with reading(world.engine) as s:
        posted = s.get(Order, cancelled)
        assert posted is not None
    day = (posted.posted_at or datetime.now(UTC)).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%m%d")
    # The coordinator hears of every enterprise's orders, each numbered by its enterprise: hers name the enterprise
    # (attacker, 2026-12-01: two enterprises' cancelled orders read alike in her inbox).
    for username, whose in ((f"coord-{CID}", "甲企业，"), (ENTERPRISE.username, "")):
        reply = client.get("/api/v1/inbox", headers=sign_in(client, username))
        assert reply.status_code == 200, reply.text
        texts = [m["text"] for m in reply.json()]
        assert any(t.startswith(f"订单 串珠-{day}-02（{whose}10 件）已取消") for t in texts), (username, texts)
        low_named = f"订单 串珠-{day}-03（甲企业） 低于最低工资" if whose else f"订单 串珠-{day}-03 低于最低工资"
        assert any(t.startswith(low_named) for t in texts), (username, texts)
        assert not any("ord-" in t or cancelled in t or low in t for t in texts), texts
