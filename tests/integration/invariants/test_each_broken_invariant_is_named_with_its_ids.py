"""Each invariant broken once, by hand-written SQL in a copy of a healthy database, is named with its ids.

The healthy world is built once per backend; each case corrupts its own copy (a file copy on SQLite,
CREATE DATABASE … TEMPLATE on PostgreSQL), so the cases cannot leak into each other.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from store.db import make_engine
from tests.integration.invariants.healthy_world import COMMUNITY, World, build
from usecases.invariants import check
from usecases.settings import Settings

PG = "postgresql://postgres@127.0.0.1:5432"
LEDGER_COLUMNS = ("entry_key, kind, resident_id, order_id, enterprise_id, community_id, lot_id, inspection_id, "
                  "pieces, rate_centifen, amount_fen, period_id, reverses_entry_key, memo, posted_at")
OFFER_COLUMNS = ("lot_id, community_id, status, pieces, piece_rate_centifen, explanation_zh, explanation_en, reasons, "
                 "dispatched_by, work_minutes, override_rules, override_reason, offered_at, expires_at, on_behalf")


@dataclass(frozen=True)
class Healthy:
    """A healthy database (never touched by the cases) and how to copy it."""

    url: str
    world: World
    backend: str

    def copy(self) -> str:
        if self.backend == "sqlite":
            source = Path(self.url.removeprefix("sqlite:///"))
            target = source.with_name(f"copy-{uuid.uuid4().hex[:8]}.db")
            shutil.copyfile(source, target)
            return f"sqlite:///{target}"
        name = f"mf_inv_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"{PG}/test", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.url.rsplit("/", 1)[1]}"')
        return f"{PG}/{name}"


def _drop(url: str) -> None:
    if url.startswith("postgresql"):
        with psycopg.connect(f"{PG}/test", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def healthy(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Healthy]:
    root = tmp_path_factory.mktemp("invariants")
    if request.param == "sqlite":
        url = f"sqlite:///{root / 'healthy.db'}"
    else:
        url = f"{PG}/mf_inv_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"{PG}/test", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')
    from tests.conftest import prepare  # the same migration as every other integration test

    prepare(url)
    engine = make_engine(url, pooled=False)
    world = build(engine, Settings(DATABASE_URL=url, LOG_DIR=root / "logs", DEMO=False))
    engine.dispose()
    if request.param == "sqlite":  # fold the WAL into the file, so a file copy is the whole database
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    yield Healthy(url, world, request.param)
    _drop(url)


@dataclass(frozen=True)
class Case:
    """One corruption: the check that must name it, its SQL (str.format'ed with w = World) and the ids named."""

    check: str
    sql: tuple[str, ...]
    ids: tuple[tuple[str, str], ...]  # (key in the violation, format of the expected value)

    def statements(self, w: World, postgres: bool) -> list[str]:
        """The SQL for this world and backend; {off}/{on} stand for taking the ledger's guard away and back."""
        off = "ALTER TABLE ledger_entry DISABLE TRIGGER USER" if postgres else \
            "DROP TRIGGER IF EXISTS ledger_entry_no_update"
        on = "ALTER TABLE ledger_entry ENABLE TRIGGER USER" if postgres else ""
        drop = "ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_append_only" if postgres else \
            "DROP TRIGGER ledger_entry_no_update"
        text = [x.format(w=w, c=COMMUNITY, off=off, on=on, drop=drop, ledger=LEDGER_COLUMNS, offer=OFFER_COLUMNS)
                for x in self.sql]
        return [x for x in text if x]

    def expected(self, w: World) -> dict[str, str]:
        return {k: v.format(w=w, c=COMMUNITY) for k, v in self.ids}


ORDER, LOT, OFFERED = (("order_id", "{w.order_id}"),), (("lot_id", "{w.done_lot}"),), ("lot_id", "{w.offered_lot}")
PLATE = (("resident_id", "{w.offered_to}"), OFFERED, ("offer_id", "{w.offer_id}"))
PERIOD = (("community_id", "{c}"), ("period_id", "{w.period_id}"))
COPY_PAY = "FROM ledger_entry WHERE entry_key = '{w.pay_entry}'"
CASES: dict[str, Case] = {
    "offered + issued exceed the order": Case(
        "over_issued", ("UPDATE offer SET pieces = 15 WHERE id = '{w.offer_id}'",), ORDER),
    "more issued than the lot holds": Case(
        "over_issued", ("UPDATE lot SET pieces_issued = 12 WHERE id = '{w.done_lot}'",), LOT),
    "lots that do not add up to the order": Case(
        "lot_pieces_differ_from_order", ("UPDATE \"order\" SET quantity = 30 WHERE id = '{w.order_id}'",), ORDER),
    "first hand-ins beyond what was issued": Case(
        "submitted_exceeds_issued",
        ("UPDATE lot SET pieces_submitted = 12, pieces_resubmitted = -2 WHERE id = '{w.done_lot}'",), LOT + ORDER),
    "more passed than handed in": Case(
        "passed_exceeds_submitted",
        ("UPDATE lot SET pieces_submitted = 7, pieces_resubmitted = 3 WHERE id = '{w.done_lot}'",), LOT),
    "counters that no record explains": Case(
        "lot_counts_disagree_with_records", ("UPDATE lot SET pieces_pending = 1 WHERE id = '{w.done_lot}'",), LOT),
    "a finished lot still in work": Case(
        "lot_status_disagrees", ("UPDATE lot SET status = 'in_work' WHERE id = '{w.done_lot}'",), LOT),
    "an open lot with a pending offer": Case(
        "lot_status_disagrees", ("UPDATE lot SET status = 'open' WHERE id = '{w.offered_lot}'",),
        (OFFERED, ("offer_id", "{w.offer_id}"))),
    "two live offers of one lot": Case(
        "several_live_offers", ("INSERT INTO offer (id, resident_id, {offer}) SELECT 'ofr-second', '{c}-1', {offer} "
                                "FROM offer WHERE id = '{w.offer_id}'",), (OFFERED,)),
    "an order called fulfilled with work left": Case(
        "order_status_disagrees", ("UPDATE \"order\" SET status = 'fulfilled' WHERE id = '{w.order_id}'",), ORDER),
    "more lots than the open-lot limit": Case(
        "open_lot_limit_exceeded", ("UPDATE resident SET max_open_lots = 0 WHERE id = '{w.offered_to}'",), PLATE[:2]),
    "an offer to a resident without the skill": Case(
        "lacks_skill", ("UPDATE resident SET skills = '{{}}' WHERE id = '{w.offered_to}'",), PLATE),
    "more work than the resident's hours finish in time": Case(
        "over_committed", ("UPDATE resident SET availability = '[[0, 0, 1]]' WHERE id = '{w.offered_to}'",), PLATE),
    "an override without a reason": Case(
        "override_without_reason", ("UPDATE offer SET override_rules = '[\"skill\"]' WHERE id = '{w.offer_id}'",),
        (("offer_id", "{w.offer_id}"), ("resident_id", "{w.offered_to}"))),
    "a ledger line changed by one fen": Case(
        "ledger_differs", ("{off}", "UPDATE ledger_entry SET amount_fen = amount_fen + 1 "
                                    "WHERE entry_key = '{w.pay_entry}'", "{on}"),
        (("scope", "resident"), ("resident_id", "{w.worker}"))),
    "a ledger that no longer refuses updates": Case(
        "ledger_not_append_only", ("{drop}",), (("table", "ledger_entry"),)),
    "a reversal that does not mirror its original": Case(
        "ledger_not_append_only", (
            "INSERT INTO ledger_entry ({ledger}) SELECT entry_key || ':r', 'reversal', resident_id, order_id, "
            "enterprise_id, community_id, lot_id, inspection_id, -pieces, rate_centifen, 1 - amount_fen, period_id, "
            "entry_key, 'x', posted_at " + COPY_PAY,), (("reverses_entry_key", "{w.pay_entry}"),)),
    "a closed period whose total moved": Case(
        "closed_period_changed",
        ("UPDATE pay_period SET total_fen = total_fen + 1 WHERE period_id = '{w.period_id}'",), PERIOD),
    "a debt dropped at the close": Case(
        "debt_not_carried", (
            "INSERT INTO ledger_entry ({ledger}) SELECT entry_key || ':d', 'adjustment', resident_id, NULL, NULL, "
            "community_id, NULL, NULL, 0, 0, -100000, period_id, NULL, 'x', posted_at " + COPY_PAY,
            "UPDATE pay_period SET total_fen = total_fen - 100000 WHERE period_id = '{w.period_id}'"),
        (*PERIOD, ("resident_id", "{w.worker}"))),
    # A debt carried on at the close (+X closing the period) whose −X in the next period is missing.
    "a debt carried on that nothing carries in": Case(
        "debt_not_carried", (
            "INSERT INTO ledger_entry ({ledger}) SELECT resident_id || ':' || period_id || ':carry_forward', "
            "'carry_forward', resident_id, NULL, NULL, community_id, NULL, NULL, 0, 0, 500, period_id, NULL, 'x', "
            "posted_at " + COPY_PAY,
            "UPDATE pay_period SET total_fen = total_fen + 500 WHERE period_id = '{w.period_id}'"),
        (*PERIOD, ("resident_id", "{w.worker}"), ("entry_key", "{w.worker}:{w.period_id}:carry_forward"))),
    # issue 19: the overview's daily read model must equal its recomputation from the ledger's lines
    "a read-model day off by one fen": Case(
        "ledger_day_differs", ("UPDATE ledger_day SET income_fen = income_fen + 1 WHERE resident_id = '{w.worker}'",),
        (("community_id", "{c}"), ("resident_id", "{w.worker}"))),
    "a read-model day lost": Case(
        "ledger_day_differs", ("DELETE FROM ledger_day WHERE resident_id = '{w.worker}'",),
        (("community_id", "{c}"), ("resident_id", "{w.worker}"))),
    "a ledger line written past the read model": Case(
        "ledger_day_differs", (
            "INSERT INTO ledger_entry ({ledger}) SELECT entry_key || ':x', kind, resident_id, order_id, enterprise_id, "
            "community_id, lot_id, inspection_id, pieces, rate_centifen, amount_fen, period_id, NULL, 'x', posted_at "
            + COPY_PAY,), (("community_id", "{c}"), ("resident_id", "{w.worker}"))),
    # issue 19: pricing's per-lot read model must equal the ledger's passed pieces per lot, resident and rate
    "a lot's paid pieces off by one": Case(
        "lot_paid_differs", ("UPDATE lot_paid SET pieces = pieces + 1 WHERE lot_id = '{w.done_lot}'",),
        (LOT[0], ("resident_id", "{w.worker}"))),
    "a lot's paid pieces lost": Case(
        "lot_paid_differs", ("DELETE FROM lot_paid WHERE lot_id = '{w.done_lot}'",),
        (LOT[0], ("resident_id", "{w.worker}"))),
    "a lot's paid pieces at a rate the ledger never paid": Case(
        "lot_paid_differs", ("INSERT INTO lot_paid (lot_id, resident_id, rate_centifen, pieces) "
                             "VALUES ('{w.done_lot}', '{w.worker}', 1, 0)",),
        (LOT[0], ("resident_id", "{w.worker}"), ("rate_centifen", "1"))),
    # issue 19: the per-period read model (matching, closing, the pay board, payouts due) must equal the ledger's
    # lines per community, period and resident: count and amount
    "a period's amount off by one fen": Case(
        "ledger_period_differs", ("UPDATE ledger_period SET amount_fen = amount_fen + 1 "
                                  "WHERE resident_id = '{w.worker}' AND period_id = '{w.period_id}'",),
        (*PERIOD, ("resident_id", "{w.worker}"))),
    "a period's line count off by one": Case(
        "ledger_period_differs", ("UPDATE ledger_period SET lines = lines + 1 "
                                  "WHERE resident_id = '{w.worker}' AND period_id = '{w.period_id}'",),
        (*PERIOD, ("resident_id", "{w.worker}"))),
    "a period's amounts lost": Case(
        "ledger_period_differs", ("DELETE FROM ledger_period WHERE resident_id = '{w.worker}' "
                                  "AND period_id = '{w.period_id}'",),
        (*PERIOD, ("resident_id", "{w.worker}"))),
    "a period's amounts that no line posted": Case(
        "ledger_period_differs", ("INSERT INTO ledger_period (community_id, period_id, resident_id, lines, amount_fen) "
                                  "VALUES ('{c}', '2020-01-A', '{w.worker}', 0, 0)",),
        (("community_id", "{c}"), ("period_id", "2020-01-A"), ("resident_id", "{w.worker}"))),
    "a ledger line written past the per-period read model": Case(
        "ledger_period_differs", (
            "INSERT INTO ledger_entry ({ledger}) SELECT entry_key || ':p', kind, resident_id, order_id, enterprise_id, "
            "community_id, lot_id, inspection_id, pieces, rate_centifen, amount_fen, period_id, NULL, 'x', posted_at "
            + COPY_PAY,), (*PERIOD, ("resident_id", "{w.worker}"))),
    # issue 19: the points consumer's monthly read model must equal the point lines' uncapped sum per resident, month
    "a month's points total off by one": Case(
        "point_month_differs", ("UPDATE point_month SET uncapped = uncapped + 1 WHERE resident_id = '{w.worker}'",),
        (("resident_id", "{w.worker}"),)),
    "a month's points total lost": Case(
        "point_month_differs", ("DELETE FROM point_month WHERE resident_id = '{w.worker}'",),
        (("resident_id", "{w.worker}"),)),
    "a month's points total that no line scored": Case(
        "point_month_differs", ("INSERT INTO point_month (resident_id, month, uncapped) "
                                "VALUES ('{w.worker}', '2020-01', 0)",),
        (("resident_id", "{w.worker}"), ("month", "2020-01"))),
    "a payout beyond the pay slip": Case(
        "paid_more_than_owed", ("UPDATE payout SET amount_fen = 100000000 WHERE reference = 'inv-pay-1'",),
        (("resident_id", "{w.worker}"), ("period_id", "{w.period_id}"))),
}


def test_the_healthy_world_breaks_no_invariant(healthy: Healthy) -> None:
    engine = make_engine(healthy.url, pooled=False)
    try:
        assert check(engine) == ([], 0)
    finally:
        engine.dispose()


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_invariant_is_named_with_the_ids_it_concerns(healthy: Healthy, case: str) -> None:
    corruption = CASES[case]
    url = healthy.copy()
    engine = make_engine(url, pooled=False)
    try:
        with engine.begin() as conn:
            for statement in corruption.statements(healthy.world, healthy.backend == "postgres"):
                conn.exec_driver_sql(statement)
        found, _ = check(engine)
    finally:
        engine.dispose()
        _drop(url)
    named = [v.as_dict() for v in found if v.check == corruption.check]
    assert named, f"{corruption.check} not found; found {[v.as_dict() for v in found]}"
    want = corruption.expected(healthy.world)
    assert any(want.items() <= {k: str(x) for k, x in v.items()}.items() for v in named), (want, named)
    assert all(v["reason_zh"] and v["reason_en"] for v in named)
