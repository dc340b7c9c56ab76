"""Short lot codes (批次简码): product, Asia/Shanghai day, a sequence per product per day; defect codes named."""

from datetime import UTC, datetime

import pytest

from domain.orders.defects import codes_of, defect_names, parse_defect, product_defects
from domain.orders.lot_codes import (
    code_prefix,
    looks_like_short_code,
    next_sequence,
    normalise,
    product_short_name,
    short_code,
    short_codes,
)

MADE = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def test_a_code_is_product_month_day_and_two_digit_sequence() -> None:
    assert short_codes(product_name="网兜", product_code="NET-02", made_at=MADE, existing=[], count=3) == [
        "网兜-1129-01", "网兜-1129-02", "网兜-1129-03"]


def test_the_day_is_shanghai_s_not_utc_s() -> None:
    late_utc = datetime(2026, 11, 29, 17, 30, tzinfo=UTC)  # 01:30 on 30 November in Shanghai
    assert code_prefix(product_name="网兜", product_code="NET-02", made_at=late_utc) == "网兜-1130"


def test_the_sequence_continues_after_the_day_s_earlier_lots_of_the_product() -> None:
    earlier = ["网兜-1129-01", "网兜-1129-02", "手链-1129-07", "网兜-1128-09"]
    assert short_codes(product_name="网兜", product_code="NET-02", made_at=MADE, existing=earlier,
                       count=2) == ["网兜-1129-03", "网兜-1129-04"]
    assert next_sequence("手链-1129", earlier) == 8
    assert next_sequence("手链-1130", earlier) == 1


def test_a_hundredth_lot_keeps_counting() -> None:
    assert short_code("网兜-1129", 100) == "网兜-1129-100"
    assert next_sequence("网兜-1129", ["网兜-1129-100"]) == 101
    with pytest.raises(ValueError):
        short_code("网兜-1129", 0)


def test_a_product_is_called_by_the_thing_made() -> None:
    assert code_prefix(product_name="编织网兜", product_code="NET-02", made_at=MADE) == "网兜-1129"
    assert product_short_name("串珠手链", "BEAD-01") == "手链"
    assert product_short_name("编织网兜（大号）", "NET-02") == "网兜"
    assert product_short_name("小 件-包装", "PACK-03") == "包装"
    assert product_short_name("Keychain set", "KC-1") == "Keycha"
    assert product_short_name("  ", "PACK-03") == "PACK03"


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        code_prefix(product_name="网兜", product_code="NET-02", made_at=datetime(2026, 11, 29))


def test_a_typed_code_is_recognised_and_a_long_id_is_not() -> None:
    assert looks_like_short_code("网兜-1129-03")
    assert looks_like_short_code(" 网兜－１１２９－０３ ")  # full-width, as a phone keyboard may type it
    assert normalise(" 网兜－１１２９－０３ ") == "网兜-1129-03"
    assert not looks_like_short_code("ord-019ab3c4d5e6-L001")
    assert not looks_like_short_code("网兜")


def test_a_defect_entry_carries_its_chinese_name() -> None:
    assert parse_defect("D01 松结").label == "D01 松结"
    assert parse_defect("LOOSE").label == "松脱"  # a bare code of an older product still reads in Chinese
    assert parse_defect("WRONG_COLOR 颜色不符").label == "颜色不符"  # a word for a code is not shown
    assert [d.code for d in product_defects(["D01 松结", "D02 尺寸不符", " "])] == ["D01", "D02"]


def test_an_inspection_accepts_the_code_or_the_whole_entry_and_records_the_code() -> None:
    entries = ["D01 松结", "D02 尺寸不符"]
    assert codes_of(["D01", "D02 尺寸不符", "D01"], entries) == (["D01", "D02"], [])
    assert codes_of(["D09"], entries) == ([], ["D09"])
    assert defect_names(["D02", "LOOSE"], entries) == ["尺寸不符", "松脱"]


def test_a_code_typed_with_spaces_or_other_dashes_reads_as_the_code() -> None:
    from domain.orders.lot_codes import normalise
    for typed in ("包装 1201 08", "包装—1201—08", "包装_1201_08", " 包装－１２０１－０８ ", "包装 - 1201 - 08"):
        assert normalise(typed) == "包装-1201-08", typed
    assert normalise("ord-019ab3c4d5e6-L001") == "ord-019ab3c4d5e6-L001"  # a long id stays as it is


def test_the_day_and_sequence_name_the_codes_that_end_so() -> None:
    from domain.orders.lot_codes import codes_named
    codes = ["包装-1201-08", "网兜-1201-09", "网兜-1201-08", "网兜-1130-08"]
    assert codes_named("包装 1201 08", codes) == ["包装-1201-08"]
    assert codes_named("1201-9", codes) == ["网兜-1201-09"]
    assert codes_named("1201 08", codes) == ["包装-1201-08", "网兜-1201-08"]  # ambiguous: both named
    assert codes_named("1202-08", codes) == [] and codes_named("网兜", codes) == []
