"""Bulk import of residents, sites and orders from spreadsheets: all rows or none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar, cast

from domain.orders import csv_fields as f
from domain.orders.csv_columns import (
    EXAMPLE_ORDERS_CSV,
    EXAMPLE_RESIDENTS_CSV,
    EXAMPLE_SITES_CSV,
    ORDER_COLUMNS,
    RESIDENT_COLUMNS,
    SITE_COLUMNS,
    Column,
    canonical_header,
)
from domain.orders.csv_fields import Slot
from domain.orders.csv_reading import CsvFormatError, read_csv_rows, read_table
from domain.orders.validation import MIN_SKILL_LEVEL, OrderDraft
from schemas.rates import QuotedRate, RateError, parse_quoted

__all__ = [
    "EXAMPLE_ORDERS_CSV",
    "EXAMPLE_RESIDENTS_CSV",
    "EXAMPLE_SITES_CSV",
    "ORDER_COLUMNS",
    "RESIDENT_COLUMNS",
    "SITE_COLUMNS",
    "CsvFormatError",
    "ImportReport",
    "OrderRow",
    "ResidentRow",
    "RowError",
    "SiteRow",
    "import_orders",
    "import_residents",
    "import_sites",
    "read_csv_rows",
]

T = TypeVar("T")
HEADER_ROW = 0  # RowError.row for problems with the header line itself


@dataclass(frozen=True)
class RowError:
    """A problem in one row (1 = first line after the header; 0 = the header) and column."""

    row: int
    field: str
    reason: str


@dataclass(frozen=True)
class ImportReport(Generic[T]):
    """Parsed rows and every problem found; import nothing unless `ok`."""

    rows: list[T]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        """True only when the whole file is clean."""
        return not self.errors


@dataclass(frozen=True)
class ResidentRow:
    """A resident (居民) as registered by a coordinator."""

    name: str
    phone: str | None
    id_number: str | None
    community_id: str
    work_mode: str
    skills: dict[str, int] = field(hash=False)
    availability: tuple[Slot, ...]
    reachable_site_ids: tuple[str, ...]
    priority_group: bool


@dataclass(frozen=True)
class SiteRow:
    """A site: a community micro-factory (社区微工厂) or a home workshop (家庭微车间)."""

    site_id: str
    name: str
    community_id: str
    kind: str
    seats: int
    equipment: tuple[str, ...]
    opening_hours: tuple[Slot, ...]
    address: str


@dataclass(frozen=True)
class OrderRow:
    """An order line: the enterprise's reference and the draft to run `validate_order` on."""

    order_ref: str
    draft: OrderDraft


def import_residents(data: bytes) -> ImportReport[ResidentRow]:
    """Residents from a CSV or .xlsx shaped like EXAMPLE_RESIDENTS_CSV (English or Chinese headers)."""
    return _import(data, RESIDENT_COLUMNS, _resident, unique=("phone", "id_number"))


def import_sites(data: bytes) -> ImportReport[SiteRow]:
    """Sites from a CSV or .xlsx shaped like EXAMPLE_SITES_CSV (English or Chinese headers)."""
    return _import(data, SITE_COLUMNS, _site, unique=("site_id",))


def import_orders(data: bytes) -> ImportReport[OrderRow]:
    """Orders from a CSV or .xlsx shaped like EXAMPLE_ORDERS_CSV (English or Chinese headers); money in yuan."""
    return _import(data, ORDER_COLUMNS, _order, unique=("order_ref",))


class _Cells:
    """One row's cells; collects every bad cell instead of stopping at the first."""

    def __init__(self, row_no: int, cells: dict[str, str], columns: Sequence[Column]) -> None:
        self.row_no, self.cells = row_no, cells
        self.errors: list[RowError] = []
        self.required = {c.name for c in columns if c.required}

    def get(self, name: str, parse: Callable[[str], T], default: T | None = None) -> T:
        """The parsed cell; once an error is recorded the row is discarded, so the value is moot."""
        raw = self.cells.get(name, "").strip()
        if not raw:
            if name in self.required:
                self.errors.append(RowError(self.row_no, name, "is required"))
            return cast(T, default)
        try:
            return parse(raw)
        except f.BadValue as problem:
            self.errors.append(RowError(self.row_no, name, str(problem)))
            return cast(T, default)


def _resident(c: _Cells) -> ResidentRow:
    return ResidentRow(
        name=c.get("name", f.parse_name),
        phone=c.get("phone", f.parse_phone),
        id_number=c.get("id_number", f.parse_id_number),
        community_id=c.get("community_id", f.parse_code),
        work_mode=c.get("work_mode", f.parse_work_mode),
        skills=c.get("skills", f.parse_skills, {}),
        availability=c.get("availability", f.parse_weekly_slots, ()),
        reachable_site_ids=c.get("reachable_sites", f.parse_id_list, ()),
        priority_group=c.get("priority_group", f.parse_bool, False),
    )


def _site(c: _Cells) -> SiteRow:
    return SiteRow(
        site_id=c.get("site_id", f.parse_code),
        name=c.get("name", f.parse_text),
        community_id=c.get("community_id", f.parse_code),
        kind=c.get("kind", f.parse_site_kind),
        seats=c.get("seats", f.parse_positive_int),
        equipment=c.get("equipment", f.parse_id_list, ()),
        opening_hours=c.get("opening_hours", f.parse_weekly_slots, ()),
        address=c.get("address", f.parse_text, ""),
    )


def _order(c: _Cells) -> OrderRow:
    rate = c.get("piece_rate_yuan", _rate, QuotedRate(0))
    draft = OrderDraft(
        enterprise_id=c.get("enterprise_id", f.parse_code),
        uscc=c.get("uscc", f.parse_uscc),
        product_code=c.get("product_code", f.parse_code),
        quantity=c.get("quantity", f.parse_positive_int),
        piece_rate_centifen=rate.centifen,
        rate_per=rate.per,
        due_at=c.get("due_at", f.parse_due_at, datetime.min),
        eligible_community_ids=c.get("eligible_communities", f.parse_id_list, ()),
        eligible_site_ids=c.get("eligible_sites", f.parse_id_list, ()),
        take_home_allowed=c.get("take_home_allowed", f.parse_bool, False),
        min_level=c.get("min_level", f.parse_positive_int, MIN_SKILL_LEVEL),
        training_required=c.get("training_required", f.parse_bool, False),
        pickup_site_id=c.get("pickup_site_id", f.parse_code),
        quality_bonus_fen_per_piece=c.get("quality_bonus_yuan", f.parse_yuan_to_fen, 0),
    )
    return OrderRow(order_ref=c.get("order_ref", f.parse_text), draft=draft)


def _rate(raw: str) -> QuotedRate:
    """The piece rate as the enterprise writes it: "0.035" yuan a piece, or "35/千件", "3.5/百件" (issue 16)."""
    try:
        return parse_quoted(raw, field="piece_rate_yuan")
    except RateError as problem:
        raise f.BadValue(problem.reason) from None


def _import(
    data: bytes, columns: Sequence[Column], build: Callable[[_Cells], T], *, unique: Sequence[str]
) -> ImportReport[T]:
    try:
        header, records = read_table(data)
    except CsvFormatError as problem:
        return ImportReport(rows=[], errors=[RowError(HEADER_ROW, "", str(problem))])
    header = canonical_header(header, columns)
    errors = _header_errors(header, columns)
    if errors:
        return ImportReport(rows=[], errors=errors)
    rows: list[T] = []
    first_seen: dict[tuple[str, Any], int] = {}
    for row_no, values in records:
        if len(values) > len(header):
            errors.append(RowError(row_no, "", f"has {len(values)} cells but the header has {len(header)}"))
            continue
        cells = _Cells(row_no, dict(zip(header, values, strict=False)), columns)
        row = build(cells)
        errors += cells.errors
        bad = {error.field for error in cells.errors}
        for name in unique:  # a duplicate is worth reporting even when other cells are wrong
            value = None if name in bad else getattr(row, name)
            if value is not None:
                key = (name, value)
                if key in first_seen:
                    errors.append(RowError(row_no, name, f"duplicate of row {first_seen[key]}"))
                first_seen.setdefault(key, row_no)
        if not cells.errors:
            rows.append(row)
    if not records:
        errors.append(RowError(HEADER_ROW, "", "the file has a header but no data rows"))
    return ImportReport(rows=rows, errors=errors)


def _header_errors(header: list[str], columns: Sequence[Column]) -> list[RowError]:
    known = [c.name for c in columns]
    errors = [
        RowError(HEADER_ROW, c.name, "required column is missing")
        for c in columns
        if c.required and c.name not in header
    ]
    # The Chinese half names the template's Chinese headers: a list of English identifiers told a Chinese reader
    # nothing (and English in a default answer, which the API's fuzz test catches).
    unknown = (f"不认识这一列；应为模板里的列：{'、'.join(c.zh[0] for c in columns)}（或对应的英文列名）/ "
               f"unknown column; expected {', '.join(known)}")
    errors += [RowError(HEADER_ROW, name or "(blank)", unknown) for name in header if name not in known]
    errors += [
        RowError(HEADER_ROW, name, "column appears more than once")
        for name in sorted({n for n in header if header.count(n) > 1})
    ]
    return errors
