"""Altair charts the pages share; amounts are plotted in whole yuan, never used for sums.

Dates are formatted by the chart itself (Vega's default month names are English) and the map draws its
points and labels with the chart library on longitude/latitude axes, so it needs no tile server or internet.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

DAY_FORMAT = "%m月%d日"


def trend(rows: list[dict[str, object]], *, day: str, pieces: str, community: str) -> alt.Chart:
    """Pieces passed per day, one line per community."""
    frame = pd.DataFrame(rows, columns=["day", "pieces", "community"])
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("day:T", title=day, axis=alt.Axis(format=DAY_FORMAT, labelAngle=0)),
        y=alt.Y("pieces:Q", title=pieces), color=alt.Color("community:N", title=community),
        tooltip=[alt.Tooltip("day:T", title=day, format=DAY_FORMAT), alt.Tooltip("community:N", title=community),
                 alt.Tooltip("pieces:Q", title=pieces)])


def distribution(yuan: list[int], *, income: str, people: str) -> alt.Chart:
    """How this month's income spreads over the people in work (no names)."""
    frame = pd.DataFrame({"yuan": yuan})
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("yuan:Q", bin=alt.Bin(maxbins=20), title=income), y=alt.Y("count():Q", title=people))


def bars(rows: list[dict[str, object]], *, x: str, y: str, x_title: str, y_title: str) -> alt.Chart:
    frame = pd.DataFrame(rows, columns=[x, y])
    return alt.Chart(frame).mark_bar().encode(x=alt.X(f"{x}:N", title=x_title, sort="-y"),
                                              y=alt.Y(f"{y}:Q", title=y_title),
                                              tooltip=[alt.Tooltip(x, title=x_title), alt.Tooltip(y, title=y_title)])


def ytd_against_target(rows: list[dict[str, object]], *, month: str, actual: str,
                       target: str) -> alt.LayerChart | alt.FacetChart:
    """Year-to-date income per person at each month's end (bars) against the target's share (line), in yuan.

    Each row: {"month": "11月", "actual": yuan, "target": yuan}.
    """
    frame = pd.DataFrame(rows, columns=["month", "actual", "target"])
    order = list(frame["month"])
    base = alt.Chart(frame).encode(x=alt.X("month:N", title=month, sort=order, axis=alt.Axis(labelAngle=0)))
    bars_ = base.mark_bar(color="#4c78a8").encode(
        y=alt.Y("actual:Q", title=actual), tooltip=[alt.Tooltip("month:N", title=month),
                                                   alt.Tooltip("actual:Q", title=actual, format=",.0f"),
                                                   alt.Tooltip("target:Q", title=target, format=",.0f")])
    line = base.mark_line(color="#e45756", point=True, strokeDash=[6, 3]).encode(y="target:Q")
    return alt.layer(bars_, line)


def site_map(rows: list[dict[str, object]], *, community: str, site: str) -> alt.LayerChart | alt.FacetChart:
    """Sites as labelled points on longitude/latitude (no tiles: works with no internet).

    Each row: {"lon", "lat", "name", "community"}.
    """
    frame = pd.DataFrame(rows, columns=["lon", "lat", "name", "community"])
    scale = alt.Scale(zero=False, nice=False, padding=20)
    base = alt.Chart(frame).encode(
        x=alt.X("lon:Q", scale=scale, axis=None), y=alt.Y("lat:Q", scale=scale, axis=None))
    points = base.mark_circle(size=120, opacity=0.85).encode(
        color=alt.Color("community:N", title=community),
        tooltip=[alt.Tooltip("name:N", title=site), alt.Tooltip("community:N", title=community)])
    labels = base.mark_text(align="left", dx=8, dy=-6, fontSize=12).encode(text="name:N")
    return alt.layer(points, labels).properties(height=420)
