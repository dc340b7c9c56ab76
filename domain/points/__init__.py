"""Points (积分): a second, append-only ledger in integer points that is never money, and its shop (积分超市)."""

from domain.points.rules import (
    PointDraft,
    PointRule,
    WorkFact,
    cap_for_month,
    capped,
    capped_delta,
    month_bounds,
    month_of,
    reverse,
    rule_in_force,
    rule_throughout,
    score_work,
    work_points,
)
from domain.points.shop import ShopRefusal, check_redemption, mask_name

__all__ = ["PointDraft", "PointRule", "ShopRefusal", "WorkFact", "cap_for_month", "capped", "capped_delta",
           "check_redemption", "mask_name", "month_bounds", "month_of", "reverse", "rule_in_force", "rule_throughout",
           "score_work", "work_points"]
