"""What a fault run must prove: every input that got a 2xx is in the database and applied, nothing twice, money exact.

Shared by `make chaos` (bench/chaos.py) and the end-to-end fault tests, so both judge a run the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, not_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from store.db import reading
from store.tables import (
    AppliedEvent,
    Inspection,
    LedgerEntry,
    Lot,
    MaterialIssue,
    Offer,
    Order,
    OutboxEvent,
    Submission,
)
from usecases.reconcile import reconcile


@dataclass
class Inputs:
    """Every input the API answered with a 2xx: what the system promised to keep."""

    orders: dict[str, int] = field(default_factory=dict)  # order id -> quantity
    answers: dict[str, str] = field(default_factory=dict)  # offer id -> accepted | declined
    issues: list[str] = field(default_factory=list)
    submissions: list[str] = field(default_factory=list)
    inspections: list[str] = field(default_factory=list)

    def count(self) -> int:
        return len(self.orders) + len(self.answers) + len(self.issues) + len(self.submissions) + len(self.inspections)

    def record(self, method: str, path: str, body: dict[str, Any] | None, reply: dict[str, Any]) -> None:
        """Note an accepted (2xx) write by what it created."""
        if method != "POST":
            return
        if path.endswith("/orders") and "order_id" in reply:
            self.orders[reply["order_id"]] = int((body or {})["quantity"])
        elif path.endswith("/answer") and "offer_id" in reply:
            self.answers[reply["offer_id"]] = reply["status"]
        elif "issue_id" in reply:
            self.issues.append(reply["issue_id"])
        elif "submission_id" in reply:
            self.submissions.append(reply["submission_id"])
        elif "inspection_id" in reply:
            self.inspections.append(reply["inspection_id"])


def settled(engine: Engine) -> bool:
    """Every recorded event has been applied by every consumer that acts on its type."""
    with reading(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxEvent).where(
            not_(col(OutboxEvent.settled)))).one() == 0  # NOT settled: ix_outbox_unsettled


def lost_inputs(session: Session, inputs: Inputs) -> list[str]:
    """Accepted inputs missing from the database, or never applied downstream (no lots, no pay)."""
    lost: list[str] = []
    for order_id, quantity in inputs.orders.items():
        if session.get(Order, order_id) is None:
            lost.append(f"order {order_id} not in the database")
            continue
        pieces = session.exec(select(func.coalesce(func.sum(Lot.pieces), 0)).where(Lot.order_id == order_id)).one()
        if pieces < quantity:
            lost.append(f"order {order_id} split into {pieces} of {quantity} pieces")
    for offer_id, status in inputs.answers.items():
        offer = session.get(Offer, offer_id)
        if offer is None or offer.status != status:
            lost.append(f"answer to offer {offer_id} ({status}) not kept: {offer.status if offer else 'missing'}")
    lost += [f"materials issue {i} missing" for i in inputs.issues if session.get(MaterialIssue, i) is None]
    lost += [f"submission {s} missing" for s in inputs.submissions if session.get(Submission, s) is None]
    for inspection_id in inputs.inspections:
        if session.get(Inspection, inspection_id) is None:
            lost.append(f"inspection {inspection_id} missing")
        elif not _piece_pay_count(session, inspection_id):
            lost.append(f"inspection {inspection_id} never paid")
    return lost


def duplicated_effects(session: Session) -> list[str]:
    """Inspections paid more than once, orders split more than once, events applied twice by one consumer."""
    found = [f"inspection {i} paid {n} times" for i, n in session.exec(
        select(LedgerEntry.inspection_id, func.count()).where(LedgerEntry.kind == "piece_pay")
        .group_by(LedgerEntry.inspection_id).having(func.count() > 1)).all()]
    for order in session.exec(select(Order)):
        pieces = session.exec(select(func.coalesce(func.sum(Lot.pieces), 0)).where(Lot.order_id == order.id)).one()
        if pieces > order.quantity:
            found.append(f"order {order.id} split into {pieces} pieces for {order.quantity}")
    applied = session.exec(select(func.count()).select_from(AppliedEvent)).one()
    distinct = session.exec(select(func.count()).select_from(
        select(AppliedEvent.consumer, AppliedEvent.event_id).distinct().subquery())).one()
    if applied != distinct:
        found.append(f"{applied - distinct} events applied twice by the same consumer")
    over = session.exec(select(Lot.id).where(col(Lot.pieces_passed) > col(Lot.pieces_submitted))).all()
    found += [f"lot {lot_id} passed more pieces than were submitted" for lot_id in over]
    return found


def _piece_pay_count(session: Session, inspection_id: str) -> int:
    return int(session.exec(select(func.count()).select_from(LedgerEntry).where(
        LedgerEntry.inspection_id == inspection_id, LedgerEntry.kind == "piece_pay")).one())


def judge(engine: Engine, inputs: Inputs) -> dict[str, Any]:
    """The verdict of a run: ledger difference in fen, lost inputs and duplicated effects, with details."""
    differences = reconcile(engine)
    with reading(engine) as session:
        lost, twice = lost_inputs(session, inputs), duplicated_effects(session)
    return {"ledger_diff_fen": sum(abs(int(d["delta_fen"])) for d in differences), "lost_inputs": len(lost),
            "duplicated_effects": len(twice), "details": {"reconcile": differences, "lost": lost, "twice": twice}}


def assert_nothing_lost_nothing_twice(engine: Engine, inputs: Inputs) -> None:
    """For tests: the verdict is all zeros, and the message says what went wrong if not."""
    verdict = judge(engine, inputs)
    assert (verdict["ledger_diff_fen"], verdict["lost_inputs"], verdict["duplicated_effects"]) == (0, 0, 0), \
        verdict["details"]
