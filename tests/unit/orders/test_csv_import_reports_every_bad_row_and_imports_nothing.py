"""Spreadsheet imports: each bad cell is reported by row and column, and any error blocks the file."""

from datetime import datetime, timedelta, timezone

import pytest

from domain.orders.csv_fields import Slot
from domain.orders.csv_import import (
    EXAMPLE_ORDERS_CSV,
    EXAMPLE_RESIDENTS_CSV,
    EXAMPLE_SITES_CSV,
    RESIDENT_COLUMNS,
    RowError,
    import_orders,
    import_residents,
    import_sites,
)

HEADER = ",".join(c.name for c in RESIDENT_COLUMNS)


def residents(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


def errors_of(data: bytes) -> list[tuple[int, str]]:
    return [(e.row, e.field) for e in import_residents(data).errors]


def test_the_example_resident_file_imports_cleanly() -> None:
    report = import_residents(EXAMPLE_RESIDENTS_CSV.encode())
    assert report.ok, report.errors
    wang, li = report.rows
    assert wang.name == "王秀英" and wang.phone == "13812345678"
    assert wang.id_number == "11010519491231002X"
    assert wang.work_mode == "either" and wang.priority_group is True
    assert wang.skills == {"beading": 2, "sewing": 1}
    assert wang.availability == (Slot(0, 540, 690), Slot(2, 840, 1020))
    assert wang.reachable_site_ids == ("S-001",)
    assert li.phone is None and li.id_number is None and li.priority_group is False
    assert [slot.weekday for slot in li.availability] == [0, 1, 2, 3, 4]


def test_each_bad_cell_is_reported_with_its_row_and_column() -> None:
    data = residents(
        "甲,12812345678,,C-1,home,,,,",
        "乙,,11010519491231002Y,C-1,home,,,,",
        "丙,,,C-1,sometimes,,,,",
        "丁,,,C-1,home,beading=2,,,",
        "戊,,,C-1,home,,Mon 11:30-09:00,,",
        "己,,,C-1,home,,Funday 09:00-10:00,,",
        "庚,,,C-1,home,,,,maybe",
        ",,,C-1,home,,,,",
    )
    assert errors_of(data) == [
        (1, "phone"),
        (2, "id_number"),
        (3, "work_mode"),
        (4, "skills"),
        (5, "availability"),
        (6, "availability"),
        (7, "priority_group"),
        (8, "name"),
    ]


def test_any_error_blocks_the_whole_file() -> None:
    report = import_residents(residents("甲,13812345678,,C-1,home,,,,", "乙,bad,,C-1,home,,,,"))
    assert not report.ok
    assert len(report.rows) == 1  # the good row is parsed, but the caller must import nothing


def test_reasons_are_specific() -> None:
    report = import_residents(residents("甲,,,C-1,home,beading:9,,,"))
    assert report.errors == [RowError(1, "skills", "level of 'beading' must be 1-5, got 9")]


def test_a_missing_required_column_is_one_error_naming_it() -> None:
    data = "name,phone,work_mode\n甲,13812345678,home\n乙,13912345678,home\n".encode()
    assert import_residents(data).errors == [RowError(0, "community_id", "required column is missing")]


def test_a_misspelt_column_is_reported_rather_than_ignored() -> None:
    data = "name,community_id,work_mode,phnoe\n甲,C-1,home,13812345678\n".encode()
    [error] = import_residents(data).errors
    assert (error.row, error.field) == (0, "phnoe") and "unknown column" in error.reason


def test_duplicate_phones_and_id_numbers_within_the_file_are_reported() -> None:
    data = residents(
        "甲,13812345678,11010519491231002X,C-1,home,,,,",
        "乙,138 1234 5678,,C-1,home,,,,",
        "丙,,11010519491231002x,C-1,home,,,,",
    )
    report = import_residents(data)
    assert report.errors == [
        RowError(2, "phone", "duplicate of row 1"),
        RowError(3, "id_number", "duplicate of row 1"),
    ]


def test_overlapping_availability_is_refused() -> None:
    [error] = import_residents(residents('甲,,,C-1,home,,"Mon-Fri 09:00-12:00;Wed 11:00-13:00",,')).errors
    assert error.field == "availability" and "overlap on Wed" in error.reason


def test_full_width_punctuation_from_chinese_input_methods_is_understood() -> None:
    report = import_residents(residents("甲,,,C-1,居家,beading：2；sewing：1,Mon 09:00－11:00,S-1；S-2,是"))
    assert report.ok, report.errors
    [row] = report.rows
    assert row.work_mode == "home" and row.skills == {"beading": 2, "sewing": 1}
    assert row.reachable_site_ids == ("S-1", "S-2") and row.priority_group


def test_gbk_and_utf8_with_bom_read_the_same() -> None:
    text = EXAMPLE_RESIDENTS_CSV
    plain = import_residents(text.encode("utf-8"))
    assert import_residents(text.encode("gbk")) == plain
    assert import_residents(text.encode("utf-8-sig")) == plain
    assert plain.ok


def test_row_numbers_count_blank_lines_so_they_match_the_spreadsheet() -> None:
    data = residents("甲,,,C-1,home,,,,", "", "乙,,,C-1,nowhere,,,,")
    assert errors_of(data) == [(3, "work_mode")]


def test_undecodable_and_empty_files_get_one_clear_error() -> None:
    assert errors_of(b"\xff\xfe n\x00a\x00") == [(0, "")]
    assert errors_of(b"") == [(0, "")]
    assert import_residents(HEADER.encode()).errors == [
        RowError(0, "", "the file has a header but no data rows")
    ]


def test_rows_with_more_cells_than_the_header_are_reported() -> None:
    assert errors_of(residents("甲,,,C-1,home,,,,,extra")) == [(1, "")]


def test_the_example_site_file_imports_cleanly() -> None:
    report = import_sites(EXAMPLE_SITES_CSV.encode())
    assert report.ok, report.errors
    workshop, home = report.rows
    assert workshop.kind == "workshop" and workshop.seats == 12
    assert workshop.equipment == ("sewing_machine", "glue_gun")
    assert len(workshop.opening_hours) == 5
    assert home.kind == "home" and home.address == ""


def test_sites_report_bad_seats_unknown_kinds_and_duplicate_ids() -> None:
    data = (
        "site_id,name,community_id,kind,seats\n"
        "S-1,一号,C-1,workshop,10\n"
        "S-2,二号,C-1,workshop,0\n"
        "S-1,三号,C-1,garage,5\n"
    ).encode()
    assert [(e.row, e.field) for e in import_sites(data).errors] == [
        (2, "seats"),
        (3, "kind"),
        (3, "site_id"),
    ]


def test_the_example_order_file_imports_to_drafts_in_fen() -> None:
    report = import_orders(EXAMPLE_ORDERS_CSV.encode())
    assert report.ok, report.errors
    [order] = report.rows
    draft = order.draft
    assert order.order_ref == "PO-2025-0001"
    assert draft.quantity == 600 and draft.piece_rate_centifen == 3500 and draft.quality_bonus_fen_per_piece == 2
    assert draft.due_at == datetime(2025, 7, 1, 18, 0, tzinfo=timezone(timedelta(hours=8)))
    assert draft.eligible_community_ids == ("C-001", "C-002") and draft.take_home_allowed


@pytest.mark.parametrize(("cell", "centifen", "per"), [
    ("0.035", 350, 1),  # ¥0.035 a bead: 350 in 0.0001 yuan
    ("０.００８", 80, 1),  # ¥0.008 a label, typed with full-width digits
    ("35/千件", 350, 1000),  # ¥35 per 1,000 pieces = ¥0.035 a piece, shown as quoted
    ("3.5元/百件", 350, 100),  # ¥3.5 per 100 pieces = ¥0.035 a piece
])
def test_an_order_rate_below_one_fen_imports_exactly_as_the_enterprise_wrote_it(
    cell: str, centifen: int, per: int
) -> None:
    data = EXAMPLE_ORDERS_CSV.replace(",0.35,", f",{cell},").encode()
    report = import_orders(data)
    assert report.ok, report.errors
    draft = report.rows[0].draft
    assert (draft.piece_rate_centifen, draft.rate_per) == (centifen, per)


def test_orders_report_negative_quantities_fractions_of_a_fen_and_bad_codes() -> None:
    header = EXAMPLE_ORDERS_CSV.splitlines()[0]
    good = EXAMPLE_ORDERS_CSV.replace("\\\n", "").splitlines()[1]
    rows = [
        good.replace("PO-2025-0001", "A").replace(",600,", ",-5,"),
        good.replace("PO-2025-0001", "B").replace(",0.35,", ",0.03551,"),  # 5 decimals: finer than 0.0001 yuan
        good.replace("PO-2025-0001", "C").replace("Y43", "Y44"),
        good.replace("PO-2025-0001", "D").replace("2025-07-01 18:00", "2025-07-01"),
        good.replace("PO-2025-0001", "A"),
    ]
    data = "\n".join([header.replace("\\", ""), *rows]).encode()
    errors = import_orders(data).errors
    assert [(e.row, e.field) for e in errors] == [
        (1, "quantity"),
        (2, "piece_rate_yuan"),
        (3, "uscc"),
        (4, "due_at"),
        (5, "order_ref"),
    ]
    assert "0.0001 元" in errors[1].reason and "0.03551" in errors[1].reason
    assert "check character should be '3'" in errors[2].reason
