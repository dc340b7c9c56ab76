"""An order whose rate pays less than the local minimum wage at standard speed is accepted and flagged for the
coordinator (docs/configuration.md, REFUSE_BELOW_MINIMUM_WAGE=false): her board names its lots under way before she
dispatches or issues them, and marks them in the lot tables. The second new-user trial posted one at ¥0.45 a bead
bracelet (¥4.50 an hour against ¥25.00) and its lots reached residents with no flag on the coordinator's page."""

from __future__ import annotations

from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from bench.dashboard_world import COORD1, World
from store.db import reading, transaction
from store.tables import Lot, Order


def board(open_page) -> AppTest:
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "board"
    return at.run()


def test_the_board_names_the_lots_of_an_order_flagged_below_minimum_wage(world: World, open_page) -> None:
    with transaction(world.engine) as s:  # the bench world's rates are low: first every order pays enough
        for order in s.exec(select(Order)):
            order.below_minimum_wage = False
            s.add(order)
        code = s.exec(select(Lot.short_code).where(Lot.id == world.proxy_lot)).one() or ""
    at = board(open_page)
    assert not at.exception and not [w for w in at.warning if "低于当地最低工资" in w.value]
    assert not [v for df in at.dataframe for c in ("状态", "产品") for v in df.value.get(c, []) if "最低工资" in str(v)]
    with transaction(world.engine) as s:  # the order of the lot offered to her resident, as posting flags it
        lot = s.exec(select(Lot).where(Lot.id == world.proxy_lot)).one()
        flagged = {lot.order_id}
        for order in s.exec(select(Order).where(col(Order.id).in_(flagged))):
            order.below_minimum_wage = True
            s.add(order)
    with reading(world.engine) as s:
        codes = sorted(x.short_code or "" for x in s.exec(select(Lot).where(col(Lot.order_id).in_(flagged),
                                                                              Lot.community_id == "comm-001")))
    at = board(open_page)
    [warning] = [w.value for w in at.warning if "低于当地最低工资" in w.value]
    assert code in warning and all(c in warning for c in codes[:5]), warning
    pending = next(df.value for df in at.dataframe if "产品" in df.value.columns)  # 待确认派单, the first with products
    marked = [p for p in pending.get("产品", []) if "（单价低于最低工资）" in str(p)]
    assert len(marked) == len([c for c in pending.get("批次", []) if c in codes]) >= 1, pending
