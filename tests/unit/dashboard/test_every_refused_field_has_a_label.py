"""Every field a refusal can name on a page has a label there: a command's fields and the fields the use cases'
refusals name (Rejected, NotFound, Forbidden, Conflict…). A page named 「passed」 in a Chinese sentence (new-user
trial of 2026-12-01) because the label list had only the order form's fields."""

from __future__ import annotations

import re
from pathlib import Path

import schemas.commands
import schemas.points
import schemas.service
from dashboard.i18n import STRINGS
from schemas.commands import Command

ROOT = Path(__file__).resolve().parents[3]
REFUSALS = re.compile(r"\b(?:Rejected|NotFound|Forbidden|Conflict|Unauthorized|Throttled)\(\s*\"([a-z_]+)\"")
NOT_A_FIELD = {"body", "server", "database", "path"}  # the API's words for what is not a field of a form


def refused_fields() -> set[str]:
    """Fields the use cases' refusals name, read from their source."""
    return {m.group(1) for path in (ROOT / "usecases").rglob("*.py") for m in REFUSALS.finditer(path.read_text())}


def command_fields() -> set[str]:
    return {name for module in (schemas.commands, schemas.service, schemas.points) for model in vars(module).values()
            if isinstance(model, type) and issubclass(model, Command) and model is not Command
            for name in model.model_fields}


def test_every_field_a_refusal_can_name_has_a_chinese_and_an_english_label() -> None:
    fields = (refused_fields() | command_fields()) - NOT_A_FIELD
    assert len(fields) > 80, "the source scan found the use cases' refusals"
    missing = sorted(f for f in fields if f"field.{f}" not in STRINGS)
    assert not missing, f"no label on the pages for: {missing}"
    for field in fields:
        zh, en = STRINGS[f"field.{field}"]
        assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en), (field, zh, en)
        assert "_" not in zh + en, (field, zh, en)
