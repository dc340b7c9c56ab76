"""Walking every route as each role: a resident reaches only their own records, an enterprise only its orders,
a coordinator only their communities; phone and ID numbers never leave the API unmasked; the audit trail holds.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import text
from sqlmodel import select

from domain.pay.periods import period_for
from store.db import reading
from store.tables import AuditRecord, Inspection, LedgerEntry, Lot, Offer, Order, Resident, Submission

ROLES = ("city", "coord1", "coord2", "ent1", "ent2", "resident")
COMMUNITY_OF = {"coord1": "comm-001", "coord2": "comm-002"}
ENTERPRISE_OF = {"ent1": "ent-01", "ent2": "ent-02"}


def records(world: Any) -> dict[str, list[dict[str, Any]]]:
    """Every personal or owned record by id, with the residents, communities and enterprises it belongs to."""
    with reading(world.engine) as session:
        orders = {o.id: o for o in session.exec(select(Order))}
        lots = {lot.id: lot for lot in session.exec(select(Lot))}
        out: dict[str, list[dict[str, Any]]] = {}

        def add(kind: str, rid: str, residents: set[str | None], communities: set[str], enterprises: set[str],
                secrets: tuple[str | None, ...] = ()) -> None:
            out.setdefault(kind, []).append({"id": rid, "residents": residents - {None}, "communities": communities,
                                             "enterprises": enterprises, "secrets": [s for s in secrets if s]})

        for r in session.exec(select(Resident)):
            working_for = {orders[lot.order_id].enterprise_id for lot in lots.values() if lot.resident_id == r.id}
            add("resident", r.id, {r.id}, {r.community_id}, working_for, (r.phone, r.id_number))
        for o in orders.values():
            add("order", o.id, {lot.resident_id for lot in lots.values() if lot.order_id == o.id},
                set(o.eligible_community_ids), {o.enterprise_id})
        for lot in lots.values():
            add("lot", lot.id, {lot.resident_id}, {lot.community_id}, {orders[lot.order_id].enterprise_id})
        for kind, table in (("offer", Offer), ("inspection", Inspection), ("submission", Submission)):
            for row in session.exec(select(table)):
                lot = lots[row.lot_id]
                add(kind, row.id, {row.resident_id}, {lot.community_id}, {orders[lot.order_id].enterprise_id})
        for e in session.exec(select(LedgerEntry)):
            add("entry", e.entry_key, {e.resident_id}, {e.community_id}, {e.enterprise_id or ""})
    return out


def may_see(user: str, record: dict[str, Any], world: Any) -> bool:
    """The rule of issue 7: own records (resident), own orders (enterprise), own communities (coordinator)."""
    if user == "city":
        return True
    if user == "resident":
        return world.resident in record["residents"]
    if user in ENTERPRISE_OF:
        return ENTERPRISE_OF[user] in record["enterprises"]
    return COMMUNITY_OF[user] in record["communities"]


def api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every endpoint of the app (included routers are expanded: newer FastAPI keeps them lazily)."""
    found: list[APIRoute] = []
    for r in routes:
        if isinstance(r, APIRoute):
            found.append(r)
        elif hasattr(r, "original_router"):
            found += api_routes(r.original_router.routes)
    return found


def get_routes(world: Any) -> list[APIRoute]:
    return [r for r in api_routes(world.app.routes) if "GET" in r.methods and r.path != "/health"]


def fillings(route: APIRoute, world: Any, recs: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The route's path with every combination of real ids (own and others') for its parameters."""
    names = re.findall(r"{(\w+)}", route.path)
    period = period_for(datetime.now(UTC)).period_id
    # Own resident, a neighbour in comm-001 and one in comm-002 (every resident would only repeat those cases).
    residents = [world.resident, next(r["id"] for r in recs["resident"] if r["id"] not in (world.resident,)
                                      and r["id"].startswith("comm-001")), "comm-002-r001"]
    choices = {"resident_id": residents, "order_id": [r["id"] for r in recs["order"]],
               "lot_id": [r["id"] for r in recs["lot"]], "community_id": ["comm-001", "comm-002"],
               "enterprise_id": ["ent-01", "ent-02"], "period_id": [period], "product_code": ["PACK-03"],
               "site_id": ["comm-001-site-1", "comm-002-site-1"], "coordinator": ["coord1", "coord2"]}
    return [route.path.format(**dict(zip(names, combo, strict=True)))
            for combo in itertools.product(*(choices[n] for n in names))]


QUERIES: tuple[dict[str, str], ...] = ({}, {"community_id": "comm-001"}, {"community_id": "comm-002"},
                                      {"resident_id": "comm-002-r001"}, {"status": "done"})


@pytest.mark.parametrize("user", ROLES)
def test_every_route_shows_each_role_only_their_own_records(user: str, world: Any) -> None:
    recs = records(world)
    login = world.resident if user == "resident" else user
    secrets = [s for r in recs["resident"] for s in r["secrets"]]
    forbidden = {r["id"]: kind for kind, rows in recs.items() for r in rows if not may_see(user, r, world)}
    seen_own = 0
    for route in get_routes(world):
        paths = fillings(route, world, recs)
        for path, query in itertools.product(paths, QUERIES if paths == [route.path] else ({},)):
            reply = world.client.get(path, params=query, headers=world.headers[login])
            assert reply.status_code < 500, f"{path} {query} as {user}: {reply.status_code} {reply.text[:300]}"
            if reply.status_code >= 400:
                continue
            body = reply.text
            leaked = [f"{kind} {rid}" for rid, kind in forbidden.items() if rid in body]
            assert not leaked, f"{path} {query} shows {user} records not theirs: {leaked[:5]}"
            unmasked = [s for s in secrets if s in body]
            assert not unmasked, f"{path} {query} as {user} shows a phone or ID number unmasked"
            seen_own += 1
    assert seen_own > 10, "the walk must reach real answers, not only refusals"


def test_someone_elses_records_answer_as_if_they_did_not_exist(world: Any) -> None:
    """Asking for another's resident, lot or order gets the same 404 as a made-up id: no probing."""
    cases = [("resident", "/api/v1/residents/comm-002-r001/earnings"), ("ent1", "/api/v1/lots/{lot2}"),
             ("coord1", "/api/v1/residents/comm-002-r001/inspections"), ("coord2", "/api/v1/lots/{lot1}"),
             ("ent2", "/api/v1/orders/{order1}")]
    with reading(world.engine) as session:
        lot1 = session.exec(select(Lot).where(Lot.community_id == "comm-001", Lot.status == "done")).first()
        lot2 = session.exec(select(Lot).join(Order, Order.id == Lot.order_id).where(  # type: ignore[arg-type]
            Order.enterprise_id == "ent-02")).first()
        order1 = session.exec(select(Order).where(Order.enterprise_id == "ent-01")).first()
    assert lot1 and lot2 and order1
    for user, path in cases:
        login = world.resident if user == "resident" else user
        reply = world.client.get(path.format(lot1=lot1.id, lot2=lot2.id, order1=order1.id),
                                 headers=world.headers[login])
        assert reply.status_code == 404, (user, path, reply.text)
        assert reply.json()["detail"][0]["field"] and reply.json()["detail"][0]["reason"]


def test_acts_on_a_residents_behalf_are_recorded_with_who_did_them(world: Any) -> None:
    with reading(world.engine) as session:
        rows = session.exec(select(AuditRecord).where(AuditRecord.actor == "coord1")).all()
    by_action = {r.action: r for r in rows}
    assert {"offer.accept", "materials.issue", "output.submit", "inspection.record"} <= by_action.keys()
    assert by_action["offer.accept"].on_behalf_of and by_action["offer.accept"].on_behalf_of.startswith("comm-001-r")
    assert by_action["output.submit"].on_behalf_of == by_action["offer.accept"].on_behalf_of
    assert all(r.role == "coordinator" and r.at is not None for r in rows)


def test_no_route_can_edit_or_delete_the_audit_trail_or_the_ledger(world: Any) -> None:
    """No route deletes or touches audit or ledger directly; every write leaves earlier audit rows as they were."""
    routes = api_routes(world.app.routes)
    assert len(routes) > 40
    assert not [r.path for r in routes if r.methods & {"DELETE", "PATCH"}]
    assert not [r.path for r in routes if re.search(r"audit|ledger", r.path) and r.methods - {"GET", "HEAD"}]
    with world.engine.connect() as conn:
        before = conn.execute(text("SELECT * FROM audit_record ORDER BY id")).all()
        ledger = conn.execute(text("SELECT * FROM ledger_entry ORDER BY id")).all()
    for route in routes:  # every write, as the coordinator, with a body that names a real record
        for method in route.methods - {"GET", "HEAD"}:
            path = re.sub(r"{\w+}", "x", route.path)
            world.client.request(method, path, headers=world.headers["coord1"], json={"reason": "x"})
    with world.engine.connect() as conn:
        after = conn.execute(text("SELECT * FROM audit_record ORDER BY id")).all()
        ledger_after = conn.execute(text("SELECT * FROM ledger_entry ORDER BY id")).all()
    assert after[:len(before)] == before
    assert ledger_after[:len(ledger)] == ledger
