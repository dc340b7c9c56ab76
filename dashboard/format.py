"""Money, numbers and dates the way the reader expects them: ¥1,234.56 and Asia/Shanghai time, via Babel."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

from domain.pay.money import BASE_WORDS, format_rate

TZ = ZoneInfo("Asia/Shanghai")
LOCALES = {"zh": "zh_CN", "en": "en_US"}


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, "zh_CN")


def money(fen: int, lang: str = "zh") -> str:
    """Integer fen as yuan: 123456 -> '¥1,234.56' (the yuan sign in both languages: the currency is always CNY)."""
    # Decimal keeps the fen exact; zh_CN gives the plain ¥ sign where en_US would print 'CN¥'.
    return format_currency(Decimal(fen) / 100, "CNY", locale="zh_CN")


def rate(rate_centifen: int, per: int = 1, lang: str = "zh") -> str:
    """An exact piece rate as it was quoted: 350 centifen (0.0001 yuan) -> '¥0.035/件', per 1000 -> '¥35.00/千件'."""
    return format_rate(rate_centifen, per, lang)


def rate_basis(per: int, lang: str = "zh") -> str:
    """What a quoted price is for: 1 -> '每件', 1000 -> '每千件' ('per 1,000 pieces')."""
    return f"每{BASE_WORDS['zh'][per]}" if lang == "zh" else f"per {BASE_WORDS['en'][per]}"


def number(value: int | float, lang: str = "zh") -> str:
    return format_decimal(value, locale=locale_of(lang))


def percent(ratio: float | None, lang: str = "zh") -> str:
    """A ratio as '92.3%'; '—' when there is nothing to divide."""
    return "—" if ratio is None else format_percent(ratio, "#,##0.0%", locale=locale_of(lang))


def when(instant: datetime | None, lang: str = "zh") -> str:
    """A moment in Asia/Shanghai time, short form."""
    if instant is None:
        return "—"
    return format_datetime(instant, "short", tzinfo=TZ, locale=locale_of(lang))


def day(value: date | datetime, lang: str = "zh") -> str:
    """A calendar day; datetimes are first moved to Asia/Shanghai."""
    if isinstance(value, datetime):
        value = value.astimezone(TZ).date()
    return format_date(value, "medium", locale=locale_of(lang))
