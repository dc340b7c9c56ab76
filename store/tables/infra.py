"""Rows the plumbing needs: outbox, applied events, notifications, audit trail, dead letters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from store.types import json_column, utc_column


class OutboxEvent(SQLModel, table=True):
    """An event written in the same transaction as the state it describes; the relay publishes it."""

    __tablename__ = "outbox"
    # The relay reads "unpublished, oldest first" and settles "unsettled, oldest first": without these two partial
    # indexes each read walks every event ever published (on PostgreSQL every row version of it). Partial, not an
    # index of the boolean `settled`: a settled version adds no entry, and each read visits only what it wants.
    # Readers must say `NOT outbox.settled` (a constant, not `settled = ?`) for the planner to take the index.
    __table_args__ = (Index("ix_outbox_unpublished", "id", sqlite_where=text("published_at IS NULL"),
                            postgresql_where=text("published_at IS NULL")),
                      Index("ix_outbox_unsettled", "id", sqlite_where=text("NOT settled"),
                            postgresql_where=text("NOT settled")))
    id: int | None = Field(default=None, primary_key=True)
    # Not unique, not indexed: no read looks the outbox up by event id (consumers record what they applied in
    # applied_event, keyed by consumer and event id), and on PostgreSQL a unique index is checked again on every
    # UPDATE that is not HOT, a heap visit per row (the relay updates each row twice): ≈ 20 µs of the server's CPU
    # per event (issue 19). An event id is a fresh uuid4 (schemas.envelope); recorded twice, it would be applied once.
    event_id: str
    topic: str
    key: str
    type: str
    payload: str
    created_at: datetime = Field(sa_column=utc_column())
    published_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    settled: bool = False  # every consumer of the event applied it (indexed while false: ix_outbox_unsettled)
    deliveries: int = 0


class AppliedEvent(SQLModel, table=True):
    """A consumer applied this event: recorded in the same transaction as the effect."""

    __tablename__ = "applied_event"
    consumer: str = Field(primary_key=True)
    event_id: str = Field(primary_key=True)
    applied_at: datetime = Field(sa_column=utc_column())


class Notification(SQLModel, table=True):
    """A message for a person, per channel (in-app inbox, WeCom group bot)."""

    id: int | None = Field(default=None, primary_key=True)
    dedup_key: str = Field(unique=True)
    channel: str = Field(index=True)
    recipient: str = Field(index=True)
    community_id: str = Field(index=True)
    text: str
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    created_at: datetime = Field(sa_column=utc_column())
    sent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class AuditRecord(SQLModel, table=True):
    """Who did what, including acts on a resident's behalf (代办). Never updated by the product."""

    __tablename__ = "audit_record"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=utc_column(index=True))
    actor: str = Field(index=True)
    role: str
    action: str
    subject: str
    on_behalf_of: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())


class CommandReceipt(SQLModel, table=True):
    """A command sent with the client's reference (idempotency key) and what it made, so the same command sent
    again (a double tap, a second click while the page runs, a retry after a timeout) answers with that instead of
    making it twice (usecases.receipts). Written in the command's own transaction; never updated."""

    __tablename__ = "command_receipt"
    reference: str = Field(primary_key=True)  # unique across everyone: a concurrent twin fails on it and is retried
    actor: str  # username: another person's reference is never answered with what it made
    action: str  # which command, e.g. "work.submit_output"
    digest: str  # SHA-256 of the command's fields and path arguments, its reference left out
    subject_id: str  # the id of the row it made
    at: datetime = Field(sa_column=utc_column())


class DeadLetter(SQLModel, table=True):
    """A message no consumer could decode, kept with the reason and its original bytes."""

    __tablename__ = "dead_letter"
    id: int | None = Field(default=None, primary_key=True)
    topic: str
    partition: int
    offset: int
    reason: str
    raw: bytes
    at: datetime = Field(sa_column=utc_column())


class WorkerBeat(SQLModel, table=True):
    """A worker's last sign of life: what it owns and how far behind it is (read by /health)."""

    __tablename__ = "worker_beat"
    worker_id: str = Field(primary_key=True)
    updated_at: datetime = Field(sa_column=utc_column())
    partitions: list[Any] = Field(default_factory=list, sa_column=json_column())
    applied_total: int = 0
    dead_letters_total: int = 0


class BrokerTopic(SQLModel, table=True):
    """The broker's id of each catalogue topic as the relay last saw it (Kafka's topic UUID, metadata v10+).

    A topic deleted and created again, or a broker that lost everything (the embedded one keeps topics in memory),
    shows a new id: what was published into the old topic and not yet applied must be published again. Whether the
    topics merely exist says nothing, as any client may have created them again before the relay looked.
    """

    __tablename__ = "broker_topic"
    name: str = Field(primary_key=True)
    topic_id: str
    seen_at: datetime = Field(sa_column=utc_column())


class InvariantCheck(SQLModel, table=True):
    """One run of the live invariant check (`microfactory audit`): when, whether it held, what broke."""

    __tablename__ = "invariant_check"
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_column=utc_column(index=True))
    finished_at: datetime = Field(sa_column=utc_column())
    ok: bool
    violations: int
    summary: list[Any] = Field(default_factory=list, sa_column=json_column())  # the first violations, as dicts
