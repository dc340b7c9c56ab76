"""The worker's use cases: each takes (session, events, ctx) and returns the events it caused."""

from __future__ import annotations

from usecases import earn, match, notify, service_points, split
from usecases.consumer import Handler

HANDLERS: dict[str, Handler] = {
    "splitter": split.apply,
    "matcher": match.apply,
    "notifier": notify.apply,
    "earnings": earn.apply,
    "points": service_points.apply,  # work points (usecases.points), then service points (issue 17)
}
