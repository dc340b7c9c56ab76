"""Points on the resident's phone page (issue 17): her balance and lines, the community shop with a redeem button
that goes through usecases.shop.redeem (the API's rules: stock and balance under lock), and the monthly 公示 with
names masked; and the coordinator's 公示 with its Excel to print."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bench.dashboard_pages import shown_text
from bench.dashboard_world import COORD1, actor
from domain.points import mask_name, month_of
from store.db import reading, transaction
from store.tables import PointEntry, Redemption, Resident, ShopItem


def resident(rid: str, community: str):  # noqa: ANN201
    return actor(rid, "resident", resident_id=rid, community_ids=frozenset({community}))


def seed(world, me: str, other: str) -> str:  # noqa: ANN001
    """30 points for her, 12 for a neighbour, this month; a 10-point and a 100-point item; returns the month."""
    now = datetime.now(UTC)
    month = month_of(now)
    with transaction(world.engine) as s:
        for rid, points in ((me, 30), (other, 12)):
            s.add(PointEntry(entry_key=f"pts:seed-{rid}:work", kind="work", resident_id=rid, community_id="comm-001",
                             month=month, points=points, uncapped=points, posted_at=now))
        s.add(ShopItem(id="itm-tissue", community_id="comm-001", name="抽纸", price_points=10, stock=2,
                       created_at=now))
        s.add(ShopItem(id="itm-rice", community_id="comm-001", name="大米 5 斤", price_points=100, stock=3,
                       created_at=now))
    return month


def redeem_button(at, item_id: str):  # noqa: ANN001, ANN201
    """An item's 兑换 button (its key also carries the drawing's tag, dashboard.points_parts.redeem_tap)."""
    [button] = [b for b in at.button if str(b.key).split("-")[:3] == ["redeem", *item_id.split("-")]]
    return button


def names(world, *ids: str) -> list[str]:  # noqa: ANN001
    with reading(world.engine) as s:
        return [s.get(Resident, i).name for i in ids]  # type: ignore[union-attr]


def test_she_sees_her_balance_redeems_what_she_can_afford_and_reads_the_masked_list(world, open_page) -> None:
    me, other = world.worker, world.phone_residents["comm-001"][1]
    seed(world, me, other)
    my_name, their_name = names(world, me, other)
    at = open_page("views/resident.py", resident(me, "comm-001"))
    assert not at.exception
    assert [m.value for m in at.metric if m.label in ("积分余额", "累计获得", "已兑换")] == ["30", "30", "0"]
    text = shown_text(at)
    assert "抽纸：10 积分（还剩 2 件）" in text and "积分不够：还差 70 积分" in text
    assert redeem_button(at, "itm-rice").disabled and not redeem_button(at, "itm-tissue").disabled
    # The 公示: masked names, hers and her neighbour's, never in full.
    table = at.dataframe[-1].value
    assert list(table["姓名"]) == [mask_name(my_name), mask_name(their_name)]
    assert list(table["获得积分"]) == [30, 12]
    assert their_name not in shown_text(at)

    redeem_button(at, "itm-tissue").click().run()
    assert not at.exception and not at.error
    assert any("已兑换 抽纸" in s.value for s in at.success)
    with reading(world.engine) as s:
        [done] = s.exec(select(Redemption)).all()
        assert (done.resident_id, done.item_id, done.points, done.on_behalf) == (me, "itm-tissue", 10, False)
        assert s.get(ShopItem, "itm-tissue").stock == 1  # type: ignore[union-attr]
    assert [m.value for m in at.metric if m.label == "积分余额"] == ["20"]


def test_the_coordinator_reads_her_community_s_list_and_downloads_it_to_print(world, open_page) -> None:
    me, other = world.worker, world.phone_residents["comm-001"][1]
    seed(world, me, other)
    my_name, their_name = names(world, me, other)
    at = open_page("views/coordinator.py", COORD1)
    at.segmented_control(key="co_section").set_value("points").run()
    assert not at.exception and not at.error
    assert at.query_params["section"] == "points"  # a reload comes back here
    table = at.dataframe[-1].value
    assert list(table["姓名"]) == [mask_name(my_name), mask_name(their_name)]
    assert list(table["兑换积分"]) == [0, 0]
    # The 公示 masks names; the volunteer form above it names her residents in full, as the rest of her page does.
    publicity = table.to_csv() + "".join(m.value for m in at.markdown if "积分公示" in m.value)
    assert my_name not in publicity and their_name not in publicity
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载公示表（Excel，可打印）" in labels


def test_a_hand_in_that_earned_nothing_says_why_not_that_it_was_on_time_and_passing(world, open_page) -> None:
    me = world.worker
    now = datetime.now(UTC)
    with transaction(world.engine) as s:
        for key, points, uncapped in (("late", 0, 0), ("capped", 0, 12), ("paid", 8, 8)):
            s.add(PointEntry(entry_key=f"pts:{key}:work", kind="work", resident_id=me, community_id="comm-001",
                             month=month_of(now), points=points, uncapped=uncapped, posted_at=now))
    text = shown_text(open_page("views/resident.py", resident(me, "comm-001")))
    assert "交货验收（逾期或合格率不够，未得积分） · +0" in text
    assert "本月积分已达上限 · +0" in text
    assert "按时交货验收合格 · +8" in text and "按时交货验收合格 · +0" not in text
