"""Minimum-wage figures a deployment added (POST /api/v1/minimum-wages) on top of the shipped data file."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import utc_column


class MinimumWageFigure(SQLModel, table=True):
    """One part-time hourly minimum (fen an hour) for a GB/T 2260 division from a local date, with its source.

    Never updated: a correction is a figure of a later date, or of the same date added again by the city
    (usecases.minimum_wages refuses a second row for the same division and date).
    """

    __tablename__ = "minimum_wage_figure"
    __table_args__ = (UniqueConstraint("division", "effective_from", name="uq_minimum_wage_figure_division_date"),)
    id: int | None = Field(default=None, primary_key=True)
    division: str = Field(index=True)
    hourly_fen: int
    monthly_fen: int | None = None
    tier: str = ""
    effective_from: date
    source: str
    added_by: str
    added_at: datetime = Field(sa_column=utc_column())
