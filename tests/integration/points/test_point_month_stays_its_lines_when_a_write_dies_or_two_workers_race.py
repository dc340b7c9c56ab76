"""The points ledger's monthly read model (point_month, issue 19) is written in the lines' own transaction: when
the process dies after the lines and before the read model (here: the read model's upsert raises), neither is
kept. Two workers appending lines for the same residents and months at once (on PostgreSQL their upserts meet on
the same rows; on SQLite the second waits for the first's write lock), the batches' lines in opposite orders, with
volunteer and redemption lines that count nowhere, neither deadlock nor lose a point: the read model equals its
lines after every round, as the audit recomputes it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from domain.invariants.points import check_point_months
from store import points as store_points
from store.db import reading, transaction
from store.points import POINT_COLUMNS, append_points
from usecases import invariant_rows as rows


def _line(key: str, kind: str, resident: str, uncapped: int, month: str = "2026-11") -> tuple[object, ...]:
    line = {"entry_key": key, "kind": kind, "resident_id": resident, "community_id": "c", "month": month,
            "points": uncapped, "uncapped": uncapped, "posted_at": datetime.now(UTC)}
    return tuple(line.get(name) for name in POINT_COLUMNS)


def _read_model_checked(engine: Engine) -> dict[tuple[str, str], int]:
    with reading(engine) as session:
        stored = rows.point_months(session)
        assert check_point_months(rows.point_lines(session), stored) == []
        return stored


def test_a_write_that_dies_before_the_read_model_keeps_no_line(engine: Engine,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def killed(*_args: object) -> None:
        raise KeyboardInterrupt  # as a kill between the lines' insert and the read model's upsert

    monkeypatch.setattr(store_points, "add_to_months", killed)
    with pytest.raises(KeyboardInterrupt), transaction(engine) as session:
        append_points(session, [_line("pts:i1:work", "work", "r1", 5)])
    monkeypatch.undo()
    assert _read_model_checked(engine) == {}
    with reading(engine) as session:
        assert rows.point_lines(session) == []


def test_two_workers_appending_to_the_same_months_at_once_lose_nothing(engine: Engine) -> None:
    # On PostgreSQL both transactions are open before their upserts meet; SQLite has one writer at a time (its
    # transactions begin IMMEDIATE), so there both start together and the second waits for the first's write lock.
    both_open = threading.Barrier(2, timeout=20)
    concurrent = engine.dialect.name == "postgresql"
    failed: list[BaseException] = []

    def worker(n: int, round_: int) -> None:
        try:
            if not concurrent:
                both_open.wait()
            with transaction(engine) as session:
                append_points(session, [_line(f"x{round_}:{n}", "redemption", "r2", -7)])  # no point_month row
                if concurrent:
                    both_open.wait()
                batch = [_line(f"w{round_}:{n}:{i}", "work" if i % 3 else "reversal", f"r{i % 4}", n + i,
                               f"2026-1{i % 2}") for i in range(12)]
                batch.append(_line(f"v{round_}:{n}", "volunteer", "r1", 99))
                append_points(session, batch if n == 1 else batch[::-1])
        except BaseException as e:  # noqa: BLE001 (reported by the assertion below)
            failed.append(e)

    for round_ in range(5):
        workers = [threading.Thread(target=worker, args=(n, round_)) for n in (1, 2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert failed == []
        assert _read_model_checked(engine)[("r1", "2026-11")] == (round_ + 1) * sum(
            n + i for n in (1, 2) for i in range(1, 12, 4))
