"""Use case: a coordinator posts a one-off bonus or recovery (调整) for a resident, with the reason (issue 16).

The adjustment row and its one ledger entry are written in the same transaction as the event and the audit record,
so the money moves exactly once. It posts to the first open period (now's, or the next one if now's is closed);
a recovery is a debt the close recovers at most the community's capped share of (domain.pay.carry).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from domain.pay import PayInputError, posting_period
from domain.pay.adjustments import adjustment_draft, clean_reason
from schemas import commands as c
from schemas.envelope import Event
from schemas.events.pay import AdjustmentPosted
from store.ledger import append_entries
from store.outbox import audit
from store.tables import PayAdjustment, PayPeriod, Resident
from usecases.actors import Actor
from usecases.context import Context
from usecases.earn import ledger_row
from usecases.errors import Conflict, NotFound, Rejected
from usecases.lookups import posting_into_periods
from usecases.queries.period_work import community_policy


@dataclass(frozen=True)
class AdjustmentOutcome:
    """The adjustment answered, and whether this request posted it (False: its reference was posted before)."""

    adjustment: PayAdjustment
    created: bool


def post_adjustment(session: Session, cmd: c.PostAdjustment, *, actor: Actor,
                    ctx: Context) -> tuple[AdjustmentOutcome, list[Event]]:
    """Append a bonus (+amount) or recovery (−amount) entry for a resident of the coordinator's community.

    With `cmd.reference` (the client's idempotency key, as payouts have): a reference posted before with the same
    resident, kind, amount and reason answers that adjustment (created=False) and writes nothing, so a retried
    request never pays twice. Raises NotFound("resident_id") outside the coordinator's communities, Conflict naming
    the field that differs when the reference was posted with another body, Rejected naming the field (in Chinese
    first) for a missing reason or a bad amount; nothing is written then. The unique index on the reference turns
    a concurrent twin into an IntegrityError (the API retries it, and then answers the first).
    """
    actor.require("coordinator")
    resident = session.get(Resident, cmd.resident_id)
    if resident is None or not actor.may_see_community(resident.community_id):
        raise NotFound("resident_id", f"没有这位居民 / no such resident: {cmd.resident_id}")
    posting_into_periods(session, [resident.community_id])  # before the closed periods are read: a close waits
    policy = community_policy(session, resident.community_id)
    closed = set(session.exec(select(PayPeriod.period_id).where(PayPeriod.community_id == resident.community_id)))
    period_id = posting_period(ctx.now, closed, policy).period_id
    adjustment_id = ctx.new_id("adj")
    try:
        reason = clean_reason(cmd.reason)
        draft = adjustment_draft(adjustment_id=adjustment_id, kind=cmd.kind, amount_fen=cmd.amount_fen,
                                 reason=reason, resident_id=resident.id,
                                 community_id=resident.community_id, period_id=period_id)
    except PayInputError as exc:
        raise Rejected(exc.field, exc.reason) from None
    if cmd.reference is not None:
        existing = session.exec(select(PayAdjustment).where(PayAdjustment.reference == cmd.reference)).first()
        if existing is not None:
            _same_adjustment(existing, cmd, amount_fen=draft.amount_fen, reason=reason)
            return AdjustmentOutcome(existing, created=False), []
    row = PayAdjustment(id=adjustment_id, resident_id=resident.id, community_id=resident.community_id,
                        kind=cmd.kind, amount_fen=draft.amount_fen, reason=reason, period_id=period_id,
                        entry_key=draft.entry_key, actor=actor.username, at=ctx.now, reference=cmd.reference)
    session.add(row)
    session.flush()  # a twin request's row makes this fail here, before the ledger line is written
    append_entries(session, [ledger_row(draft, ctx.now)])  # as the earnings consumer does, read model included
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="pay.adjust", subject=adjustment_id,
          resident_id=resident.id, kind=cmd.kind, amount_fen=draft.amount_fen, period_id=period_id, reason=reason)
    return AdjustmentOutcome(row, created=True), [AdjustmentPosted(
        **ctx.envelope(resident.community_id), adjustment_id=adjustment_id, resident_id=resident.id, kind=cmd.kind,
        amount_fen=draft.amount_fen, period_id=period_id, reason=reason, actor=actor.username)]


# The adjustment form's labels, so the Chinese half of a reason names no internal field (new-user trial).
ADJUSTMENT_FIELDS_ZH = {"resident_id": "居民", "kind": "类型", "amount_fen": "金额", "reason": "原因"}


def _same_adjustment(existing: PayAdjustment, cmd: c.PostAdjustment, *, amount_fen: int, reason: str) -> None:
    """A repeated reference must describe the same adjustment; otherwise Conflict naming the field that differs.

    The reason never quotes the first adjustment's values: the reference may have been used in another community.
    """
    asked = {"resident_id": cmd.resident_id, "kind": cmd.kind, "amount_fen": amount_fen, "reason": reason}
    for name, value in asked.items():
        if getattr(existing, name) != value:
            differs = ADJUSTMENT_FIELDS_ZH[name]
            raise Conflict(name, f"这个请求编号「{cmd.reference}」已用于另一笔调整（{differs}不同），"
                                 f"请换一个编号 / reference {cmd.reference!r} was already used for another "
                                 f"adjustment ({name} differs): use a new one")
