"""The dashboard's file uploader says, and Streamlit enforces, the same largest file the import accepts (5 MB,
docs/spreadsheets.md): it said 单个文件不超过 200MB, Streamlit's default (new-user trial, 2026-11-30)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from domain.orders.csv_reading import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parents[3]


def test_streamlit_s_upload_limit_is_the_import_s() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES
    assert "At most 5 MB" in (ROOT / "docs" / "spreadsheets.md").read_text(encoding="utf-8")
