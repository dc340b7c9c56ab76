"""Every key the pages ask for has a Chinese and an English text; Chinese is the default."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.coordinator_text import STRINGS as COORDINATOR_STRINGS
from dashboard.i18n import STRINGS as SHARED_STRINGS
from dashboard.i18n import translate

# The coordinator's board keeps its words beside it (dashboard/coordinator_text.py); other keys come from i18n.
STRINGS = {**SHARED_STRINGS, **COORDINATOR_STRINGS}

DASHBOARD = Path(__file__).resolve().parents[3] / "dashboard"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+|[a-z_]+)["']""")


def test_every_key_used_in_the_pages_has_both_languages() -> None:
    used = {key for path in DASHBOARD.rglob("*.py") for key in LITERAL_KEY.findall(path.read_text("utf-8"))}
    assert len(used) > 100
    assert sorted(k for k in used if k not in STRINGS) == []
    assert [k for k, (zh, en) in STRINGS.items() if not zh or not en] == []
    assert sorted(set(SHARED_STRINGS) & set(COORDINATOR_STRINGS)) == [], "one key, one text"


def test_chinese_is_the_default_and_values_are_filled_in() -> None:
    assert translate("res.hello", name="王秀英") == "王秀英，你好"
    assert translate("res.hello", "en", name="Wang") == "Hello, Wang"
