"""A correction never edits the ledger: it reverses what the corrected inspection posted, then pays anew."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.pay import (
    CorrectionTargetMissing,
    EntryDraft,
    InspectionAlreadyCorrected,
    InspectionFact,
    entries_for_inspection,
)

FactBuilder = Callable[..., InspectionFact]
Applier = Callable[..., list[EntryDraft]]


def test_correction_reverses_the_original_pay_and_posts_the_corrected_pay(
    fact: FactBuilder, apply: Applier
) -> None:
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact(passed=90, quality_bonus_fen_per_piece=2))
    drafts = apply(
        ledger, fact(inspection_id="insp-2", passed=80, corrects_inspection_id="insp-1"), "2026-11-B"
    )
    assert [(d.entry_kind, d.amount_fen, d.reverses_entry_key) for d in drafts] == [
        ("reversal", -4_500, "insp-1:piece_pay"),
        ("reversal", -180, "insp-1:quality_bonus"),
        ("piece_pay", 4_000, None),
    ]
    assert all(d.period_id == "2026-11-B" for d in drafts), "reversals post now, the original stays put"
    assert ledger["insp-1:piece_pay"].amount_fen == 4_500
    assert sum(e.amount_fen for e in ledger.values()) == 4_000


def test_reversal_keeps_the_original_resident_when_the_correction_names_another(
    fact: FactBuilder, apply: Applier
) -> None:
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact(resident_id="res-wrong"))
    apply(ledger, fact(inspection_id="insp-2", resident_id="res-right", corrects_inspection_id="insp-1"))
    by_resident: dict[str, int] = {}
    for entry in ledger.values():
        by_resident[entry.resident_id] = by_resident.get(entry.resident_id, 0) + entry.amount_fen
    assert by_resident == {"res-wrong": 0, "res-right": 4_500}


def test_reapplying_a_correction_yields_the_same_keys_and_adds_nothing(
    fact: FactBuilder, apply: Applier
) -> None:
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact())
    correction = fact(inspection_id="insp-2", passed=10, corrects_inspection_id="insp-1")
    first = apply(ledger, correction)
    before = dict(ledger)
    assert apply(ledger, correction) == first
    assert ledger == before


def test_a_correction_of_a_correction_reverses_only_the_latest_pay(fact: FactBuilder, apply: Applier) -> None:
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact(passed=90))
    apply(ledger, fact(inspection_id="insp-2", passed=80, corrects_inspection_id="insp-1"))
    drafts = apply(ledger, fact(inspection_id="insp-3", passed=70, corrects_inspection_id="insp-2"))
    assert [(d.entry_kind, d.amount_fen) for d in drafts] == [("reversal", -4_000), ("piece_pay", 3_500)]
    assert sum(e.amount_fen for e in ledger.values()) == 3_500


def test_correcting_an_already_corrected_inspection_is_refused_naming_the_newer_one(
    fact: FactBuilder, apply: Applier
) -> None:
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact())
    apply(ledger, fact(inspection_id="insp-2", corrects_inspection_id="insp-1"))
    with pytest.raises(InspectionAlreadyCorrected, match="insp-2") as refused:
        apply(ledger, fact(inspection_id="insp-3", corrects_inspection_id="insp-1"))
    assert refused.value.field == "corrects_inspection_id"


def test_a_correction_of_an_inspection_not_yet_in_the_ledger_is_refused(fact: FactBuilder) -> None:
    with pytest.raises(CorrectionTargetMissing, match="insp-0"):
        entries_for_inspection(
            fact(corrects_inspection_id="insp-0"), prior_entries_of_corrected=[], period_id="2026-11-A"
        )


def test_entries_of_other_inspections_in_the_same_lot_are_left_alone(
    fact: FactBuilder, apply: Applier
) -> None:
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact(inspection_id="insp-1"))
    apply(ledger, fact(inspection_id="insp-other", passed=5))
    drafts = apply(ledger, fact(inspection_id="insp-2", corrects_inspection_id="insp-1"))
    assert [d.reverses_entry_key for d in drafts if d.entry_kind == "reversal"] == ["insp-1:piece_pay"]
