"""Part-time hourly minimum wages (非全日制小时最低工资标准) as the law publishes them: by division and date.

Provinces publish the figures in tiers by county, each with an effective date [e.g. 鲁政字〔2025〕140号]; the
product keys them by administrative division (GB/T 2260 six-digit code). A figure for a province (`xx0000`) or a
city (`xxxx00`) covers the divisions under it unless a more specific one is in force. Pure: the data file's text
comes in as an argument (usecases.minimum_wages reads it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from domain.pay.model import PayInputError

# A figure with no effective date in the data file ("not sourced") is in force until a dated one replaces it.
UNDATED = date.min


@dataclass(frozen=True, kw_only=True)
class MinimumWage:
    """One published figure: `hourly_fen` (fen an hour) in `division` from `effective_from` (a local date)."""

    division: str
    hourly_fen: int
    effective_from: date
    source: str
    tier: str = ""
    monthly_fen: int | None = None


def division_level(code: str) -> int:
    """2 for a province (`370000`), 1 for a city (`370100`), 0 for a county or district (`370102`)."""
    if code.endswith("0000"):
        return 2
    return 1 if code.endswith("00") else 0


def covering_codes(code: str) -> tuple[str, ...]:
    """The code itself, then its city and province codes: every division whose figure may apply to it."""
    return tuple(dict.fromkeys((code, code[:4] + "00", code[:2] + "0000")))


@dataclass(frozen=True)
class MinimumWageTable:
    """Every figure known; `figure(division, on)` is the one in force there on that day."""

    figures: tuple[MinimumWage, ...] = ()

    def figure(self, division: str, on: date) -> MinimumWage:
        """The figure in force in `division` on `on`: the latest effective date wins, then the most specific.

        Raises PayInputError("division", …) in Chinese when no figure covers the division on that day.
        """
        found = [f for f in self.figures if f.division in covering_codes(division) and f.effective_from <= on]
        if not found:
            raise PayInputError("division", f"行政区划 {division} 在 {on.isoformat()} 没有已知的非全日制小时最低工资"
                                            f"标准，请先登记该标准 (no minimum wage known for division {division} "
                                            f"on {on.isoformat()}: add the figure)")
        return max(found, key=lambda f: (f.effective_from, -division_level(f.division)))

    def hourly_fen(self, division: str, *, starts: date, ends: date) -> int:
        """The figure that judges work done from `starts` to `ends` (local dates, both included).

        When a new figure takes effect inside the span, the highest in force on any of its days judges it all:
        the ledger knows the minutes of a period, not of each day, and the doubt goes to the worker.
        """
        days = [starts, *(f.effective_from for f in self.figures if starts < f.effective_from <= ends)]
        return max(self.figure(division, day).hourly_fen for day in days)

    def covers(self, division: str) -> bool:
        """Whether any figure (of any date) applies to the division."""
        return any(f.division in covering_codes(division) for f in self.figures)

    def below(self, division: str) -> tuple[str, ...]:
        """Divisions under `division` that have figures of their own (a city published in tiers has no single one)."""
        level = division_level(division)
        if level == 0:
            return ()
        prefix = division[:2] if level == 2 else division[:4]
        return tuple(sorted({f.division for f in self.figures
                             if f.division != division and f.division.startswith(prefix)}))

    def with_figures(self, extra: Iterable[MinimumWage]) -> MinimumWageTable:
        """A copy with `extra` added; one for the same division and date replaces the shipped one."""
        merged = {(f.division, f.effective_from): f for f in (*self.figures, *extra)}
        return MinimumWageTable(tuple(merged.values()))


def yuan_to_fen(field: str, text: str) -> int:
    """'24' or '27.7' yuan as exact integer fen; more than two decimals or a negative figure is refused."""
    try:
        fen = Decimal(text.strip()) * 100
    except InvalidOperation:
        raise PayInputError(field, f"不是金额 (not an amount in yuan): {text!r}") from None
    if fen != fen.to_integral_value() or fen < 0:
        raise PayInputError(field, f"须为不超过两位小数的非负金额 (yuan with at most 2 decimals): {text!r}")
    return int(fen)


def parse_minimum_wages(text: str) -> tuple[MinimumWage, ...]:
    """The figures of a data file in minimum_wages.csv's columns ('#' lines are comments).

    Raises PayInputError naming the line (of the file, comments counted) and column of the first bad value.
    """
    kept = [(n, line) for n, line in enumerate(text.splitlines(keepends=True), start=1)
            if not line.lstrip().startswith("#")]
    rows = csv.DictReader(io.StringIO("".join(line for _, line in kept)))
    out = []
    for row in rows:
        n = kept[rows.line_num - 1][0]  # the line of the file, comments counted, as an editor shows it
        code = (row.get("division") or "").strip()
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise PayInputError(f"line {n}: division", f"须为六位行政区划代码 (six digits): {code!r}")
        monthly = (row.get("monthly_yuan") or "").strip()
        day = (row.get("effective_from") or "").strip()
        try:
            effective = date.fromisoformat(day) if day else UNDATED
        except ValueError:
            raise PayInputError(f"line {n}: effective_from", f"须为 YYYY-MM-DD: {day!r}") from None
        out.append(MinimumWage(
            division=code, hourly_fen=yuan_to_fen(f"line {n}: hourly_yuan", row.get("hourly_yuan") or ""),
            monthly_fen=yuan_to_fen(f"line {n}: monthly_yuan", monthly) if monthly else None,
            effective_from=effective, source=(row.get("source") or "").strip(), tier=(row.get("tier") or "").strip()))
    return tuple(out)


def last_day(ends_exclusive: date) -> date:
    """The last local day of a span given as [start, end)."""
    return ends_exclusive - timedelta(days=1)


__all__ = ["MinimumWage", "MinimumWageTable", "covering_codes", "division_level", "last_day",
           "parse_minimum_wages", "yuan_to_fen"]
