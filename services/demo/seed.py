"""Loading a city plan into an empty database through the same use cases the API runs."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import func, select

from services.actors import SYSTEM
from services.auth import create_user, hash_password
from services.demo.city import DEMO_PASSWORD, CityPlan
from services.handlers import registry as uc
from services.handlers.context import Context
from services.settings import Settings
from services.store.db import reading, transaction
from services.store.outbox import record_events
from services.store.tables import Community


def is_empty(engine: Engine) -> bool:
    with reading(engine) as session:
        return int(session.exec(select(func.count()).select_from(Community)).one()) == 0


def load_city(engine: Engine, settings: Settings, plan: CityPlan, *, resident_logins: bool = True) -> None:
    """Register everything in the plan in one transaction; the demo sign-ins share DEMO_PASSWORD."""
    ctx = Context.live(settings, producer="demo")
    password_hash = hash_password(DEMO_PASSWORD)
    with transaction(engine) as session:
        for community in plan.communities:
            uc.register_community(session, community, actor=SYSTEM, ctx=ctx)
        for enterprise in plan.enterprises:
            uc.register_enterprise(session, enterprise, actor=SYSTEM, ctx=ctx)
        for product in plan.products:
            uc.register_product(session, product, actor=SYSTEM, ctx=ctx)
        session.flush()
        for site in plan.sites:
            record_events(session, uc.register_site(session, site, actor=SYSTEM, ctx=ctx))
        session.flush()
        for resident in plan.residents:
            wants_login = resident_logins and resident.password is not None
            record_events(session, uc.register_resident(
                session, resident.model_copy(update={"password": None}), actor=SYSTEM, ctx=ctx,
                password_hash=password_hash if wants_login else None))
        for user in plan.users:
            create_user(session, password=DEMO_PASSWORD, **user)  # type: ignore[arg-type]
