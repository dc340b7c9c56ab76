"""A redemption in the points shop is confirmed where the resident taps (a toast), not only in a line above the
section: at 390 px that line was off screen under the shop's lower items and gone at the next refresh, so a tap on
兑换 1 件 seemed to do nothing but lower the balance (new user's trial)."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.dashboard_world import actor
from domain.points import month_of
from store.db import transaction
from store.tables import PointEntry, ShopItem


def test_a_redemption_toasts_what_she_got_and_where_to_collect_it(world, open_page) -> None:
    me, now = world.worker, datetime.now(UTC)
    with transaction(world.engine) as s:
        s.add(PointEntry(entry_key=f"pts:seed-{me}:work", kind="work", resident_id=me, community_id="comm-001",
                         month=month_of(now), points=30, uncapped=30, posted_at=now))
        s.add(ShopItem(id="itm-tissue", community_id="comm-001", name="抽纸", price_points=10, stock=2,
                       created_at=now))
    at = open_page("views/resident.py", actor(me, "resident", resident_id=me, community_ids=frozenset({"comm-001"})))
    assert not at.exception and not at.toast
    [button] = [b for b in at.button if b.key and b.key.startswith("redeem-itm-tissue")]
    button.click().run()
    assert not at.exception
    assert [t.value for t in at.toast] == ["已兑换 抽纸，请到社区服务站领取。"]
    assert [m.value for m in at.metric if m.label == "积分余额"] == ["20"]
