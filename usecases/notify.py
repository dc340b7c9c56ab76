"""Notifications: offers, escalations, orders ending, payouts and appeals become messages per channel (in-app
inbox, WeCom group bot)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from domain.lifecycle.lot import LotStatus
from domain.lifecycle.order import OrderStatus
from domain.matching import rules
from domain.orders.minimum_wage import WageAudit, audit_order_rate
from domain.pay.money import format_rate
from domain.pay.periods import period_name
from domain.pay.slips import method_name
from schemas.envelope import Event
from schemas.events.offers import OfferMade, OfferWithdrawn
from schemas.events.orders import LotEscalated, OrderPosted, OrderStatusChanged
from schemas.events.pay import AppealDecided, AppealFiled, PayoutRecorded
from store.tables import Community, Enterprise, Inspection, Lot, Notification, Order, Product
from usecases.context import Context
from usecases.errors import Rejected
from usecases.minimum_wages import minimum_at
from usecases.queries.names import lot_names, order_names, resident_names

# One wording for every reason the matcher can give (domain/matching/rules.py).
ESCALATION_ZH = {
    rules.EXCLUDED: "能接的居民都已拒绝、超时未确认或被收回过此批次",
    rules.NO_SKILL: "没有具备所需技能和等级的居民",
    rules.NO_MODE: "没有能到达工作点的居民，且此批次不允许带回家做",
    rules.NO_SEAT: "微工厂没有空余工位",
    rules.NO_TIME: "没有人能在交期前完成",
    rules.BUSY: "合适的居民手上批次已满",
    rules.UNKNOWN_RESIDENT: "指派的居民不在本社区或已停用",
}
ESCALATION_EN = {
    rules.EXCLUDED: "everyone who could take it declined, let it expire or had it withdrawn",
    rules.NO_SKILL: "no resident has the skill at the level needed",
    rules.NO_MODE: "no resident can reach a site, and the lot may not be taken home",
    rules.NO_SEAT: "no free seat at the micro-factory",
    rules.NO_TIME: "nobody can finish it by its due date",
    rules.BUSY: "every suitable resident already holds as many lots as allowed",
    rules.UNKNOWN_RESIDENT: "the chosen resident is not in this community or is inactive",
}


def escalation_reason(code: str | None, lang: str = "zh") -> str | None:
    """Why the matcher could not place a lot, as people say it (None for no reason or one it never gives)."""
    return (ESCALATION_EN if lang == "en" else ESCALATION_ZH).get(code or "")


@dataclass(frozen=True)
class Named:
    """The lot and the resident an event is about, as people name them: '批次 网兜-1129-03 · 编织网兜',
    '居民王秀英（尾号5678）' (usecases.queries.names), read by apply() so that messages() stays pure; never an id."""

    lot: str = "一个批次"
    resident: str = "一位居民"


def apply(session: Session, events: Sequence[Event], ctx: Context) -> list[Event]:
    """Write one message per channel for each event people must hear about; sending happens later."""
    for event in events:
        if isinstance(event, LotEscalated) and not still_escalated(session, event):
            continue
        wecom = bool(ctx.settings.wecom_webhook_url)
        for channel, recipient, text in messages(event, wecom=wecom, named=named_in(session, event, wecom=wecom)):
            _add(session, f"{event.event_id}:{channel}", channel, recipient, event.key, text, ctx)
        if not isinstance(event, OrderStatusChanged):
            continue
        order = session.get(Order, event.order_id)
        named_order = order_names(session, [event.order_id]).get(event.order_id, event.order_id)
        enterprise = session.get(Enterprise, order.enterprise_id) if order else None
        for recipient, text in order_ended(order, event, named=named_order,
                                           enterprise=enterprise.name if enterprise else None) if order else []:
            _add(session, f"{event.event_id}:inbox:{recipient}", "inbox", recipient, event.key, text, ctx)
    return []


ENDED_ZH = {
    OrderStatus.FULFILLED: "已完成：所有批次都已验收完毕",
    OrderStatus.EXPIRED: "已过交期仍未完成：未发料的批次已收回，在做的批次照常交货、验收和计酬",
    OrderStatus.CANCELLED: "已取消：未发料的批次已收回，在做的批次照常交货、验收和计酬",
}


def order_ended(order: Order, event: OrderStatusChanged, *, named: str | None = None,
                enterprise: str | None = None) -> list[tuple[str, str]]:
    """(recipient, text) for the enterprise and each community's coordinator when an order ends; pure. `named`: the
    order as its enterprise's page names it (usecases.queries.names.order_names), else its id; `enterprise`: its
    name, which the coordinators' copy adds (two enterprises' orders can bear the same name: each numbers its own)."""
    why = ENDED_ZH.get(OrderStatus(event.status))
    if why is None:
        return []
    label = named or order.id
    whose = f"{enterprise}，" if enterprise else ""
    return [(f"enterprise:{order.enterprise_id}", f"订单 {label}（{order.quantity} 件）{why}。"),
            *((f"coordinator:{community}", f"订单 {label}（{whose}{order.quantity} 件）{why}。")
              for community in order.eligible_community_ids)]


def named_in(session: Session, event: Event, *, wecom: bool) -> Named:
    """The lot (an appeal's through its inspection) and the resident `event`'s messages mention, as people name them;
    read only for the events whose messages name them (the notifier hears every offer and work event)."""
    if isinstance(event, (AppealFiled, AppealDecided)):
        inspection = session.get(Inspection, event.inspection_id)
        lot_id = inspection.lot_id if inspection else None
    elif isinstance(event, (OfferMade, LotEscalated, OfferWithdrawn)):
        lot_id = event.lot_id
    else:
        return Named()
    lot = lot_names(session, [lot_id]).get(lot_id or "")
    # Her name is for the coordinators: the appeal she filed and the group's '已派给…'.
    told = event.resident_id if isinstance(event, AppealFiled) or (isinstance(event, OfferMade) and wecom) else None
    name = resident_names(session, [told]).get(told or "")
    return Named(lot=f"批次 {lot.titled}" if lot else Named.lot, resident=f"居民{name}" if name else Named.resident)


def still_escalated(session: Session, event: LotEscalated) -> bool:
    """Whether the lot still waits for a coordinator for the escalation's reason.

    The notifier consumes apart from the matcher: by the time it reads "nobody can take lot X", X may have been
    offered in a later batch or dispatched by hand, and a notice then would send a coordinator after a lot that
    has found someone.
    """
    lot = session.get(Lot, event.lot_id)
    return lot is not None and lot.status == LotStatus.ESCALATED and lot.escalation == event.reason_code


def flag_below_minimum_wage(session: Session, event: OrderPosted, ctx: Context) -> None:
    """Tell the enterprise and each community's coordinator, with the figures, that an order pays too little.

    Called by the splitter, which consumes the orders topic; the notifier does not.
    """
    product = session.get(Product, event.product_code)
    if not event.below_minimum_wage or product is None:
        return
    named = order_names(session, [event.order_id]).get(event.order_id, event.order_id)
    enterprise = session.get(Enterprise, event.enterprise_id)
    whose = f"{named}（{enterprise.name}）" if enterprise else named  # coordinators hear of several enterprises
    for community_id in event.eligible_community_ids:
        community = session.get(Community, community_id)
        try:
            minimum = minimum_at(session, community, event.occurred_at) if community else None
        except Rejected:  # no figure: the post was refused for that, or the division was changed since
            minimum = None
        if minimum is None:
            continue
        wage = audit_order_rate(piece_rate_centifen=event.piece_rate_centifen,
                                standard_minutes_per_piece=product.standard_minutes_per_piece,
                                min_hourly_wage_fen=minimum)
        for recipient, name in ((f"enterprise:{event.enterprise_id}", named), (f"coordinator:{community_id}", whose)):
            text = minimum_wage_text(name, event.piece_rate_centifen, product.standard_minutes_per_piece, wage,
                                     per=event.rate_per)
            _add(session, f"{event.event_id}:inbox:{recipient}:{community_id}", "inbox", recipient, community_id,
                 text, ctx)


def minimum_wage_text(order_name: str, rate_centifen: int, minutes_per_piece: float, wage: WageAudit, *,
                      per: int = 1) -> str:
    """The figures of a minimum-wage flag, in plain Chinese, naming the order as its enterprise's page does; the
    rate exact (0.0001 yuan) as the order quoted it."""
    return (f"订单 {order_name} 低于最低工资：计件单价 {format_rate(rate_centifen, per)}，按标准速度每件 "
            f"{minutes_per_piece:g} 分钟，折合每小时 ¥{wage.hourly_fen_at_standard_speed / 100:.2f}，低于非全日制最低"
            f"小时工资 ¥{wage.min_hourly_wage_fen / 100:.2f}；"
            f"单价至少应为 {format_rate(wage.min_piece_rate_centifen)}。")


def _add(session: Session, key: str, channel: str, recipient: str, community_id: str, text: str,
         ctx: Context) -> None:
    if session.exec(select(Notification.id).where(Notification.dedup_key == key)).first() is None:
        session.add(Notification(dedup_key=key, channel=channel, recipient=recipient, community_id=community_id,
                                 text=text, created_at=ctx.now))


def messages(event: Event, *, wecom: bool, named: Named = Named()) -> list[tuple[str, str, str]]:
    """(channel, recipient, text) for an event, naming its lot and resident as `named` says; pure so the wording is
    easy to test."""
    out: list[tuple[str, str, str]] = []
    if isinstance(event, OfferMade):
        text = (f"新派单：{named.lot}，{event.pieces} 件，单价 {format_rate(event.piece_rate_centifen)}。"
                f"{event.explanation_zh}")
        out.append(("inbox", f"resident:{event.resident_id}", text))
        if wecom:
            out.append(("wecom", f"community:{event.key}", f"{named.lot} 已派给{named.resident}，"
                                                             f"请提醒其在 {_local(event.expires_at)} 前确认。"))
    elif isinstance(event, LotEscalated):
        why = escalation_reason(event.reason_code) or event.reason_code
        text = f"{named.lot} 暂时无人可接：{why}（{event.detail}）。请人工派单或调整。"
        out.append(("inbox", f"coordinator:{event.key}", text))
        if wecom:
            out.append(("wecom", f"community:{event.key}", text))
    elif isinstance(event, OfferWithdrawn):
        out.append(("inbox", f"resident:{event.resident_id}", f"{named.lot} 已收回：{event.reason}"))
    elif isinstance(event, PayoutRecorded):
        out.append(("inbox", f"resident:{event.resident_id}",
                    f"工资已发放：¥{event.amount_fen / 100:.2f}（{period_name(event.period_id)}，"
                    f"{method_name(event.method)}，凭证 {event.reference}）。"))
    elif isinstance(event, AppealFiled):
        out.append(("inbox", f"coordinator:{event.key}", f"{named.resident}对{named.lot} 的验收提出申诉："
                                                          f"{event.reason}。请复核。"))
    elif isinstance(event, AppealDecided):
        outcome = "已支持，计件工资将按更正后的验收重算" if event.decision == "upheld" else "未获支持"
        out.append(("inbox", f"resident:{event.resident_id}",
                    f"你对{named.lot} 验收结果的申诉{outcome}：{event.reason}"))
    return out


def _local(instant: object) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    assert isinstance(instant, datetime)
    return instant.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%m-%d %H:%M")
