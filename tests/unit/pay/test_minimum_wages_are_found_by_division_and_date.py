"""The minimum-wage table as the law publishes it: by GB/T 2260 division, in tiers, each figure from its date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.divisions import UnknownDivision, parse_divisions
from domain.pay import MinimumWage, MinimumWageTable, PayInputError
from domain.pay.minimum_wages import parse_minimum_wages

DATA = Path(__file__).resolve().parents[3] / "domain" / "pay" / "data"
SHIPPED = MinimumWageTable(parse_minimum_wages((DATA / "minimum_wages.csv").read_text(encoding="utf-8")))
NAMES = parse_divisions((DATA / "divisions.csv").read_text(encoding="utf-8"))


def test_shandong_from_1_october_2025_is_24_22_yuan_an_hour_by_tier() -> None:
    # 鲁政字〔2025〕140号: 历下区 first tier ¥24 (2,400 fen), 章丘区 second tier ¥22; monthly ¥2,400 / ¥2,210.
    lixia, zhangqiu = SHIPPED.figure("370102", date(2025, 10, 1)), SHIPPED.figure("370114", date(2026, 11, 30))
    assert (lixia.hourly_fen, lixia.monthly_fen, lixia.tier) == (2_400, 240_000, "第一档")
    assert (zhangqiu.hourly_fen, zhangqiu.monthly_fen) == (2_200, 221_000)
    assert "鲁政字〔2025〕140号" in lixia.source


def test_the_day_before_the_new_figure_is_judged_by_the_old_one() -> None:
    # 2025-09-30 in 历下区: still 鲁政字〔2021〕169号's first tier, ¥21 an hour.
    assert SHIPPED.figure("370102", date(2025, 9, 30)).hourly_fen == 2_100
    assert SHIPPED.figure("370102", date(2025, 10, 1)).hourly_fen == 2_400


def test_a_span_across_the_change_is_judged_by_the_higher_figure() -> None:
    # A week 2025-09-29 .. 10-05 in 历下区: ¥21 until 09-30, ¥24 from 10-01; the ledger has the week's minutes only.
    assert SHIPPED.hourly_fen("370102", starts=date(2025, 9, 29), ends=date(2025, 10, 5)) == 2_400
    assert SHIPPED.hourly_fen("370102", starts=date(2025, 9, 16), ends=date(2025, 9, 30)) == 2_100


def test_a_city_figure_covers_its_districts_and_a_district_figure_wins_on_the_same_date() -> None:
    table = MinimumWageTable((
        MinimumWage(division="440100", hourly_fen=2_370, effective_from=date(2025, 3, 1), source="城市"),
        MinimumWage(division="440106", hourly_fen=2_500, effective_from=date(2025, 3, 1), source="区"),
        MinimumWage(division="440000", hourly_fen=2_000, effective_from=date(2025, 3, 1), source="省"),
    ))
    assert table.figure("440106", date(2025, 6, 1)).hourly_fen == 2_500
    assert table.figure("440104", date(2025, 6, 1)).hourly_fen == 2_370
    assert table.figure("440500", date(2025, 6, 1)).hourly_fen == 2_000


def test_a_later_province_figure_replaces_an_older_district_one() -> None:
    table = MinimumWageTable((
        MinimumWage(division="370102", hourly_fen=2_100, effective_from=date(2021, 10, 1), source="旧"),
        MinimumWage(division="370000", hourly_fen=2_400, effective_from=date(2025, 10, 1), source="新"),
    ))
    assert table.figure("370102", date(2025, 10, 2)).hourly_fen == 2_400


def test_no_figure_is_an_error_naming_the_division_never_a_default() -> None:
    with pytest.raises(PayInputError) as caught:
        SHIPPED.figure("650102", date(2026, 1, 1))
    assert caught.value.field == "division" and "650102" in caught.value.reason
    # Before the earliest figure listed for a place there is none: an error, not the next figure nor ¥22.
    with pytest.raises(PayInputError, match="2021-09-30"):
        SHIPPED.figure("370102", date(2021, 9, 30))


def test_a_deployment_figure_for_the_same_division_and_date_replaces_the_shipped_one() -> None:
    mine = MinimumWage(division="310000", hourly_fen=2_600, effective_from=date(2025, 7, 1), source="部署方核实")
    assert SHIPPED.with_figures([mine]).figure("310104", date(2025, 8, 1)).hourly_fen == 2_600
    assert SHIPPED.figure("310104", date(2025, 8, 1)).hourly_fen == 2_500


def test_every_shipped_figure_is_in_fen_an_hour_with_a_source() -> None:
    assert all(1_500 <= f.hourly_fen <= 4_000 and f.source for f in SHIPPED.figures), "fen, not yuan"
    # The figures the product had before divisions are all still there, now by division.
    assert {"110000", "310000", "440100", "440300", "330100", "510100"} <= {f.division for f in SHIPPED.figures}


@pytest.mark.parametrize("row, field", [
    ("37010,x,,,24,2025-10-01,s", "division"), ("370102,x,,,24.001,2025-10-01,s", "hourly_yuan"),
    ("370102,x,,,24,2025/10/01,s", "effective_from"), ("370102,x,,abc,24,2025-10-01,s", "monthly_yuan"),
])
def test_a_bad_row_in_a_data_file_names_its_line_and_column(row: str, field: str) -> None:
    header = "division,division_name,tier,monthly_yuan,hourly_yuan,effective_from,source\n"
    with pytest.raises(PayInputError) as caught:
        parse_minimum_wages("# comment\n" + header + row + "\n")
    assert caught.value.field == f"line 3: {field}"  # line 1 a comment, line 2 the header: as an editor counts


@pytest.mark.parametrize("typed", ["370102", "３７０１０２", "历下区", "历下", "济南市历下区", "济南历下",
                                   "山东省济南市历下区"])
def test_a_division_is_found_by_code_or_by_its_chinese_name_with_or_without_suffix(typed: str) -> None:
    assert NAMES.resolve(typed) == "370102"


def test_the_pinyin_city_keys_of_before_are_aliases() -> None:
    assert [NAMES.resolve(k) for k in ("shanghai", "Beijing", "jinan")] == ["310000", "110000", "370100"]


def test_a_name_two_places_share_is_refused_naming_both() -> None:
    with pytest.raises(UnknownDivision) as caught:
        NAMES.resolve("市中区")
    assert "370103" in caught.value.reason and "370402" in caught.value.reason
    assert NAMES.resolve("济南市市中区") == "370103"


def test_an_unknown_name_is_refused_in_chinese() -> None:
    with pytest.raises(UnknownDivision, match="未知的行政区划"):
        NAMES.resolve("火星市")
