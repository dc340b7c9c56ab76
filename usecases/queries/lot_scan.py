"""Opening a lot by scanning its label: the QR payload must carry the lot's own check code."""

from __future__ import annotations

from sqlmodel import Session

from domain.orders.labels import LotQrError, parse_lot_qr, verify_lot_code
from usecases.actors import Actor
from usecases.errors import NotFound, Rejected
from usecases.queries import reads
from usecases.queries.views import LotView


def scan_lot(session: Session, actor: Actor, payload: str, *, secret: str) -> LotView:
    """The lot a scanned label names, for a coordinator of its community or the resident holding it."""
    actor.require("coordinator", "resident")
    try:
        lot_id, code = parse_lot_qr(payload)
    except LotQrError as exc:
        raise Rejected("code", str(exc)) from None
    if not verify_lot_code(lot_id, code, secret):
        raise Rejected("code", "校验码与批次不符：这不是本系统打印的标签 / "
                                "the check code does not belong to this lot: not one of our labels")
    found = reads.lots(session, actor, lot_id=lot_id)
    if not found:  # a resident may open only a lot they hold; a coordinator only their communities'
        raise NotFound("code", f"没有你手上或你负责的批次 {lot_id} / no lot {lot_id} that you hold or manage")
    return found[0]
