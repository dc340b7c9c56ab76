"""One person, one record: ID numbers, mobile numbers and names normalised the same way on every path.

The API, the CSV/Excel import and the demo all pass a person's numbers through these functions, so the same
ID typed with full-width digits on a phone and with ASCII digits in a spreadsheet is one resident. Each
function returns the canonical form or raises `BadIdentity` whose message names the reason as "中文 / English"
(usecases.reasons.localize gives each reader their half).
Sources: GB 11643-1999 (the ID number and its ISO 7064 MOD 11-2 check character); mainland mobile numbers
are 11 digits starting 13–19 (MIIT numbering plan); 名·姓 names use U+00B7 MIDDLE DOT (GB/T 28039-2011 §5).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from domain.orders.id_number import check_id_number

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_.]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Spreadsheets show long numbers in scientific notation (3.70102E+17) and keep only 15 significant digits.
_SCIENTIFIC = re.compile(r"^[0-9]+(\.[0-9]+)?E\+?[0-9]+$", re.IGNORECASE)
# Dots people and input methods put between the parts of a transliterated name, all meaning U+00B7.
# U+2E31 WORD SEPARATOR MIDDLE DOT, U+318D (a Korean input method's dot) and U+02D1 are typed for it too.
_MIDDLE_DOTS = str.maketrans({c: "·" for c in "•‧・･∙⋅●．.﹒⸱ㆍˑ"})
_DESTROYED = ("?", "？", "\ufffd")


class BadIdentity(ValueError):
    """A number or name that cannot be one person's; the message says why (Chinese, then English)."""


def normalise_id_number(raw: str) -> str:
    """The canonical 18-character ID number (GB 11643): ASCII digits, upper-case X, checked in full.

    Full-width digits and letters become ASCII (NFKC), spaces and dashes go, a lower-case x becomes X.
    Raises BadIdentity for a number a spreadsheet damaged, a wrong length, region, birth date or check character.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if _SCIENTIFIC.match(text.replace(" ", "")):
        raise BadIdentity(f"身份证号码被表格软件改成了科学计数法（{text}），请把该列设为文本后重新录入"
                          " / a spreadsheet turned the ID number into scientific notation")
    number = _SEPARATORS.sub("", text).upper()
    problem = check_id_number(number)
    if problem is None:
        return number
    if len(number) == 18 and number.isdigit() and number.endswith("000"):
        raise BadIdentity("身份证号码末尾三位为 000 且校验位不符，可能被表格软件截断，请核对原件"
                          f" / ID number {problem}; a spreadsheet may have replaced its last digits with zeros")
    raise BadIdentity(f"身份证号码无效：{_id_problem_in_chinese(problem)} / invalid ID number: {problem}")


# domain.orders.id_number.check_id_number's reasons, in Chinese (issue 15: the detail was English only).
_ID_PROBLEMS = [(re.compile(p), zh) for p, zh in [
    (r"^must be 18 characters, got (\d+)$", r"应为 18 位（收到 \1 位）"),
    (r"^the first 17 characters must be digits$", "前 17 位必须是数字"),
    (r"^the last character must be a digit or X, got '(.*)'$", r"最后一位必须是数字或 X（收到「\1」）"),
    (r"^region code '(.*)' does not start with a province code$", r"地区码「\1」的开头不是省级代码"),
    (r"^birth date '(.*)' is not a real date$", r"出生日期「\1」不存在"),
    (r"^check character should be '(.)', got '(.)'$", r"校验位应为「\1」，收到「\2」"),
]]


def _id_problem_in_chinese(problem: str) -> str:
    """check_id_number's English reason in Chinese; as written if it is a new one (a test lists them all)."""
    for pattern, zh in _ID_PROBLEMS:
        if pattern.match(problem):
            return pattern.sub(zh, problem)
    return problem


def normalise_phone(raw: str) -> str:
    """The canonical 11-digit mainland mobile number: ASCII digits, no spaces, dashes or +86 prefix.

    Raises BadIdentity when what is left is not 11 digits starting 13–19 (or a spreadsheet damaged it).
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if _SCIENTIFIC.match(text.replace(" ", "")):
        raise BadIdentity(f"手机号码被表格软件改成了科学计数法（{text}），请把该列设为文本后重新录入 / a spreadsheet "
                          "turned the number into scientific notation")
    digits = _SEPARATORS.sub("", text.replace("(", "").replace(")", ""))
    digits = digits.removeprefix("+86").removeprefix("0086")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise BadIdentity(f"不是有效的手机号码：「{raw}」，应为 13–19 开头的 11 位数字 "
                          "/ not a mainland mobile number: 11 digits starting 13-19")
    return digits


def normalise_name(raw: str) -> str:
    """A person's name as written (NFC), with every middle-dot variant as U+00B7 and no stray spaces around it.

    Raises BadIdentity for an empty name, or one where an encoding already destroyed a character ('?' or
    U+FFFD, as a GBK export leaves a rare character such as 𠮷), or one with control characters.
    """
    name = unicodedata.normalize("NFC", raw).strip()
    if not name:
        raise BadIdentity("姓名不能为空 / the name is empty")
    if any(c in name for c in _DESTROYED):
        raise BadIdentity(f"姓名中有无法识别的字符（{name}），可能是生僻字在导出时被编码损坏，请重新录入 "
                          "/ a character of the name was destroyed by an encoding")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise BadIdentity("姓名中有控制字符 / the name contains control characters")
    if any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in name):
        # Only in Chinese-script names is a dot a 名·姓 separator; "J. Smith" keeps its full stop.
        name = re.sub(r"\s*·\s*", "·", name.translate(_MIDDLE_DOTS))
    return re.sub(r"\s+", " ", name)


def telling_tail(phone: str | None, namesakes: Iterable[str | None]) -> str | None:
    """The last digits of `phone` that tell its owner apart from residents of the same name with the phones
    `namesakes`: the last four ('5678'), or more where a namesake's phone ends the same ('45678'). None without a
    phone ending in four digits, or when its digits cannot tell (a masked '138****5678' beside a '139****5678').
    Whole phone numbers are unique, so some tail of a whole number always differs from every other number.
    """
    own = (phone or "").strip()
    others = [p.strip() for p in namesakes if p and p.strip() != own]
    size = 4
    while size <= len(own) and own[-size:].isdigit():
        if not any(p.endswith(own[-size:]) for p in others):
            return own[-size:]
        size += 1
    return None
