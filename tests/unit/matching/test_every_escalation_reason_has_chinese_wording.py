"""Each reason the matcher can give for an unmatched lot reaches the coordinator in plain Chinese."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.matching import rules
from schemas.events.orders import LotEscalated
from usecases.notify import ESCALATION_ZH, messages

REASONS = (*rules.RULE_ORDER, rules.UNKNOWN_RESIDENT)


@pytest.mark.parametrize("code", REASONS)
def test_the_escalation_message_explains_the_reason_in_chinese(code: str) -> None:
    event = LotEscalated(event_id=uuid4(), occurred_at=datetime.now(UTC), key="c-1", producer="test",
                         lot_id="lot-1", reason_code=code, detail="detail")
    [(channel, recipient, text)] = messages(event, wecom=False)
    assert (channel, recipient) == ("inbox", "coordinator:c-1")
    wording = ESCALATION_ZH[code]
    assert wording in text and any("\u4e00" <= ch <= "\u9fff" for ch in wording)


def test_no_wording_is_left_for_a_reason_the_matcher_no_longer_gives() -> None:
    assert set(ESCALATION_ZH) == set(REASONS)
