"""A refusal's reason in the caller's language: its half of a bilingual reason, common English put into Chinese."""

from __future__ import annotations

import pytest

from usecases.reasons import language, localize, validation_reason


@pytest.mark.parametrize(("header", "lang"), [(None, "zh"), ("zh-CN,zh;q=0.9", "zh"), ("en", "en"),
                                              ("en-GB,en;q=0.8", "en"), ("fr-FR,en;q=0.5", "zh")])
def test_english_only_when_it_comes_first(header: str | None, lang: str) -> None:
    assert language(header) == lang


@pytest.mark.parametrize(("reason", "zh", "en"), [
    ("数据库正忙，请稍后重试 / the database is locked", "数据库正忙，请稍后重试", "the database is locked"),
    # A Chinese reader meets no English sentence: a bracketed English half is the English reader's alone.
    ("没有这位居民 (no such resident): res-1", "没有这位居民: res-1", "no such resident: res-1"),
    ("越过规则派单必须写明理由（a reason is required to override a rule）", "越过规则派单必须写明理由",
     "a reason is required to override a rule"),
    ("已登记为居民 王（res-1） (already registered as resident res-1)", "已登记为居民 王（res-1）",
     "already registered as resident res-1"),  # brackets in the Chinese half do not hide the English one
    ("该统一社会信用代码已登记为企业 甲（ent-01）", "该统一社会信用代码已登记为企业 甲（ent-01）",
     "该统一社会信用代码已登记为企业 甲（ent-01）"),  # an id in brackets is not the English half
    ("no such order: ord-1", "没有这个订单：ord-1", "no such order: ord-1"),
    ("unknown product 'NOPE'", "没有这个产品：NOPE", "unknown product 'NOPE'"),
    ("wrong username or password", "用户名或密码错误", "wrong username or password"),
])
def test_each_language_gets_its_half(reason: str, zh: str, en: str) -> None:
    assert (localize(reason, "zh"), localize(reason, "en")) == (zh, en)


def test_pydantic_s_errors_are_named_in_chinese_with_their_limits() -> None:
    err = {"type": "string_too_short", "msg": "String should have at least 2 characters", "ctx": {"min_length": 2}}
    assert validation_reason(err, "zh") == "至少 2 个字符"
    assert validation_reason(err, "en") == "String should have at least 2 characters"
    assert validation_reason({"type": "missing", "msg": "Field required"}, "zh") == "必填"
