"""兑换 on the resident's phone under what people and phones do: a double tap, two phones taking the last item, an
item taken off the shelf while her page is open, a negative or huge balance. Each redemption happens once or is
refused in words naming what is short; nothing else changes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import func, select

from bench.dashboard_pages import shown_text
from domain.points import month_of
from store.db import reading, transaction
from store.tables import PointEntry, Redemption, ShopItem
from tests.integration.dashboard.test_a_resident_sees_her_points_redeems_and_reads_the_publicity_list import (
    redeem_button,
    resident,
)


def stock(world, item_id: str) -> int:  # noqa: ANN001
    with reading(world.engine) as s:
        return s.get(ShopItem, item_id).stock  # type: ignore[union-attr]


def redemptions(world) -> int:  # noqa: ANN001
    with reading(world.engine) as s:
        return int(s.exec(select(func.count()).select_from(Redemption)).one())


def balance(world, rid: str) -> int:  # noqa: ANN001
    with reading(world.engine) as s:
        return int(s.exec(select(func.coalesce(func.sum(PointEntry.points), 0))
                          .where(PointEntry.resident_id == rid)).one())


def give(world, rid: str, points: int, *, stock_of_tissue: int = 2, active: bool = True) -> None:  # noqa: ANN001
    now = datetime.now(UTC)
    with transaction(world.engine) as s:
        s.add(PointEntry(entry_key=f"pts:seed-{rid}-{points}:work", kind="work", resident_id=rid,
                         community_id="comm-001", month=month_of(now), points=points, uncapped=points, posted_at=now))
        if s.get(ShopItem, "itm-tissue") is None:
            s.add(ShopItem(id="itm-tissue", community_id="comm-001", name="抽纸", price_points=10,
                           stock=stock_of_tissue, active=active, created_at=now))


def test_a_double_tap_on_redeem_takes_one_item(world, open_page) -> None:  # noqa: ANN001
    me = world.worker
    give(world, me, 30)
    at = open_page("views/resident.py", resident(me, "comm-001"))
    redeem_button(at, "itm-tissue").click()
    second_tap = at._tree.get_widget_states()  # the same tap, sent again before her phone drew the page anew
    at.run()
    at._run(second_tap)
    assert not at.exception
    assert (redemptions(world), stock(world, "itm-tissue"), balance(world, me)) == (1, 1, 20)
    redeem_button(at, "itm-tissue").click().run()  # a tap on the page as drawn after it is another redemption
    assert (redemptions(world), stock(world, "itm-tissue"), balance(world, me)) == (2, 0, 10)


def test_two_phones_tapping_the_last_item_one_gets_it_the_other_is_told_and_keeps_her_points(
        world, open_page) -> None:  # noqa: ANN001
    me, neighbour = world.worker, world.phone_residents["comm-001"][1]
    give(world, me, 30, stock_of_tissue=1)
    give(world, neighbour, 30)
    mine = open_page("views/resident.py", resident(me, "comm-001"))
    theirs = open_page("views/resident.py", resident(neighbour, "comm-001"))
    redeem_button(mine, "itm-tissue").click().run()
    redeem_button(theirs, "itm-tissue").click().run()  # her page still showed 还剩 1 件
    assert not theirs.exception
    assert [e.value for e in theirs.error] == [
        "情况已经变了，请刷新后再试：库存不足：剩 0 件"]  # the bracketed English is the English page's, not hers
    assert (redemptions(world), stock(world, "itm-tissue"), balance(world, me), balance(world, neighbour)) == \
        (1, 0, 20, 30)
    assert "抽纸" not in shown_text(theirs)  # out of stock: gone from her shop once told


def test_an_item_taken_off_the_shelf_while_her_page_is_open_is_refused_by_name(world, open_page) -> None:  # noqa: ANN001
    me = world.worker
    give(world, me, 30)
    at = open_page("views/resident.py", resident(me, "comm-001"))
    with transaction(world.engine) as s:
        item = s.get(ShopItem, "itm-tissue")
        assert item is not None
        item.active = False
        s.add(item)
    redeem_button(at, "itm-tissue").click().run()
    assert not at.exception and any("已下架" in e.value for e in at.error)
    assert (redemptions(world), stock(world, "itm-tissue"), balance(world, me)) == (0, 2, 30)


def test_a_negative_or_huge_balance_reads_plainly(world, open_page) -> None:  # noqa: ANN001
    me = world.worker
    give(world, me, -25)  # a correction reversed more than was left after a redemption
    at = open_page("views/resident.py", resident(me, "comm-001"))
    assert not at.exception
    assert [m.value for m in at.metric if m.label == "积分余额"] == ["-25"]
    assert redeem_button(at, "itm-tissue").disabled and "积分不够：还差 35 积分" in shown_text(at)
    give(world, me, 10**12)
    at = open_page("views/resident.py", resident(me, "comm-001"))
    assert not at.exception and not redeem_button(at, "itm-tissue").disabled
