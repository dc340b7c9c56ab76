"""`microfactory schemas export DIR` gives non-Python producers a JSON Schema for every event and command."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from schemas.catalogue import EVENT_TYPES
from schemas.envelope import encode
from schemas.export import command_types
from services.cli import app


def test_export_writes_one_schema_per_event_and_command_and_the_topics(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["schemas", "export", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "events").glob("*.json"))) == len(EVENT_TYPES)
    assert len(list((tmp_path / "commands").glob("*.json"))) == len(command_types()) >= 15
    topics = json.loads((tmp_path / "topics.json").read_text())
    assert {t["topic"] for t in topics} >= {"mf.orders.v1", "mf.work.v1", "mf.deadletter.v1"}


def test_an_exported_schema_accepts_a_real_event_and_rejects_a_broken_one(tmp_path: Path) -> None:
    from datetime import UTC, datetime
    from uuid import uuid4

    from schemas.events.work import InspectionRecorded

    CliRunner().invoke(app, ["schemas", "export", str(tmp_path)])
    schema = json.loads((tmp_path / "events" / "work.inspection_recorded.v1.json").read_text())
    event = InspectionRecorded(event_id=uuid4(), occurred_at=datetime.now(UTC), key="comm-001", producer="erp",
                               inspection_id="i1", submission_id="s1", lot_id="l1", resident_id="r1", passed=9,
                               rejected=1, defect_codes=["KNOT"], actor="coord1")
    jsonschema.validate(json.loads(encode(event)), schema)
    broken = json.loads(encode(event)) | {"passed": -1}
    try:
        jsonschema.validate(broken, schema)
    except jsonschema.ValidationError as exc:
        assert "passed" in str(exc.path) or "-1" in exc.message
    else:
        raise AssertionError("a negative passed count validated")
