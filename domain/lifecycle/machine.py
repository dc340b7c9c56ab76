"""The shape every lifecycle shares: named statuses, named moves, and a refusal that says what is allowed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

S = TypeVar("S", bound=StrEnum)


class TransitionRefused(ValueError):
    """A move the current status does not allow; the message names the moves that are allowed from it."""

    def __init__(self, *, what: str, move: str, current: str, allowed: Iterable[str], why: str = "") -> None:
        self.what, self.move, self.current, self.allowed = what, move, current, tuple(allowed)
        options = ", ".join(self.allowed) if self.allowed else "nothing (final status)"
        because = f" ({why})" if why else ""
        super().__init__(f"cannot {move} {what} that is {current}{because}; allowed from {current}: {options}")


@dataclass(frozen=True, eq=False)  # one of each machine: identity is equality
class Machine(Generic[S]):
    """Which status each move may start from; `what` names the thing in messages ("a lot", "an order")."""

    what: str
    statuses: type[S]
    moves: Mapping[str, tuple[S, ...]]

    def allowed(self, current: S) -> list[str]:
        """The moves `current` allows, in declaration order (e.g. which buttons a coordinator may press)."""
        return [move for move, sources in self.moves.items() if current in sources]

    def is_final(self, current: S) -> bool:
        """True when no move starts from `current`."""
        return not self.allowed(current)

    def check(self, current: str, move: str, *, why: str = "") -> S:
        """`current` as a status if `move` may start from it, else TransitionRefused naming what is allowed.

        `why` is given when the status would allow the move but the thing's state does not (the caller's test).
        """
        status = self.statuses(current)
        if why or status not in self.moves[move]:
            raise TransitionRefused(what=self.what, move=move, current=str(status), allowed=self.allowed(status),
                                    why=why)
        return status

    def move(self, current: str, move: str, to: S, *, why: str = "") -> S:
        """`to`, if `move` may start from `current` (see `check`); else TransitionRefused naming what is allowed."""
        self.check(current, move, why=why)
        return to
