"""Reconciliation names each resident, order and enterprise whose ledger total is off, with both figures."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.pay import (
    Difference,
    EntryDraft,
    InspectionFact,
    PayInputError,
    diff,
    ledger_totals,
    recompute_totals,
    top_up_draft,
)

FactBuilder = Callable[..., InspectionFact]
Applier = Callable[..., list[EntryDraft]]


def test_a_lost_entry_shows_up_in_every_scope_it_touches(fact: FactBuilder, apply: Applier) -> None:
    facts = [fact(), fact(inspection_id="insp-2", resident_id="res-2", passed=10)]
    ledger: dict[str, EntryDraft] = {}
    for f in facts:
        apply(ledger, f)
    del ledger["insp-2:piece_pay"]
    assert diff(recompute_totals(facts), ledger_totals(ledger.values())) == [
        Difference("resident", "res-2", 500, 0),
        Difference("order", "order-1", 5_000, 4_500),
        Difference("enterprise", "ent-1", 5_000, 4_500),
    ]


def test_recomputation_counts_only_the_latest_correction_and_each_inspection_once(fact: FactBuilder) -> None:
    original = fact(passed=90)
    correction = fact(inspection_id="insp-2", passed=40, corrects_inspection_id="insp-1")
    totals = recompute_totals([original, correction, correction])
    assert totals.by_resident == {"res-1": 2_000}
    assert totals.by_enterprise == {"ent-1": 2_000}


def test_top_ups_are_not_inspection_pay_and_stay_out_of_reconciliation(
    fact: FactBuilder, apply: Applier
) -> None:
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact())
    top = top_up_draft(resident_id="res-1", community_id="com-1", period_id="2026-11-A", amount_fen=300)
    assert top is not None
    assert diff(recompute_totals([fact()]), ledger_totals([*ledger.values(), top])) == []


def test_a_ledger_with_a_duplicated_key_is_reported_not_summed(fact: FactBuilder, apply: Applier) -> None:
    entry = apply({}, fact())[0]
    with pytest.raises(PayInputError, match="appears twice"):
        ledger_totals([entry, entry])


def test_the_same_inspection_recorded_with_two_contents_is_reported(fact: FactBuilder) -> None:
    with pytest.raises(PayInputError, match="insp-1"):
        recompute_totals([fact(passed=1), fact(passed=2)])


def test_delta_is_positive_when_the_ledger_pays_too_much() -> None:
    assert Difference("order", "order-1", expected_fen=100, ledger_fen=150).delta_fen == 50
