"""The in-app inbox (站内消息): a person's messages, and only theirs."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, select

from store.tables import Notification
from usecases.actors import Actor

INBOX = "inbox"


class InboxMessage(BaseModel):
    """One message as its reader sees it."""

    id: int
    recipient: str
    community_id: str
    text: str
    created_at: datetime


def recipients(actor: Actor) -> list[str]:
    """The inbox addresses a caller reads: their own, or their communities' coordinator inboxes."""
    if actor.role == "resident" and actor.resident_id:
        return [f"resident:{actor.resident_id}"]
    if actor.role == "coordinator":
        return [f"coordinator:{c}" for c in sorted(actor.community_ids)]
    if actor.role == "enterprise" and actor.enterprise_id:
        return [f"enterprise:{actor.enterprise_id}"]
    return []


def inbox(session: Session, actor: Actor, *, limit: int = 200) -> list[InboxMessage]:
    """The caller's newest messages first."""
    addresses = recipients(actor)
    if not addresses:
        return []
    rows = session.exec(select(Notification).where(Notification.channel == INBOX,
                                                   col(Notification.recipient).in_(addresses))
                        .order_by(col(Notification.id).desc()).limit(limit)).all()
    return [InboxMessage(id=r.id or 0, recipient=r.recipient, community_id=r.community_id, text=r.text,
                         created_at=r.created_at) for r in rows]
