"""`microfactory rebuild-read-models` recomputes ledger_day, lot_paid, ledger_period and point_month from the lines:
each corrupted read model (a figure off, a row deleted, a row too many) is counted and repaired, the audit is clean
afterwards, the ledgers are untouched, and a second run changes nothing; on PostgreSQL an earnings append that
arrives during the rebuild waits for it and is kept in every read model."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from schemas import commands as c
from services.cli import app
from tests.integration.invariants.healthy_world import build
from tests.integration.lots_world import coordinator_of, make_world
from usecases import offers as offer_uc
from usecases import read_models, work
from usecases.settings import Settings, get_settings

MODELS = ("ledger_day", "lot_paid", "ledger_period", "point_month")
# Each corruption, for each read model: SQL str.format'ed with the resident who was paid ({r}); one row each.
CORRUPTIONS: dict[str, dict[str, str]] = {
    "a figure off": {
        "ledger_day": "UPDATE ledger_day SET income_fen = income_fen + 1 WHERE resident_id = '{r}' "
                      "AND passed_lines > 0",
        "lot_paid": "UPDATE lot_paid SET pieces = pieces + 1 WHERE resident_id = '{r}'",
        "ledger_period": "UPDATE ledger_period SET amount_fen = amount_fen + 1 WHERE resident_id = '{r}'",
        "point_month": "UPDATE point_month SET uncapped = uncapped + 1 WHERE resident_id = '{r}'",
    },
    "a row deleted": {
        "ledger_day": "DELETE FROM ledger_day WHERE resident_id = '{r}' AND passed_lines > 0",
        "lot_paid": "DELETE FROM lot_paid WHERE resident_id = '{r}'",
        "ledger_period": "DELETE FROM ledger_period WHERE resident_id = '{r}'",
        "point_month": "DELETE FROM point_month WHERE resident_id = '{r}'",
    },
    "a row too many": {
        "ledger_day": "INSERT INTO ledger_day (community_id, day, resident_id, lines, income_lines, passed_lines, "
                      "income_fen, transfer_fen, passed_pieces) VALUES ('inv-c1', '2020-01-01', '{r}', 1, 1, 0, 5, "
                      "0, 0)",
        "lot_paid": "INSERT INTO lot_paid (lot_id, resident_id, rate_centifen, pieces) VALUES ('no-lot', '{r}', "
                    "100, 3)",
        "ledger_period": "INSERT INTO ledger_period (community_id, period_id, resident_id, lines, amount_fen) "
                         "VALUES ('inv-c1', '2020-01-a', '{r}', 1, 7)",
        "point_month": "INSERT INTO point_month (resident_id, month, uncapped) VALUES ('{r}', '2020-01', 4)",
    },
}


def _invoke(monkeypatch: pytest.MonkeyPatch, url: str, command: str) -> tuple[int, list[str]]:
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()  # the CLI reads the process settings; make it see this database
    try:
        result = CliRunner().invoke(app, [command])
    finally:
        get_settings.cache_clear()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout.splitlines()


def _audit(monkeypatch: pytest.MonkeyPatch, url: str) -> list[dict[str, Any]]:
    """The audit's violations (its summary line left out)."""
    _, lines = _invoke(monkeypatch, url, "audit")
    return [json.loads(line) for line in lines][:-1]


def _differed(lines: list[str]) -> dict[str, int]:
    """The rebuild's count of differing rows per read model, read from its printed lines."""
    counts = {}
    for line in lines:
        table = next(m for m in MODELS if f" {m}：" in line)
        counts[table] = int(line.split("重算前 ")[1].split(" 行")[0])
    return counts


def _lines(engine: Engine) -> list[tuple[Any, ...]]:
    """Every line of both ledgers, as stored."""
    with engine.connect() as conn:
        return [*conn.exec_driver_sql("SELECT * FROM ledger_entry ORDER BY entry_key").all(),
                *conn.exec_driver_sql("SELECT * FROM point_entry ORDER BY entry_key").all()]


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_rebuild_repairs_each_read_model_and_leaves_the_ledgers_and_the_audit_clean(
        engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch, corruption: str) -> None:
    world = build(engine, settings)
    assert _audit(monkeypatch, settings.database_url) == []
    before = _lines(engine)
    with engine.begin() as conn:
        for model in MODELS:
            changed = conn.exec_driver_sql(CORRUPTIONS[corruption][model].format(r=world.worker)).rowcount
            assert changed == 1, (model, changed)
    assert sorted(v["check"] for v in _audit(monkeypatch, settings.database_url)) == sorted(
        f"{m}_differs" for m in MODELS)

    code, printed = _invoke(monkeypatch, settings.database_url, "rebuild-read-models")
    assert code == 0, printed
    assert _differed(printed) == dict.fromkeys(MODELS, 1)
    assert "积分月汇总表 point_month：重算前 1 行与台账不符" in "\n".join(printed)
    assert _audit(monkeypatch, settings.database_url) == []
    assert _lines(engine) == before

    code, again = _invoke(monkeypatch, settings.database_url, "rebuild-read-models")
    assert code == 0 and _differed(again) == dict.fromkeys(MODELS, 0)
    assert _audit(monkeypatch, settings.database_url) == [] and _lines(engine) == before


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_an_earnings_append_during_the_rebuild_waits_for_it_and_the_audit_stays_clean(
        engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(engine, settings)
    world.crew("rb-c1", 2)
    world.order("rb-c1", quantity=10, due_in=timedelta(days=5))
    world.pump()
    offer = world.offers(status="pending")[0]
    coordinator = coordinator_of("rb-c1")
    world.run(offer_uc.answer_offer, offer.id, c.AnswerOffer(decision="accept"), actor=coordinator)
    world.run(work.issue_materials, c.IssueMaterials(lot_id=offer.lot_id, resident_id=offer.resident_id, pieces=10),
              actor=coordinator)
    sub, _ = world.run(work.submit_output, offer.resident_id,
                       c.SubmitOutput(lot_id=offer.lot_id, pieces=10, minutes_spent=60), actor=coordinator)
    # The inspection is recorded; its earnings (the ledger's and the points ledger's lines) are appended by the
    # consumers, which the pump runs in another thread while the rebuild holds its transaction.
    world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=9, rejected=1,
                                                         defect_codes=["LOOSE"]), actor=coordinator)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM ledger_period")
        conn.exec_driver_sql("UPDATE ledger_day SET lines = lines + 1")

    appended = threading.Event()
    waited: list[bool] = []
    real = read_models.rebuild_ledger_read_models

    def pump() -> None:
        world.pump()
        appended.set()

    def rebuild_while_appending(session: Any) -> None:
        writer = threading.Thread(target=pump)
        writer.start()
        time.sleep(1.5)  # long enough for the pump to reach its append
        waited.append(not appended.is_set())
        real(session)

    monkeypatch.setattr(read_models, "rebuild_ledger_read_models", rebuild_while_appending)
    code, printed = _invoke(monkeypatch, settings.database_url, "rebuild-read-models")
    assert code == 0, printed
    assert appended.wait(30)
    assert waited == [True]  # the append waited for the rebuild rather than racing it
    with engine.connect() as conn:
        paid = conn.exec_driver_sql("SELECT SUM(pieces) FROM ledger_entry WHERE kind = 'piece_pay'").scalar_one()
        periods = conn.exec_driver_sql("SELECT COUNT(*) FROM ledger_period").scalar_one()
    assert paid == 9 and periods >= 1
    assert _audit(monkeypatch, settings.database_url) == []
