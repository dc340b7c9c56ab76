"""The enterprise's phone page opens on what it does (发布订单, 管理订单, 批量发布) and then its orders in work, a page
at a time; finished orders (delivered, cancelled, expired) are folded under 已完成的订单 and paged (new-user trial:
153 orders as lines, delivered ones included, made the page 24,450 px tall with the posting form at its foot)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Expander

from bench.dashboard_world import ENT2, _post
from schemas import commands as c
from tests.entry_buttons import entry_key_of
from usecases import orders
from usecases.execute import execute


def _order_of_elements(at: AppTest) -> list[str]:
    """What the page draws, top to bottom: widget keys, expander labels and subheaders."""
    out: list[str] = []

    def walk(node) -> None:  # noqa: ANN001
        if isinstance(node, Expander):
            out.append(f"expander:{node.proto.label}")
        elif getattr(node, "type", "") == "subheader":
            out.append(f"subheader:{node.value}")
        elif getattr(node, "key", None):
            out.append(str(node.key))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return out


def test_posting_comes_first_orders_in_work_are_paged_and_finished_ones_folded(world, open_page) -> None:
    for _ in range(12):  # in work, with the world's own order of ent2: 13
        _post(world, ENT2, "ent-02", ["comm-002"], quantity=20)
    cancelled = [_post(world, ENT2, "ent-02", ["comm-002"], quantity=20) for _ in range(13)]
    for order_id in cancelled:
        execute(world.engine, world.settings, orders.cancel_order, order_id, c.CancelOrder(reason="不要了"),
                actor=ENT2)
    at = open_page("views/enterprise.py", ENT2)
    assert not at.exception
    drawn = _order_of_elements(at)
    # The section switch and the posting form's button before the first list of orders.
    post = next(i for i, k in enumerate(drawn) if entry_key_of(k, "po_go"))
    assert drawn.index("en_section") < post < drawn.index("subheader:订单进度")
    assert drawn.index("subheader:订单进度") < drawn.index("expander:已完成的订单（13）")

    [live, ended] = [d.value for d in at.dataframe]
    assert len(live) == 10 and "已取消" not in set(live["状态"])  # 13 in work, the first 10 shown
    assert len(ended) == 10 and set(ended["状态"]) == {"已取消"}  # 13 cancelled, folded, the first 10
    at.button(key="btn-en-in-work").click().run()
    assert len(at.dataframe[0].value) == 13 and not [b for b in at.button if b.key == "btn-en-in-work"]
    at.button(key="btn-en-ended").click().run()
    assert len(at.dataframe[1].value) == 13
