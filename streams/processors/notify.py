"""Notifications: offers and escalations become messages per channel (in-app inbox, WeCom group bot)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from schemas.envelope import Event
from schemas.events.offers import OfferMade, OfferWithdrawn
from schemas.events.orders import LotEscalated
from services.handlers.context import Context
from services.store.tables import Notification

ESCALATION_ZH = {
    "no_skilled_resident": "没有具备所需技能的居民",
    "nobody_can_finish_in_time": "没有人能在交期前完成",
    "no_seat": "微工厂没有空余工位",
    "all_candidates_busy": "合适的居民都在忙",
}


def apply(session: Session, events: Sequence[Event], ctx: Context) -> list[Event]:
    """Write one message per channel for each event people must hear about; sending happens later."""
    for event in events:
        for channel, recipient, text in messages(event, wecom=bool(ctx.settings.wecom_webhook_url)):
            key = f"{event.event_id}:{channel}"
            if session.exec(select(Notification.id).where(Notification.dedup_key == key)).first() is None:
                session.add(Notification(dedup_key=key, channel=channel, recipient=recipient, community_id=event.key,
                                         text=text, created_at=ctx.now))
    return []


def messages(event: Event, *, wecom: bool) -> list[tuple[str, str, str]]:
    """(channel, recipient, text) for an event; pure so the wording is easy to test."""
    out: list[tuple[str, str, str]] = []
    if isinstance(event, OfferMade):
        text = (f"新派单：批次 {event.lot_id}，{event.pieces} 件，单价 ¥{event.piece_rate_fen / 100:.2f}。"
                f"{event.explanation_zh}")
        out.append(("inbox", f"resident:{event.resident_id}", text))
        if wecom:
            out.append(("wecom", f"community:{event.key}", f"批次 {event.lot_id} 已派给居民 {event.resident_id}，"
                                                             f"请提醒其在 {_local(event.expires_at)} 前确认。"))
    elif isinstance(event, LotEscalated):
        why = ESCALATION_ZH.get(event.reason_code, event.reason_code)
        text = f"批次 {event.lot_id} 暂时无人可接：{why}（{event.detail}）。请人工派单或调整。"
        out.append(("inbox", f"coordinator:{event.key}", text))
        if wecom:
            out.append(("wecom", f"community:{event.key}", text))
    elif isinstance(event, OfferWithdrawn):
        out.append(("inbox", f"resident:{event.resident_id}", f"批次 {event.lot_id} 已收回：{event.reason}"))
    return out


def _local(instant: object) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    assert isinstance(instant, datetime)
    return instant.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%m-%d %H:%M")
