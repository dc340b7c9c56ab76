"""A delivered order reads when it was delivered and whether that was by its due date, never a forecast (new-user
trial: '小件包装-1123-02 · 已交付 … 交期 2026/11/30 08:30 · 预计完成 2026/12/1 18:24 · 能否按期 否' — the pace
forecast ran on for the pieces finally rejected, which are never made again). The rule is domain.orders.delivery;
the API's order view (reads.orders, GET /orders/{id}) carries the same delivered_at and delivered_on_time."""

from __future__ import annotations

from datetime import UTC, timedelta

from sqlmodel import select

from bench.dashboard_world import COORD2, ENT2, _lots, _post, actor, dispatch_by_hand
from dashboard.format import when
from schemas import commands as c
from store.db import reading, transaction
from store.tables import Inspection, Lot, Offer, Order
from usecases import offers, work
from usecases.execute import execute
from usecases.queries import reads


def _deliver(world, order_id: str) -> None:  # noqa: ANN001
    """Every lot of the order made by a comm-002 resident; one piece of each finally rejected (no rework)."""
    who = world.phone_residents["comm-002"][1]
    me = actor(who, "resident", resident_id=who, community_ids=frozenset({"comm-002"}))
    for lot_id in _lots(world, order_id)["comm-002"]:
        dispatch_by_hand(world, lot_id, who, COORD2)
        with reading(world.engine) as s:
            offer_id = s.exec(select(Offer.id).where(Offer.lot_id == lot_id, Offer.status == "pending")).one()
            lot = s.get(Lot, lot_id)
            assert lot is not None
            pieces = lot.pieces
        execute(world.engine, world.settings, offers.answer_offer, offer_id, c.AnswerOffer(decision="accept"),
                actor=me)
        execute(world.engine, world.settings, work.issue_materials,
                c.IssueMaterials(lot_id=lot_id, resident_id=who, pieces=pieces), actor=COORD2)
        sub, _ = execute(world.engine, world.settings, work.submit_output, who,
                         c.SubmitOutput(lot_id=lot_id, pieces=pieces), actor=me)
        execute(world.engine, world.settings, work.record_inspection, c.RecordInspection(
            submission_id=sub.id, passed=pieces - 1, rejected=1, defect_codes=["LOOSE"]), actor=COORD2)


def _row(at, order_id: str, world):  # noqa: ANN001, ANN202
    with reading(world.engine) as s:
        [view] = reads.orders(s, ENT2, order_id=order_id)
    rows = [r for d in at.dataframe for _, r in d.value.iterrows() if r["数量"] == view.quantity
            and r["状态"] == "已交付"]
    assert len(rows) == 1
    return rows[0], view


def test_a_delivered_order_reads_its_delivery_and_the_api_agrees(world, open_page) -> None:
    order_id = _post(world, ENT2, "ent-02", ["comm-002"], quantity=37)
    _deliver(world, order_id)
    with reading(world.engine) as s:
        order = s.get(Order, order_id)
        assert order is not None and order.status == "fulfilled"
        last = max(i.inspected_at for i in s.exec(select(Inspection).join(Lot, Lot.id == Inspection.lot_id)
                                                  .where(Lot.order_id == order_id)))
    at = open_page("views/enterprise.py", ENT2)
    assert not at.exception
    row, view = _row(at, order_id, world)
    assert (row["交付时间"], row["按期交付"]) == (when(last), "是")
    assert "预计完成" not in row and "能否按期" not in row  # no forecast for a delivered order
    assert view.delivered_at == last and view.delivered_on_time is True  # what GET /orders/{id} returns

    with transaction(world.engine) as s:  # had it been due a day before its last piece was judged
        order = s.get(Order, order_id)
        assert order is not None
        order.due_at = last.astimezone(UTC) - timedelta(days=1)
        s.add(order)
    at = open_page("views/enterprise.py", ENT2)
    row, view = _row(at, order_id, world)
    assert (row["交付时间"], row["按期交付"]) == (when(last), "否") and "预计完成" not in row
    assert view.delivered_at == last and view.delivered_on_time is False


def test_an_order_in_work_keeps_its_forecast(world, open_page) -> None:
    at = open_page("views/enterprise.py", ENT2)
    assert not at.exception
    [row] = [r for _, r in at.dataframe[0].value.iterrows()]  # ent2's one order, offered and not yet worked
    assert row["状态"] != "已交付" and row["预计完成"] == "—" and row["能否按期"] == "—"
    assert "交付时间" not in row and "按期交付" not in row
