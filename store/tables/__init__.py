"""Every table, importable from one place (Alembic reads SQLModel.metadata from here)."""

from store.tables.adjustments import CorrectionRequest, PayAdjustment
from store.tables.appeals import Appeal
from store.tables.infra import (
    AppliedEvent,
    AuditRecord,
    BrokerTopic,
    CommandReceipt,
    DeadLetter,
    InvariantCheck,
    Notification,
    OutboxEvent,
    WorkerBeat,
)
from store.tables.ledger import LedgerDay, LedgerEntry, LedgerPeriod, LotPaid, Payout, PayPeriod
from store.tables.org import (
    Community,
    Enterprise,
    Product,
    Resident,
    RevokedToken,
    SignInCode,
    SignInThrottle,
    Site,
    User,
)
from store.tables.points import PointEntry, PointMonth, PointRuleVersion, Redemption, ShopItem
from store.tables.service import AssessmentPolicy, AssessmentScore, HelperPointEntry, ServiceRating, VolunteerTask
from store.tables.wages import MinimumWageFigure
from store.tables.work import Inspection, Lot, MaterialIssue, Offer, Order, RateVersion, Submission

__all__ = [
    "Appeal", "AppliedEvent", "AssessmentPolicy", "AssessmentScore", "HelperPointEntry", "ServiceRating",
    "VolunteerTask", "AuditRecord", "BrokerTopic", "CommandReceipt", "Community", "DeadLetter", "Enterprise",
    "Inspection", "InvariantCheck",
    "LedgerDay", "LedgerEntry", "LedgerPeriod", "LotPaid", "CorrectionRequest", "PayAdjustment", "MinimumWageFigure",
    "Lot", "MaterialIssue", "Notification", "Offer", "Order", "OutboxEvent", "PayPeriod", "Payout",
    "PointEntry", "PointMonth", "PointRuleVersion", "Product", "RateVersion", "Redemption", "Resident", "ShopItem",
    "RevokedToken", "SignInThrottle", "SignInCode", "Site", "Submission", "User", "WorkerBeat",
]
