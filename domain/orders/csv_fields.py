"""Parsers for the cells coordinators type into import spreadsheets; each names what is wrong."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from domain.orders.uscc import check_uscc
from domain.orders.validation import MAX_SKILL_LEVEL, MIN_SKILL_LEVEL
from domain.people import BadIdentity, normalise_id_number, normalise_name, normalise_phone

CHINA_TZ = timezone(timedelta(hours=8), "CST")  # China has one zone and no daylight saving
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORK_MODES = ("onsite", "home", "either")
SITE_KINDS = ("workshop", "home")
_WORK_MODE_ALIASES = {"到场": "onsite", "居家": "home", "均可": "either"}
_TRUE = {"yes", "y", "true", "1", "是"}
_FALSE = {"no", "n", "false", "0", "否"}
# Chinese input methods type full-width punctuation; read it as the ASCII it stands for.
_HALFWIDTH = str.maketrans(
    {"；": ";", "：": ":", "，": ",", "－": "-", "～": "-", "–": "-", "~": "-", "　": " "}
)
# A spreadsheet's serial date-time (days since 1899-12-30), as a date cell is saved when its format is lost.
_SERIAL = re.compile(r"\d{5}(\.\d+)?")
_SERIAL_RANGE = (Decimal(36526), Decimal(73051))  # 2000-01-01 up to 2100-01-01
_EXCEL_EPOCH = datetime(1899, 12, 30)
_LOCAL_DATE = re.compile(
    r"(?P<year>\d{4})\s*[/.年-]\s*(?P<month>\d{1,2})\s*[/.月-]\s*(?P<day>\d{1,2})\s*日?"
    r"(?:\s*T?\s*(?P<hour>\d{1,2})\s*[:时点]\s*(?:(?P<minute>\d{1,2})\s*分?)?(?::(?P<second>\d{1,2})秒?)?)?")
_SKILL = re.compile(r"[a-z][a-z0-9_]*")
_SLOT = re.compile(
    r"(?P<days>[a-z]{3}(?:-[a-z]{3})?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})"
)


class BadValue(ValueError):
    """A cell that cannot be read; the message is shown to the coordinator as is."""


class Slot(NamedTuple):
    """A weekly time window: weekday 0 = Monday, minutes since midnight, end exclusive."""

    weekday: int
    start_minute: int
    end_minute: int


def parse_text(raw: str) -> str:
    """Free text, already stripped by the reader."""
    return raw


def parse_phone(raw: str) -> str:
    """A mainland mobile number, normalised as on every other path (domain.people)."""
    try:
        return normalise_phone(raw)
    except BadIdentity as exc:
        raise BadValue(str(exc)) from None


def parse_id_number(raw: str) -> str:
    """An 18-character resident ID number, normalised and checked as on every other path (domain.people)."""
    try:
        return normalise_id_number(raw)
    except BadIdentity as exc:
        raise BadValue(str(exc)) from None


def parse_name(raw: str) -> str:
    """A person's name, normalised as on every other path (domain.people)."""
    try:
        return normalise_name(raw)
    except BadIdentity as exc:
        raise BadValue(str(exc)) from None


def parse_uscc(raw: str) -> str:
    """A valid unified social credit code."""
    code = raw.replace(" ", "").upper()
    problem = check_uscc(code)
    if problem:
        raise BadValue(f"unified social credit code {problem}")
    return code


def parse_work_mode(raw: str) -> str:
    """onsite, home or either (到场, 居家, 均可 also read)."""
    mode = _WORK_MODE_ALIASES.get(raw, raw.lower())
    if mode not in WORK_MODES:
        raise BadValue(f"{raw!r} is not a work mode; use one of {', '.join(WORK_MODES)}")
    return mode


def parse_site_kind(raw: str) -> str:
    """workshop (社区微工厂) or home (家庭微车间)."""
    kind = raw.lower()
    if kind not in SITE_KINDS:
        raise BadValue(f"{raw!r} is not a site kind; use one of {', '.join(SITE_KINDS)}")
    return kind


def parse_bool(raw: str) -> bool:
    """yes/no, true/false, 1/0 or 是/否."""
    value = raw.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadValue(f"{raw!r} is not yes or no")


def parse_positive_int(raw: str) -> int:
    """A whole number above zero."""
    value = _int(raw)
    if value <= 0:
        raise BadValue(f"must be greater than 0, got {value}")
    return value


def parse_non_negative_int(raw: str) -> int:
    """A whole number, zero or more."""
    value = _int(raw)
    if value < 0:
        raise BadValue(f"must not be negative, got {value}")
    return value


def parse_yuan_to_fen(raw: str) -> int:
    """An amount in yuan ('0.35') as exact integer fen, refusing fractions of a fen."""
    try:
        amount = Decimal(unicodedata.normalize("NFKC", raw).removeprefix("¥").removeprefix("￥"))
    except InvalidOperation:
        raise BadValue(f"{raw!r} is not an amount in yuan, e.g. 0.35") from None
    if not amount.is_finite():
        raise BadValue(f"{raw!r} is not an amount in yuan, e.g. 0.35")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise BadValue(f"{raw!r} has more than 2 decimal places (smaller than a fen)")
    if fen < 0:
        raise BadValue(f"must not be negative, got {raw}")
    return int(fen)


def parse_due_at(raw: str) -> datetime:
    """A date and time as a Chinese-locale spreadsheet writes it; without an offset it is Beijing time.

    Read: '2025-07-01 18:00', '2025/7/1 18:00', '2025年7月1日 18:00' (or 18时), full-width digits, and an
    Excel serial date-time such as 45839.75 (a date cell saved as a number). A date alone is refused: a due
    time decides who can finish the lot, so it is never guessed.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    moment = _from_serial(text) if _SERIAL.fullmatch(text) else _iso(text) or _local_date_time(text)
    if moment is None:
        raise BadValue(f"{raw!r} is not a date and time like 2025-07-01 18:00 or 2025/7/1 18:00")
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)


def _iso(text: str) -> datetime | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise BadValue(f"{text!r} needs a time as well, e.g. {text} 18:00")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _local_date_time(text: str) -> datetime | None:
    """'2025/7/1 18:00', '2025.7.1 18:00:00', '2025年7月1日18时30分'; None when it is no date at all."""
    match = _LOCAL_DATE.fullmatch(text)
    if match is None:
        return None
    if match["hour"] is None:
        raise BadValue(f"{text!r} needs a time as well, e.g. {text} 18:00")
    try:
        return datetime(int(match["year"]), int(match["month"]), int(match["day"]), int(match["hour"]),
                        int(match["minute"] or 0), int(match["second"] or 0))
    except ValueError as problem:
        raise BadValue(f"{text!r} is not a real date and time ({problem})") from None


def _from_serial(text: str) -> datetime:
    """Excel's 1900 date system: day 1 is 1900-01-01 and (Lotus's leap-year bug) day 60 is 1900-02-29."""
    serial = Decimal(text)
    if not _SERIAL_RANGE[0] <= serial < _SERIAL_RANGE[1]:
        raise BadValue(f"{text!r} is not a date and time like 2025-07-01 18:00 (as a spreadsheet serial date it "
                       "is outside 2000-2099)")
    if serial == serial.to_integral_value():
        day = _EXCEL_EPOCH + timedelta(days=int(serial))
        raise BadValue(f"{text!r} is the date {day:%Y-%m-%d} without a time; give the time as well, "
                       f"e.g. {day:%Y-%m-%d} 18:00")
    seconds = int((serial * 86400).to_integral_value())  # to the second: Excel stores 18:00 as 0.75 days
    return _EXCEL_EPOCH + timedelta(seconds=seconds)


def parse_code(raw: str) -> str:
    """An identifier (community, site, enterprise, product): full-width letters and digits typed by a Chinese
    input method read as ASCII, so 'Ｃ－００１' is 'C-001'."""
    return unicodedata.normalize("NFKC", raw).translate(_HALFWIDTH).strip()


def parse_id_list(raw: str) -> tuple[str, ...]:
    """'S1;S2' -> ('S1', 'S2'), keeping the first of any repeats; full-width characters read as ASCII."""
    return tuple(dict.fromkeys(parse_code(part) for part in _split(raw)))


def parse_skills(raw: str) -> dict[str, int]:
    """'beading:2;sewing:1' -> {'beading': 2, 'sewing': 1}."""
    skills: dict[str, int] = {}
    for item in _split(raw):
        name, sep, level = item.partition(":")
        name = name.strip().lower()
        if not sep or not _SKILL.fullmatch(name):
            raise BadValue(f"{item!r} should look like skill:level, e.g. beading:2")
        if name in skills:
            raise BadValue(f"skill {name!r} is listed twice")
        value = _int(level.strip())
        if not MIN_SKILL_LEVEL <= value <= MAX_SKILL_LEVEL:
            raise BadValue(f"level of {name!r} must be {MIN_SKILL_LEVEL}-{MAX_SKILL_LEVEL}, got {value}")
        skills[name] = value
    return skills


def parse_weekly_slots(raw: str) -> tuple[Slot, ...]:
    """'Mon 09:00-11:30;Wed-Fri 14:00-17:00' -> sorted, non-overlapping weekly slots."""
    slots: list[Slot] = []
    for item in _split(raw):
        match = _SLOT.fullmatch(item.lower())
        if not match:
            raise BadValue(f"{item!r} should look like 'Mon 09:00-11:30' or 'Mon-Fri 09:00-11:30'")
        start, end = _minute(match["start"]), _minute(match["end"])
        if start >= end:
            raise BadValue(f"{item!r} ends before it starts")
        slots += [Slot(day, start, end) for day in _days(match["days"])]
    slots.sort()
    for earlier, later in zip(slots, slots[1:], strict=False):
        if earlier.weekday == later.weekday and later.start_minute < earlier.end_minute:
            raise BadValue(f"two time windows overlap on {WEEKDAYS[later.weekday].title()}")
    return tuple(slots)


def _split(raw: str) -> list[str]:
    """';'-separated items; full-width letters, digits and punctuation (an input method's) read as ASCII."""
    text = unicodedata.normalize("NFKC", raw).translate(_HALFWIDTH)
    return [part.strip() for part in text.split(";") if part.strip()]


def _int(raw: str) -> int:
    try:
        return int(unicodedata.normalize("NFKC", raw).translate(_HALFWIDTH).replace(",", ""))
    except ValueError:
        raise BadValue(f"{raw!r} is not a whole number") from None


def _minute(hhmm: str) -> int:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes):
        raise BadValue(f"{hhmm!r} is not a time of day")
    return hours * 60 + minutes


def _days(spec: str) -> range:
    first, _, last = spec.partition("-")
    for day in (first, last or first):
        if day not in WEEKDAYS:
            raise BadValue(f"{day!r} is not a weekday; use Mon, Tue, Wed, Thu, Fri, Sat, Sun")
    start, stop = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
    if stop < start:
        raise BadValue(f"{spec!r} runs backwards; write e.g. Mon-Fri")
    return range(start, stop + 1)
