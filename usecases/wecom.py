"""The WeCom (企业微信) group-bot channel: POST pending messages to the configured webhook."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from domain.lifecycle.notification import DeliveryStatus, after_attempt
from store.db import transaction
from store.tables import Notification

log = logging.getLogger(__name__)


def send_pending(engine: Engine, url: str, *, limit: int = 50, client: httpx.Client | None = None) -> int:
    """Send what is pending (oldest first); a failure is retried next time, up to MAX_ATTEMPTS."""
    sent = 0
    http = client or httpx.Client(timeout=5)
    with transaction(engine) as session:
        pending = session.exec(select(Notification).where(Notification.channel == "wecom",
                                                          Notification.status == DeliveryStatus.PENDING)
                               .order_by(col(Notification.id)).limit(limit)).all()
        for note in pending:
            note.attempts += 1
            try:
                reply = http.post(url, json={"msgtype": "text", "text": {"content": note.text}})
                ok = reply.status_code == 200 and reply.json().get("errcode", 0) == 0
            except (httpx.HTTPError, ValueError) as exc:
                log.warning("wecom send failed: %s", exc)
                ok = False
            note.status = after_attempt(note.status, delivered=ok, attempts=note.attempts)
            if ok:
                note.sent_at = datetime.now(UTC)
                sent += 1
            session.add(note)
    if client is None:
        http.close()
    return sent
