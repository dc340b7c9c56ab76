"""Assessment of coordinators (社区工作者考核) and the quarterly star rating (星级评定): pure computations."""

from domain.assessment.grades import (
    GRADES,
    NOT_ENOUGH_RATERS,
    Assessment,
    Indicators,
    Policy,
    Satisfaction,
    assess,
    grade_of,
    parse_period,
    satisfaction,
)
from domain.assessment.stars import StarRating, star_rating

__all__ = ["GRADES", "NOT_ENOUGH_RATERS", "Assessment", "Indicators", "Policy", "Satisfaction", "StarRating",
           "assess", "grade_of", "parse_period", "satisfaction", "star_rating"]
