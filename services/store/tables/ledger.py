"""Rows for money: the append-only ledger (台账), pay periods, payouts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.store.types import utc_column


class LedgerEntry(SQLModel, table=True):
    """One append-only ledger line in integer fen; corrections are reversal lines."""

    __tablename__ = "ledger_entry"
    # Covering index for the dashboard: a community's lines since a date, summed without touching the table.
    __table_args__ = (Index("ix_ledger_entry_dashboard", "community_id", "posted_at", "resident_id", "amount_fen",
                            "kind", "pieces", "reverses_entry_key"),)
    id: int | None = Field(default=None, primary_key=True)
    entry_key: str = Field(unique=True)
    kind: str
    resident_id: str = Field(index=True)
    order_id: str | None = Field(default=None, index=True)
    enterprise_id: str | None = Field(default=None, index=True)
    community_id: str = Field(index=True)
    lot_id: str | None = None
    inspection_id: str | None = Field(default=None, index=True)
    pieces: int
    rate_fen: int
    amount_fen: int
    period_id: str = Field(index=True)
    reverses_entry_key: str | None = None
    memo: str = ""
    posted_at: datetime = Field(sa_column=utc_column(index=True))


class PayPeriod(SQLModel, table=True):
    """A community's pay period; closed ones are frozen."""

    __tablename__ = "pay_period"
    __table_args__ = (UniqueConstraint("community_id", "period_id"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: str = Field(index=True)
    period_id: str
    status: str = "closed"
    total_fen: int = 0
    closed_at: datetime = Field(sa_column=utc_column())
    closed_by: str


class Payout(SQLModel, table=True):
    """Money paid to a resident for a period; the reference makes it idempotent."""

    id: str = Field(primary_key=True)
    reference: str = Field(unique=True)
    resident_id: str = Field(index=True)
    period_id: str
    amount_fen: int
    method: str
    actor: str
    at: datetime = Field(sa_column=utc_column())
