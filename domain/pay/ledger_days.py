"""The ledger's daily read model (issue 19): each resident's lines summed per Asia/Shanghai day and community.

The city overview reads year-to-date income per person by month, street, community and priority group, this
month's income per person and pieces passed per day. Summing ten million ledger lines for that took seconds, so
every append also adds its lines to one row per (local day, community, resident) — `store.ledger.append_entries`,
in the same transaction — and the overview sums days instead of lines. The figures a row keeps are exactly what
those reads filter on, so each read is the same sum as over the lines:

- `income_fen`, `income_lines`: every line except a carried debt's two halves (TRANSFER_KINDS move money between
  periods; they are nobody's income) — the year's income (usecases.queries.dashboard_city);
- `transfer_fen`: those two halves, so `income_fen + transfer_fen` is every line (this month's figures);
- `passed_pieces`, `passed_lines`: pieces of piece-pay lines and their reversals (domain.pay.model's
  counts_passed_pieces), not bonus counts;
- `lines`: every line, so a day with only a zero-sum line still shows the resident.

Pure: no I/O. Amounts in fen, pieces in pieces; the day is the calendar day in Asia/Shanghai (no daylight saving).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
TRANSFER_KINDS = ("carry_forward", "carried_in")  # a carried debt's two halves: not income

DayKey = tuple[date, str, str]  # (local day, community_id, resident_id)


@dataclass(frozen=True)
class DayTotals:
    """One resident's ledger lines in one community on one local day, summed (fen, pieces, line counts)."""

    lines: int = 0
    income_lines: int = 0
    passed_lines: int = 0
    income_fen: int = 0
    transfer_fen: int = 0
    passed_pieces: int = 0

    def __add__(self, other: DayTotals) -> DayTotals:
        return DayTotals(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def as_dict(self) -> dict[str, int]:
        """The figures by column name (the read model's columns have these names)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


FIGURES = tuple(f.name for f in fields(DayTotals))  # the read model's summed columns, in order


def local_day(at: datetime) -> date:
    """The Asia/Shanghai calendar day of an aware datetime. Raises ValueError for a naive one."""
    if at.tzinfo is None:
        raise ValueError("posted_at must be timezone-aware (UTC)")
    return at.astimezone(SHANGHAI).date()


def passes_pieces(kind: str, reverses_entry_key: str | None) -> bool:
    """Whether a line's pieces are passed pieces: piece pay, or the reversal of piece pay (not bonus counts)."""
    return kind == "piece_pay" or (kind == "reversal" and reverses_entry_key is not None
                                   and reverses_entry_key.endswith(":piece_pay"))


def line_totals(kind: str, pieces: int, amount_fen: int, reverses_entry_key: str | None) -> DayTotals:
    """What one ledger line adds to its day's row."""
    transfer = kind in TRANSFER_KINDS
    passed = passes_pieces(kind, reverses_entry_key)
    return DayTotals(lines=1, income_lines=0 if transfer else 1, passed_lines=1 if passed else 0,
                     income_fen=0 if transfer else amount_fen, transfer_fen=amount_fen if transfer else 0,
                     passed_pieces=pieces if passed else 0)


def day_totals(lines: Iterable[tuple[str, str, str, int, int, datetime, str | None]]) -> dict[DayKey, DayTotals]:
    """Lines (kind, resident_id, community_id, pieces, amount_fen, posted_at UTC, reverses_entry_key) summed per
    (local day, community, resident). A batch's lines mostly share one posted_at, so each instant is converted once.

    The same sums as adding line_totals line by line; summed in plain lists because this runs for every line the
    earnings consumer posts (a DayTotals per line cost a fifth of its CPU).
    """
    sums: dict[DayKey, list[int]] = {}
    days: dict[datetime, date] = {}
    for kind, resident_id, community_id, pieces, amount_fen, posted_at, reverses in lines:
        day = days.get(posted_at)
        if day is None:
            day = days[posted_at] = local_day(posted_at)
        row = sums.get((day, community_id, resident_id))
        if row is None:
            row = sums[(day, community_id, resident_id)] = [0, 0, 0, 0, 0, 0]
        transfer = kind in TRANSFER_KINDS
        row[0] += 1  # in FIGURES' order: lines, income_lines, passed_lines, income_fen, transfer_fen, passed_pieces
        if transfer:
            row[4] += amount_fen
        else:
            row[1] += 1
            row[3] += amount_fen
        if passes_pieces(kind, reverses):
            row[2] += 1
            row[5] += pieces
    return {key: DayTotals(*row) for key, row in sums.items()}
