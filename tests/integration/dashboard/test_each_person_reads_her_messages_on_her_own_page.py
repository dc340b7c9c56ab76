"""Each person reads the notifier's messages (站内消息) on her own page, newest first, only hers: the resident's offers
and payouts, the coordinator's escalations and appeals, the enterprise's orders ending. Only the API read them (new-user
trial of 2026-12-01: "her phone page has nowhere to read her messages")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bench.dashboard_world import COORD1, ENT1, actor
from store.db import transaction
from store.tables import Notification


def leave(world, recipient: str, text: str, minutes_ago: int) -> None:  # noqa: ANN001
    with transaction(world.engine) as s:
        s.add(Notification(dedup_key=f"test:{recipient}:{minutes_ago}", channel="inbox", recipient=recipient,
                           community_id="comm-001", text=text, created_at=datetime.now(UTC)
                           - timedelta(minutes=minutes_ago)))


@pytest.mark.parametrize(("page", "who", "mine", "theirs"), [
    ("views/resident.py", "resident", "工资已发放：¥50.00（2026年11月下半月，银行转账）。", "coordinator:comm-001"),
    ("views/coordinator.py", "coordinator", "批次 网兜-1201-03 暂时无人可接。", "enterprise:ent-01"),
    ("views/enterprise.py", "enterprise", "订单 网兜-1201-01（100 件）已取消。", "coordinator:comm-001"),
])
def test_her_messages_are_on_her_page_newest_first_and_nobody_else_s(world, open_page, page: str, who: str,  # noqa: ANN001
                                                                    mine: str, theirs: str) -> None:
    person = {"resident": actor(world.worker, "resident", resident_id=world.worker,
                                community_ids=frozenset({"comm-001"})),
              "coordinator": COORD1, "enterprise": ENT1}[who]
    address = {"resident": f"resident:{world.worker}", "coordinator": "coordinator:comm-001",
               "enterprise": "enterprise:ent-01"}[who]
    leave(world, address, "较早的一条消息。", minutes_ago=90)
    leave(world, address, mine, minutes_ago=5)
    leave(world, theirs, "不是给她的消息。", minutes_ago=1)
    at = open_page(page, person)
    assert not at.exception, at.exception
    [box] = [e for e in at.expander if e.label.startswith("我的消息")]
    texts = [m.value for m in box.markdown]
    assert len(texts) == 2 and mine in texts[0] and "较早的一条消息" in texts[1], texts  # newest first
    assert not any("不是给她的消息" in t for t in texts)
