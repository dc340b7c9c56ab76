"""Names people typed (a shop item, a product, a resident, a community) reach the page as the literal text: Streamlit
renders markdown in st.markdown/st.write/st.caption/alerts and in widget labels, so '[点这里领奖](http://…)' would be
a link on a resident's phone and '![x](http://…)' an image fetched from the internet (dashboard.format.md)."""

from __future__ import annotations

from datetime import UTC, datetime

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bench.dashboard_world import COORD1, actor
from store.db import transaction
from store.tables import Community, Product, Resident, ShopItem

LINK = "[点这里领奖](http://evil.example/a)"
IMAGE = "![x](http://evil.example/p.png)"
BOLD = "**王**<http://evil.example/b>"
COLOUR = ":red[社区] $x^2$"
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def rename(world) -> None:  # noqa: ANN001
    """The worked lot's product, its worker, her community and a shop item there named with markdown."""
    with transaction(world.engine) as s:
        s.get(Product, "BEAD-01").name = IMAGE  # type: ignore[union-attr]  # the product of every lot in the world
        s.get(Resident, world.worker).name = BOLD  # type: ignore[union-attr]
        s.get(Community, "comm-001").name = COLOUR  # type: ignore[union-attr]
        s.add(ShopItem(id="itm-evil", community_id="comm-001", name=LINK, price_points=10, stock=2,
                       created_at=datetime.now(UTC)))


def markdown_shown(at) -> list[str]:  # noqa: ANN001
    """Every string the page hands Streamlit's markdown renderer: bodies of text and alerts, and widget labels."""
    out = [str(e.proto.body) for kind in ("markdown", "caption", "info", "warning", "error", "success", "title",
                                          "subheader", "header") for e in getattr(at, kind)
           if not getattr(e.proto, "allow_html", False)]  # the page's own <style>, never a name
    for kind in ("button", "checkbox", "radio", "expander", "metric", "text_input", "selectbox", "toggle", "tabs"):
        out += [str(e.proto.label) for e in getattr(at, kind) if getattr(e.proto, "label", "")]
    out += [str(o) for r in at.radio for o in r.options]
    return out


def walk(tokens: list[Token]) -> list[Token]:
    return [x for t in tokens for x in (t, *walk(t.children or []))]


def plain(body: str) -> tuple[str, list[str]]:
    """The text a reader sees in `body` rendered as CommonMark, and the kinds of markup it produced beyond text."""
    tokens = walk(PARSER.parse(body))
    text = "".join(t.content for t in tokens if t.type in ("text", "code_inline"))
    markup = [t.type for t in tokens if t.type.startswith(("link", "image", "strong", "em", "html", "s_open"))]
    return text, markup


def check(at, *literals: str) -> None:  # noqa: ANN001
    assert not at.exception
    rendered = [plain(b) for b in markdown_shown(at)]
    touched = [(text, markup) for text, markup in rendered if any(x in text for x in literals)
               or any(p in text for p in ("evil.example", "点这里领奖"))]
    for literal in literals:
        assert any(literal in text for text, _ in touched), (literal, rendered)
    for text, markup in touched:
        assert not [m for m in markup if m.startswith(("link", "image", "html"))], (text, markup)
    # no string anywhere renders a link or image — the page has none of its own
    assert not [m for _, markup in rendered for m in markup if m.startswith(("link", "image", "html"))], rendered


def test_her_phone_page_shows_the_shop_item_product_and_her_name_as_typed(world, open_page) -> None:
    rename(world)
    me = actor(world.worker, "resident", resident_id=world.worker, community_ids=frozenset({"comm-001"}))
    at = open_page("views/resident.py", me)
    check(at, LINK, IMAGE, BOLD)


def test_the_coordinator_page_shows_the_names_as_typed(world, open_page) -> None:
    rename(world)
    at = open_page("views/coordinator.py", COORD1)
    check(at, BOLD, IMAGE)
