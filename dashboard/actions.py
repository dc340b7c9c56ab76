"""Use cases the dashboard composes from the handlers, so each runs in one transaction (all or nothing).

Spreadsheet imports are not here: the pages call usecases.imports, the same use case as the API's upload.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from schemas import commands as c
from schemas.envelope import Event
from usecases import offers, pay
from usecases.actors import Actor
from usecases.context import Context


def reassign_lot(session: Session, lot_id: str, resident_id: str, reason: str, *, actor: Actor,
                 ctx: Context, override_rules: Sequence[c.HardRule] = ()) -> list[Event]:
    """Withdraw a lot from whoever holds or was offered it and dispatch it to another resident, atomically.

    Hard rules the new resident breaks must be in `override_rules`; `reason` is then the override's reason too.
    """
    events = offers.withdraw_lot(session, lot_id, c.WithdrawOffer(reason=reason), actor=actor, ctx=ctx)
    cmd = c.DispatchLot(resident_id=resident_id, note=reason, override_rules=list(override_rules),
                        override_reason=reason if override_rules else None)
    return events + offers.dispatch_lot(session, lot_id, cmd, actor=actor, ctx=ctx)


def record_payouts(session: Session, cmds: Sequence[c.RecordPayout], *, actor: Actor, ctx: Context) -> list[Event]:
    """A batch of payouts (批量发放) in one transaction: every one is recorded, or none (the first refusal says why)."""
    events: list[Event] = []
    for cmd in cmds:
        _, recorded = pay.record_payout(session, cmd, actor=actor, ctx=ctx)
        events += recorded
    return events
