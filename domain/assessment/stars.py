"""The quarterly star rating (星级评定) of helpers and stations from points and residents' ratings.

The product's default, stated here because no national rule fixes it: stars from points are 1 + one more for
every `points_per_star` points in the quarter (at most 5); stars from ratings are the mean stars received, rounded
down; the rating is the smaller of the two, so neither many points with poor ratings nor good ratings for little
service earns five stars. Fewer than `min_ratings` ratings gives no star rating (评价不足).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_STARS = 5


@dataclass(frozen=True)
class StarRating:
    """Who (a helper's username or a station's id), the quarter's points and ratings, and the stars (None: 评价不足)."""

    subject: str
    points: int
    ratings: int
    mean_stars_tenths: int | None
    stars: int | None


def star_rating(subject: str, *, points: int, stars_received: Sequence[int], points_per_star: int = 10,
                min_ratings: int = 3) -> StarRating:
    """The star rating of one helper or station for a quarter; ValueError if points_per_star is not positive."""
    if points_per_star <= 0:
        raise ValueError("points_per_star must be positive")
    n = len(stars_received)
    mean_tenths = (sum(stars_received) * 10) // n if n else None
    if n < min_ratings or mean_tenths is None:
        return StarRating(subject, points, n, mean_tenths, None)
    by_points = min(MAX_STARS, 1 + max(points, 0) // points_per_star)
    by_ratings = max(1, mean_tenths // 10)
    return StarRating(subject, points, n, mean_tenths, min(by_points, by_ratings))
