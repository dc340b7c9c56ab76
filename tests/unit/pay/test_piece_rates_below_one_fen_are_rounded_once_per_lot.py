"""Issue 16: rates below one fen are kept exactly and money is rounded once, half-up, per resident and lot.

Every figure is worked by hand in its comment; rates are in centifen (0.0001 yuan), so ¥0.035 is 350.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.pay import (
    EntryDraft,
    InspectionFact,
    build_pay_slip,
    diff,
    ledger_totals,
    period_by_id,
    recompute_totals,
    slip_to_csv,
)
from domain.pay.money import format_rate, lot_posting_fen, piece_pay_fen

FactBuilder = Callable[..., InspectionFact]
Applier = Callable[..., list[EntryDraft]]
BEAD = 350  # ¥0.035 a bead
LABEL = 80  # ¥0.008 a label


def _paid(ledger: dict[str, EntryDraft]) -> int:
    return sum(e.amount_fen for e in ledger.values())


def test_333_beads_at_0_035_yuan_are_11_66_yuan() -> None:
    # 333 × ¥0.035 = ¥11.655 → half-up to the fen → ¥11.66 = 1,166 fen
    assert piece_pay_fen(333, BEAD) == 1_166


def test_1000_beads_at_0_035_yuan_are_exactly_35_yuan() -> None:
    # 1,000 × ¥0.035 = ¥35.000 → 3,500 fen, nothing to round
    assert piece_pay_fen(1_000, BEAD) == 3_500


def test_labels_at_0_008_yuan_round_half_up_and_below_half_down() -> None:
    # 7 × ¥0.008 = ¥0.056 → 5.6 fen → 6 fen; 1 × ¥0.008 = 0.8 fen → 1 fen; 6 × ¥0.005 = 3.0 fen exactly;
    # 1 × ¥0.005 = 0.5 fen → half-up → 1 fen; 1 × ¥0.0049 = 0.49 fen → 0 fen
    assert [piece_pay_fen(7, LABEL), piece_pay_fen(1, LABEL), piece_pay_fen(6, 50), piece_pay_fen(1, 50),
            piece_pay_fen(1, 49)] == [6, 1, 3, 1, 0]


def test_a_lot_inspected_in_two_parts_pays_the_rounded_lot_total(fact: FactBuilder, apply: Applier) -> None:
    # 100 beads: ¥3.50 (350 fen); then 233 more: lot 333 → ¥11.655 → ¥11.66, so the second posting is
    # 1,166 − 350 = 816 fen (233 × ¥0.035 = ¥8.155 alone would round to 816 as well: no fen lost or gained)
    ledger: dict[str, EntryDraft] = {}
    first = apply(ledger, fact(passed=100, rejected=0, piece_rate_centifen=BEAD))
    second = apply(ledger, fact(inspection_id="insp-2", passed=233, rejected=0, piece_rate_centifen=BEAD))
    assert [first[0].amount_fen, second[0].amount_fen] == [350, 816]
    assert _paid(ledger) == 1_166


def test_parts_that_each_round_down_still_pay_the_lot_total(fact: FactBuilder, apply: Applier) -> None:
    # 3 parts of 1 label at ¥0.008: rounded one by one 1 + 1 + 1 = 3 fen, but the lot is 3 × 0.8 = 2.4 fen → 2;
    # the postings are R(0.8) − 0 = 1, R(1.6) − 1 = 1, R(2.4) − 2 = 0: the rounding happens once, on the lot
    ledger: dict[str, EntryDraft] = {}
    amounts = [apply(ledger, fact(inspection_id=f"insp-{n}", passed=1, rejected=0, piece_rate_centifen=LABEL))[0]
               .amount_fen for n in range(3)]
    assert amounts == [1, 1, 0] and _paid(ledger) == 2


def test_a_correction_takes_back_what_the_lot_total_loses(fact: FactBuilder, apply: Applier) -> None:
    # 100 then 233 beads (lot ¥11.66, as above); the 100 are corrected to 99: the reversal takes the lot from
    # 333 to 233 pieces, R(¥8.155) − R(¥11.655) = 816 − 1,166 = −350; the corrected 99 bring it to 332 pieces,
    # R(332 × ¥0.035 = ¥11.62) − 816 = 346. Ledger: 350 + 816 − 350 + 346 = 1,162 fen = R(332 × ¥0.035).
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact(passed=100, rejected=0, piece_rate_centifen=BEAD))
    apply(ledger, fact(inspection_id="insp-2", passed=233, rejected=0, piece_rate_centifen=BEAD))
    fix = apply(ledger, fact(inspection_id="insp-3", passed=99, rejected=1, piece_rate_centifen=BEAD,
                             corrects_inspection_id="insp-1"))
    assert [(d.entry_kind, d.amount_fen) for d in fix] == [("reversal", -350), ("piece_pay", 346)]
    assert _paid(ledger) == 1_162


def test_the_slip_shows_the_rate_as_posted_and_its_lines_add_up(fact: FactBuilder, apply: Applier) -> None:
    # The two parts above on one slip: one line of 333 beads, ¥11.66, at ¥35 per 1,000 as the order quoted it.
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact(passed=100, rejected=0, piece_rate_centifen=BEAD))
    apply(ledger, fact(inspection_id="insp-2", passed=233, rejected=0, piece_rate_centifen=BEAD))
    slip = build_pay_slip(resident_id="res-1", resident_name="王芳", period=period_by_id("2026-11-A"),
                          entries=ledger.values(), lot_labels={"lot-1": "串珠"}, rate_bases={"lot-1": 1000},
                          lot_codes={"lot-1": "串珠-1110-01"})
    (line,) = slip.lines
    assert (line.pieces, line.amount_fen, slip.total_fen) == (333, 1_166, 1_166)
    assert format_rate(line.rate_centifen, line.rate_per) == "¥35.00/千件"
    assert format_rate(line.rate_centifen) == "¥0.035/件"
    assert "串珠-1110-01,串珠,计件工资,333,0.035,11.66" in slip_to_csv(slip)


def test_a_part_corrected_within_the_period_folds_into_the_lots_line(fact: FactBuilder, apply: Applier) -> None:
    # As in the correction above, all in one period: the slip shows the lot once, 332 beads for ¥11.62
    # (the corrected part and its reversal fold in, netting 350 − 350), and the lines add up to the total.
    ledger: dict[str, EntryDraft] = {}
    apply(ledger, fact(passed=100, rejected=0, piece_rate_centifen=BEAD))
    apply(ledger, fact(inspection_id="insp-2", passed=233, rejected=0, piece_rate_centifen=BEAD))
    apply(ledger, fact(inspection_id="insp-3", passed=99, rejected=1, piece_rate_centifen=BEAD,
                       corrects_inspection_id="insp-1"))
    slip = build_pay_slip(resident_id="res-1", resident_name="王芳", period=period_by_id("2026-11-A"),
                          entries=ledger.values(), lot_labels={})
    assert [(x.pieces, x.amount_fen) for x in slip.all_lines] == [(332, 1_162)] and slip.total_fen == 1_162


# one lot's history: ("part", pieces passed) or ("correct", index of an earlier part, pieces passed instead)
history = st.lists(st.one_of(st.tuples(st.just("part"), st.integers(0, 400)),
                             st.tuples(st.just("correct"), st.integers(0, 30), st.integers(0, 400))),
                   min_size=1, max_size=25)


@settings(max_examples=300, deadline=None)
@given(rate=st.integers(1, 100_000), steps=history)
def test_for_any_rate_of_up_to_four_decimals_slip_lines_sum_to_the_lot_total_and_reconcile_agrees(
    rate: int, steps: list[tuple[object, ...]], fact: FactBuilder, apply: Applier
) -> None:
    ledger: dict[str, EntryDraft] = {}
    live: dict[str, InspectionFact] = {}  # the latest inspection of each part, by the part's first inspection
    recorded: list[InspectionFact] = []
    for n, step in enumerate(steps):
        if step[0] == "part" or not live:
            passed = int(step[1] if step[0] == "part" else step[2])  # type: ignore[call-overload]
            new = fact(inspection_id=f"insp-{n}", passed=passed, rejected=0, piece_rate_centifen=rate)
            live[new.inspection_id] = new
        else:
            part = sorted(live)[int(step[1]) % len(live)]  # type: ignore[call-overload]
            new = fact(inspection_id=f"insp-{n}", passed=int(step[2]), rejected=0,  # type: ignore[call-overload]
                       piece_rate_centifen=rate, corrects_inspection_id=live[part].inspection_id)
            live[part] = new
        apply(ledger, new)
        recorded.append(new)
    pieces = sum(f.passed for f in live.values())
    slip = build_pay_slip(resident_id="res-1", resident_name="王芳", period=period_by_id("2026-11-A"),
                          entries=ledger.values(), lot_labels={})
    assert _paid(ledger) == slip.total_fen == piece_pay_fen(pieces, rate)  # rounded once, on the lot
    assert sum(x.amount_fen for x in slip.all_lines) == slip.total_fen  # the slip's lines add up
    assert diff(recompute_totals(recorded), ledger_totals(ledger.values())) == []  # reconcile's own path agrees


@given(before=st.integers(0, 10**6), pieces=st.integers(0, 10**4), rate=st.integers(1, 10**6))
def test_a_posting_is_within_a_fen_of_the_exact_amount(before: int, pieces: int, rate: int) -> None:
    posted = lot_posting_fen(before, before + pieces, rate)
    assert abs(posted * 100 - pieces * rate) < 100
