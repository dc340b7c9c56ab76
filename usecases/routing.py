"""The worker's use cases: each takes (session, events, ctx) and returns the events it caused."""

from __future__ import annotations

from usecases import earn, match, notify, points, split
from usecases.consumer import Handler

HANDLERS: dict[str, Handler] = {
    "splitter": split.apply,
    "matcher": match.apply,
    "notifier": notify.apply,
    "earnings": earn.apply,
    "points": points.apply,
}
