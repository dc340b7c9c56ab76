"""Lots and residents as people name them, read from the store for any message, error or page that mentions them.

The rules are the domain's (domain.orders.lot_codes.lot_code, domain.pay.slips.slip_name); this module only reads the
rows they need, for many ids at once, so no caller puts a lot id ('lot-019…') or a resident id ('comm-001-r001')
in front of a person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from domain.orders.lot_codes import lot_and_product, lot_code
from domain.pay.slips import slip_name
from store.tables import Lot, Order, Product, Resident


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
