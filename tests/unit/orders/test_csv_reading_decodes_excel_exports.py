"""Reading CSV exports: Excel's UTF-8 (BOM), plain UTF-8 and GBK all give the same rows."""

import pytest

from domain.orders.csv_reading import CsvFormatError, read_csv_rows

TEXT = "Name , Community_ID\n 王秀英 ,C-001\n\n李建国,C-002\n"
ROWS = [{"name": "王秀英", "community_id": "C-001"}, {"name": "李建国", "community_id": "C-002"}]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_reads_the_same_rows_whatever_the_encoding(encoding: str) -> None:
    assert read_csv_rows(TEXT.encode(encoding)) == ROWS


def test_short_rows_are_padded_with_empty_cells() -> None:
    assert read_csv_rows(b"a,b,c\n1\n") == [{"a": "1", "b": "", "c": ""}]


def test_quoted_cells_may_hold_commas_and_newlines() -> None:
    assert read_csv_rows(b'a,b\n"x, y","line1\nline2"\n') == [{"a": "x, y", "b": "line1\nline2"}]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"a,b\n1,2,3\n", "row 1 has 3 cells"),
        ("名字".encode("utf-16"), "UTF-16"),
    ],
)
def test_unreadable_files_raise_a_clear_error(data: bytes, reason: str) -> None:
    with pytest.raises(CsvFormatError, match=reason):
        read_csv_rows(data)
