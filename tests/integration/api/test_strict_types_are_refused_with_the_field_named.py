"""`true`, `"200"` and `200.0` where an integer is meant get a 422 naming the field and change nothing.

The integer fields come from each command's JSON Schema (top-level integers, integers in weekly slots, integer
values of maps), so a count or an amount added later is attacked too; each command with one has a valid body
here, or the test fails and asks for one.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import MetaData, func, select

from schemas.export import command_types

DUE = (datetime.now(UTC) + timedelta(days=10)).isoformat()
SLOT = [[0, 540, 720]]
# Per command with integer fields: who sends it, where, and a body that passes the schema.
ROUTES: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "RegisterProduct": ("POST", "/api/v1/products", "coord1", {
        "product_code": "STRICT-1", "name": "n", "skill": "sewing", "standard_minutes_per_piece": 1.5,
        "lot_size": 100, "min_lot_size": 20}),
    "RegisterSite": ("POST", "/api/v1/sites", "coord1", {
        "site_id": "strict-site", "community_id": "comm-001", "name": "n", "seats": 4, "opening_hours": SLOT}),
    "RegisterResident": ("POST", "/api/v1/residents", "coord1", {
        "resident_id": "strict-r", "community_id": "comm-001", "name": "n", "skills": {"sewing": 2},
        "availability": SLOT, "max_open_lots": 2}),
    "UpdateAvailability": ("PUT", "/api/v1/residents/{resident}/availability", "coord1", {"availability": SLOT}),
    "PostOrder": ("POST", "/api/v1/orders", "ent1", {
        "enterprise_id": "ent-01", "product_code": "PACK-03", "quantity": 200, "piece_rate_fen": 30,
        "quality_bonus_fen_per_piece": 0, "min_level": 1, "due_at": DUE, "eligible_community_ids": ["comm-001"]}),
    "ChangeRate": ("POST", "/api/v1/orders/no-such-order/rate", "ent1", {"piece_rate_fen": 31, "reason": "why"}),
    "IssueMaterials": ("POST", "/api/v1/materials/issue", "coord1", {
        "lot_id": "no-such-lot", "resident_id": "{resident}", "pieces": 10}),
    "ReturnMaterials": ("POST", "/api/v1/materials/return", "coord1", {
        "lot_id": "no-such-lot", "resident_id": "{resident}", "unused_pieces": 1, "scrap_pieces": 0}),
    "SubmitOutput": ("POST", "/api/v1/residents/{resident}/submissions", "coord1", {
        "lot_id": "no-such-lot", "pieces": 10, "minutes_spent": 30}),
    "RecordInspection": ("POST", "/api/v1/inspections", "coord1", {
        "submission_id": "no-such-sub", "passed": 9, "rejected": 1, "defect_codes": ["SEAL"]}),
    "RecordPayout": ("POST", "/api/v1/payouts", "coord1", {
        "resident_id": "{resident}", "period_id": "2026-11-A", "amount_fen": 100, "method": "cash",
        "reference": "r1"}),
    "DecideAppeal": ("POST", "/api/v1/appeals/no-such-appeal/decision", "coord1", {
        "decision": "uphold", "reason": "why", "passed": 1, "rejected": 0}),
    "PostAdjustment": ("POST", "/api/v1/adjustments", "coord1", {
        "resident_id": "{resident}", "kind": "bonus", "amount_fen": 100, "reason": "why"}),
    "RequestCorrection": ("POST", "/api/v1/correction-requests", "coord1", {
        "corrects_inspection_id": "no-such-inspection", "passed": 1, "rejected": 0, "reason": "why"}),
    "AddMinimumWage": ("POST", "/api/v1/minimum-wages", "city", {
        "division": "370102", "hourly_fen": 2600, "monthly_fen": 260000, "effective_from": "2030-01-01",
        "source": "strict-type test"}),
    "ChangeCommunitySettings": ("PUT", "/api/v1/communities/comm-001/settings", "coord1", {
        "debt_recovery_cap_bps": 1500}),
}
NOT_INTEGERS = [True, "200", 200.0]


def integer_places(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(property, where) of every integer a command's JSON Schema holds: 'value', 'slot' or 'map'."""
    found = []
    for name, prop in schema["properties"].items():
        options = prop.get("anyOf", [prop])
        if any(o.get("type") == "integer" for o in options):
            found.append((name, "value"))
        elif any(o.get("type") == "array" and o.get("items", {}).get("prefixItems") for o in options):
            found.append((name, "slot"))
        elif any(o.get("type") == "object" and o.get("additionalProperties", {}).get("type") == "integer"
                 for o in options):
            found.append((name, "map"))
    return found


CASES = [(cmd.__name__, name, where) for cmd in command_types()
         for name, where in integer_places(cmd.model_json_schema())]


def test_every_command_with_an_integer_has_a_route_to_attack() -> None:
    assert {name for name, _, _ in CASES} <= set(ROUTES)
    assert {"PostOrder", "RecordInspection", "RecordPayout"} <= {name for name, _, _ in CASES}


def spoiled(body: dict[str, Any], name: str, where: str, bad: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    if where == "value":
        body[name] = bad
    elif where == "slot":
        body[name] = [[bad, 540, 720]]
    else:
        body[name] = {"sewing": bad}
    return body


def fingerprint(world: Any) -> dict[str, int]:
    """Rows in every table: a refused request changes none of them."""
    meta = MetaData()
    meta.reflect(world.engine)
    with world.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in meta.sorted_tables}


@pytest.mark.parametrize(("command", "name", "where"), CASES, ids=[f"{c}.{n}" for c, n, _ in CASES])
def test_a_non_integer_where_an_integer_is_meant_is_refused_naming_the_field(world: Any, command: str, name: str,
                                                                         where: str) -> None:
    method, path, user, body = ROUTES[command]
    cmd = next(c for c in command_types() if c.__name__ == command)
    fill = json.dumps(body).replace("{resident}", world.resident)
    cmd.model_validate_json(fill)  # the untouched body passes the schema: only the spoiled field is wrong
    before = fingerprint(world)
    for bad in NOT_INTEGERS:
        reply = world.client.request(method, path.replace("{resident}", world.resident), headers=world.headers[user],
                                     json=spoiled(json.loads(fill), name, where, bad))
        assert reply.status_code == 422, (bad, reply.text)
        fields = [p["field"] for p in reply.json()["detail"]]
        assert any(f == name or f.startswith(f"{name}.") for f in fields), (bad, reply.json())
    assert fingerprint(world) == before


def test_a_piece_rate_of_true_posts_no_order_and_a_string_quantity_none_either(world: Any) -> None:
    before = fingerprint(world)
    _, path, user, body = ROUTES["PostOrder"]
    for spoil in ({"piece_rate_fen": True}, {"quantity": "200"}, {"quantity": 200.0}):
        reply = world.client.post(path, headers=world.headers[user], json=body | spoil)
        assert reply.status_code == 422
        assert reply.json()["detail"][0]["field"] == next(iter(spoil))
    assert fingerprint(world) == before
