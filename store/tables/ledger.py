"""Rows for money: the append-only ledger (台账), pay periods, payouts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import FEN_SUM, utc_column


class LedgerEntry(SQLModel, table=True):
    """One append-only ledger line in integer fen; corrections are reversal lines."""

    __tablename__ = "ledger_entry"
    # Every index is paid for on each of the thousands of lines a second the earnings consumer appends,
    # so there is one per way the ledger is read, no more.
    __table_args__ = (
        # Lines posted between two instants that are not both local midnights (the dashboard trend's first, partial
        # day; an assessment over other bounds): whole days are summed from ledger_day. One narrow key that grows at
        # its end, not the seven columns a community's lines were summed from (issue 19: ≈ 3-5 µs a line on SQLite).
        Index("ix_ledger_entry_posted_at", "posted_at"),
        # A community's period summed (matching, closing, the pay board, payouts due) is read from ledger_period,
        # not through an index by (community, period): it cost ≈ 4 µs a line on SQLite (issue 19). A reader that
        # needs a community period's lines finds them through this index, for the residents ledger_period lists
        # (store.ledger.in_community_period).
        Index("ix_ledger_entry_resident_period", "resident_id", "period_id"),  # a resident's lines and slips
        Index("ix_ledger_entry_enterprise_period", "enterprise_id", "period_id"),  # settlement statements
    )
    id: int | None = Field(default=None, primary_key=True)
    entry_key: str = Field(unique=True)
    kind: str
    resident_id: str
    order_id: str | None = Field(default=None, index=True)
    enterprise_id: str | None = None
    community_id: str
    lot_id: str | None = None
    # Not indexed (issue 19): readers find an inspection's entries by their keys in the unique index (its own keys
    # carry its id, domain.pay.model.entry_key_for; usecases.earn); each index costs a B-tree insert per line.
    inspection_id: str | None = None
    pieces: int
    rate_centifen: int = 0  # the exact rate the pieces were priced at, 0.0001 yuan (schemas.rates); 0 without pieces
    amount_fen: int = Field(sa_type=FEN_SUM)
    period_id: str
    reverses_entry_key: str | None = None
    memo: str = ""
    posted_at: datetime = Field(sa_column=utc_column())


class PayPeriod(SQLModel, table=True):
    """A community's pay period; closed ones are frozen."""

    __tablename__ = "pay_period"
    __table_args__ = (UniqueConstraint("community_id", "period_id"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: str = Field(index=True)
    period_id: str
    status: str = "closed"  # domain.lifecycle.pay_period.PayPeriodStatus
    total_fen: int = Field(default=0, sa_type=FEN_SUM)
    closed_at: datetime = Field(sa_column=utc_column())
    closed_by: str


class Payout(SQLModel, table=True):
    """Money paid to a resident for a period; the reference makes it idempotent."""

    id: str = Field(primary_key=True)
    reference: str = Field(unique=True)
    resident_id: str = Field(index=True)
    period_id: str
    amount_fen: int = Field(sa_type=FEN_SUM)
    method: str
    actor: str
    at: datetime = Field(sa_column=utc_column())


class LedgerDay(SQLModel, table=True):
    """The ledger's daily read model (issue 19): one resident's lines in one community on one Asia/Shanghai day,
    summed (domain.pay.ledger_days). Written only by store.ledger.append_entries, in the transaction that appends
    the lines; `microfactory audit` checks it equals a recomputation from the ledger (ledger_day_differs).
    """

    __tablename__ = "ledger_day"
    # The key's order is the overview's read: these communities, from this day on.
    community_id: str = Field(primary_key=True)
    day: date = Field(primary_key=True)
    resident_id: str = Field(primary_key=True)
    lines: int = 0
    income_lines: int = 0
    passed_lines: int = 0
    income_fen: int = Field(default=0, sa_type=FEN_SUM)  # every line but a carried debt's halves, fen
    transfer_fen: int = Field(default=0, sa_type=FEN_SUM)  # carry_forward + carried_in, fen
    passed_pieces: int = 0  # pieces of piece pay and its reversals


class LotPaid(SQLModel, table=True):
    """The ledger's per-lot read model (issue 19): the passed pieces the ledger pays one resident on one lot at one
    rate, net of reversals (domain.pay.lot_paid) — what pricing the lot's next inspection needs, read without
    summing the lot's history. Written only by store.ledger.append_entries, in the transaction that appends the
    lines; `microfactory audit` checks it equals a recomputation from the ledger (lot_paid_differs).
    """

    __tablename__ = "lot_paid"
    # The key's order is the earnings consumer's read: these lots.
    lot_id: str = Field(primary_key=True)
    resident_id: str = Field(primary_key=True)
    rate_centifen: int = Field(primary_key=True)  # the exact rate, 0.0001 yuan (schemas.rates)
    pieces: int = 0  # passed pieces of piece pay and its reversals (negative pieces)


class LedgerPeriod(SQLModel, table=True):
    """The ledger's per-period read model (issue 19): one resident's lines in one community's pay period, summed
    (domain.pay.ledger_periods). Written only by store.ledger.append_entries, in the transaction that appends the
    lines; `microfactory audit` checks it equals a recomputation from the ledger (ledger_period_differs).
    """

    __tablename__ = "ledger_period"
    # The key's order is the readers': a community's period, per resident (or these communities, every period).
    community_id: str = Field(primary_key=True)
    period_id: str = Field(primary_key=True)
    resident_id: str = Field(primary_key=True)
    lines: int = 0
    amount_fen: int = Field(default=0, sa_type=FEN_SUM)  # every line's amount, fen
