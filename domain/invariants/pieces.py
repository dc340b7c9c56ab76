"""Pieces and statuses: no over-issue, no more handed in than issued, and every status as its pieces say."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from domain.invariants.model import (
    LIVE_OFFER,
    LOT_CLOSED,
    LOT_DONE,
    LOT_HELD,
    LOT_IN_WORK,
    LOT_OFFERED,
    LOT_UNASSIGNED,
    OFFER_ACCEPTED,
    OFFER_PENDING,
    ORDER_ACTIVE,
    ORDER_FULFILLED,
    ORDER_OPEN,
    Violation,
)
from domain.invariants.rows import LotRecords, LotRow, OfferRow, OrderRow


def check_lots(lots: Iterable[LotRow], records: Mapping[str, LotRecords]) -> list[Violation]:
    """Each lot's counters bounded (issued ≤ pieces, submitted ≤ issued, passed ≤ submitted) and as recorded."""
    found: list[Violation] = []
    for lot in lots:
        ids = {"lot_id": lot.id, "order_id": lot.order_id}
        if not 0 <= lot.pieces_issued <= lot.pieces:
            found.append(Violation("over_issued", ids, f"批次发料{lot.pieces_issued}件，超出批次的{lot.pieces}件",
                                   f"{lot.pieces_issued} pieces issued for a lot of {lot.pieces}"))
        if lot.pieces_submitted > lot.pieces_issued:
            found.append(Violation(
                "submitted_exceeds_issued", ids, f"首次交货{lot.pieces_submitted}件，多于发料的{lot.pieces_issued}件",
                f"{lot.pieces_submitted} pieces handed in (first hand-ins) but {lot.pieces_issued} issued"))
        if lot.pieces_passed > lot.pieces_submitted:
            found.append(Violation(
                "passed_exceeds_submitted", ids, f"合格{lot.pieces_passed}件，多于交货的{lot.pieces_submitted}件",
                f"{lot.pieces_passed} pieces passed but {lot.pieces_submitted} handed in"))
        found += _counts_against_records(lot, records.get(lot.id, LotRecords()))
        found += _lot_status(lot)
    return found


def _counts_against_records(lot: LotRow, rec: LotRecords) -> list[Violation]:
    stored = {"issued": lot.pieces_issued, "handed_in": lot.pieces_submitted + lot.pieces_resubmitted,
              "pending": lot.pieces_pending, "passed": lot.pieces_passed, "rejected_final": lot.pieces_rejected}
    recorded = {"issued": rec.issued, "handed_in": rec.handed_in, "pending": rec.pending, "passed": rec.passed,
                "rejected_final": rec.rejected_final}
    wrong = {k: {"lot": stored[k], "records": recorded[k]} for k in stored if stored[k] != recorded[k]}
    if not wrong:
        return []
    names = ", ".join(wrong)
    return [Violation("lot_counts_disagree_with_records", {"lot_id": lot.id, "order_id": lot.order_id},
                      f"批次的件数与发料、交货、验收记录不符：{names}",
                      f"the lot's counters differ from its issue, submission and inspection records: {names}",
                      detail=wrong)]


def _lot_status(lot: LotRow) -> list[Violation]:
    """The status each lot's pieces call for: done when every piece passed or was finally rejected, ..."""
    finished = lot.pieces_passed + lot.pieces_rejected
    wrong: tuple[str, str] | None = None
    if lot.status == LOT_DONE and finished != lot.pieces:
        wrong = (f"批次已完成，但{lot.pieces}件中只有{finished}件合格或最终不合格",
                 f"lot is done but only {finished} of {lot.pieces} pieces passed or were finally rejected")
    elif lot.status != LOT_DONE and lot.pieces > 0 and finished >= lot.pieces:
        wrong = (f"批次{lot.pieces}件均已验收完毕，状态却是{lot.status}",
                 f"every one of the lot's {lot.pieces} pieces is finished but its status is {lot.status}")
    elif lot.status == LOT_IN_WORK and lot.pieces_issued <= 0:
        wrong = ("批次在生产中，却没有发料", "lot is in work but no materials are issued")
    elif lot.pieces_issued > 0 and lot.status in LOT_UNASSIGNED | {LOT_OFFERED}:
        wrong = (f"批次状态为{lot.status}，却已发料{lot.pieces_issued}件",
                 f"lot is {lot.status} yet {lot.pieces_issued} pieces of materials are issued")
    elif lot.status in LOT_HELD and not lot.resident_id:
        wrong = (f"批次状态为{lot.status}，却没有承接居民", f"lot is {lot.status} but nobody holds it")
    if wrong is None:
        return []
    return [Violation("lot_status_disagrees", {"lot_id": lot.id, "order_id": lot.order_id}, *wrong,
                      detail={"status": lot.status})]


def check_offers(offers: Sequence[OfferRow], lots: Mapping[str, LotRow]) -> list[Violation]:
    """At most one live offer (pending or accepted) a lot, and every offer agreeing with its lot's status."""
    found: list[Violation] = []
    live: dict[str, list[OfferRow]] = defaultdict(list)
    for offer in offers:
        if offer.status in LIVE_OFFER:
            live[offer.lot_id].append(offer)
        if offer.override_rules and not (offer.override_reason or "").strip():
            found.append(Violation("override_without_reason", {"offer_id": offer.id, "lot_id": offer.lot_id,
                                                               "resident_id": offer.resident_id},
                                   f"越过规则{'、'.join(offer.override_rules)}却没有记录理由",
                                   f"overrides {', '.join(offer.override_rules)} without a recorded reason"))
    for lot_id, several in live.items():
        if len(several) > 1:
            found.append(Violation(
                "several_live_offers", {"lot_id": lot_id, "offer_id": ",".join(o.id for o in several)},
                f"批次同时有{len(several)}个有效派单", f"the lot has {len(several)} live offers at once",
                detail={"residents": [o.resident_id for o in several]}))
    for lot in lots.values():
        found += _offer_matches_lot(lot, live.get(lot.id, []))
    return found


def _offer_matches_lot(lot: LotRow, live: list[OfferRow]) -> list[Violation]:
    """An offered lot has its pending offer; a held or done lot has the holder's accepted one; others have none."""
    pending = [o for o in live if o.status == OFFER_PENDING]
    accepted = [o for o in live if o.status == OFFER_ACCEPTED]
    if lot.status == LOT_OFFERED:
        ok = len(pending) == 1 and not accepted
    elif lot.status in LOT_HELD or lot.status == LOT_DONE:
        ok = not pending and all(o.resident_id == lot.resident_id for o in accepted) and (
            bool(accepted) or lot.status == LOT_DONE)  # a done lot may predate offers (loaded, not matched)
    elif lot.status in LOT_UNASSIGNED:
        ok = not live
    else:
        ok = True  # a status this check does not know: the lifecycle's own tests speak for it
    if ok:
        return []
    return [Violation("lot_status_disagrees", {"lot_id": lot.id, "order_id": lot.order_id,
                                               "offer_id": ",".join(o.id for o in live)},
                      f"批次状态为{lot.status}，与其派单不符（待答复{len(pending)}个，已接受{len(accepted)}个）",
                      f"lot is {lot.status} but has {len(pending)} pending and {len(accepted)} accepted offers",
                      detail={"status": lot.status})]


def check_orders(orders: Iterable[OrderRow], lots: Sequence[LotRow], offers: Sequence[OfferRow]) -> list[Violation]:
    """Lots add up to the order; offered + issued never exceed it; the status is what its pieces say."""
    by_order: dict[str, list[LotRow]] = defaultdict(list)
    for lot in lots:
        by_order[lot.order_id].append(lot)
    order_of = {lot.id: lot.order_id for lot in lots}
    offered: dict[str, int] = defaultdict(int)
    for offer in offers:
        if offer.status == OFFER_PENDING and offer.lot_id in order_of:
            offered[order_of[offer.lot_id]] += offer.pieces
    found: list[Violation] = []
    for order in orders:
        its = by_order.get(order.id, [])
        ids = {"order_id": order.id}
        split = sum(lot.pieces for lot in its)
        if its and split != order.quantity:
            found.append(Violation("lot_pieces_differ_from_order", ids,
                                   f"各批次共{split}件，订单数量为{order.quantity}件",
                                   f"the lots hold {split} pieces for an order of {order.quantity}"))
        committed = offered[order.id] + sum(lot.pieces_issued for lot in its)
        if committed > order.quantity:
            found.append(Violation("over_issued", ids,
                                   f"待答复派单与已发料共{committed}件，超过订单的{order.quantity}件",
                                   f"{committed} pieces offered + issued for an order of {order.quantity}"))
        found += _order_status(order, its)
    return found


def _order_status(order: OrderRow, lots: list[LotRow]) -> list[Violation]:
    passed = sum(lot.pieces_passed for lot in lots)
    unfinished = [lot.id for lot in lots if lot.status not in LOT_CLOSED
                  and lot.pieces_passed + lot.pieces_rejected < lot.pieces]
    wrong: tuple[str, str] | None = None
    if lots and passed >= order.quantity and order.status != ORDER_FULFILLED:
        wrong = (f"订单{order.quantity}件全部合格，状态却是{order.status}",
                 f"all {order.quantity} pieces passed but the order is {order.status}")
    elif order.status == ORDER_FULFILLED and (not lots or unfinished):
        wrong = (f"订单已履约，但仍有{len(unfinished)}个批次未完成",
                 f"order is fulfilled but {len(unfinished)} lots are unfinished")
    elif order.status == ORDER_OPEN and any(lot.status in LOT_HELD or lot.status == LOT_DONE for lot in lots):
        wrong = ("订单已有批次被接受，状态却仍是open", "a lot of the order was accepted but the order is still open")
    if wrong is None or (order.status not in ORDER_ACTIVE and order.status != ORDER_FULFILLED):
        return []
    return [Violation("order_status_disagrees", {"order_id": order.id}, *wrong,
                      detail={"status": order.status, "passed": passed, "unfinished_lots": unfinished[:10]})]
