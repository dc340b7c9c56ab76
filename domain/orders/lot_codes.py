"""Short lot codes (批次简码): what people say and write for a lot, e.g. 网兜-1129-03.

The long lot id stays the key everywhere; the short code is for cards, pickers, labels and slips, and a person may
type it where a lot is looked up. It is the product's short name, the local date the lot was made (MMDD, Asia/Shanghai)
and a two-digit sequence per product per day.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")  # the communities' own calendar: a lot made at 23:30 UTC belongs to the next day
# A Chinese name is said by its last two characters, the thing made ("编织网兜" → 网兜, "串珠手链" → 手链), so a code
# fits a picker and a 90 mm label; a name in Latin letters keeps its first LATIN_CHARS characters.
CJK_CHARS, LATIN_CHARS = 2, 6
_SEPARATORS = re.compile(r"[\s\-_:：·/\\]+")
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")  # "编织网兜（大号）": the size is not the product
SHORT_CODE = re.compile(r"^(?P<prefix>.+-\d{4})-(?P<seq>\d{2,})$")


def product_short_name(name: str, product_code: str) -> str:
    """The product as people say it: the last two characters of a Chinese name, the start of a Latin one, without
    brackets, spaces or dashes; the product code when nothing is left."""
    cleaned = _SEPARATORS.sub("", _BRACKETS.sub("", unicodedata.normalize("NFKC", name)))
    if any(_is_cjk(ch) for ch in cleaned):
        return cleaned[-CJK_CHARS:]
    return cleaned[:LATIN_CHARS] or _SEPARATORS.sub("", product_code)[:8] or "批次"


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def code_prefix(*, product_name: str, product_code: str, made_at: datetime) -> str:
    """'<short name>-<MMDD>' for a lot made at `made_at` (aware; read in Asia/Shanghai)."""
    if made_at.tzinfo is None:
        raise ValueError("made_at must be timezone-aware (UTC in the store)")
    local = made_at.astimezone(TZ)
    return f"{product_short_name(product_name, product_code)}-{local:%m%d}"


def next_sequence(prefix: str, existing: Iterable[str]) -> int:
    """One more than the highest sequence already used under `prefix` (1 for the day's first lot of the product)."""
    used = [int(m["seq"]) for code in existing if (m := SHORT_CODE.match(code)) and m["prefix"] == prefix]
    return max(used, default=0) + 1


def short_code(prefix: str, sequence: int) -> str:
    """'网兜-1129-03': the sequence has two digits at least (a hundredth lot of a day reads 网兜-1129-100)."""
    if sequence < 1:
        raise ValueError(f"a lot sequence starts at 1, got {sequence}")
    return f"{prefix}-{sequence:02d}"


def short_codes(*, product_name: str, product_code: str, made_at: datetime, existing: Iterable[str],
                count: int) -> list[str]:
    """Codes for `count` new lots of one product made at `made_at`, after those already `existing` that day."""
    prefix = code_prefix(product_name=product_name, product_code=product_code, made_at=made_at)
    first = next_sequence(prefix, existing)
    return [short_code(prefix, first + i) for i in range(count)]


def lot_code(*, short_code: str | None, product_name: str | None, lot_no: int) -> str:
    """A lot as people name it, never by its id: its short code ('网兜-1129-03'); a lot made before codes existed by
    its product and number ('串珠手链-第3批'). The dashboard's pickers and tables and the printed pay slips say this."""
    return short_code or f"{product_name or '批次'}-第{lot_no}批"


def lot_and_product(*, short_code: str | None, product_name: str | None, lot_no: int) -> str:
    """The lot's code with its product beside it, for a line that says what the lot is ('网兜-1129-03 · 编织网兜');
    an older lot's code already says its product ('编织网兜-第3批'), so the product is not said twice."""
    code = lot_code(short_code=short_code, product_name=product_name, lot_no=lot_no)
    return f"{code} · {product_name}" if short_code and product_name else code


def looks_like_short_code(text: str) -> bool:
    """True for what a person might type as a short code ('网兜-1129-03'), not for a long lot id."""
    return bool(SHORT_CODE.match(normalise(text)))


def normalise(text: str) -> str:
    """As typed: full-width digits and dashes made plain, surrounding space gone, and whatever a person put between
    the code's parts (spaces, a long dash, an underscore, a dot: '包装 1201 08', '包装—1201—08') read as its dash."""
    plain = unicodedata.normalize("NFKC", text).strip()
    return _TYPED_SEPARATORS.sub("-", plain)


_TYPED_SEPARATORS = re.compile(r"[\s_:·/\\—–－‐-]+")
DAY_AND_SEQUENCE = re.compile(r"^(?P<day>\d{4})-(?P<seq>\d{1,})$")


def codes_named(typed: str, codes: Iterable[str]) -> list[str]:
    """Which of `codes` a person means by `typed`: the code itself however spaced or dashed, or only its day and
    sequence ('1201-08', '1201 8'), which is what she reads off a label when the product is plain; several codes when
    that is ambiguous (two products' lots of one day), none when nothing fits."""
    wanted = normalise(typed)
    exact = [c for c in codes if c == wanted]
    if exact or not (m := DAY_AND_SEQUENCE.match(wanted)):
        return exact
    tail = f"-{m['day']}-{int(m['seq']):02d}"
    return [c for c in codes if c.endswith(tail)]
