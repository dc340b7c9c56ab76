"""Every lifecycle move is allowed from exactly the statuses its machine lists; any other start is refused with
a message naming the moves allowed from where the thing stands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.lifecycle import TransitionRefused, appeal, correction, lot, offer, order, submission
from domain.lifecycle.machine import Machine

NOW = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
UNDER_WAY = lot.LotCounts(pieces=10, issued=10, submitted=5, pending=5)
PROGRESS = order.OrderProgress(lots=2, lots_done=1)

# Each move as a call from a status, with state under which only the status can refuse it.
MOVES: dict[Machine[Any], dict[str, Callable[[str], object]]] = {
    lot.MACHINE: {
        "offer": lot.offer,
        "dispatch": lot.check_dispatch,
        "escalate": lot.escalate,
        "accept": lot.accept,
        "release": lambda s: lot.release(s, pieces_issued=0),
        "issue": lot.issue,
        "hand in": lambda s: lot.hand_in(s, UNDER_WAY, 5),
        "inspect": lambda s: lot.after_inspection(s, UNDER_WAY),
        "close": lambda s: lot.close(s, pieces_issued=0, because="cancelled"),
    },
    order.MACHINE: {
        "accept a lot of": order.accept_lot,
        "re-price": order.check_reprice,
        "cancel": order.cancel,
        "expire": lambda s: order.expire(s, due_at=NOW, now=LATER),
        "settle": lambda s: order.settle(s, PROGRESS),
    },
    offer.MACHINE: {
        "accept": lambda s: offer.accept(s, expires_at=LATER, now=NOW),
        "decline": lambda s: offer.decline(s, expires_at=LATER, now=NOW),
        "expire": lambda s: offer.expire(s, expires_at=NOW, now=LATER),
        "withdraw": offer.withdraw,
    },
    appeal.MACHINE: {"decide": lambda s: appeal.decide(s, "uphold")},
    correction.MACHINE: {"decide": lambda s: correction.decide(s, "approve", requested_by="coord1",
                                                               decided_by="coord1b")},
    submission.MACHINE: {
        "inspect": submission.inspect,
        "pass automatically": lambda s: submission.inspect(s, automatic=True),
    },
}
CASES = [(machine, move, status) for machine, moves in MOVES.items() for move in moves
         for status in machine.statuses]


def test_every_move_of_every_machine_has_a_function() -> None:
    assert all(set(moves) == set(machine.moves) for machine, moves in MOVES.items())


@pytest.mark.parametrize(("machine", "move", "status"), CASES,
                         ids=[f"{m.what}-{move}-{s}" for m, move, s in CASES])
def test_a_move_is_allowed_exactly_from_its_listed_statuses(machine: Machine[Any], move: str,
                                                             status: StrEnum) -> None:
    call = MOVES[machine][move]
    if status in machine.moves[move]:
        assert isinstance(call(status), machine.statuses | lot.HandIn)
        return
    with pytest.raises(TransitionRefused) as refused:
        call(status)
    allowed = machine.allowed(status)
    assert refused.value.allowed == tuple(allowed)
    assert f"that is {status}" in str(refused.value)
    assert str(refused.value).endswith(", ".join(allowed) if allowed else "nothing (final status)")


@given(st.sampled_from(list(lot.LotStatus)))
def test_a_stored_string_moves_like_its_named_status(status: lot.LotStatus) -> None:
    for move in lot.MACHINE.allowed(status):
        assert MOVES[lot.MACHINE][move](str(status)) == MOVES[lot.MACHINE][move](status)


def test_an_unknown_status_is_an_error_not_a_move() -> None:
    with pytest.raises(ValueError, match="'teleported' is not a valid LotStatus"):
        lot.offer("teleported")


@pytest.mark.parametrize("final", [lot.LotStatus.CANCELLED, lot.LotStatus.EXPIRED])
def test_a_closed_lot_accepts_nothing(final: lot.LotStatus) -> None:
    assert lot.MACHINE.is_final(final)
    with pytest.raises(TransitionRefused, match="allowed from .*: nothing \\(final status\\)"):
        lot.offer(final)


def test_finished_orders_and_answered_offers_only_settle_or_nothing() -> None:
    assert [s for s in order.OrderStatus if order.MACHINE.allowed(s) == ["settle"]] == [
        order.OrderStatus.FULFILLED, order.OrderStatus.CANCELLED, order.OrderStatus.EXPIRED]
    assert {s for s in offer.OfferStatus if offer.MACHINE.is_final(s)} == {
        offer.OfferStatus.DECLINED, offer.OfferStatus.EXPIRED, offer.OfferStatus.WITHDRAWN}
