"""Long lists shown a page at a time: the first rows, and a button that shows more (kept per list in the session),
so a page never grows without end (the resident's finished lots and pay periods, the enterprise's orders)."""

from __future__ import annotations

import streamlit as st

from dashboard import ui

PAGE = 5  # rows shown before "show more"


def shown(key: str, page: int = PAGE) -> int:
    """How many rows of the list `key` to show now."""
    return int(st.session_state.get(key, page))


def more_button(key: str, total: int, page: int = PAGE) -> None:
    """'再显示更多（还有 n 条）' under the list `key` when rows are left; a tap shows `page` more."""
    now = shown(key, page)
    if total > now:
        st.button(ui.t("res.more", n=total - now), key=f"btn-{key}",
                  on_click=lambda: st.session_state.__setitem__(key, now + page))


def more(key: str, total: int, page: int = PAGE) -> int:
    """How many of `total` rows to show, with the button above them (the resident's lists)."""
    more_button(key, total, page)
    return shown(key, page)
