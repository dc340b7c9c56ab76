"""Order intake checks: every reason an enterprise's order (订单) cannot be accepted, by field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from domain.orders.uscc import check_uscc
from domain.pay.money import order_value_problem

# Skill levels run 1 (trained) … 5 (can train others); one scale for orders and residents.
MIN_SKILL_LEVEL = 1
MAX_SKILL_LEVEL = 5

SiteId = str
CommunityId = str


@dataclass(frozen=True)
class ProductSpec:
    """A product or operation (产品/工序) an enterprise has set up, with its standard time."""

    product_code: str
    name: str
    skill: str
    standard_minutes_per_piece: float
    defect_codes: tuple[str, ...]
    lot_size: int
    min_lot_size: int


@dataclass(frozen=True)
class OrderDraft:
    """A piecework order (计件订单) as posted, before it is accepted and split into lots."""

    enterprise_id: str
    uscc: str
    product_code: str
    quantity: int
    piece_rate_centifen: int  # exact, 0.0001 yuan a piece (schemas.rates)
    due_at: datetime
    eligible_community_ids: tuple[CommunityId, ...]
    eligible_site_ids: tuple[SiteId, ...]  # empty: any site in the eligible communities
    take_home_allowed: bool
    min_level: int
    training_required: bool
    pickup_site_id: SiteId | None
    quality_bonus_fen_per_piece: int = 0
    rate_per: int = 1  # pieces the enterprise quoted its price for (1, 100, 1000): schemas.rates


@dataclass(frozen=True)
class FieldError:
    """One specific problem with one field, ready for a 4xx body or a dead-letter record."""

    field: str
    reason: str


def validate_order(
    draft: OrderDraft,
    *,
    now: datetime,
    known_products: Mapping[str, ProductSpec],
    sites: Mapping[SiteId, CommunityId],
    capacity_pieces_per_day: int | None,
) -> list[FieldError]:
    """All problems with `draft`; an empty list means the order can be accepted."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    errors = [*_check_identity(draft), *_check_money(draft), *_check_places(draft, sites)]
    product = known_products.get(draft.product_code)
    if product is None:
        errors.append(FieldError("product_code", f"unknown product {draft.product_code!r}"))
    errors += _check_due(draft, now=now, product=product, capacity=capacity_pieces_per_day)
    return errors


def _check_identity(draft: OrderDraft) -> list[FieldError]:
    errors = []
    if not draft.enterprise_id.strip():
        errors.append(FieldError("enterprise_id", "must not be empty"))
    uscc_problem = check_uscc(draft.uscc)
    if uscc_problem:
        errors.append(FieldError("uscc", uscc_problem))
    if not MIN_SKILL_LEVEL <= draft.min_level <= MAX_SKILL_LEVEL:
        errors.append(
            FieldError(
                "min_level",
                f"must be between {MIN_SKILL_LEVEL} and {MAX_SKILL_LEVEL}, got {draft.min_level}",
            )
        )
    return errors


def _check_money(draft: OrderDraft) -> list[FieldError]:
    errors = []
    if draft.quantity <= 0:
        errors.append(FieldError("quantity", f"must be a positive number of pieces, got {draft.quantity}"))
    if draft.piece_rate_centifen <= 0:
        errors.append(FieldError("piece_rate_yuan", f"计件单价必须大于 0 / must be positive, got "
                                                    f"{draft.piece_rate_centifen}"))
    if draft.quality_bonus_fen_per_piece < 0:
        errors.append(
            FieldError(
                "quality_bonus_fen_per_piece",
                f"must not be negative, got {draft.quality_bonus_fen_per_piece}",
            )
        )
    if not errors:  # an order worth more than the ledger can hold would lose its lots' pay (domain.pay.money)
        too_much = order_value_problem(draft.quantity, draft.piece_rate_centifen, draft.quality_bonus_fen_per_piece)
        errors += [FieldError("quantity", too_much)] if too_much else []
    return errors


def _check_places(draft: OrderDraft, sites: Mapping[SiteId, CommunityId]) -> list[FieldError]:
    eligible = set(draft.eligible_community_ids)
    if not eligible:  # every site would fail too; report the root cause once
        return [FieldError("eligible_community_ids", "name at least one community")]
    errors = []
    for site_id in draft.eligible_site_ids:
        problem = _site_problem(site_id, sites, eligible)
        if problem:
            errors.append(FieldError("eligible_site_ids", problem))
    if draft.pickup_site_id is None:
        if draft.take_home_allowed:
            errors.append(
                FieldError("pickup_site_id", "take-home work needs a site where materials are picked up")
            )
    else:
        problem = _site_problem(draft.pickup_site_id, sites, eligible)
        if problem:
            errors.append(FieldError("pickup_site_id", problem))
    return errors


def _site_problem(site_id: SiteId, sites: Mapping[SiteId, CommunityId], eligible: set[str]) -> str | None:
    community = sites.get(site_id)
    if community is None:
        return f"unknown site {site_id!r}"
    if community not in eligible:
        return f"site {site_id!r} belongs to community {community!r}, which is not eligible"
    return None


def _check_due(
    draft: OrderDraft, *, now: datetime, product: ProductSpec | None, capacity: int | None
) -> list[FieldError]:
    if draft.due_at.tzinfo is None:
        return [FieldError("due_at", "must include a time zone, e.g. +08:00")]
    if draft.due_at <= now:
        return [FieldError("due_at", f"must be in the future, got {draft.due_at.isoformat()}")]
    if product is None or draft.quantity <= 0:
        return []
    minutes_left = Fraction(int((draft.due_at - now).total_seconds()), 60)
    # One resident makes a whole lot, so the smallest lot cannot be spread over people.
    first_lot = min(product.min_lot_size, draft.quantity)
    lot_minutes = first_lot * Fraction(str(product.standard_minutes_per_piece))
    if lot_minutes > minutes_left:
        return [
            FieldError(
                "due_at",
                f"even a smallest lot of {first_lot} pieces takes {_hours(lot_minutes)} h "
                f"at standard speed, but the order is due in {_hours(minutes_left)} h",
            )
        ]
    if capacity is not None and capacity <= 0:
        return [FieldError("due_at", "no capacity: no eligible resident can make this product")]
    if capacity is not None:
        days_needed = Fraction(draft.quantity, capacity)
        days_left = minutes_left / (24 * 60)
        if days_needed > days_left:
            return [
                FieldError(
                    "due_at",
                    f"{draft.quantity} pieces at about {capacity} pieces a day take "
                    f"{_days(days_needed)} days, but the order is due in {_days(days_left)} days",
                )
            ]
    return []


def _hours(minutes: Fraction) -> str:
    return f"{float(minutes / 60):.1f}"


def _days(days: Fraction) -> str:
    return f"{float(days):.1f}"
