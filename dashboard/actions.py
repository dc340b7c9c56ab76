"""Use cases the dashboard composes from the handlers, so each runs in one transaction (all or nothing)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from pydantic import ValidationError
from sqlmodel import Session

from domain.orders.csv_import import OrderRow, ResidentRow, SiteRow
from schemas import commands as c
from schemas.envelope import Event
from schemas.rates import QuotedRate, rate_fields
from store.tables import Enterprise
from usecases import offers, orders, pay, registry
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Rejected

SITE_KINDS = {"workshop": "micro_factory", "home": "home_workshop"}


def reassign_lot(session: Session, lot_id: str, resident_id: str, reason: str, *, actor: Actor,
                 ctx: Context, override_rules: Sequence[c.HardRule] = ()) -> list[Event]:
    """Withdraw a lot from whoever holds or was offered it and dispatch it to another resident, atomically.

    Hard rules the new resident breaks must be in `override_rules`; `reason` is then the override's reason too.
    """
    events = offers.withdraw_lot(session, lot_id, c.WithdrawOffer(reason=reason), actor=actor, ctx=ctx)
    cmd = c.DispatchLot(resident_id=resident_id, note=reason, override_rules=list(override_rules),
                        override_reason=reason if override_rules else None)
    return events + offers.dispatch_lot(session, lot_id, cmd, actor=actor, ctx=ctx)


@contextmanager
def row_no(n: int) -> Iterator[None]:
    """Name the row in any refusal, so the coordinator knows which line of the file to fix."""
    try:
        yield
    except ValidationError as problem:
        first = problem.errors()[0]
        raise Rejected(f"row {n}: {'.'.join(str(p) for p in first['loc'])}", first["msg"]) from None
    except Rejected as problem:
        raise type(problem)(f"row {n}: {problem.field}", problem.reason) from None


def import_residents(session: Session, rows: Sequence[ResidentRow], *, actor: Actor, ctx: Context) -> list[Event]:
    """Register every row or none: the first refusal names the row and rolls the whole file back."""
    events: list[Event] = []
    for n, row in enumerate(rows, start=1):
        with row_no(n):
            cmd = c.RegisterResident(
                resident_id=ctx.new_id("res"), community_id=row.community_id, name=row.name, phone=row.phone,
                id_number=row.id_number, work_mode=row.work_mode, skills=row.skills,  # type: ignore[arg-type]
                availability=[tuple(s) for s in row.availability], reachable_site_ids=list(row.reachable_site_ids),
                priority_group=row.priority_group)
            events += registry.register_resident(session, cmd, actor=actor, ctx=ctx)
    return events


def import_sites(session: Session, rows: Sequence[SiteRow], *, actor: Actor, ctx: Context) -> list[Event]:
    """Register every site or none."""
    events: list[Event] = []
    for n, row in enumerate(rows, start=1):
        with row_no(n):
            cmd = c.RegisterSite(site_id=row.site_id, community_id=row.community_id, name=row.name,
                                 kind=SITE_KINDS[row.kind], seats=row.seats,  # type: ignore[arg-type]
                                 equipment=list(row.equipment), opening_hours=[tuple(s) for s in row.opening_hours])
            events += registry.register_site(session, cmd, actor=actor, ctx=ctx)
            session.flush()  # a later row may name this site
    return events


def import_orders(session: Session, rows: Sequence[OrderRow], *, actor: Actor, ctx: Context) -> list[Event]:
    """Post every order or none; the file's credit code must be the enterprise's own."""
    events: list[Event] = []
    for n, row in enumerate(rows, start=1):
        d = row.draft
        with row_no(n):
            enterprise = session.get(Enterprise, d.enterprise_id)
            if enterprise is not None and enterprise.uscc != d.uscc:
                raise Rejected("uscc", "does not match the enterprise's registered credit code")
            cmd = c.PostOrder(
                order_id=row.order_ref, enterprise_id=d.enterprise_id, product_code=d.product_code,
                quantity=d.quantity, due_at=d.due_at,
                **rate_fields(QuotedRate(d.piece_rate_centifen, d.rate_per)),
                eligible_community_ids=list(d.eligible_community_ids), eligible_site_ids=list(d.eligible_site_ids),
                take_home_allowed=d.take_home_allowed, min_level=d.min_level,
                training_required="required" if d.training_required else None, pickup_site_id=d.pickup_site_id,
                quality_bonus_fen_per_piece=d.quality_bonus_fen_per_piece)
            _, posted = orders.post_order(session, cmd, actor=actor, ctx=ctx)
            events += posted
            session.flush()
    return events


def record_payouts(session: Session, cmds: Sequence[c.RecordPayout], *, actor: Actor, ctx: Context) -> list[Event]:
    """A batch of payouts (批量发放) in one transaction: every one is recorded, or none (the first refusal says why)."""
    events: list[Event] = []
    for cmd in cmds:
        _, recorded = pay.record_payout(session, cmd, actor=actor, ctx=ctx)
        events += recorded
    return events
