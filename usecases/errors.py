"""Errors a use case raises; the API turns each into a 4xx naming the field and the reason."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from domain.lifecycle import TransitionRefused


class Rejected(Exception):
    """The input is wrong: `field` says where, `reason` says why. Nothing was changed."""

    status = 422

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class RuleBroken(Rejected):
    """A hard rule of matching would be broken and was not overridden: `rules` names each (e.g. "skill")."""

    def __init__(self, field: str, reason: str, rules: list[str]) -> None:
        super().__init__(field, reason)
        self.rules = rules


class NotFound(Rejected):
    status = 404


class Forbidden(Rejected):
    status = 403


class Conflict(Rejected):
    """The request was valid but the state has moved on (offer already answered, lot taken)."""

    status = 409


class Unauthorized(Rejected):
    status = 401


@contextmanager
def refused_as(field: str, error: type[Rejected] = Conflict) -> Iterator[None]:
    """A lifecycle move the domain refuses (TransitionRefused) becomes `error` (409 by default) naming `field`."""
    try:
        yield
    except TransitionRefused as exc:
        raise error(field, str(exc)) from None


class Throttled(Unauthorized):
    """Too many failed attempts from here: wait `retry_after_s` seconds (HTTP 429 with Retry-After)."""

    status = 429

    def __init__(self, field: str, reason: str, *, retry_after_s: int) -> None:
        super().__init__(field, reason)
        self.retry_after_s = retry_after_s
