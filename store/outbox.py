"""The transactional outbox: events stored with the state change that caused them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session

from schemas.catalogue import consumers_of, topic_of
from schemas.envelope import Event
from store.bulk import insert_rows
from store.tables import AuditRecord, OutboxEvent


def record_events(session: Session, events: Iterable[Event]) -> None:
    """Add events to the outbox in the caller's transaction; the relay publishes them later."""
    # One bulk INSERT: building an ORM object per event costs more than the event itself on a busy worker.
    rows = [{"event_id": str(event.event_id), "topic": topic_of(event).name, "key": event.key, "type": event.type,
             "payload": event.model_dump_json(), "created_at": event.occurred_at,
             "settled": not consumers_of(topic_of(event).name, event.type), "deliveries": 0} for event in events]
    if rows:
        insert_rows(session, OutboxEvent, rows)


def audit(session: Session, *, at: datetime, actor: str, role: str, action: str, subject: str,
          on_behalf_of: str | None = None, **detail: Any) -> None:
    """Append to the audit trail in the caller's transaction."""
    session.add(AuditRecord(at=at, actor=actor, role=role, action=action, subject=subject,
                            on_behalf_of=on_behalf_of, detail=detail))
