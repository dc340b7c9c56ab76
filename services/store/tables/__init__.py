"""Every table, importable from one place (Alembic reads SQLModel.metadata from here)."""

from services.store.tables.appeals import Appeal
from services.store.tables.infra import (
    AppliedEvent,
    AuditRecord,
    DeadLetter,
    Notification,
    OutboxEvent,
    WorkerBeat,
)
from services.store.tables.ledger import LedgerEntry, Payout, PayPeriod
from services.store.tables.org import Community, Enterprise, Product, Resident, Site, User
from services.store.tables.work import Inspection, Lot, MaterialIssue, Offer, Order, RateVersion, Submission

__all__ = [
    "Appeal", "AppliedEvent", "AuditRecord", "Community", "DeadLetter", "Enterprise", "Inspection", "LedgerEntry",
    "Lot", "MaterialIssue", "Notification", "Offer", "Order", "OutboxEvent", "PayPeriod", "Payout",
    "Product", "RateVersion", "Resident", "Site", "Submission", "User", "WorkerBeat",
]
