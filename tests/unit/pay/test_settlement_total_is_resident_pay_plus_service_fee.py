"""An enterprise's bill shows, per order, residents' pay and the service fee side by side with the sum."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from domain.pay import EntryDraft, InspectionFact, fee_fen, period_by_id, settle_enterprise

FactBuilder = Callable[..., InspectionFact]
Applier = Callable[..., list[EntryDraft]]

PERIOD = period_by_id("2026-11-A")


def _ledger(apply: Applier, *facts: InspectionFact) -> list[EntryDraft]:
    ledger: dict[str, EntryDraft] = {}
    for f in facts:
        apply(ledger, f)
    return list(ledger.values())


def test_each_order_lists_passed_pieces_pay_fee_and_total(fact: FactBuilder, apply: Applier) -> None:
    entries = _ledger(
        apply,
        fact(passed=90, piece_rate_centifen=5000),
        fact(inspection_id="insp-2", order_id="order-2", passed=7, piece_rate_centifen=33300),
        fact(inspection_id="insp-3", enterprise_id="ent-other", order_id="order-9"),
    )
    bill = settle_enterprise(enterprise_id="ent-1", period=PERIOD, entries=entries, service_fee_bps=800)
    assert [
        (x.order_id, x.pieces_passed, x.residents_pay_fen, x.service_fee_fen, x.total_fen) for x in bill.lines
    ] == [
        ("order-1", 90, 4_500, 360, 4_860),
        ("order-2", 7, 2_331, 186, 2_517),  # 186.48 fen rounds down
    ]
    assert (bill.residents_pay_fen, bill.service_fee_fen, bill.total_fen) == (6_831, 546, 7_377)


def test_fee_rounds_half_away_from_zero_per_order() -> None:
    assert fee_fen(1_250, 400) == 50
    assert fee_fen(1_237, 400) == 49  # 49.48
    assert fee_fen(1_238, 400) == 50  # 49.52
    assert fee_fen(125, 400) == 5  # exactly 5.00
    assert fee_fen(25, 1_000) == 3  # 2.5 rounds up
    assert fee_fen(-25, 1_000) == -3  # a reversal's fee mirrors the original's


def test_corrections_in_the_period_net_out_of_pieces_and_pay_but_bonus_counts_no_pieces(
    fact: FactBuilder, apply: Applier
) -> None:
    entries = _ledger(
        apply,
        fact(passed=90, quality_bonus_fen_per_piece=2),
        fact(inspection_id="insp-2", passed=80, corrects_inspection_id="insp-1"),
    )
    (line,) = settle_enterprise(
        enterprise_id="ent-1", period=PERIOD, entries=entries, service_fee_bps=0
    ).lines
    assert (line.pieces_passed, line.residents_pay_fen, line.rates_centifen) == (80, 4_000, (5000,))


def test_entries_of_other_periods_are_not_billed(fact: FactBuilder, apply: Applier) -> None:
    entries = _ledger(apply, fact())
    bill = settle_enterprise(
        enterprise_id="ent-1", period=period_by_id("2026-11-B"), entries=entries, service_fee_bps=500
    )
    assert bill.lines == () and bill.total_fen == 0


@given(
    amounts=st.lists(st.tuples(st.integers(0, 5), st.integers(-(10**7), 10**7)), max_size=12),
    bps=st.integers(0, 3_000),
)
def test_total_always_equals_residents_pay_plus_fee_and_fee_is_within_half_a_fen_per_order(
    amounts: list[tuple[int, int]], bps: int
) -> None:
    entries = [
        EntryDraft(
            entry_kind="adjustment",
            resident_id="res-1",
            order_id=f"order-{order}",
            enterprise_id="ent-1",
            community_id="com-1",
            lot_id=None,
            inspection_id=None,
            pieces=0,
            rate_fen=0,
            amount_fen=amount,
            period_id="2026-11-A",
            reverses_entry_key=None,
            entry_key=f"adj-{i}",
            memo="",
        )
        for i, (order, amount) in enumerate(amounts)
    ]
    bill = settle_enterprise(enterprise_id="ent-1", period=PERIOD, entries=entries, service_fee_bps=bps)
    assert bill.total_fen == bill.residents_pay_fen + bill.service_fee_fen
    assert bill.residents_pay_fen == sum(amount for _, amount in amounts)
    for line in bill.lines:
        assert line.total_fen == line.residents_pay_fen + line.service_fee_fen
        assert abs(line.service_fee_fen * 10_000 - line.residents_pay_fen * bps) <= 5_000
