"""Issue 16: a piece rate is accepted as an enterprise writes it and held exactly (centifen = 0.0001 yuan)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from schemas.commands import ChangeRate, PostOrder
from schemas.rates import QuotedRate

ORDER: dict[str, Any] = {"enterprise_id": "ent-01", "product_code": "BEAD-01", "quantity": 1000,
                         "due_at": "2026-12-20T18:00:00+08:00", "eligible_community_ids": ["comm-001"]}


@pytest.mark.parametrize(("given", "rate"), [
    ({"piece_rate_yuan": "0.035"}, QuotedRate(350, 1)),  # ¥0.035 a bead = 350 × 0.0001 yuan
    ({"piece_rate_yuan": 0.035}, QuotedRate(350, 1)),  # a JSON number is read as written, not as binary 0.035
    ({"piece_rate_yuan": "￥０.００８"}, QuotedRate(80, 1)),  # ¥0.008 a label, full-width as an IME types it
    ({"piece_rate_per_100_yuan": "3.5"}, QuotedRate(350, 100)),  # ¥3.5 per 100 = ¥0.035 a piece
    ({"piece_rate_per_1000_yuan": "35"}, QuotedRate(350, 1000)),  # ¥35 per 1,000 = ¥0.035 a piece
    ({"piece_rate_centifen": 350}, QuotedRate(350, 1)),  # the wire's own integer
    ({"piece_rate_fen": 35}, QuotedRate(3500, 1)),  # the original whole-fen field still works: 35 fen = ¥0.35
    ({"piece_rate_yuan": "0.0001"}, QuotedRate(1, 1)),  # the finest rate: 4 decimals
])
def test_every_way_of_writing_a_rate_gives_the_exact_rate(given: dict[str, Any], rate: QuotedRate) -> None:
    assert PostOrder.model_validate({**ORDER, **given}).rate == rate
    assert ChangeRate.model_validate({**given, "reason": "材料涨价"}).rate == rate


@pytest.mark.parametrize(("given", "field", "words"), [
    ({"piece_rate_yuan": "0.00351"}, "piece_rate_yuan", "4 位"),  # 5 decimals
    ({"piece_rate_per_1000_yuan": "35.01"}, "piece_rate_per_1000_yuan", "0.0001 元"),  # ¥0.03501 a piece
    ({"piece_rate_yuan": "0"}, "piece_rate_yuan", "必须大于 0"),
    ({"piece_rate_yuan": "-0.035"}, "piece_rate_yuan", "必须大于 0"),
    ({"piece_rate_fen": 0}, "piece_rate_fen", "必须大于 0"),
    ({"piece_rate_fen": -5}, "piece_rate_fen", "必须大于 0"),
    ({"piece_rate_centifen": 0}, "piece_rate_centifen", "必须大于 0"),
    ({"piece_rate_yuan": "3.5E-02"}, "piece_rate_yuan", "不是金额"),  # a spreadsheet's damaged cell
    ({"piece_rate_yuan": "三分五"}, "piece_rate_yuan", "不是金额"),
    ({"piece_rate_yuan": True}, "piece_rate_yuan", "金额"),
    ({"piece_rate_yuan": "20000"}, "piece_rate_yuan", "10000 元"),
])
def test_a_rate_that_cannot_be_taken_is_refused_in_chinese_naming_the_field(
    given: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        PostOrder.model_validate({**ORDER, **given})
    (error,) = refused.value.errors()
    assert error["loc"] == (field,) and words in error["msg"]


@pytest.mark.parametrize(("given", "field"), [({}, "piece_rate_yuan"),
                                              ({"piece_rate_fen": 35, "piece_rate_yuan": "0.35"}, "piece_rate_fen")])
def test_exactly_one_rate_field_is_needed_and_the_refusal_names_one(given: dict[str, Any], field: str) -> None:
    """Located at a rate field, not at the whole body: none given names the form's first, two the second one."""
    with pytest.raises(ValidationError, match="计件单价须且只能填写一项") as refused:
        PostOrder.model_validate({**ORDER, **given})
    (error,) = refused.value.errors()
    assert error["loc"] == (field,)
