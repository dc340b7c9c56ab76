"""Reading what an AppTest run put on the page, for the dashboard's tests."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def shown_text(at: AppTest) -> str:
    """Everything a person could read on the page, tables included."""
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success", "title",
                                        "subheader") for e in getattr(at, kind)]
    parts += [m.label + m.value for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [str(o) for s in at.selectbox for o in s.options]
    parts += [x.proto.label for x in at.expander]
    return "\n".join(parts)
