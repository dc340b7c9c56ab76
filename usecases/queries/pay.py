"""Scoped reads of pay: a resident sees only their own slips, an enterprise only its own settlement,
a coordinator only their communities (the same rules as usecases.queries.reads)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlmodel import Session, col, select

from domain.pay import (
    DEFAULT_RECOVERY_CAP_BPS,
    PayInputError,
    PaySlip,
    SlipLine,
    build_pay_slip,
    period_by_id,
    settle_enterprise,
)
from domain.pay import PayPeriod as Period
from domain.pay.carry import CARRIED_IN, CARRY_FORWARD, carry_note
from domain.pay.money import format_rate
from domain.pay.slips import KIND_LABELS, SlipPayment
from domain.pay.wage import wage_floor_fen
from store.tables import (
    Community,
    CorrectionRequest,
    Enterprise,
    LedgerEntry,
    Lot,
    Order,
    Payout,
    PayPeriod,
)
from usecases.actors import Actor
from usecases.earn import to_draft
from usecases.errors import Forbidden, NotFound, Rejected
from usecases.minimum_wages import period_minimum_fen
from usecases.queries.names import lot_names, resident_names
from usecases.queries.pay_views import (
    PayoutView,
    PaySlipView,
    SettlementLineView,
    SettlementView,
    SlipLineView,
)
from usecases.queries.period_work import community_policy, parse_period, period_work
from usecases.queries.reads import visible_resident
from usecases.reasons import period_refused

DEBT_KINDS = frozenset({"reversal", "carried_in", "adjustment"})  # entries that can leave a debt to project


def community_period(session: Session, community_id: str, period_id: str) -> Period:
    """A period id read by the community's policy, or a 422 naming period_id."""
    policy = community_policy(session, community_id)
    try:
        return period_by_id(period_id, policy)
    except PayInputError as exc:
        raise Rejected("period_id", period_refused(period_id, policy.kind,
                                                    f"{exc.reason} (periods here are {policy.kind})")) from None


def pay_slip(session: Session, actor: Actor, resident_id: str, period_id: str) -> tuple[PaySlip, bool]:
    """A resident's slip for a period and whether it is final (the period closed)."""
    resident = visible_resident(session, actor, resident_id)
    period = community_period(session, resident.community_id, period_id)
    rows = session.exec(select(LedgerEntry).where(LedgerEntry.resident_id == resident.id,
                                                  LedgerEntry.period_id == period.period_id)
                        .order_by(col(LedgerEntry.id))).all()
    lot_ids = sorted({r.lot_id for r in rows if r.lot_id})
    # A lot as people name it, never by its id: its short code (批次简码 '网兜-1129-03'), and its product beside it.
    lots = lot_names(session, lot_ids)
    codes = {i: lot.code for i, lot in lots.items()}
    labels = {i: lot.product for i, lot in lots.items()}
    final = session.exec(select(PayPeriod).where(PayPeriod.community_id == resident.community_id,
                                                 PayPeriod.period_id == period.period_id)).first() is not None
    community = session.get(Community, resident.community_id)
    cap = community.debt_recovery_cap_bps if community else DEFAULT_RECOVERY_CAP_BPS
    communities = sorted({r.community_id for r in rows} | {resident.community_id})
    slip = build_pay_slip(resident_id=resident.id, resident_name=resident.name, period=period,
                          entries=[to_draft(r) for r in rows], lot_labels=labels, final=final,
                          recovery_cap_bps=cap, floor_fen=_projection_floor(session, community, resident.id, period,
                                                                            rows, final),
                          notes={**correction_notes(session, rows), **carry_notes(session, rows)},
                          rate_bases=rate_bases(session, lot_ids),
                          shown_name=resident_names(session, [resident.id])[resident.id], lot_codes=codes,
                          community_names=dict(session.exec(select(Community.id, Community.name).where(
                              col(Community.id).in_(communities))).all()))
    paid = payouts_of(session, resident.id, period.period_id)
    return replace(slip, payments=tuple(SlipPayment(amount_fen=p.amount_fen, at=p.at, method=p.method,
                                                    reference=p.reference) for p in paid)), final


def payouts_of(session: Session, resident_id: str, period_id: str) -> list[Payout]:
    """The payouts recorded against a resident's period, oldest first: what every form of her slip says was paid
    (the phone, the PDF, the API's JSON and HTML, the Excel 概要)."""
    return list(session.exec(select(Payout).where(Payout.resident_id == resident_id, Payout.period_id == period_id)
                             .order_by(col(Payout.at))).all())


def rate_bases(session: Session, lot_ids: list[str]) -> dict[str, int]:
    """Each lot's quote basis (1, 100 or 1000 pieces, from its order), so a slip shows rates as posted."""
    return dict(session.exec(select(Lot.id, Order.rate_per).join(Order, col(Order.id) == Lot.order_id)
                             .where(col(Lot.id).in_(lot_ids))).all())


def correction_notes(session: Session, rows: Sequence[LedgerEntry]) -> dict[str, str]:
    """The reason of each approved correction (issue 16), by the entry key of the reversals it posted."""
    reversals = {r.inspection_id: r.entry_key for r in rows if r.kind == "reversal" and r.inspection_id}
    if not reversals:
        return {}
    reasons = dict(session.exec(select(CorrectionRequest.correction_inspection_id, CorrectionRequest.reason).where(
        col(CorrectionRequest.correction_inspection_id).in_(sorted(reversals)))).all())
    return {r.entry_key: f"更正：{reasons[r.inspection_id]}" for r in rows
            if r.kind == "reversal" and r.inspection_id in reasons}


def carry_notes(session: Session, rows: Sequence[LedgerEntry]) -> dict[str, str]:
    """Each carried debt's line, by entry key, with the period at the pair's other end in words
    (domain.pay.carry.carry_note): carried in from the period its carry_forward closed, carried on into the period
    its carried_in opened. From the stored ids, so the stored memos are never rewritten."""
    forward_keys = {r.reverses_entry_key for r in rows if r.kind == CARRIED_IN and r.reverses_entry_key}
    forwards = [r.entry_key for r in rows if r.kind == CARRY_FORWARD]
    if not forward_keys and not forwards:
        return {}
    came_from = dict(session.exec(select(LedgerEntry.entry_key, LedgerEntry.period_id).where(
        col(LedgerEntry.entry_key).in_(sorted(forward_keys)))).all()) if forward_keys else {}
    went_to = dict(session.exec(select(LedgerEntry.reverses_entry_key, LedgerEntry.period_id).where(
        LedgerEntry.kind == CARRIED_IN, col(LedgerEntry.reverses_entry_key).in_(forwards))).all()) if forwards else {}
    notes = {r.entry_key: carry_note(CARRIED_IN, came_from[r.reverses_entry_key]) for r in rows
             if r.kind == CARRIED_IN and r.reverses_entry_key in came_from}
    notes.update({r.entry_key: carry_note(CARRY_FORWARD, went_to[r.entry_key]) for r in rows
                  if r.kind == CARRY_FORWARD and r.entry_key in went_to})
    return notes


def _projection_floor(session: Session, community: Community | None, resident_id: str, period: Period,
                      rows: Sequence[LedgerEntry], final: bool) -> int:
    """The minimum wage for the resident's minutes, which an open slip's projected recovery may not cut into.

    Only worked out when there can be a debt to project (the close computes its own)."""
    if final or community is None or not any(r.kind in DEBT_KINDS or r.amount_fen < 0 for r in rows):
        return 0
    work = period_work(session, community.id, period).get(resident_id)
    minutes = work.minutes.total if work else 0
    return wage_floor_fen(min_hourly_wage_fen=period_minimum_fen(session, community, period), minutes=minutes)


def pay_slip_view(session: Session, actor: Actor, resident_id: str, period_id: str) -> PaySlipView:
    """The slip as JSON, with what has been paid against it."""
    slip, final = pay_slip(session, actor, resident_id, period_id)
    payouts = payouts_of(session, slip.resident_id, slip.period.period_id)
    return PaySlipView(
        resident_id=slip.resident_id, resident_name=slip.resident_name, period_id=slip.period.period_id,
        starts_at=slip.period.starts_at, ends_at=slip.period.ends_at, final=final,
        lines=[_line(x) for x in slip.lines], corrections=[_line(x) for x in slip.corrections],
        top_ups=[_line(x) for x in slip.top_ups], total_fen=slip.total_fen,
        carries=[_line(x) for x in slip.carries], debt_fen=slip.debt_fen, recovered_fen=slip.recovered_fen,
        carried_on_fen=slip.carried_on_fen, payable_fen=slip.payable_fen,
        paid_fen=sum(p.amount_fen for p in payouts),
        payouts=[PayoutView.model_validate(p, from_attributes=True) for p in payouts])


def _line(line: SlipLine) -> SlipLineView:
    return SlipLineView(kind=line.kind, kind_zh=KIND_LABELS[line.kind][0], lot_id=line.lot_id,
                        lot_code=line.lot_code, label=line.label,
                        pieces=line.pieces, rate_centifen=line.rate_centifen,
                        rate_text=format_rate(line.rate_centifen, line.rate_per) if line.rate_centifen else "",
                        amount_fen=line.amount_fen, note=line.note)


def settlement(session: Session, actor: Actor, enterprise_id: str, period_id: str, *,
               service_fee_bps: int) -> SettlementView:
    """An enterprise's bill: its own only; a coordinator sees the part earned in their communities."""
    if actor.role == "resident":
        raise Forbidden("role", "居民只能查看工资单，不能查看企业结算 / "
                                "residents see pay slips, not enterprise settlements")
    if (actor.role == "enterprise" and actor.enterprise_id != enterprise_id) or \
            session.get(Enterprise, enterprise_id) is None:
        raise NotFound("enterprise_id", f"no such enterprise: {enterprise_id}")
    try:
        period = parse_period(period_id)
    except PayInputError as exc:
        raise Rejected("period_id", exc.reason) from None
    stmt = select(LedgerEntry).where(LedgerEntry.enterprise_id == enterprise_id,
                                     LedgerEntry.period_id == period.period_id)
    if actor.role == "coordinator":
        stmt = stmt.where(col(LedgerEntry.community_id).in_(sorted(actor.community_ids)))
    per = dict(session.exec(select(Order.id, Order.rate_per).where(Order.enterprise_id == enterprise_id)).all())
    bill = settle_enterprise(enterprise_id=enterprise_id, period=period,
                             entries=[to_draft(r) for r in session.exec(stmt)], service_fee_bps=service_fee_bps)
    return SettlementView(
        enterprise_id=bill.enterprise_id, period_id=bill.period_id, service_fee_bps=bill.service_fee_bps,
        lines=[SettlementLineView(order_id=x.order_id, pieces_passed=x.pieces_passed,
                                  rates_centifen=list(x.rates_centifen),
                                  rates_text=[format_rate(r, per.get(x.order_id, 1)) for r in x.rates_centifen],
                                  residents_pay_fen=x.residents_pay_fen, service_fee_fen=x.service_fee_fen,
                                  total_fen=x.total_fen) for x in bill.lines],
        residents_pay_fen=bill.residents_pay_fen, service_fee_fen=bill.service_fee_fen, total_fen=bill.total_fen)
