"""A refused move reaches people (a resident's phone, a coordinator's page): it says it in Chinese first."""

from __future__ import annotations

import importlib

import pytest

from domain.lifecycle.machine import MOVES_ZH, STATUSES_ZH, THINGS_ZH, TransitionRefused

MACHINES = ["lot", "order", "offer", "submission", "appeal", "pay_period", "notification"]


@pytest.mark.parametrize("name", MACHINES)
def test_every_thing_move_and_status_of_each_lifecycle_has_chinese_words(name: str) -> None:
    machine = importlib.import_module(f"domain.lifecycle.{name}").MACHINE
    assert machine.what in THINGS_ZH
    assert set(machine.moves) - set(MOVES_ZH) == set()
    assert {s.value for s in machine.statuses} - set(STATUSES_ZH) == set()


def test_a_refusal_names_the_state_and_what_is_allowed_in_chinese_then_english() -> None:
    offer = importlib.import_module("domain.lifecycle.offer")
    with pytest.raises(TransitionRefused) as refused:
        offer.MACHINE.check("accepted", "accept")
    text = str(refused.value)
    assert text.startswith("此派单当前为「已接单」，不能接单；现在可以：撤回")
    assert "cannot accept an offer that is accepted" in text
