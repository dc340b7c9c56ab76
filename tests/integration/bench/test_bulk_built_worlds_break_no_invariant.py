"""The benchmarks' bulk-built worlds are worlds the product could have produced: `microfactory audit`'s checks
(usecases.invariants) find nothing in them, before the earnings consumer has paid the month and after."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select

from bench.pay_latency import PROBE
from bench.work_world import build_work
from services.demo.city import build_sized_city
from store.db import reading
from store.tables import Lot, Offer, Order
from usecases.inline import pump
from usecases.invariants import check
from usecases.settings import Settings


def audit(engine: Engine) -> list[dict[str, object]]:
    violations, _ = check(engine)
    return [v.as_dict() for v in violations]


def test_the_bench_month_with_corrections_and_an_idle_probe_breaks_no_invariant_before_and_after_pay(
        engine: Engine, settings: Settings) -> None:
    work = build_work(engine, settings, inspections=400, seed=4, corrections_every=7, idle=frozenset({PROBE}))
    assert audit(engine) == []  # inspections not paid yet: in flight, every other check speaks
    pump(engine, settings)
    assert audit(engine) == []
    with reading(engine) as session:
        lots = {lot.id: lot for lot in session.exec(select(Lot))}
        offers = session.exec(select(Offer)).all()
        orders = session.exec(select(Order)).all()
    assert sorted(o.lot_id for o in offers if o.status == "accepted") == sorted(lots)
    assert sum(o.quantity for o in orders) == sum(lot.pieces for lot in lots.values())
    probe = lots[work.lots[PROBE]]
    assert (probe.status, probe.pieces_submitted, probe.pieces_issued) == ("in_work", 0, probe.pieces)
    assert probe.pieces >= 600  # the pay-latency probe hands in up to 300 × 2 pieces


def test_the_bulk_loaded_city_with_five_products_and_on_site_workers_breaks_no_invariant(
        engine: Engine, settings: Settings) -> None:
    build_work(engine, settings, inspections=600, seed=17, plan=build_sized_city("community", seed=17))
    pump(engine, settings)
    assert audit(engine) == []
    with reading(engine) as session:
        products = set(session.exec(select(Order.product_code)))
        modes = set(session.exec(select(Lot.mode)))
    assert len(products) > 1 and modes == {"home", "onsite"}
