"""Piece-rate versions (计件单价): a rate change never reprices work already accepted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RateVersion:
    """One version of an order's piece rate, with why it changed and from when."""

    version: int
    piece_rate_centifen: int
    reason: str
    effective_at: datetime


def add_rate_version(
    versions: Sequence[RateVersion], *, piece_rate_centifen: int, reason: str, effective_at: datetime
) -> tuple[RateVersion, ...]:
    """The version history with one more change appended, refusing changes that rewrite history."""
    if piece_rate_centifen <= 0:
        raise ValueError(f"piece rate must be positive, got {piece_rate_centifen} centifen (0.0001 yuan)")
    if not reason.strip():
        raise ValueError("a rate change needs a reason")
    latest = _latest(versions) if versions else None
    if latest is not None and effective_at < latest.effective_at:
        raise ValueError(
            f"a new rate cannot take effect ({effective_at.isoformat()}) before version "
            f"{latest.version} ({latest.effective_at.isoformat()})"
        )
    new = RateVersion(
        version=latest.version + 1 if latest else 1,
        piece_rate_centifen=piece_rate_centifen,
        reason=reason.strip(),
        effective_at=effective_at,
    )
    return (*versions, new)


def rate_for_lot(versions: Sequence[RateVersion], accepted_at: datetime | None) -> int:
    """The rate a lot is paid at: the one in force when it was accepted, else the newest."""
    if not versions:
        raise ValueError("an order always has at least one rate version")
    if accepted_at is None:
        return _latest(versions).piece_rate_centifen
    in_force = [v for v in versions if v.effective_at <= accepted_at]
    if not in_force:
        first = min(versions, key=lambda v: v.effective_at)
        raise ValueError(
            f"lot accepted at {accepted_at.isoformat()}, before the first rate took effect "
            f"({first.effective_at.isoformat()})"
        )
    return _latest(in_force).piece_rate_centifen


def _latest(versions: Sequence[RateVersion]) -> RateVersion:
    return max(versions, key=lambda v: (v.effective_at, v.version))
