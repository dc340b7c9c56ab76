"""Tables that fit a phone (issue 15: nothing scrolls sideways at 390 px): a wide table on a desktop, the same rows
as short lines on a phone, shown by the screen's width.

A table of five or more columns scrolls sideways inside itself at 390 px, so up to 640 px each row reads as two
short lines instead: its first `bare` values in bold ('手链-1130-03 · 串珠手链'), then the others named by their
column ('件数 60 · 确认截止 2026/11/30 11:21'). The page cannot know the screen's width, so both are drawn and CSS
(`install_css`, by the containers' keys) shows the one that fits; every value is in both.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.coordinator_text import t
from dashboard.format import md

WIDTH_CSS = """<style>
@media (max-width: 640px) {[class*='st-key-wide-'] {display: none;}}
@media (min-width: 641px) {[class*='st-key-narrow-'] {display: none;}}
</style>"""


def install_css() -> None:
    """The rules that show the wide or the narrow form of each table; once per page run, before its tables."""
    st.markdown(WIDTH_CSS, unsafe_allow_html=True)


def table(frame: pd.DataFrame, key: str, *, bare: int = 2) -> None:
    """`frame` as a table on a desktop and as lines on a phone (keys wide-`key`, narrow-`key`: unique on the page);
    '暂无' for an empty one (Streamlit writes 'empty' in English inside an empty table)."""
    if frame.empty:
        st.caption(t("none"))
        return
    with st.container(key=f"wide-{key}"):
        st.dataframe(frame, hide_index=True)
    with st.container(key=f"narrow-{key}"):
        st.markdown("\n\n".join(row_lines(frame.columns, row, bare) for row in frame.itertuples(index=False)))


def row_lines(columns: pd.Index, row: tuple[object, ...], bare: int) -> str:
    """One row for a phone: '**a · b**' then '列 c · 列 d' on the next line (empty cells left out)."""
    head = " · ".join(md(v) for v in row[:bare] if str(v))  # names people typed: shown as typed (format.md)
    rest = " · ".join(f"{name} {md(v)}" for name, v in zip(columns[bare:], row[bare:], strict=True) if str(v))
    return f"**{head}**  \n{rest}" if rest else f"**{head}**"
