"""Commands of the registry beyond registering: a community's settings, a published minimum-wage figure."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, Strict

from schemas.commands import Command


def _iso_date_text(value: Any) -> Any:
    # Lax date would read a number as days or seconds since 1970: a figure typed into the wrong field.
    if not isinstance(value, (str, date)):
        raise ValueError("must be a date written YYYY-MM-DD, e.g. 2025-10-01")
    return value


WireDate = Annotated[date, Strict(False), BeforeValidator(_iso_date_text)]
"""A calendar date: a date, or ISO 8601 text (YYYY-MM-DD); never a number."""


class ChangeCommunitySettings(Command):
    """Change some of a community's settings; fields left out stay as they are. Audited with before and after."""

    period_kind: Literal["half_month", "month", "week"] | None = None
    tops_up_minimum_wage: bool | None = None
    division: str | None = Field(default=None, min_length=1, max_length=64,
                                 description="GB/T 2260 six-digit code, or the county's Chinese name.")
    debt_recovery_cap_bps: int | None = Field(default=None, ge=0, le=2000,
                                              description="Share of a period's pay a debt may take, 0–2000 bps "
                                                          "(工资支付暂行规定 art. 16: at most 20%).")
    match_fairness_weight: float | None = Field(
        default=None, ge=0, le=10, allow_inf_nan=False,
        description="How much matching favours residents below their fair share of income per offered hour "
                    "(issue 18): 0 ignores it; the curve in docs/benchmarks.md shows what each weight costs.")


class AddMinimumWage(Command):
    """A part-time hourly minimum wage as a province published it, for one division from one date."""

    division: str = Field(min_length=1, max_length=64, description="GB/T 2260 six-digit code, or the Chinese name.")
    hourly_fen: int = Field(gt=0, le=100_000, description="Fen an hour (¥24 is 2400).")
    monthly_fen: int | None = Field(default=None, gt=0, le=10_000_000, description="Monthly figure in fen, if known.")
    tier: str = Field(default="", max_length=40, description="档/类 as published, e.g. 第一档.")
    effective_from: WireDate
    source: str = Field(min_length=4, max_length=300, description="The notice it comes from, e.g. 鲁政字〔2025〕140号.")
