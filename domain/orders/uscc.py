"""Unified social credit code (统一社会信用代码, GB 32100-2015) checks for partner enterprises."""

from __future__ import annotations

from collections.abc import Mapping

# GB 32100 leaves out I, O, Z, S and V so the code cannot be misread.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {char: value for value, char in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# GB 11714-1997 organisation code: letters count A=10 … Z=35 over the full alphabet.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Registration authority (登记管理部门) → allowed institution type codes (机构类别).
# GB 32100 defines 1, 5, 9 and Y; the other rows were assigned to further authorities since.
REGISTRATION_TYPES: Mapping[str, frozenset[str]] = {
    "1": frozenset("1239"),  # 机构编制: 机关, 事业单位, 群众团体, 其他
    "2": frozenset("19"),  # 外交: 外国常驻新闻机构, 其他
    "3": frozenset("123459"),  # 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定, 仲裁委, 其他
    "4": frozenset("19"),  # 文化: 外国在华文化中心, 其他
    # 民政: 社团, 民非, 基金会, 其他; 4/5 are residents' and villagers' committees
    # (基层群众性自治组织特别法人), coded by civil affairs since 2018.
    "5": frozenset("123459"),
    "6": frozenset("129"),  # 旅游: 外国/港澳台旅游部门常驻代表机构, 其他
    "7": frozenset("129"),  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": frozenset("19"),  # 工会: 基层工会, 其他
    "9": frozenset("123"),  # 工商/市场监管: 企业, 个体工商户, 农民专业合作社
    "A": frozenset("19"),  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": frozenset("1239"),  # 农业农村: 组级/村级/乡镇级集体经济组织, 其他
    "Y": frozenset("1"),  # 其他
}

# First two digits of a GB/T 2260 division code; shared with resident ID checks.
_PROVINCES = (
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82"
)
PROVINCE_CODES = frozenset(_PROVINCES.split())
# Codes issued by national-level registration authorities carry 100000.
NATIONAL_DIVISION = "100000"


def uscc_check_char(prefix17: str) -> str:
    """The 18th character of a USCC, so callers never hand-compute it."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(prefix17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """The 9th character of a GB 11714 organisation code."""
    total = sum(_org_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(prefix17: str) -> str:
    """Complete a 17-character prefix with its check character (demo data and tests)."""
    if len(prefix17) != 17 or any(c not in _USCC_VALUE for c in prefix17):
        raise ValueError(f"expected 17 characters from {USCC_CHARSET!r}, got {prefix17!r}")
    return prefix17 + uscc_check_char(prefix17)


def make_uscc_from_parts(*, authority: str, kind: str, division: str, org_body8: str) -> str:
    """Build a fully valid USCC, filling in both check characters."""
    org_code = org_body8 + org_code_check_char(org_body8)
    return make_uscc(authority + kind + division + org_code)


def check_uscc(code: str) -> str | None:
    """None when `code` is a valid USCC, else the first thing wrong with it, in plain words."""
    if len(code) != 18:
        return f"must be 18 characters, got {len(code)}"
    for position, char in enumerate(code, start=1):
        if char not in _USCC_VALUE:
            return _bad_char_reason(char, position)
    authority, kind, division, org_code = code[0], code[1], code[2:8], code[8:17]
    if authority not in REGISTRATION_TYPES:
        return f"registration authority code {authority!r} (character 1) is not assigned"
    if kind not in REGISTRATION_TYPES[authority]:
        allowed = ", ".join(sorted(REGISTRATION_TYPES[authority]))
        return (
            f"institution type {kind!r} (character 2) is not valid for registration "
            f"authority {authority!r}; expected one of {allowed}"
        )
    division_problem = _check_division(division)
    if division_problem:
        return division_problem
    org_check = org_code_check_char(org_code[:8])
    if org_code[8] != org_check:
        return (
            f"organisation code {org_code} (characters 9-17) has a wrong check character: "
            f"character 17 should be {org_check!r}"
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"check character should be {expected!r}, got {code[17]!r}"
    return None


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def _bad_char_reason(char: str, position: int) -> str:
    if char.islower() and char.upper() in _USCC_VALUE:
        return f"character {position} {char!r} must be upper case"
    if char in "IOZSV":
        return f"character {position} {char!r} is never used in a USCC (I, O, Z, S, V are excluded)"
    return f"character {position} {char!r} is not allowed; use digits and upper-case letters"


def _check_division(division: str) -> str | None:
    if not division.isdigit():
        return f"administrative division {division!r} (characters 3-8) must be 6 digits"
    if division == NATIONAL_DIVISION:
        return None
    if division[:2] not in PROVINCE_CODES:
        return f"administrative division {division!r} (characters 3-8) does not start with a province code"
    return None
