"""Use cases for offers: answer (accept/decline), dispatch by hand, withdraw, expire."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from domain.lifecycle import lot as lot_life
from domain.lifecycle import offer as offer_life
from domain.lifecycle import order as order_life
from domain.matching.rules import ACTIVE, Broken
from domain.pay.money import format_rate
from domain.text import visible_text
from schemas import commands as c
from schemas.envelope import Event
from schemas.events.offers import OfferAccepted, OfferDeclined, OfferExpired, OfferMade, OfferWithdrawn
from store.outbox import audit
from store.tables import Lot, Offer, Order, Resident
from usecases import hard_rules
from usecases.actors import SYSTEM, Actor
from usecases.context import Context
from usecases.errors import Conflict, NotFound, Rejected, RuleBroken, refused_as
from usecases.lookups import locked_lot, locked_resident
from usecases.progress import move_order
from usecases.queries.ratings import COORDINATOR_ZH, helper_names


def answer_offer(session: Session, offer_id: str, cmd: c.AnswerOffer, *, actor: Actor, ctx: Context) -> list[Event]:
    """A resident, or a coordinator on their behalf (代办), accepts or declines an offer."""
    offer = _offer(session, offer_id)
    actor.require_resident(offer.resident_id, offer.community_id)
    with refused_as("offer_id"):
        answered = offer_life.answer(offer.status, cmd.decision, expires_at=offer.expires_at, now=ctx.now)
    lot = locked_lot(session, offer.lot_id)
    on_behalf = actor.on_behalf(offer.resident_id)
    offer.decided_at, offer.decided_by, offer.on_behalf = ctx.now, actor.username, on_behalf
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action=f"offer.{cmd.decision}",
          subject=offer_id, on_behalf_of=offer.resident_id if on_behalf else None, reason=cmd.reason)
    env = ctx.envelope(offer.community_id)
    if cmd.decision == "decline":
        offer.status = answered
        _reopen(lot, offer.resident_id)
        session.add_all([offer, lot])
        return [OfferDeclined(**env, offer_id=offer_id, lot_id=lot.id, resident_id=offer.resident_id,
                              actor=actor.username, on_behalf=on_behalf, reason=cmd.reason)]
    order = session.get(Order, lot.order_id)
    assert order is not None
    with refused_as("offer_id"):
        order_status, lot_status = order_life.accept_lot(order.status), lot_life.accept(lot.status)
    _require_still_fits(session, offer, lot, now=ctx.now)
    offer.status = answered
    # The rate in force when the lot is accepted stays with it (rule disclosure).
    lot.status, lot.accepted_at, lot.piece_rate_centifen = lot_status, ctx.now, order.piece_rate_centifen
    lot.resident_id = offer.resident_id
    session.add_all([offer, lot])
    return [*move_order(session, order, order_status, ctx), OfferAccepted(
        **env, offer_id=offer_id, lot_id=lot.id, resident_id=offer.resident_id,
        piece_rate_centifen=order.piece_rate_centifen, actor=actor.username, on_behalf=on_behalf)]

# What the resident whose offer a dispatch withdraws reads (her inbox): never who the lot went to, not hers to know.
DISPATCHED_BY_HAND = "社区工作者已另行派单 (the coordinator dispatched this lot by hand)"


def dispatch_lot(session: Session, lot_id: str, cmd: c.DispatchLot, *, actor: Actor, ctx: Context) -> list[Event]:
    """A coordinator offers a lot to a chosen resident by hand; a pending offer to someone else is withdrawn."""
    actor.require("coordinator")
    lot = locked_lot(session, lot_id)
    actor.require_community(lot.community_id)
    resident = session.get(Resident, cmd.resident_id, with_for_update=True)  # lots first, then residents
    if resident is None or resident.community_id != lot.community_id:
        raise Rejected("resident_id", f"社区 {lot.community_id} 没有这位居民：{cmd.resident_id} / "
                                      f"no such resident in community {lot.community_id}: {cmd.resident_id}")
    with refused_as("lot_id"):
        lot_life.check_dispatch(lot.status)
    events = _withdraw_live(session, lot, actor=actor, ctx=ctx, reason=DISPATCHED_BY_HAND)
    verdict = _require_rules_or_overrides(session, lot, resident, cmd, now=ctx.now)  # judged with the lot freed
    lot.mode, lot.site_id = verdict.mode, verdict.site_id
    order = session.get(Order, lot.order_id)
    assert order is not None
    lot.pinned_resident_id = resident.id
    lot.excluded_resident_ids = [r for r in lot.excluded_resident_ids if r != resident.id]
    rate = order.piece_rate_centifen
    who_zh, who_en = _coordinator_named(session, actor)
    text_zh = f"{who_zh}为你派发此批次：{lot.pieces}件，计件单价{format_rate(rate, order.rate_per)}。"
    text_en = f"{who_en} dispatched this lot to you: {lot.pieces} pieces at " \
              f"{format_rate(rate, order.rate_per, 'en')}."
    offer = make_offer(session, lot, resident.id, rate, ctx=ctx, explanation=(text_zh, text_en),
                       reasons=[{"code": "dispatched_by_coordinator", "by": actor.username}],
                       dispatched_by=actor.username, work_minutes=verdict.work_minutes,
                       override_rules=list(dict.fromkeys(cmd.override_rules)), override_reason=cmd.override_reason)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="lot.dispatch", subject=lot_id,
          resident_id=resident.id, note=cmd.note, override_rules=list(dict.fromkeys(cmd.override_rules)),
          override_reason=cmd.override_reason, broken_rules=verdict.rules)
    return [*events, offer]


def _coordinator_named(session: Session, actor: Actor) -> tuple[str, str]:
    """Who dispatched, as the resident knows her (users.display_name: '社区工作者李梅', Chinese and English), never
    by her sign-in name; without a display name, the role alone. A name that already says the role
    ('第1社区工作者') is not prefixed with it again."""
    name = helper_names(session, [actor.username])[actor.username]  # the role word where she has no display name
    if name == COORDINATOR_ZH:
        return COORDINATOR_ZH, "Your community coordinator"
    return (name if COORDINATOR_ZH in name else f"{COORDINATOR_ZH}{name}"), f"Coordinator {name}"


def withdraw_lot(session: Session, lot_id: str, cmd: c.WithdrawOffer, *, actor: Actor, ctx: Context) -> list[Event]:
    """A coordinator takes a lot back from whoever holds or was offered it; it returns to matching."""
    actor.require("coordinator")
    lot = locked_lot(session, lot_id)
    actor.require_community(lot.community_id)
    if lot.pieces_issued:
        raise Conflict("lot_id", "这个批次已经发过料，请先登记退料 / "
                                 "materials were already issued for this lot; record their return first")
    events = _withdraw_live(session, lot, actor=actor, ctx=ctx, reason=cmd.reason)
    if not events:
        raise Conflict("lot_id", "这个批次没有待接或已接的派单可撤回 / "
                                 "lot has no pending or accepted offer to withdraw")
    lot.pinned_resident_id = None
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="lot.withdraw", subject=lot_id,
          reason=cmd.reason)
    return events


def expire_offers(session: Session, *, ctx: Context, limit: int = 500) -> list[Event]:
    """Pending offers past their expiry lapse; their lots go back to matching without that resident."""
    stale = session.exec(select(Offer).where(Offer.status == offer_life.OfferStatus.PENDING,
                                             Offer.expires_at <= ctx.now)
                         .limit(limit)).all()
    events: list[Event] = []
    for offer in stale:
        lot = locked_lot(session, offer.lot_id)
        offer.status = offer_life.expire(offer.status, expires_at=offer.expires_at, now=ctx.now)
        offer.decided_at, offer.decided_by = ctx.now, "system"
        _reopen(lot, offer.resident_id)
        session.add_all([offer, lot])
        events.append(OfferExpired(**ctx.envelope(offer.community_id), offer_id=offer.id, lot_id=lot.id,
                                   resident_id=offer.resident_id))
    return events


def make_offer(session: Session, lot: Lot, resident_id: str, rate_centifen: int, *, ctx: Context,
               explanation: tuple[str, str], reasons: list[dict[str, object]],
               dispatched_by: str | None = None, work_minutes: float | None = None,
               override_rules: list[str] | None = None, override_reason: str | None = None) -> OfferMade:
    """Record a pending offer and mark the lot offered; the one place offers are created.

    `rate_centifen` is the order's exact rate (0.0001 yuan a piece). `work_minutes` is what the lot was judged
    to take this resident (kept for the live audit); `override_rules`
    are hard rules a coordinator overrode by hand, with `override_reason`.
    """
    with refused_as("lot_id"):
        lot_status = lot_life.offer(lot.status)
    offer = Offer(id=ctx.new_id("ofr"), lot_id=lot.id, resident_id=resident_id, community_id=lot.community_id,
                  pieces=lot.pieces, piece_rate_centifen=rate_centifen, explanation_zh=explanation[0],
                  explanation_en=explanation[1], reasons=reasons, dispatched_by=dispatched_by, offered_at=ctx.now,
                  work_minutes=work_minutes, override_rules=override_rules or [], override_reason=override_reason,
                  expires_at=ctx.now + timedelta(minutes=ctx.settings.offer_ttl_minutes))
    lot.status, lot.escalation = lot_status, None
    session.add_all([offer, lot])
    return OfferMade(**ctx.envelope(lot.community_id), offer_id=offer.id, lot_id=lot.id, resident_id=resident_id,
                     pieces=lot.pieces, piece_rate_centifen=rate_centifen, expires_at=offer.expires_at,
                     explanation_zh=explanation[0], explanation_en=explanation[1], dispatched_by=dispatched_by)


def release_offers(session: Session, resident_id: str, lot_ids: list[str], *, ctx: Context,
                   reason: str) -> list[Event]:
    """Withdraw `resident_id`'s pending offers of `lot_ids` (the system acting); the lots go back to matching."""
    events: list[Event] = []
    for lot_id in lot_ids:
        lot = locked_lot(session, lot_id)
        events += _withdraw_live(session, lot, actor=SYSTEM, ctx=ctx, reason=reason)
    return events


def _withdraw_live(session: Session, lot: Lot, *, actor: Actor, ctx: Context, reason: str) -> list[Event]:
    events: list[Event] = []
    live = select(Offer).where(Offer.lot_id == lot.id, col(Offer.status).in_(offer_life.LIVE_OFFER))
    for offer in session.exec(live):
        offer.status = offer_life.withdraw(offer.status)
        offer.decided_at, offer.decided_by = ctx.now, actor.username
        session.add(offer)
        _reopen(lot, offer.resident_id)
        events.append(OfferWithdrawn(**ctx.envelope(lot.community_id), offer_id=offer.id, lot_id=lot.id,
                                     resident_id=offer.resident_id, actor=actor.username, reason=reason))
    session.add(lot)
    return events


def _reopen(lot: Lot, resident_id: str) -> None:
    """Send a lot back to matching, never again to the same resident unless a coordinator says so."""
    lot.status = lot_life.release(lot.status, pieces_issued=lot.pieces_issued)
    lot.resident_id, lot.accepted_at, lot.piece_rate_centifen = None, None, None
    if resident_id not in lot.excluded_resident_ids:
        lot.excluded_resident_ids = [*lot.excluded_resident_ids, resident_id]
    if lot.pinned_resident_id == resident_id:
        lot.pinned_resident_id = None


def _offer(session: Session, offer_id: str) -> Offer:
    offer = session.get(Offer, offer_id, with_for_update=True)
    if offer is None:
        raise NotFound("offer_id", f"no such offer: {offer_id}")
    return offer


def _require_rules_or_overrides(session: Session, lot: Lot, resident: Resident, cmd: c.DispatchLot, *,
                                now: datetime) -> hard_rules.Verdict:
    """A dispatch breaks no hard rule, or names each one it breaks in override_rules with a reason."""
    if cmd.override_rules and not visible_text(cmd.override_reason or ""):
        raise Rejected("override_reason", "越过规则派单必须写明理由 / a reason is required to override a rule")
    verdict = hard_rules.check(session, lot, resident, now=now)
    if ACTIVE in verdict.rules:  # no override excuses it (not one of the HardRule names a command may give)
        raise Rejected("resident_id", f"{hard_rules.describe(Broken(ACTIVE))}，不能派单 / "
                                      f"{hard_rules.describe(Broken(ACTIVE), 'en')}: cannot dispatch to them")
    needless = [r for r in dict.fromkeys(cmd.override_rules) if r not in verdict.rules]
    if needless:  # an override is recorded, and excuses its rule in the invariant check: only for what it breaks
        raise Rejected("override_rules", f"此派单并未违反规则「{hard_rules.rule_names(needless)}」，无需越过 / only "
                                         f"override the rules this dispatch breaks: "
                                         f"{', '.join(verdict.rules) or 'none'}")
    broken = tuple(b for b in verdict.broken if b.rule not in cmd.override_rules)
    if broken:
        raise RuleBroken("resident_id", hard_rules.reason(
            broken, then_zh="。如确需派给此居民，请勾选要越过的规则并写明越过的理由",
            then_en=". To dispatch anyway, name them in override_rules and give an override_reason"),
            rules=[b.rule for b in broken])
    return verdict


def _require_still_fits(session: Session, offer: Offer, lot: Lot, *, now: datetime) -> None:
    """Accepting re-checks what may have changed since the offer (skill, level, open lots, time) against the work
    already accepted; rules a coordinator overrode for this offer stay overridden."""
    resident = locked_resident(session, offer.resident_id, field="offer_id")
    checked = [r for r in hard_rules.ACCEPT_RULES if r not in offer.override_rules]
    broken = hard_rules.check(session, lot, resident, now=now, checked=checked, with_offers=False).broken
    if broken:
        raise Conflict("offer_id", f"无法接下此批次：{hard_rules.reason_in(broken)} / cannot accept: "
                                   f"{hard_rules.reason_in(broken, 'en')}")
