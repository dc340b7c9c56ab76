"""Loading a city plan into an empty database: through the use cases the API runs, or in bulk for large cities."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from schemas.catalogue import consumers_of, topic_of
from schemas.envelope import Event
from schemas.events.people import ResidentRegistered, SiteRegistered
from services.demo.city import DEMO_PASSWORD, CityPlan
from store.db import reading, transaction
from store.outbox import record_events
from store.tables import AuditRecord, Community, OutboxEvent, Resident, Site, User
from usecases import registry as uc
from usecases.actors import SYSTEM
from usecases.auth import create_user, hash_password
from usecases.context import Context
from usecases.settings import Settings

T = TypeVar("T")
CHUNK = 5000
LOGIN_SAMPLE = 5  # residents per community who get a sign-in in a bulk load (those with a phone among the first)
Progress = Callable[[int], None]


def is_empty(engine: Engine) -> bool:
    with reading(engine) as session:
        return int(session.exec(select(func.count()).select_from(Community)).one()) == 0


def load_city(engine: Engine, settings: Settings, plan: CityPlan, *, resident_logins: bool = True,
              bulk: bool = False, progress: Progress | None = None) -> None:
    """Register everything in the plan in one transaction; the demo sign-ins share DEMO_PASSWORD.

    `bulk` skips the per-row use cases for sites, residents and sign-ins (a province slice has
    100,000 residents): rows go in with batched INSERTs, their events still go to the outbox,
    and only a sample of residents gets a sign-in. `progress` is told how many residents went in.
    """
    ctx = Context.live(settings, producer="demo")
    password_hash = hash_password(DEMO_PASSWORD)  # argon2 is slow by design: hash once, share it
    with transaction(engine) as session:
        for community in plan.communities:
            uc.register_community(session, community, actor=SYSTEM, ctx=ctx)
        for enterprise in plan.enterprises:
            uc.register_enterprise(session, enterprise, actor=SYSTEM, ctx=ctx)
        for product in plan.products:
            uc.register_product(session, product, actor=SYSTEM, ctx=ctx)
        session.flush()
        if bulk:
            _bulk_people(session, plan, ctx, password_hash, resident_logins=resident_logins, progress=progress)
            return
        for site in plan.sites:
            record_events(session, uc.register_site(session, site, actor=SYSTEM, ctx=ctx))
        session.flush()
        for resident in plan.residents:
            wants_login = resident_logins and resident.password is not None
            record_events(session, uc.register_resident(
                session, resident.model_copy(update={"password": None}), actor=SYSTEM, ctx=ctx,
                password_hash=password_hash if wants_login else None))
            if progress:
                progress(1)
        for user in plan.users:
            create_user(session, password=DEMO_PASSWORD, **user)  # type: ignore[arg-type]


def bulk_login_ids(plan: CityPlan) -> set[str]:
    """Residents who get a sign-in in a bulk load: those with a phone among the first LOGIN_SAMPLE of each community."""
    seen: dict[str, int] = {}
    chosen = set()
    for r in plan.residents:
        n = seen[r.community_id] = seen.get(r.community_id, 0) + 1
        if n <= LOGIN_SAMPLE and r.password is not None:
            chosen.add(r.resident_id)
    return chosen


def _bulk_people(session: Session, plan: CityPlan, ctx: Context, password_hash: str, *, resident_logins: bool,
                 progress: Progress | None) -> None:
    """Sites, residents and sign-ins in batched INSERTs, with the same events and audit lines the use cases write."""
    site_rows = [{"id": s.site_id, **s.model_dump(exclude={"site_id"})} for s in plan.sites]
    site_events = [SiteRegistered(**ctx.envelope(s.community_id), site_id=s.site_id, kind=s.kind, seats=s.seats)
                   for s in plan.sites]
    _insert(session, Site, site_rows)
    _insert(session, OutboxEvent, _outbox_rows(site_events))
    _insert(session, AuditRecord, [_audit_row(ctx, "site.register", s.site_id) for s in plan.sites])
    for batch in _chunks(plan.residents, CHUNK):
        rows = [{"id": r.resident_id, "registered_at": ctx.now, "pieces_per_hour": {},
                 **r.model_dump(exclude={"resident_id", "password"})} for r in batch]
        events = [ResidentRegistered(**ctx.envelope(r.community_id), resident_id=r.resident_id,
                                     work_mode=r.work_mode, skills=r.skills, priority_group=r.priority_group)
                  for r in batch]
        _insert(session, Resident, rows)
        _insert(session, OutboxEvent, _outbox_rows(events))
        _insert(session, AuditRecord, [_audit_row(ctx, "resident.register", r.resident_id) for r in batch])
        if progress:
            progress(len(batch))
    logins = bulk_login_ids(plan) if resident_logins else set()
    users: list[dict[str, Any]] = [
        {"username": r.resident_id, "role": "resident", "display_name": r.name, "resident_id": r.resident_id,
         "community_ids": [r.community_id]} for r in plan.residents if r.resident_id in logins]
    _insert(session, User, [{"password_hash": password_hash, "resident_id": None, "enterprise_id": None,
                             "community_ids": [], "display_name": "", **u} for u in [*users, *plan.users]])


def _outbox_rows(events: Sequence[Event]) -> list[dict[str, Any]]:
    return [{"event_id": str(e.event_id), "topic": topic_of(e).name, "key": e.key, "type": e.type,
             "payload": e.model_dump_json(), "created_at": e.occurred_at,
             "settled": not consumers_of(topic_of(e).name, e.type), "deliveries": 0} for e in events]


def _audit_row(ctx: Context, action: str, subject: str) -> dict[str, Any]:
    return {"at": ctx.now, "actor": SYSTEM.username, "role": SYSTEM.role, "action": action, "subject": subject,
            "on_behalf_of": None, "detail": {"bulk": True}}


def _insert(session: Session, table: type[Any], rows: list[dict[str, Any]]) -> None:
    for batch in _chunks(rows, CHUNK):
        session.execute(insert(table), batch)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
