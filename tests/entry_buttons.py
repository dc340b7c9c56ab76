"""Finding a button keyed by its form's entry reference (dashboard.ui.entry_key: 'po_go-dash-3f…') in AppTest."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest


def entry_key_of(key: str | None, name: str) -> bool:
    """Whether a widget key is `name` keyed by an entry reference."""
    return key is not None and key.startswith(f"{name}-dash-")


def entry_button(at: AppTest, name: str) -> Any:
    """The one button drawn as `name` with its form's entry reference."""
    found = [b for b in at.button if entry_key_of(b.key, name)]
    assert len(found) == 1, f"{len(found)} buttons {name}-dash-…: {[b.key for b in at.button]}"
    return found[0]
