"""The audit trail and the ledger are append-only in the database itself, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from store.db import make_engine, reading, transaction
from store.migrate import alembic_config
from store.outbox import audit
from store.tables import AuditRecord, LedgerEntry

REWRITES = ("UPDATE audit_record SET actor = 'someone-else'", "DELETE FROM audit_record",
            "UPDATE ledger_entry SET amount_fen = amount_fen * 2", "DELETE FROM ledger_entry")


@pytest.mark.parametrize("statement", REWRITES)
def test_rewriting_history_is_refused_by_the_database(database_url: str, statement: str) -> None:
    engine = make_engine(database_url)
    at = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    with transaction(engine) as session:
        audit(session, at=at, actor="coord1", role="coordinator", action="offer.accept", subject="ofr-1",
              on_behalf_of="comm-001-r001")
        session.add(LedgerEntry(entry_key="k1", kind="piece_pay", resident_id="comm-001-r001", community_id="comm-001",
                                pieces=10, rate_centifen=4000, amount_fen=400, period_id="2026-11-B", posted_at=at))
    with pytest.raises(DBAPIError, match="append-only"), transaction(engine) as session:
        session.exec(text(statement))  # type: ignore[call-overload]
    with reading(engine) as session:
        kept = session.get(AuditRecord, 1)
        entry = session.get(LedgerEntry, 1)
    assert kept is not None and kept.actor == "coord1" and kept.on_behalf_of == "comm-001-r001"
    assert entry is not None and entry.amount_fen == 400
    engine.dispose()


def test_the_append_only_migration_follows_the_current_head(database_url: str) -> None:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config(database_url)).get_heads()
    assert len(heads) == 1, f"migrations branched: {heads}"
