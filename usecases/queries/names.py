"""Lots, orders and residents as people name them, read from the store for any message, error or page that names
them.

The rules are the domain's (domain.orders.lot_codes.lot_code, domain.pay.slips.slip_name); this module only reads the
rows they need, for many ids at once, so no caller puts a lot id ('lot-019…') or a resident id ('comm-001-r001')
in front of a person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlmodel import Session, col, select

from domain.orders.lot_codes import TZ, lot_and_product, lot_code
from domain.pay.slips import slip_name
from schemas.commands import GENERATED_ORDER_PREFIX
from store.tables import Lot, Order, Product, Resident


class OrderLike(Protocol):
    """What naming an order reads of it (an Order row or the API's OrderView)."""

    @property
    def id(self) -> str: ...

    @property
    def product_code(self) -> str: ...


@dataclass(frozen=True)
class LotName:
    """A lot as people name it: `code` ('网兜-1129-03', an older lot '编织网兜-第3批'), its product's name, and
    `titled`, the two together ('网兜-1129-03 · 编织网兜')."""

    code: str
    product: str
    titled: str


def lot_names(session: Session, lot_ids: Iterable[str | None]) -> dict[str, LotName]:
    """lot id → LotName, for the lots of `lot_ids` that exist (an unknown id is left out)."""
    wanted = sorted({i for i in lot_ids if i})
    if not wanted:
        return {}
    rows = session.exec(select(Lot.id, Lot.short_code, Lot.lot_no, Product.name)
                        .join(Order, col(Order.id) == Lot.order_id)
                        .join(Product, col(Product.code) == Order.product_code)
                        .where(col(Lot.id).in_(wanted))).all()
    return {i: LotName(code=lot_code(short_code=code, product_name=product, lot_no=no), product=product,
                       titled=lot_and_product(short_code=code, product_name=product, lot_no=no))
            for i, code, no, product in rows}


def resident_names(session: Session, resident_ids: Iterable[str | None]) -> dict[str, str]:
    """resident id → her name; where another of her community has the same name, told apart as her pay slip does
    ('高珍英（尾号6417）', domain.pay.slips.slip_name). An unknown id is left out."""
    wanted = sorted({i for i in resident_ids if i})
    if not wanted:
        return {}
    people = session.exec(select(Resident).where(col(Resident.id).in_(wanted))).all()
    namesakes = session.exec(select(Resident.id, Resident.community_id, Resident.name, Resident.phone).where(
        col(Resident.community_id).in_(sorted({p.community_id for p in people})),
        col(Resident.name).in_(sorted({p.name for p in people})))).all()
    return {p.id: slip_name(p.name, phone=p.phone, resident_id=p.id,
                            namesakes=[phone for i, community, name, phone in namesakes
                                       if community == p.community_id and name == p.name and i != p.id])
            for p in people}


def order_labels(orders: Sequence[OrderLike], posted: Mapping[str, datetime], names: Mapping[str, str]
                 ) -> dict[str, str]:
    """order id → how the enterprise names it (issue 15): its own purchase-order number when it gave one (the id
    then is that number), else the product, the day it was posted (Asia/Shanghai) and its number that day among
    the enterprise's orders of the product: '编织网兜-1129-02'. Internal ids ('ord-…') never become the label."""
    out: dict[str, str] = {}
    seen: Counter[tuple[str, str]] = Counter()
    far = datetime.max.replace(tzinfo=UTC)
    for o in sorted(orders, key=lambda o: (posted.get(o.id) or far, o.id)):
        if not o.id.startswith(GENERATED_ORDER_PREFIX):  # her own number, shown as she wrote it
            out[o.id] = o.id
            continue
        at = posted.get(o.id)
        day = at.astimezone(TZ).strftime("%m%d") if at else "----"
        seen[(o.product_code, day)] += 1  # only minted ones are numbered: -01, -02… with no gaps for her own
        out[o.id] = f"{names.get(o.product_code, o.product_code)}-{day}-{seen[(o.product_code, day)]:02d}"
    return out


def order_names(session: Session, order_ids: Iterable[str | None]) -> dict[str, str]:
    """order id → the name its enterprise's page gives it (order_labels: '编织网兜-1129-02', or its own PO number),
    for messages that mention orders; an unknown id is left out. Numbered among the enterprise's orders of the same
    product, as its page numbers them."""
    wanted = sorted({i for i in order_ids if i})
    if not wanted:
        return {}
    mine = session.exec(select(Order.enterprise_id, Order.product_code).where(col(Order.id).in_(wanted))).all()
    out: dict[str, str] = {}
    for enterprise_id, product_code in sorted(set(mine)):
        siblings = session.exec(select(Order).where(Order.enterprise_id == enterprise_id,
                                                    Order.product_code == product_code)).all()
        product = session.get(Product, product_code)
        labels = order_labels(siblings, {o.id: o.posted_at for o in siblings},
                              {product_code: product.name} if product else {})
        out.update((i, labels[i]) for i in wanted if i in labels)
    return out
