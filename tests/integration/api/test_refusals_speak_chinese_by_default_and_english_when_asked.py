"""A refusal answers in Chinese without Accept-Language and in English with `Accept-Language: en`, naming the field.

The refusals a new user met in English (issue: a trial's inspections, materials, pay-period close, payouts, a
form-encoded sign-in and a period id refused with its regular expression), each asked both ways.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from domain.pay.periods import period_for
from store.db import reading
from store.tables import Lot, Resident, Submission
from usecases.queries.names import lot_names

ENGLISH = re.compile(r"[A-Za-z]+(?:,? [A-Za-z]+){2,}")
QUOTED = re.compile(r"'[^']*'|「[^」]*」")
CJK = re.compile(r"[\u3400-\u9fff]")
PAST = period_for(datetime.now(UTC) - timedelta(days=40)).period_id  # closed here, nothing earned in it


def refusal(world: Any, user: str, path: str, lang: str | None, **kw: Any) -> tuple[int, str, str]:
    headers = {**world.headers.get(user, {}), **({"Accept-Language": lang} if lang else {})}
    reply = world.client.post(path, headers=headers, **kw)
    assert 400 <= reply.status_code < 500, f"{path}: {reply.status_code} {reply.text}"
    first = reply.json()["detail"][0]
    return reply.status_code, first["field"], first["reason"]


def cases(world: Any) -> list[tuple[str, str, dict[str, Any], str, str, str]]:
    """(user, path, request, field, Chinese words expected, English words expected)."""
    with reading(world.engine) as session:
        sub = session.exec(select(Submission).where(Submission.resident_id == world.resident)).first()
        lot = session.exec(select(Lot).where(Lot.community_id == "comm-001", Lot.resident_id != None)).first()  # noqa: E711
        other = session.exec(select(Resident).where(Resident.community_id == "comm-001",
                                                    Resident.id != (lot.resident_id if lot else ""))).first()
        code = lot_names(session, [lot.id])[lot.id].code if lot else ""
    assert sub is not None and lot is not None and other is not None
    now = period_for(datetime.now(UTC))
    inspect = "/api/v1/inspections"
    return [
        ("coord1", inspect, {"json": {"submission_id": sub.id, "passed": sub.pieces + 1, "rejected": 0}}, "passed",
         f"须等于交来的 {sub.pieces} 件", f"must equal the {sub.pieces} pieces submitted"),
        ("coord1", inspect, {"json": {"submission_id": sub.id, "passed": sub.pieces - 1, "rejected": 1,
                                      "defect_codes": ["FOO"]}}, "defect_codes",
         "没有这些缺陷代码：FOO", "not defect codes of PACK-03: FOO"),
        ("coord1", inspect, {"json": {"submission_id": sub.id, "passed": sub.pieces - 1, "rejected": 1}},
         "defect_codes", "须至少填一个缺陷代码", "rejected pieces need at least one defect code"),
        ("coord1", "/api/v1/materials/issue", {"json": {"resident_id": world.resident, "pieces": 1}}, "lot_id",
         "请选择批次", "give lot_id or scan the lot's QR code (qr)"),
        ("coord1", "/api/v1/materials/issue", {"json": {"lot_id": lot.id, "resident_id": other.id, "pieces": 1}},
         "lot_id", f"批次 {code} 不是居民 {other.name} 接下的", f"lot {lot.id} is not accepted by resident {other.id}"),
        ("coord1", "/api/v1/pay-periods/close", {"json": {"community_id": "comm-001", "period_id": now.period_id}},
         "period_id", f"到 {now.ends_at.year}年{now.ends_at.month}月{now.ends_at.day}日 00:00 才结束",
         "the period runs until"),
        ("coord1", "/api/v1/pay-periods/close", {"json": {"community_id": "comm-001", "period_id": "2026-13"}},
         "period_id", "不是本社区的工资期", "is not a half_month period id"),
        ("coord1", "/api/v1/pay-periods/close", {"json": {"community_id": "comm-001", "period_id": "11月下"}},
         "period_id", "2026-11-B（2026年11月下半月）", "String should match pattern"),
        ("coord1", "/api/v1/payouts", {"json": {"resident_id": world.resident, "period_id": PAST,
                                                "amount_fen": 100, "method": "cash", "reference": "t-1"}},
         "amount_fen", "这张 ¥0.00 的工资单只剩 ¥0.00 未发", "only ¥0.00 of the ¥0.00 pay slip is unpaid"),
        ("nobody", "/api/v1/auth/token", {"data": {"username": "coord1", "password": "x"}}, "body",
         "应为 JSON 对象", "Input should be a valid dictionary"),
    ]


@pytest.fixture(scope="module")
def asked(world: Any) -> list[tuple[str, str, dict[str, Any], str, str, str]]:
    close = world.client.post("/api/v1/pay-periods/close", headers=world.headers["coord1"],
                              json={"community_id": "comm-001", "period_id": PAST})
    assert close.status_code == 201, close.text
    return cases(world)


@pytest.mark.parametrize("n", range(10))
def test_without_accept_language_the_reason_is_chinese_and_names_the_field(n: int, world: Any, asked: Any) -> None:
    user, path, request, field, zh, _ = asked[n]
    _, got_field, reason = refusal(world, user, path, None, **request)
    assert got_field == field
    assert zh in reason, reason
    assert not ENGLISH.search(QUOTED.sub("", reason)), reason
    assert "T00:00:00" not in reason and "fen" not in reason


@pytest.mark.parametrize("n", range(10))
def test_accept_language_en_keeps_the_english_reason(n: int, world: Any, asked: Any) -> None:
    user, path, request, field, _, en = asked[n]
    _, got_field, reason = refusal(world, user, path, "en", **request)
    assert got_field == field
    assert en in reason, reason
    assert not CJK.search(reason), reason
