"""Altair charts the pages share; amounts are plotted in whole yuan, never used for sums."""

from __future__ import annotations

import altair as alt
import pandas as pd


def trend(rows: list[dict[str, object]], *, day: str, pieces: str, community: str) -> alt.Chart:
    """Pieces passed per day, one line per community."""
    frame = pd.DataFrame(rows, columns=["day", "pieces", "community"])
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("day:T", title=day), y=alt.Y("pieces:Q", title=pieces),
        color=alt.Color("community:N", title=community), tooltip=["day:T", "community:N", "pieces:Q"])


def distribution(yuan: list[int], *, income: str, people: str) -> alt.Chart:
    """How this month's income spreads over the people in work (no names)."""
    frame = pd.DataFrame({"yuan": yuan})
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("yuan:Q", bin=alt.Bin(maxbins=20), title=income), y=alt.Y("count():Q", title=people))


def bars(rows: list[dict[str, object]], *, x: str, y: str, x_title: str, y_title: str) -> alt.Chart:
    frame = pd.DataFrame(rows, columns=[x, y])
    return alt.Chart(frame).mark_bar().encode(x=alt.X(f"{x}:N", title=x_title, sort="-y"),
                                              y=alt.Y(f"{y}:Q", title=y_title), tooltip=[x, y])
