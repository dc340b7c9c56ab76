"""Money between pay periods and the ledger's append-only shape.

What the pay code does today: an entry goes into its own period, or the first open period after it when that
one is closed (`domain.pay.periods.posting_period`), so a correction after a close lands as a reversal in an
open period; closing a period freezes its total (`PayPeriod.total_fen`); a payout may not exceed what the
resident's slip for that period holds. A debt the close cannot recover (domain.pay.carry: at most a capped share
of the period's pay) is carried: a `carry_forward` line of +X in the period as it closes and a `carried_in` line
of −X in the next open one, naming the first in `reverses_entry_key`. So a closed balance is what is payable,
never negative. A debt is dropped (`debt_not_carried`) when a resident's closed balance is negative, or when a
carry_forward has no carried_in mirroring it in a later period: nothing will ever net it against later pay.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from domain.invariants.model import Violation
from domain.invariants.rows import ClosedPeriod, EntryRow
from domain.pay.ledger_days import FIGURES, DayKey, DayTotals, day_totals
from domain.pay.ledger_periods import PeriodKey, PeriodTotals, period_totals
from domain.pay.lot_paid import LotPaidKey, lot_paid_deltas


def check_append_only(entries: Sequence[EntryRow], *, refusing_rewrites: bool) -> list[Violation]:
    """The database refuses updates and deletes, and every reversal mirrors one original, once."""
    found: list[Violation] = []
    if not refusing_rewrites:
        found.append(Violation("ledger_not_append_only", {"table": "ledger_entry"}, "台账表缺少拒绝修改和删除的触发器",
                               "the ledger's triggers refusing UPDATE and DELETE are missing"))
    by_key = {e.entry_key: e for e in entries}
    reversed_by: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        if e.reverses_entry_key is None:
            continue
        reversed_by[e.reverses_entry_key].append(e.entry_key)
        original = by_key.get(e.reverses_entry_key)
        if original is None or e.pieces != -original.pieces or not _mirrors(e.amount_fen, original):
            found.append(Violation(
                "ledger_not_append_only", {"entry_key": e.entry_key, "reverses_entry_key": e.reverses_entry_key},
                "冲销分录与其原分录不对应（原分录缺失或金额、件数不相反）",
                "a reversal does not mirror its original (the original is missing or amount/pieces differ)",
                detail={"amount_fen": e.amount_fen, "original_fen": None if original is None else original.amount_fen}))
    for key, reversals in reversed_by.items():
        if len(reversals) > 1:
            found.append(Violation("ledger_not_append_only", {"entry_key": key, "reverses_entry_key": key},
                                   f"同一分录被冲销{len(reversals)}次", f"one entry reversed {len(reversals)} times",
                                   detail={"reversals": reversals}))
    return found


def _mirrors(reversal_fen: int, original: EntryRow) -> bool:
    """Whether a reversal's amount takes back its original's: exactly, except piece pay at a rate finer than a fen.

    A lot's piece pay is rounded once on its cumulative pieces (domain.pay.money, issue 16), so a reversal takes
    back what the lot's rounded total loses, which may be a fen more or less than the part it reverses was paid
    (4 pieces at ¥0.0125 pay 1+2+1+1 fen; taking the second part back leaves 3 = round(2.5), a reversal of −1
    against +2 and then −1 against +1). That the lot's total is right is reconcile's check; here at most one fen.
    """
    slack = 1 if original.kind == "piece_pay" and original.rate_centifen % 100 else 0
    return abs(reversal_fen + original.amount_fen) <= slack


def check_periods(entries: Sequence[EntryRow], periods: Iterable[ClosedPeriod],
                  paid: Mapping[tuple[str, str], int]) -> list[Violation]:
    """Closed periods stay as closed; no negative balance is dropped; nobody is paid more than their slip.

    `paid` is the payouts' sum per (resident, period).
    """
    closed = {(p.community_id, p.period_id): p for p in periods}
    totals: dict[tuple[str, str], int] = defaultdict(int)
    late: dict[tuple[str, str], list[str]] = defaultdict(list)
    balances: dict[tuple[str, str, str], int] = defaultdict(int)
    owed: dict[tuple[str, str], int] = defaultdict(int)
    for e in entries:
        owed[(e.resident_id, e.period_id)] += e.amount_fen
        period = closed.get((e.community_id, e.period_id))
        if period is None:
            continue
        totals[(e.community_id, e.period_id)] += e.amount_fen
        balances[(e.community_id, e.period_id, e.resident_id)] += e.amount_fen
        if e.posted_at > period.closed_at:
            late[(e.community_id, e.period_id)].append(e.entry_key)
    found: list[Violation] = []
    for key, p in sorted(closed.items()):
        if late[key] or totals[key] != p.total_fen:
            found.append(Violation(
                "closed_period_changed", {"community_id": p.community_id, "period_id": p.period_id},
                f"已结算周期的台账合计{totals[key]}分，结算时为{p.total_fen}分",
                f"the closed period's ledger holds {totals[key]} fen; it closed at {p.total_fen}",
                detail={"entries_posted_after_close": late[key][:20]}))
    for (cid, pid, rid), balance in sorted(balances.items()):
        if balance < 0:
            nxt = closed[(cid, pid)].next_period_id
            found.append(Violation("debt_not_carried", {"community_id": cid, "period_id": pid, "resident_id": rid},
                                   f"已结算周期余额为{balance}分（欠款），未结转到下一周期{nxt}",
                                   f"a closed balance of {balance} fen was not carried into {nxt}",
                                   detail={"balance_fen": balance}))
    found += _carries_unmirrored(entries, closed)
    for (rid, pid), amount in sorted(paid.items()):
        if amount > max(owed.get((rid, pid), 0), 0):
            found.append(Violation("paid_more_than_owed", {"resident_id": rid, "period_id": pid},
                                   f"支付{amount}分，多于工资条的{owed.get((rid, pid), 0)}分",
                                   f"{amount} fen paid against a slip of {owed.get((rid, pid), 0)} fen"))
    return found


def _carries_unmirrored(entries: Sequence[EntryRow], closed: Mapping[tuple[str, str], ClosedPeriod]) -> list[Violation]:
    """Each carry_forward in a closed period needs one carried_in of −X in a later period that names it."""
    mirrors: dict[str, list[EntryRow]] = defaultdict(list)
    for e in entries:
        if e.kind == "carried_in" and e.reverses_entry_key is not None:
            mirrors[e.reverses_entry_key].append(e)
    found: list[Violation] = []
    for e in entries:
        period = closed.get((e.community_id, e.period_id))
        if e.kind != "carry_forward" or period is None:
            continue
        ok = [m for m in mirrors.get(e.entry_key, []) if m.amount_fen == -e.amount_fen and m.period_id > e.period_id]
        if len(ok) != 1:
            found.append(Violation(
                "debt_not_carried", {"community_id": e.community_id, "period_id": e.period_id,
                                     "resident_id": e.resident_id, "entry_key": e.entry_key},
                f"结转下期的欠款{e.amount_fen}分在{period.next_period_id}及以后没有对应的结转入账",
                f"a debt of {e.amount_fen} fen carried on has no matching carried-in line from {period.next_period_id}",
                detail={"carried_in": [m.entry_key for m in mirrors.get(e.entry_key, [])]}))
    return found


K = TypeVar("K")
V = TypeVar("V")
ZERO = DayTotals()  # a day the ledger has no line for


def read_model_differences(expected: Mapping[K, V], stored: Mapping[K, V]) -> Iterator[tuple[K, V | None, V | None]]:
    """A read model against its recomputation: (key, recomputed, stored) for each key where they differ, in key
    order; None where one side has no row."""
    for key in sorted(set(expected) | set(stored)):  # type: ignore[type-var]  # the read models' keys are tuples
        want, have = expected.get(key), stored.get(key)
        if want != have:
            yield key, want, have


def shown(figure: object, lang: str = "zh") -> str:
    """A read model's or its recomputation's figure in a violation's text: '无此行' / 'no row' where None."""
    if figure is None:
        return "无此行" if lang == "zh" else "no row"
    return str(figure)


def check_ledger_days(entries: Sequence[EntryRow], stored: Mapping[DayKey, DayTotals]) -> list[Violation]:
    """The daily read model (ledger_day, issue 19) equals its recomputation from the ledger's lines, to the fen
    and the line: a row the lines do not give, a row missing, or a row with any figure off is named by its day,
    community and resident, with both versions of its figures."""
    expected = day_totals((e.kind, e.resident_id, e.community_id, e.pieces, e.amount_fen, e.posted_at,
                           e.reverses_entry_key) for e in entries)
    found: list[Violation] = []
    for (day, community_id, resident_id), want, have in read_model_differences(expected, stored):
        differs = [f for f in FIGURES if getattr(want or ZERO, f) != getattr(have or ZERO, f)]
        found.append(Violation(
            "ledger_day_differs", {"community_id": community_id, "resident_id": resident_id, "day": day.isoformat()},
            f"按日汇总表与台账不符（{'、'.join(differs) or '多出一行'}）",
            f"the daily read model differs from the ledger's lines ({', '.join(differs) or 'a row of nothing'})",
            detail={"ledger": (want or ZERO).as_dict(), "read_model": None if have is None else have.as_dict()}))
    return found


def check_lot_paid(entries: Sequence[EntryRow], stored: Mapping[LotPaidKey, int]) -> list[Violation]:
    """The per-lot read model (lot_paid, issue 19: the passed pieces pricing reads) equals its recomputation from
    the ledger's lines, to the piece: a row the lines do not give, a row missing, or a row whose pieces are off is
    named by its lot, resident and rate (centifen), with both counts."""
    expected = lot_paid_deltas((e.kind, e.lot_id, e.resident_id, e.rate_centifen, e.pieces, e.reverses_entry_key)
                               for e in entries)
    found: list[Violation] = []
    for (lot_id, resident_id, rate), want, have in read_model_differences(expected, stored):
        found.append(Violation(
            "lot_paid_differs", {"lot_id": lot_id, "resident_id": resident_id, "rate_centifen": str(rate)},
            f"按批次已付件数表与台账不符（台账{shown(want)}件，汇总表{shown(have)}件）",
            f"the per-lot read model differs from the ledger's lines (ledger {shown(want, 'en')}, read model "
            f"{shown(have, 'en')} pieces)",
            detail={"ledger_pieces": want, "read_model_pieces": have}))
    return found


def check_ledger_periods(entries: Sequence[EntryRow], stored: Mapping[PeriodKey, PeriodTotals]) -> list[Violation]:
    """The per-period read model (ledger_period, issue 19: what matching, closing, the pay board and payouts due
    sum) equals its recomputation from the ledger's lines, to the fen and the line: a row the lines do not give, a
    row missing, or a row with its count or amount off is named by its community, period and resident, with both
    versions of its figures."""
    expected = period_totals((e.community_id, e.period_id, e.resident_id, e.amount_fen) for e in entries)
    found: list[Violation] = []
    for (community_id, period_id, resident_id), want, have in read_model_differences(expected, stored):
        ledger, model = want or PeriodTotals(), have or PeriodTotals()
        differs = [f for f in ("lines", "amount_fen") if getattr(ledger, f) != getattr(model, f)]
        found.append(Violation(
            "ledger_period_differs", {"community_id": community_id, "period_id": period_id,
                                      "resident_id": resident_id},
            f"按工资期汇总表与台账不符（{'、'.join(differs) or '多出一行'}）",
            f"the per-period read model differs from the ledger's lines ({', '.join(differs) or 'a row of nothing'})",
            detail={"ledger": None if want is None else {"lines": want.lines, "amount_fen": want.amount_fen},
                    "read_model": None if have is None else {"lines": have.lines, "amount_fen": have.amount_fen}}))
    return found
