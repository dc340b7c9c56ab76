"""The simulator's cities: the same seed gives the same city, the sizes have the promised counts, and the
bulk loader writes the same rows and events as the use cases, for a sample of sign-ins."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from services.demo.city import SIZES, build_city, build_sized_city, can_do_the_posted_work
from services.demo.seed import LOGIN_SAMPLE, bulk_login_ids, load_city
from store.db import make_engine, reading
from store.migrate import upgrade
from store.tables import AuditRecord, OutboxEvent, Resident, Site, User
from usecases.settings import Settings


def count(engine: Engine, model: type, *where: object) -> int:
    with reading(engine) as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())  # type: ignore[arg-type]


def test_the_same_seed_gives_the_same_city_and_another_seed_another() -> None:
    first, again, other = (build_sized_city("community", seed=s) for s in (3, 3, 4))
    assert first.residents == again.residents and first.traits == again.traits and first.sites == again.sites
    assert first.product_mix == again.product_mix
    assert [r.name for r in first.residents] != [r.name for r in other.residents]


def test_sizes_have_the_promised_counts() -> None:
    community, city = build_sized_city("community"), build_sized_city("city")
    assert (len(community.sites), len(community.residents)) == (5, 200)
    assert len(city.sites) >= 100 and len(city.residents) >= 5000
    province = SIZES["province"]
    assert province.communities * province.residents_per_community == 100_000
    assert set(city.traits) == {r.resident_id for r in city.residents}
    kinds = {t.kind for t in city.traits.values()}
    assert kinds == {"retiree", "parent", "disabled"}
    assert all(r.work_mode == "home" for r in city.residents if city.traits[r.resident_id].kind == "disabled")


def test_the_demo_size_is_the_city_make_run_loads() -> None:
    # build_city's, with comm-001's residents without a phone able to do the posted work (b4cad94), as load_demo loads
    assert build_sized_city("demo").residents == can_do_the_posted_work(build_city(), "comm-001").residents


def test_bulk_load_writes_every_row_event_and_a_sample_of_sign_ins(engine: Engine, settings: Settings) -> None:
    plan = build_sized_city("community", seed=5)
    seen: list[int] = []
    load_city(engine, settings, plan, bulk=True, progress=seen.append)
    assert sum(seen) == 200
    assert count(engine, Site) == 5 and count(engine, Resident) == 200
    assert count(engine, OutboxEvent, OutboxEvent.type == "resident.registered") == 200
    assert count(engine, OutboxEvent, OutboxEvent.type == "site.registered") == 5
    assert count(engine, AuditRecord, AuditRecord.action == "resident.register") == 200
    logins = bulk_login_ids(plan)
    assert 0 < len(logins) <= LOGIN_SAMPLE
    assert count(engine, User, User.role == "resident") == len(logins)
    assert count(engine, User, User.role != "resident") == len(plan.users)


def test_bulk_rows_equal_the_rows_the_use_cases_write(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    plan = build_city(seed=9, communities=2, residents_per_community=8)
    load_city(engine, settings, plan, bulk=True)
    other_url = f"sqlite:///{tmp_path / 'by-use-case.db'}"
    upgrade(other_url)
    other = make_engine(other_url)
    load_city(other, settings, plan)

    def rows(eng: Engine) -> list[dict[str, object]]:
        with reading(eng) as session:
            found = session.exec(select(Resident).order_by(Resident.id))
            return [r.model_dump(exclude={"registered_at"}) for r in found]

    def sites(eng: Engine) -> list[dict[str, object]]:
        with reading(eng) as session:
            return [s.model_dump() for s in session.exec(select(Site).order_by(Site.id))]

    assert rows(engine) == rows(other) and sites(engine) == sites(other)
    other.dispose()
