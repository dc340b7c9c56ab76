"""Money, numbers and dates the way the reader expects them: ¥1,234.56 and Asia/Shanghai time, via Babel."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

from domain.pay.money import BASE_WORDS, format_rate

TZ = ZoneInfo("Asia/Shanghai")
LOCALES = {"zh": "zh_CN", "en": "en_US"}


# Marks with a meaning anywhere in a line (emphasis, links, images, code, strikethrough, tables, HTML and autolinks,
# LaTeX), '&' of an entity, ':' before a letter or '/' (':red[…]', 'http://'), and '.' inside a word that could be a
# domain ('www.x.cn', 'a@b.cn' are links in GFM); a sentence's full stop and '¥1,234.56' stay as they are.
_INLINE = re.compile(r"[\\`*_\[\]<>|~$@]|&(?=#|[A-Za-z]+;)|:(?=[/A-Za-z])|(?<=[^\W\d])\.(?=\w)|(?<=\d)\.(?=[^\W\d])")
_LINE_START = re.compile(r"^([ \t]*)([#+=-])", re.MULTILINE)  # headings, lists, setext and thematic breaks
_LIST_NUMBER = re.compile(r"^([ \t]*\d{1,9})([.)])(?=\s|$)", re.MULTILINE)  # '1.' and '1)' start a list


def md(text: object) -> str:
    """Text a person typed (a name, a reason, a comment), made safe to put into Streamlit markdown: st.markdown,
    st.write, st.caption, alerts and toasts, and the labels of buttons, checkboxes, expanders, tabs, metrics and radio
    options, which Streamlit renders as markdown too. Each mark that could mean something is backslash-escaped
    (CommonMark 2.4), so '[领奖](http://x)' shows as itself, not a link; '![x](…)' not an image; '**…**', ':red[…]',
    '$…$' (LaTeX), '<…>', bare 'http://…' and 'www.…' (GFM autolinks), and '#', '-', '1.' at a line's start lose
    their meaning, while the marks that are harmless where they stand ('网兜-1129-03', '（尾号1234）', '08:00') are left
    as typed. Not for plain-text places (st.text, st.dataframe, selectbox/multiselect options), where a backslash
    would show."""
    out = _INLINE.sub(lambda m: "\\" + m.group(0), str(text))
    out = _LINE_START.sub(r"\1\\\2", out)
    return _LIST_NUMBER.sub(r"\1\\\2", out)


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


def due(instant: datetime | None, lang: str = "zh") -> str:
    """A due time as people read one (Asia/Shanghai). Orders keep a due instant, never a bare date
    (domain.orders.csv_fields.parse_due_at refuses one); a due at 00:00 is the end of the day before, so
    2026-12-03 00:00 reads '2026/12/2 24:00' (as 截止到12月2日24时 is written), never '2026/12/3 00:00', which
    reads as the 3rd is still free. Any other due time as `when` writes it; '—' for none."""
    if instant is None:
        return "—"
    local = instant.astimezone(TZ)
    if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
        return when(instant, lang)
    the_day_before = format_date(local.date() - timedelta(days=1), "short", locale=locale_of(lang))
    return f"{the_day_before} 24:00" if lang != "en" else f"{the_day_before}, end of day"


def day(value: date | datetime, lang: str = "zh") -> str:
    """A calendar day; datetimes are first moved to Asia/Shanghai."""
    if isinstance(value, datetime):
        value = value.astimezone(TZ).date()
    return format_date(value, "medium", locale=locale_of(lang))
