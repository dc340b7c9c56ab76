"""Every reason a spreadsheet import can give a row reads in Chinese by default and as written in English (issue 15).

The cheap check behind the API's and the dashboard's import tables (both show usecases.reasons.localize of the
reason): each cell check of domain.orders.csv_fields, the file checks of csv_import and csv_reading, every branch of
the credit-code check, pydantic's refusals of the commands an import builds, and the registry's refusals. A new
English reason without its Chinese fails here, naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from pydantic import BaseModel, ValidationError

from domain.orders import csv_fields as f
from domain.orders.csv_import import RowError, import_residents, import_sites
from domain.orders.uscc import check_uscc, make_uscc_from_parts
from domain.sheets import OLE_MAGIC
from schemas import commands as c
from usecases.imports import ImportRejected
from usecases.reasons import both_languages, localize

# English a Chinese reader must not meet; what the person wrote (in 「」) and the template's own vocabulary
# (column names, Mon-Sun, onsite/home/either) may stay.
ENGLISH = re.compile(r"\b(?:is required|must|should|got|not a|duplicate|unknown|registered|conflicts|Input|String|"
                     r"Field|character|expected|overlap|ends before|weekday|listed twice|level|runs backwards|"
                     r"time of day|greater|less|or|the|file|column|header|code|division|authority|allowed)\b")
CJK = re.compile(r"[\u4e00-\u9fff]")
CELLS: list[tuple[Callable[[str], object], str]] = [
    (f.parse_phone, "123"), (f.parse_phone, "1.38123E+10"), (f.parse_name, ""), (f.parse_name, "王?英"),
    (f.parse_name, "王\x07英"), (f.parse_id_number, "1.10105E+17"), (f.parse_id_number, "110105194912310000"),
    (f.parse_id_number, "12345"), (f.parse_id_number, "11010519491231002A"), (f.parse_id_number, "1101051949123100AX"),
    (f.parse_id_number, "990105194912310021"), (f.parse_id_number, "110105194902300021"),
    (f.parse_id_number, "110105194912310021"),
    (f.parse_uscc, "123"), (f.parse_uscc, "91350100m000100y4x"), (f.parse_work_mode, "到厂"),
    (f.parse_site_kind, "factory"), (f.parse_bool, "也许"), (f.parse_positive_int, "0"), (f.parse_positive_int, "abc"),
    (f.parse_non_negative_int, "-1"), (f.parse_yuan_to_fen, "abc"), (f.parse_yuan_to_fen, "0.001"),
    (f.parse_yuan_to_fen, "-1"), (f.parse_due_at, "2025-07-01"), (f.parse_due_at, "2025/2/30 18:00"),
    (f.parse_due_at, "明天"), (f.parse_due_at, "45839"), (f.parse_due_at, "99999.5"), (f.parse_skills, "beading"),
    (f.parse_skills, "beading:1;beading:2"), (f.parse_skills, "beading:9"), (f.parse_weekly_slots, "Mon 9-10"),
    (f.parse_weekly_slots, "Mon 11:00-10:00"), (f.parse_weekly_slots, "Mon 09:00-11:00;Mon 10:00-12:00"),
    (f.parse_weekly_slots, "Mon 25:00-26:00"), (f.parse_weekly_slots, "Xyz 09:00-10:00"),
    (f.parse_weekly_slots, "Fri-Mon 09:00-10:00"),
]
GOOD_USCC = make_uscc_from_parts(authority="9", kind="1", division="350100", org_body8="M0001000")
BAD_USCCS = ["123", GOOD_USCC.lower(), GOOD_USCC[:3] + "I" + GOOD_USCC[4:], GOOD_USCC[:3] + "@" + GOOD_USCC[4:],
             "X" + GOOD_USCC[1:], "99" + GOOD_USCC[2:], GOOD_USCC[:2] + "35010A" + GOOD_USCC[8:],
             GOOD_USCC[:2] + "990100" + GOOD_USCC[8:], GOOD_USCC[:16] + ("1" if GOOD_USCC[16] != "1" else "2")
             + GOOD_USCC[17], GOOD_USCC[:17] + ("0" if GOOD_USCC[17] != "0" else "1")]
FILES = [OLE_MAGIC + bytes(100), b"PK\x03\x04" + bytes(100),  # an old .xls; a damaged .xlsx (domain.sheets)
         b"", "名字".encode("utf-16"), b"\x81\x30\xff\xfe", b"name,phnoe,phnoe\nx,1,2\n",
         "name,community_id,work_mode\n王,im,home,extra\n王,im,home\n".encode(), b"name,community_id,work_mode\n"]
REGISTRY = ["already registered: im-s1", "unknown site in this community: im-s9", "level must be between 0 and 10",
            "weekday must be 0 (Monday) to 6 (Sunday)", "start and end minutes must satisfy 0 <= start < end <= 1440",
            "no such community: nowhere", "already posted: PO-1", "already registered for resident res-1",
            "does not match the code registered for ent-01", "not one of your communities: other"]


def cell_reasons() -> list[str]:
    reasons = []
    for parse, raw in CELLS:
        with pytest.raises(f.BadValue) as refused:
            parse(raw)
        reasons.append(str(refused.value))
    return reasons


def file_reasons() -> list[str]:
    twice = b"site_id,name,community_id,kind,seats\ns1,a,im,home,1\ns1,b,im,home,1\n"
    return [e.reason for data in FILES for e in import_residents(data).errors] + [
        e.reason for e in import_sites(twice).errors]


def command_reasons() -> list[str]:
    bad: list[tuple[type[BaseModel], dict[str, object]]] = [
        (c.RegisterSite, {"site_id": "a b", "community_id": "im", "name": "", "kind": "shop", "seats": 5000}),
        (c.RegisterResident, {"resident_id": "r", "community_id": "im", "name": "x" * 60, "work_mode": "walk",
                              "max_open_lots": 0}),
    ]
    reasons = []
    for model, fields in bad:
        with pytest.raises(ValidationError) as refused:
            model(**fields)
        reasons += [both_languages(e) for e in refused.value.errors()]
    return reasons


def all_reasons() -> list[str]:
    problems = [check_uscc(code) for code in BAD_USCCS]
    assert all(problems) and len(set(problems)) == len(BAD_USCCS), problems  # each branch once
    return cell_reasons() + file_reasons() + command_reasons() + [str(p) for p in problems] + REGISTRY


def test_every_import_reason_reads_in_chinese() -> None:
    left = {}
    for reason in all_reasons():
        zh = localize(reason, "zh")
        words = ENGLISH.findall(re.sub(r"「[^」]*」|'[^']*'", "", zh))
        if words or not CJK.search(zh):
            left[reason] = zh
    assert not left, f"import reasons still English for a Chinese reader: {left}"


def test_every_import_reason_reads_in_english_when_asked() -> None:
    for reason in all_reasons():
        english = localize(reason, "en")
        assert not CJK.search(re.sub(r"'[^']*'", "", english)), english


def test_a_refused_file_s_own_reason_is_its_first_problem_in_either_language() -> None:
    """ImportRejected's reason (what a caller shows in one sentence) splits cleanly, even quoting a Chinese cell."""
    for reason in all_reasons():
        refused = ImportRejected([RowError(3, "skills", reason)])
        zh, en = localize(refused.reason, "zh"), localize(refused.reason, "en")
        assert zh == f"第 3 行：{localize(reason, 'zh')}", zh
        assert en == f"row 3: {localize(reason, 'en')}", en
