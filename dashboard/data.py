"""The dashboard's data access: the same scoped reads as the API, one engine per server."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from services.queries import reads
from services.queries.views import Overview
from services.settings import get_settings
from services.store.db import make_engine, reading


@st.cache_resource
def engine() -> Engine:
    return make_engine(get_settings().database_url)


def overview() -> Overview:
    """Public aggregates; safe to share between users."""
    with reading(engine()) as session:
        return reads.overview(session)
