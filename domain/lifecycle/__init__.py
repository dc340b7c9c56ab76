"""The lifecycles of the work as explicit state machines: orders, lots and offers.

Every status is one named value (a StrEnum, stored as its string); every allowed move is one function that
takes the current status (and the counts it needs) and returns the new status, or raises TransitionRefused
naming the moves allowed from where the thing stands. Use cases, processors and pages call these and never
write a status string of their own; queries use the named groups (LIVE_OFFER, MATCHABLE, HOLDING, LIVE_ORDER).
"""

from domain.lifecycle.machine import TransitionRefused

__all__ = ["TransitionRefused"]
