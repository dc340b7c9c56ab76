"""Error reasons in the caller's language: Chinese (zh-CN) by default, English when Accept-Language asks for it.

The use cases write their reasons bilingually in one of a few shapes — "中文 / English", "中文 (English): tail",
"中文（English）" — or, in older code, in English only. `localize` gives Chinese readers the Chinese half of a
"中文 / English" reason and a bracketed one whole (its English may say more), English readers the English part,
and puts the common English-only ones ("no such order: …", "Field required") into Chinese; a reason it cannot
translate is kept as written rather than lost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

Lang = Literal["zh", "en"]
SHANGHAI = ZoneInfo("Asia/Shanghai")
_CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
# "中文 (in English words): tail" — the English needs two words, so an id in brackets (ent-01) stays put.
_PAREN = re.compile(r"^(?P<zh>.*?[\u3400-\u9fff].*?)\s*[(（]"
                    r"(?P<en>[^()（）]*[A-Za-z]+[ ,;:'-]+[A-Za-z]+[^()（）]*)[)）](?P<tail>.*)$", re.S)
THINGS = {"community": "社区", "resident": "居民", "order": "订单", "lot": "批次", "enterprise": "企业",
          "inspection": "验收记录", "offer": "派单", "submission": "交货记录", "site": "站点", "product": "产品",
          "appeal": "申诉", "period": "工资期", "user": "用户", "item": "商品"}
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")  # a value quoted in an English reason ('到厂' is not a work mode)
_NO_SUCH = re.compile(r"^no such (?P<thing>[a-z ]+?)(?P<tail>:.*)?$", re.S)
ENGLISH_ONLY = {  # whole English reasons the use cases and the framework give, and their Chinese
    "wrong username or password": "用户名或密码错误",
    "token expired; sign in again": "登录已过期，请重新登录",
    "invalid token": "登录凭证无效，请重新登录",
    "unknown user": "没有这个用户",
    "Not Found": "没有这个地址",
    "Method Not Allowed": "不支持这种请求方法",
    "Not authenticated": "请先登录（缺少登录凭证）",
    "only a community coordinator has a board": "只有社区工作者有工作台",
    "There was an error parsing the body": "请求体无法解析（不是有效的 JSON 或表单）",
}
# English-only reasons of the order checks (domain.orders.validation) and the use cases, by pattern.
PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), zh) for p, zh in [
    (r"^unknown product '(.+)'$", r"没有这个产品：\1"),
    (r"^unknown site '(.+)'$", r"没有这个站点：\1"),
    (r"^site '(.+)' belongs to community '(.+)', which is not eligible$",
     r"站点 \1 属于社区 \2，不在本单可派的社区之内"),
    (r"^must be in the future, got (.+)$", r"必须是将来的时间（收到 \1）"),
    (r"^must include a time zone.*$", "须带时区（例如 +08:00）"),
    (r"^must be a positive number of pieces, got (.+)$", r"件数必须大于 0（收到 \1）"),
    (r"^must not be negative, got (.+)$", r"不能为负数（收到 \1）"),
    (r"^must be between (\S+) and (\S+), got (.+)$", r"必须在 \1 到 \2 之间（收到 \3）"),
    (r"^must not be empty$", "不能为空"),
    (r"^name at least one community$", "请至少选择一个社区"),
    (r"^take-home work needs a site where materials are picked up$", "允许带回家做的订单须指定取料站点"),
    (r"^even a smallest lot of (\d+) pieces takes (\S+) h at standard speed, but the order is due in (\S+) h$",
     r"最小的批次 \1 件按标准速度要 \2 小时，但离交期只有 \3 小时"),
    (r"^no capacity: no eligible resident can make this product$", "可派的社区里没有会做这个产品的居民"),
    (r"^(\d+) pieces at about (\d+) pieces a day take (\S+) days, but the order is due in (\S+) days$",
     r"\1 件按每天约 \2 件要 \3 天，但离交期只有 \4 天"),
    (r"^you may only post orders for your own enterprise$", "只能为本企业发布订单"),
    (r"^sign in first.*$", "请先登录（请求须带 Authorization: Bearer 登录凭证）"),
    (r"^does not match the enterprise's registered credit code$", "与企业登记的统一社会信用代码不一致"),
    # Spreadsheet imports (domain.orders.csv_import, csv_fields, csv_reading; usecases.imports), by row and column
    # (issue 15: the enterprise's template uploaded as downloaded was refused in English).
    (r"^is required$", "必填，不能空着"),
    (r"^required column is missing$", "缺少这一列（必填列）"),
    (r"^column appears more than once$", "这一列出现了不止一次"),
    (r"^has (\d+) cells but the header has (\d+)$", r"这一行有 \1 格，表头只有 \2 列"),
    (r"^row (\d+) has (\d+) cells but the header has (\d+)$", r"第 \1 行有 \2 格，表头只有 \3 列"),
    (r"^duplicate of row (\d+)$", r"与第 \1 行重复"),
    (r"^the file has a header but no data rows$", "文件只有表头，没有数据行"),
    (r"^the file is empty; the first line must be the column names$", "文件是空的；第一行应为列名"),
    (r"^UTF-16 files are not supported.*$", "不支持 UTF-16 编码的文件；请另存为“CSV UTF-8”"),
    (r"^the file is neither UTF-8 nor GBK/GB18030 text$", "文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本"),
    (r"^not a readable CSV file: (.+)$", r"不是可读的 CSV 文件：\1"),
    (r"^'(.*)' is not yes or no$", r"「\1」不是“是”或“否”"),
    (r"^must be greater than 0, got (.+)$", r"必须大于 0（收到 \1）"),
    (r"^'(.*)' is not an amount in yuan, e\.g\. (\S+)$", r"「\1」不是金额（元），例如 \2"),
    (r"^'(.*)' has more than 2 decimal places \(smaller than a fen\)$", r"「\1」超过两位小数（不足一分钱）"),
    (r"^'(.*)' is not a whole number$", r"「\1」不是整数"),
    (r"^'(.*)' is the date (\S+) without a time.*$", r"「\1」只有日期 \2，没有时间；请写上时间，例如 \2 18:00"),
    (r"^'(.*)' needs a time as well, e\.g\. (.+)$", r"「\1」还要写上时间，例如 \2"),
    (r"^'(.*)' is not a real date and time.*$", r"「\1」不是真实存在的日期时间"),
    (r"^'(.*)' is not a date and time like.*$", r"「\1」不是日期时间，请写成 2026-03-05 18:00 这样"),
    (r"^'(.*)' is not a work mode; use one of (.+)$", r"「\1」不是工作方式；只能是 \2（到场、居家、均可）"),
    (r"^'(.*)' is not a site kind; use one of (.+)$", r"「\1」不是站点类型；只能是 \2（社区微工厂、家庭微车间）"),
    # The credit code's own checks (domain.orders.uscc.check_uscc), with or without the import's prefix; before the
    # catch-all below, which would keep their English inside the brackets.
    (r"^(?:unified social credit code )?must be 18 characters, got (\d+)$",
     r"统一社会信用代码应为 18 位（收到 \1 位）"),
    (r"^(?:unified social credit code )?character (\d+) '(.)' must be upper case$",
     r"统一社会信用代码第 \1 位「\2」须为大写字母"),
    (r"^(?:unified social credit code )?character (\d+) '(.)' is never used in a USCC.*$",
     r"统一社会信用代码第 \1 位「\2」不能用（代码中不使用 I、O、Z、S、V）"),
    (r"^(?:unified social credit code )?character (\d+) '(.)' is not allowed.*$",
     r"统一社会信用代码第 \1 位「\2」不允许，只能用数字和大写字母"),
    (r"^(?:unified social credit code )?registration authority code '(.)' \(character 1\) is not assigned$",
     r"统一社会信用代码第 1 位登记管理部门代码「\1」不存在"),
    (r"^(?:unified social credit code )?institution type '(.)' \(character 2\) is not valid for registration "
     r"authority '(.)'; expected one of (.+)$",
     r"统一社会信用代码第 2 位机构类别「\1」与登记管理部门「\2」不符，应为 \3 之一"),
    (r"^(?:unified social credit code )?administrative division '(.*)' \(characters 3-8\) must be 6 digits$",
     r"统一社会信用代码第 3–8 位行政区划码「\1」应为 6 位数字"),
    (r"^(?:unified social credit code )?administrative division '(.*)' \(characters 3-8\) does not start with a "
     r"province code$", r"统一社会信用代码第 3–8 位行政区划码「\1」的开头不是省级代码"),
    (r"^(?:unified social credit code )?organisation code (\S+) \(characters 9-17\) has a wrong check character: "
     r"character 17 should be '(.)'$", r"统一社会信用代码第 9–17 位组织机构代码 \1 的校验位不对，第 17 位应为「\2」"),
    (r"^(?:unified social credit code )?check character should be '(.)', got '(.)'$",
     r"统一社会信用代码校验位（第 18 位）应为「\1」，收到「\2」"),
    (r"^unified social credit code (.+)$", r"统一社会信用代码有误（\1）"),
    # Skills and weekly hours of the residents' import (domain.orders.csv_fields) and what registering refuses
    # (usecases.registry), issue 15: a coordinator's file came back with these in English.
    (r"^'(.*)' should look like skill:level, e\.g\. (.+)$", r"「\1」格式不对，应写成 技能:等级，例如 \2"),
    (r"^skill '(.*)' is listed twice$", r"技能「\1」写了两次"),
    (r"^level of '(.*)' must be (\d+)-(\d+), got (.+)$", r"技能「\1」的等级必须在 \2 到 \3 之间（收到 \4）"),
    (r"^'(.*)' should look like 'Mon 09:00-11:30' or 'Mon-Fri 09:00-11:30'$",
     r"「\1」格式不对，应写成 Mon 09:00-11:30 或 Mon-Fri 09:00-11:30（星期用英文缩写 Mon–Sun）"),
    (r"^'(.*)' ends before it starts$", r"「\1」的结束时间不晚于开始时间"),
    (r"^two time windows overlap on (\w+)$", r"\1 有两个时间段重叠"),
    (r"^'(.*)' is not a time of day$", r"「\1」不是一天中的时间"),
    (r"^'(.*)' is not a weekday; use (.+)$", r"「\1」不是星期；请用 \2"),
    (r"^'(.*)' runs backwards; write e\.g\. (.+)$", r"「\1」的星期前后颠倒了；请写成 \2 这样"),
    (r"^already registered: (.+)$", r"已经登记过：\1"),
    (r"^unknown site in this community: (.+)$", r"本社区没有这个站点：\1"),
    (r"^level must be between (\d+) and (\d+)$", r"等级必须在 \1 到 \2 之间"),
    (r"^weekday must be 0 \(Monday\) to 6 \(Sunday\)$", "星期必须是 0（周一）到 6（周日）"),
    (r"^start and end minutes must satisfy 0 <= start < end <= 1440$",
     "开始和结束时间须满足 0 ≤ 开始 < 结束 ≤ 1440（分钟）"),
    (r"^already posted: (.+)$", r"这个订单号已经用过：\1"),
    (r"^does not match the code registered for (.+)$", r"与 \1 登记的统一社会信用代码不一致"),
    (r"^already registered for resident (.+)$", r"已经登记过（居民 \1）"),
    (r"^not one of your communities: (.+)$", r"不是你负责的社区：\1"),
    # A scanned lot label that is not one (domain.orders.labels.parse_lot_qr).
    (r"^not a lot label: expected it to start with '(.+)'$", r"不是批次标签：应以「\1」开头"),
    (r"^expected '(.+)', got (\d+) parts$", r"标签格式不对：应为「\1」（收到 \2 段）"),
    (r"^the lot id is empty$", "标签里的批次号是空的"),
    (r"^the check code must be (\d+) characters from (.+)$", r"校验码应为 \1 个字符，取自 \2"),
]]
# pydantic's error types, in Chinese, with the limits it reports in `ctx`.
VALIDATION = {
    "missing": "必填", "extra_forbidden": "不认识的字段", "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符", "string_pattern_mismatch": "格式不对",
    "greater_than": "必须大于 {gt}", "greater_than_equal": "不能小于 {ge}", "less_than": "必须小于 {lt}",
    "less_than_equal": "不能大于 {le}", "int_parsing": "应为整数", "int_type": "应为整数",
    "float_parsing": "应为数字", "bool_parsing": "应为是或否（true/false）", "bool_type": "应为是或否（true/false）",
    "string_type": "应为文字", "list_type": "应为列表", "dict_type": "应为对象", "model_type": "应为对象",
    "datetime_parsing": "日期时间格式不对（例如 2026-12-01T18:00:00+08:00）",
    "datetime_from_date_parsing": "日期时间格式不对（例如 2026-12-01T18:00:00+08:00）",
    "timezone_aware": "须带时区（例如 +08:00）", "literal_error": "只能是 {expected}",
    "enum": "只能是 {expected}", "too_short": "至少 {min_length} 项", "too_long": "最多 {max_length} 项",
    "json_invalid": "请求体不是有效的 JSON", "int_from_float": "应为整数（不能有小数）",
    "uuid_parsing": "编号格式不对", "value_error": "{error}",
    "model_attributes_type": "应为 JSON 对象（以 Content-Type: application/json 发送，不是表单）",
}
# What a value of a `pattern` field looks like, in words (a reader cannot act on a regular expression); a pattern
# not listed is only "格式不对".
PATTERN_WORDS = {
    r"^\d{4}-\d{2}(-[AB])?$|^\d{4}-W\d{2}$": "格式不对：工资期写作 2026-11-A（2026年11月上半月）、"
                                        "2026-11-B（2026年11月下半月）、2026-11（按月结算）"
                                        "或 2026-W48（按周结算，2026年第48周）",
    r"^[A-Za-z0-9_-]+$": "格式不对：编号只能用英文字母、数字、下划线和连字符",
}


def language(accept_language: str | None) -> Lang:
    """English when the caller's first preference is English ('en', 'en-US'); Chinese otherwise (the default)."""
    first = (accept_language or "").split(",")[0].split(";")[0].strip().lower()
    return "en" if first == "en" or first.startswith("en-") else "zh"


def localize(reason: str, lang: Lang) -> str:
    """The reason in `lang`: the right half of a bilingual reason, or a Chinese translation of an English one."""
    for cut in (m.start() for m in re.finditer(r"/ ", reason)):
        zh, en = reason[:cut], reason[cut + 2:]
        # The English may quote a Chinese cell, or repeat a value the Chinese half has too ("没有这个账号：王 / no
        # such account: 王"): neither makes it Chinese.
        own = " ".join(word for word in _QUOTED.sub("", en).split() if word not in zh)
        if _CJK.search(zh) and not _CJK.search(own):
            return en.strip() if lang == "en" else zh.strip()
    found = _PAREN.match(reason)
    if found and not _CJK.search(found["en"]):
        # "没有这位居民 (no such resident): res-1": each reader gets their words and the tail; a Chinese half that says
        # less than the English is fixed where it is written, never by showing Chinese readers English.
        return f"{(found['en'] if lang == 'en' else found['zh']).strip()}{found['tail']}"
    if lang == "en":
        return reason
    # An English reason may quote a Chinese cell ("'一块' is not an amount in yuan"): it is still translated.
    return _to_chinese(reason)


def _to_chinese(reason: str) -> str:
    if reason in ENGLISH_ONLY:
        return ENGLISH_ONLY[reason]
    for pattern, zh in PATTERNS:
        if pattern.match(reason):
            return pattern.sub(zh, reason)
    no_such = _NO_SUCH.match(reason)
    if no_such and no_such["thing"] in THINGS:
        tail = (no_such["tail"] or "").removeprefix(":").strip()
        return f"没有这个{THINGS[no_such['thing']]}" + (f"：{tail}" if tail else "")
    return reason


def both_languages(err: Mapping[str, Any]) -> str:
    """One pydantic error as "中文 / English", for a reason kept and shown later to a reader of either language
    (localize picks the half); pydantic's English alone when there is no Chinese for it."""
    zh = validation_reason(err, "zh")
    en = localize(str(err.get("msg", "invalid")).removeprefix("Value error, "), "en")
    return f"{zh} / {en}" if _CJK.search(zh) and zh != en and "/ " not in zh else en


def validation_reason(err: Mapping[str, Any], lang: Lang) -> str:
    """One pydantic error's reason: pydantic's own English with en, the Chinese for its type otherwise."""
    english = str(err.get("msg", "invalid"))
    if lang == "en":  # a reason written bilingually at its source ("中文 / English") gives its English half
        return localize(english.removeprefix("Value error, "), "en")
    pattern = str((err.get("ctx") or {}).get("pattern", ""))
    if err.get("type") == "string_pattern_mismatch" and pattern in PATTERN_WORDS:
        return PATTERN_WORDS[pattern]
    template = VALIDATION.get(str(err.get("type", "")))
    if template is None:
        return localize(english.removeprefix("Value error, "), "zh")
    # pydantic lists what a literal may be as "'a', 'b' or 'c'": the "or" in Chinese too.
    ctx = {k: str(v).replace("' or '", "' 或 '") for k, v in (err.get("ctx") or {}).items()}
    try:
        text = template.format(**ctx)
    except (KeyError, IndexError):
        return english
    return localize(text.removeprefix("Value error, "), "zh")


PERIOD_KINDS_ZH = {"half_month": ("按半月", "2026-11-A（上半月）或 2026-11-B（下半月）"), "month": ("按月", "2026-11"),
                   "week": ("按周", "2026-W48（第48周）")}


def period_refused(period_id: str, kind: str, english: str) -> str:
    """A period id the community's kind of period does not take, in both languages, saying what one looks like."""
    paid, example = PERIOD_KINDS_ZH.get(kind, (kind, ""))
    return f"「{period_id}」不是本社区的工资期：本社区{paid}结算，工资期写作 {example} / {english}"


def local_time(instant: datetime, lang: Lang = "zh") -> str:
    """A moment as people read it, on Shanghai's clock: '2026年12月16日 00:00' ('2026-12-16 00:00' in English)."""
    at = instant.astimezone(SHANGHAI)
    return f"{at:%Y-%m-%d %H:%M}" if lang == "en" else f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}"
