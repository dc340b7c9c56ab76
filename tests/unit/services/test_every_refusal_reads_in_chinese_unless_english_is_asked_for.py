"""Every reason a use case or the API writes for a refusal reads in Chinese by default, English only when asked.

Walks the source of domain/, usecases/ and services/ for each Rejected, NotFound, Forbidden, Conflict,
Unauthorized, RuleBroken or Throttled raised with a written reason (a string or an f-string, its values filled in
with a number) and checks what usecases.reasons.localize gives a Chinese reader: no English sentence (three or more
English words in a row; what is quoted, field names and ids may stay). A new English-only reason fails here, named
by file and line, until it is written bilingually ("中文 / English") or put into the catalogue (usecases.reasons).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from usecases.reasons import localize, validation_reason

ROOT = Path(__file__).resolve().parents[3]
REFUSALS = {"Rejected", "NotFound", "Forbidden", "Conflict", "Unauthorized", "RuleBroken", "Throttled"}
# Three English words in a row, after what is quoted ('FOO', 「一块」) is taken out.
ENGLISH = re.compile(r"[A-Za-z]+(?:,? [A-Za-z]+){2,}")
QUOTED = re.compile(r"'[^']*'|「[^」]*」")
CJK = re.compile(r"[\u3400-\u9fff]")


def english_in(text: str) -> str | None:
    found = ENGLISH.search(QUOTED.sub("", text))
    return found.group(0) if found else None


def written(node: ast.expr | None) -> str | None:
    """A reason as the code writes it, each interpolated value a number; None when it is computed elsewhere."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "7" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = written(node.left), written(node.right)
        return None if left is None or right is None else left + right
    return None


def reasons() -> list[tuple[str, str]]:
    out = []
    for folder in ("domain", "usecases", "services"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in REFUSALS:
                    continue
                arg = node.args[1] if len(node.args) > 1 else next(
                    (k.value for k in node.keywords if k.arg == "reason"), None)
                text = written(arg)
                if text is not None:
                    out.append((f"{path.relative_to(ROOT)}:{node.lineno}", text))
    return out


REASONS = reasons()
# Reasons the domain writes and the use cases pass on as they are (str(exc)): a scanned label that is not one.
PASSED_ON = ["not a lot label: expected it to start with 'MF1:'", "expected 'MF1:<lot_id>:<code>', got 2 parts",
             "the lot id is empty", "the check code must be 8 characters from 0123456789ABCDEFGHJKMNPQRSTVWXYZ"]


def test_the_walk_finds_the_refusals() -> None:
    assert len(REASONS) > 150, "the source walk found too few refusals: has the code moved?"


@pytest.mark.parametrize(("where", "reason"), REASONS, ids=[w for w, _ in REASONS])
def test_a_chinese_reader_meets_no_english_sentence(where: str, reason: str) -> None:
    zh = localize(reason, "zh")
    assert english_in(zh) is None, f"{where}: {zh!r}"
    assert CJK.search(zh), f"{where}: {zh!r}"


@pytest.mark.parametrize(("where", "reason"), REASONS, ids=[w for w, _ in REASONS])
def test_an_english_reader_gets_the_english_half(where: str, reason: str) -> None:
    en = localize(reason, "en")
    if en != reason or not CJK.search(reason):  # a Chinese-only reason stays as written; the rest speak English
        assert not CJK.search(QUOTED.sub("", en)), f"{where}: {en!r}"


@pytest.mark.parametrize("reason", PASSED_ON)
def test_what_the_domain_says_of_a_bad_label_is_put_into_chinese(reason: str) -> None:
    assert english_in(localize(reason, "zh")) is None
    assert localize(reason, "en") == reason


def test_a_pattern_is_described_not_shown_as_a_regular_expression() -> None:
    err = {"type": "string_pattern_mismatch", "msg": "String should match pattern",
           "ctx": {"pattern": r"^\d{4}-\d{2}(-[AB])?$|^\d{4}-W\d{2}$"}}
    zh = validation_reason(err, "zh")
    assert "2026-11-B（2026年11月下半月）" in zh and "\\d" not in zh
    assert validation_reason(err, "en") == "String should match pattern"


def test_a_form_instead_of_json_is_named_in_chinese() -> None:
    err = {"type": "model_attributes_type", "msg": "Input should be a valid dictionary or object to extract fields"}
    assert english_in(validation_reason(err, "zh")) is None
