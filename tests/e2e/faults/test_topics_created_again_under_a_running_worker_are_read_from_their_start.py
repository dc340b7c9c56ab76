"""A topic deleted and created again on the live broker (by an operator, or a broker that lost its data) while the
worker runs: the worker reads the new topics from their start, so what is published there is applied at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from kafka.admin import KafkaAdminClient
from sqlalchemy import func
from sqlmodel import select

from bench.chaos_checks import Inputs, assert_nothing_lost_nothing_twice, lost_inputs
from bench.workload import post_orders, work_step
from schemas.catalogue import CATALOGUE
from services.broker import provision_topics, topic_ids
from services.demo.city import build_city
from services.demo.seed import load_city
from services.harness import System, scratch_postgres, wait_until
from store.db import reading
from store.tables import LedgerEntry, Lot
from tests.e2e.conftest import running_city


def _delete_and_create_again(system: System) -> None:
    """What an operator may do on a live broker: delete every catalogue topic, then create them again."""
    admin = KafkaAdminClient(bootstrap_servers=system.settings.bootstrap, client_id="test-operator")
    try:
        admin.delete_topics([spec.name for spec in CATALOGUE])
    finally:
        admin.close()
    time.sleep(0.5)
    provision_topics(system.settings.bootstrap)


def _restart_the_broker_empty(system: System) -> None:
    """The embedded broker keeps everything in memory: restarted, it has lost every topic and offset."""
    system.kill("broker")
    system.start_broker()  # its topics created again at once


# Redelivery by age is put off for ten minutes: only the worker reading the new topics from their start applies what
# lands there below the positions it had reached on the old ones (the new order at offset 0 of a partition the
# splitter had read past; the inspections on the earnings consumer's topic).
SLOW_REDELIVERY = {"REDELIVERY_AFTER_S": "600"}


@pytest.mark.parametrize("lose_topics", [_delete_and_create_again, _restart_the_broker_empty],
                         ids=["deleted-and-created-again", "broker-restarted-empty"])
def test_events_on_topics_created_again_under_the_running_worker_are_applied_promptly(
        tmp_path: Path, lose_topics: Callable[[System], None]) -> None:
    with running_city(tmp_path, SLOW_REDELIVERY) as system:
        _applied_promptly_after(system, lose_topics)


@pytest.mark.postgres
def test_on_postgresql_too(tmp_path: Path) -> None:
    with scratch_postgres("mf_e2e") as url:
        system = System(tmp_path, database_url=url, extra_env=SLOW_REDELIVERY)
        try:
            load_city(system.engine, system.settings, build_city(communities=1, residents_per_community=12))
            system.start_all()
            _applied_promptly_after(system, _delete_and_create_again)
        finally:
            system.stop()  # and the invariants checked on its database (tests/e2e/conftest.py)


def _applied_promptly_after(system: System, lose_topics: Callable[[System], None]) -> None:
    """Work and pay an order, `lose_topics` under the running worker, then work and pay another: every input applied
    within 25 s, nothing lost, nothing twice, the ledger exact."""
    inputs = Inputs()
    post_orders(system, 1, inputs)
    _work_until_inspected(system, inputs, more_than=0)
    wait_until(lambda: _all_applied(system, inputs), timeout=30, what="the first order worked and paid", system=system)
    before = topic_ids(system.settings.bootstrap)

    lose_topics(system)  # the worker, the relay and the API keep running
    after = topic_ids(system.settings.bootstrap)
    assert before and after and all(after[name] != before[name] for name in before)

    post_orders(system, 1, inputs)
    _work_until_inspected(system, inputs, more_than=len(inputs.inspections))
    wait_until(lambda: _all_applied(system, inputs), timeout=25, what="the events published on the new topics applied",
               system=system)
    assert len(inputs.orders) == 2
    assert_nothing_lost_nothing_twice(system.engine, inputs)
    with reading(system.engine) as session:  # every passed piece paid once, at the orders' rate (bench.workload: 61)
        paid = session.exec(select(func.sum(LedgerEntry.amount_fen))).one()
        passed = session.exec(select(func.sum(Lot.pieces_passed))).one()
    assert paid == passed * 61 and paid > 0


def _all_applied(system: System, inputs: Inputs) -> bool:
    with reading(system.engine) as session:
        return not lost_inputs(session, inputs)


def _work_until_inspected(system: System, inputs: Inputs, *, more_than: int) -> None:
    """Everyone works (bench.workload.work_step) until more than `more_than` inspections are recorded."""
    deadline = time.monotonic() + 30
    while len(inputs.inspections) <= more_than:
        assert time.monotonic() < deadline, f"no inspection past the first {more_than} within 30 s of work"
        work_step(system, inputs)
        time.sleep(0.5)
