"""Every operation of the OpenAPI, fuzzed by schemathesis: no 5xx, 4xx name field and reason, rejects change nothing.

A 4xx asked without Accept-Language (as every request here is) speaks Chinese: no English sentence in its reasons.

Requests are made as a signed-in coordinator (valid and invalid data) and as an enterprise and a resident
(valid data), against a seeded city; every table's rows are fingerprinted before and after each rejected call.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, select

from domain.pay.periods import period_for
from services.api.app import create_app
from store.db import reading
from store.tables import Inspection, Lot, Offer
from usecases.settings import Settings

OPERATIONS = sorted(create_app(Settings(DATABASE_URL="sqlite://", DEMO=False)).openapi()["paths"].items())
# /health answers 503 when the broker or the worker is down (none runs here): that is its contract, not a fault.
LABELS = [f"{method.upper()} {path}" for path, item in OPERATIONS for method in item if path != "/health"]
# A refused sign-in is written down on purpose: it counts towards locking the account.
# A refused sign-in is counted by the throttle (issue 20), in the database so every API replica sees it.
MAY_CHANGE_ON_REJECT = {"POST /api/v1/auth/token": {"sign_in_throttle"}}
# (who, what kind of data, examples, path parameters pinned to real records)
ROLES = [("coord1", GenerationMode.POSITIVE, 6, False), ("coord1", GenerationMode.NEGATIVE, 6, False),
         ("coord1", GenerationMode.POSITIVE, 5, True), ("coord1", GenerationMode.NEGATIVE, 3, True),
         ("ent1", GenerationMode.POSITIVE, 3, True), ("resident", GenerationMode.POSITIVE, 3, True)]


def real_ids(world: Any) -> dict[str, str]:
    """Ids of records that exist in comm-001, so generated requests also reach the code behind the lookups."""
    with reading(world.engine) as session:
        lot = session.exec(select(Lot).where(Lot.community_id == "comm-001", Lot.status == "done")).first()
        inspection = session.exec(select(Inspection).where(Inspection.lot_id == (lot.id if lot else ""))).first()
        offer = session.exec(select(Offer).where(Offer.community_id == "comm-001")).first()
    assert lot and inspection and offer
    return {"resident_id": world.resident, "order_id": lot.order_id, "lot_id": lot.id, "offer_id": offer.id,
            "inspection_id": inspection.id, "community_id": "comm-001", "enterprise_id": "ent-01",
            "period_id": period_for(datetime.now(UTC)).period_id, "appeal_id": "apl-none"}


def fingerprint(engine: Engine) -> dict[str, str]:
    """A digest of every row of every table."""
    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(text(f'SELECT * FROM "{table.name}" ORDER BY 1')).all()
            out[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return out


class Fingerprints:
    """`fingerprint(engine)` of a SQLite database, computed again only after another connection committed.

    SQLite's `PRAGMA data_version`, read on a connection of its own, changes exactly when another connection has
    committed since the last read; the digest of every table (≈ 12 ms) is therefore the same until it changes. Taking
    it before every generated request was a third of this file's time (make test over 15 minutes on two cores).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.watch = sqlite3.connect(str(engine.url.database), isolation_level=None)
        self.version: int | None = None
        self.digest: dict[str, str] = {}

    def now(self) -> dict[str, str]:
        version = self.watch.execute("PRAGMA data_version").fetchone()[0]
        if version != self.version:
            self.version, self.digest = version, fingerprint(self.engine)
        return self.digest


@cache
def schema(app: Any) -> Any:
    """The app's OpenAPI as schemathesis reads it: once per app, not once per operation (≈ 0.4 s each)."""
    return schemathesis.openapi.from_asgi("/openapi.json", app)


# Three English words in a row, once what is quoted ('FOO', 「一块」) is taken out: a sentence a Chinese reader meets.
ENGLISH = re.compile(r"[A-Za-z]+(?:,? [A-Za-z]+){2,}")
QUOTED = re.compile(r"'[^']*'|「[^」]*」")


def strings_in(value: Any) -> list[str]:
    """Every string a request sent (its body's, at any depth, and its address's parts), longest first."""
    if isinstance(value, str):
        return [value, *re.split(r"[/?&=]", value)]
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in (*strings_in(k), *strings_in(v))]
    if isinstance(value, list | tuple):
        return [x for v in value for x in strings_in(v)]
    return []


def english_in(body: Any, sent: Any = None) -> str | None:
    """The first English sentence in an error's reasons, or None; what the request itself sent and the reason quotes
    back ('没有这位居民：^sign in first.*$', a fuzzed id) is not the product speaking English."""
    echoed = sorted({x for x in strings_in(sent) if len(x) > 2}, key=len, reverse=True)
    for d in body.get("detail", []) if isinstance(body, dict) else []:
        reason = str(d.get("reason", "")) if isinstance(d, dict) else ""
        for quoted in echoed:
            reason = reason.replace(quoted, "")
        found = ENGLISH.search(QUOTED.sub("", reason))
        if found:
            return found.group(0)
    return None


def problems_named(body: Any) -> bool:
    """The error shape: {"detail": [{"field": ..., "reason": ...}, ...]} with both filled in."""
    detail = body.get("detail") if isinstance(body, dict) else None
    return bool(detail) and isinstance(detail, list) and all(
        isinstance(d, dict) and isinstance(d.get("field"), str) and isinstance(d.get("reason"), str) and d["reason"]
        for d in detail)


@pytest.mark.parametrize("label", LABELS)
def test_fuzzed_requests_get_no_5xx_and_rejections_change_nothing(label: str, world: Any) -> None:
    app, engine = world.app, world.engine
    headers = {**world.headers, "resident": world.headers[world.resident]}
    pinned = {k: v for k, v in real_ids(world).items() if "{" + k + "}" in label}
    operation = schema(app).find_operation_by_label(label)
    assert operation is not None
    failures: list[str] = []
    client = TestClient(app)
    prints = Fingerprints(engine)

    for user, mode, examples, pin in ROLES:
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=pinned if pin else None)
        try:
            attack(f"{label} as {user} ({mode})", strategy, examples, client, prints, headers[user], failures)
        except Unsatisfiable:  # nothing left to make invalid (no parameters, no body, or all pinned)
            assert mode == GenerationMode.NEGATIVE, label
    prints.watch.close()
    assert not failures, "\n".join(failures[:10])


def attack(who: str, strategy: Any, examples: int, client: TestClient, prints: Fingerprints, auth: dict[str, str],
           failures: list[str]) -> None:
    """Send generated requests; note 5xx, 4xx without field and reason, and rejections that changed a table."""
    label = who.split(" as ")[0]

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def send(case: Any) -> None:
        before = prints.now()
        kwargs = case.as_transport_kwargs(headers=auth)
        sent = {k: v for k, v in kwargs.items() if k not in ("base_url", "verify", "allow_redirects")}
        where = f"{who}: {kwargs.get('url')} {str(kwargs.get('json'))[:300]}"
        try:
            reply = client.request(**sent)
        except Exception as exc:  # noqa: BLE001 - the server raised: a 500 with its cause
            failures.append(f"{where} -> 500 {type(exc).__name__}: {str(exc)[:300]}")
            return
        if reply.status_code >= 500:
            failures.append(f"{where} -> {reply.status_code} {reply.text[:300]}")
        elif reply.status_code >= 400:
            body = reply.json() if "json" in reply.headers.get("content-type", "") else None
            if not problems_named(body):
                failures.append(f"{where} -> {reply.status_code} without field and reason: {reply.text[:300]}")
            elif english_in(body, sent):
                failures.append(f"{where} -> {reply.status_code} in English ({english_in(body, sent)!r}): "
                                f"{reply.text[:300]}")
            after = prints.now()
            changed = {t for t in before if before[t] != after[t]} - MAY_CHANGE_ON_REJECT.get(label, set())
            if changed:
                failures.append(f"{where} -> {reply.status_code} yet changed {sorted(changed)}")

    send()


def test_the_fingerprint_is_taken_again_after_any_commit_of_the_app_s_connections(world: Any) -> None:
    """What lets the fuzzing skip the digest: a commit through the app's engine is seen, an unchanged database not."""
    prints = Fingerprints(world.engine)
    before = prints.now()
    assert prints.now() is before  # nothing committed: the same digest, not taken again
    with world.engine.begin() as conn:
        name = conn.execute(text("SELECT name FROM resident WHERE id = :id"), {"id": world.resident}).scalar_one()
        conn.execute(text("UPDATE resident SET name = :n WHERE id = :id"), {"n": name + "x", "id": world.resident})
    changed = prints.now()
    with world.engine.begin() as conn:
        conn.execute(text("UPDATE resident SET name = :n WHERE id = :id"), {"n": name, "id": world.resident})
    assert changed["resident"] != before["resident"]
    assert prints.now() == before
    prints.watch.close()
