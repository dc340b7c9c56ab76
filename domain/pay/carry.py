"""Debts between pay periods (欠款结转): a period never ends negative, and no debt is dropped.

A resident's debt in a period is what corrections of pay already frozen in an earlier period take back
(the net of a correction that reverses earlier-period entries, when negative), any negative adjustment, and
the debt carried in from the period before. Their gross is everything else they earned in the period
(piece pay, bonuses, top-ups, same-period corrections). At the close at most a capped share of the gross is
recovered — 工资支付暂行规定 art. 16: deductions ≤ 20% of the pay, and the pay left never below the minimum
wage for the time worked — and the rest is carried on:

- in the closing period a ``carry_forward`` entry of +X (so its balance is what is payable, never negative);
- in the next period a ``carried_in`` entry of −X that names the first (``reverses_entry_key``), reversal-style.

Worked example (hand-computed, cap 20%): a correction takes back 30 × ¥0.35 = ¥10.50 in a period with no other
pay → recover ¥0.00, carry ¥10.50 (+1050 / −1050). Next period gross ¥30.00 → cap ¥6.00, recover ¥6.00, carry
¥4.50, pay ¥24.00. The period after gross ¥40.00 → cap ¥8.00, recover ¥4.50, carry nothing, pay ¥35.50.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.pay.model import EntryDraft, EntryKind, PayInputError, require_int
from domain.pay.periods import period_name

DEFAULT_RECOVERY_CAP_BPS = 2_000  # 20%, 工资支付暂行规定 art. 16
BPS = 10_000
CARRY_FORWARD: str = "carry_forward"
CARRIED_IN: str = "carried_in"
CARRY_KINDS = frozenset({CARRY_FORWARD, CARRIED_IN})


@dataclass(frozen=True)
class PeriodBalance:
    """One resident's period before the close: gross pay and debt, both ≥ 0 fen."""

    gross_fen: int
    debt_fen: int
    carried_in_fen: int  # the part of debt_fen carried in from the period before (≥ 0)


@dataclass(frozen=True)
class Recovery:
    """What the close takes back now and what it carries on, in fen (both ≥ 0)."""

    recovered_fen: int
    carried_on_fen: int


def recovery(*, debt_fen: int, gross_fen: int, floor_fen: int = 0,
             cap_bps: int = DEFAULT_RECOVERY_CAP_BPS) -> Recovery:
    """Recover min(debt, gross × cap_bps / 10,000 rounded down, gross − floor); carry the rest.

    ``floor_fen`` is the minimum wage for the minutes worked (pay is never cut below it); a gross already
    below the floor recovers nothing. Raises PayInputError naming the field for negative or non-int input.
    """
    require_int("debt_fen", debt_fen, minimum=0)
    require_int("gross_fen", gross_fen, minimum=0)
    require_int("floor_fen", floor_fen, minimum=0)
    require_int("cap_bps", cap_bps, minimum=0)
    if cap_bps > BPS:
        raise PayInputError("cap_bps", f"must be <= {BPS} (100%), got {cap_bps}")
    recovered = max(0, min(debt_fen, gross_fen * cap_bps // BPS, gross_fen - floor_fen))
    return Recovery(recovered_fen=recovered, carried_on_fen=debt_fen - recovered)


def period_balance(entries: Iterable[EntryDraft]) -> PeriodBalance:
    """Split one resident's entries of one period into gross and debt (its carry_forward, if any, ignored).

    A reversal whose original is not among these entries corrects an earlier period's pay: its whole
    correction (every entry of the correcting inspections it is chained to in this period) is one item,
    a debt when it nets negative. Same-period corrections simply net against the pay they correct.
    """
    mine = [e for e in entries if e.entry_kind != CARRY_FORWARD]
    by_key = {e.entry_key: e for e in mine}
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for e in mine:  # chain a correction to the correction it corrects within this period
        original = by_key.get(e.reverses_entry_key or "")
        if e.entry_kind == "reversal" and e.inspection_id and original is not None and original.inspection_id:
            parent[root(e.inspection_id)] = root(original.inspection_id)
    late_roots = {root(e.inspection_id) for e in mine if e.entry_kind == "reversal" and e.inspection_id
                  and e.reverses_entry_key not in by_key}
    groups: dict[str, int] = {}
    gross = debt = carried = 0
    for e in mine:
        if e.entry_kind == CARRIED_IN:
            carried -= e.amount_fen
        elif e.inspection_id and root(e.inspection_id) in late_roots:
            groups[root(e.inspection_id)] = groups.get(root(e.inspection_id), 0) + e.amount_fen
        elif e.entry_kind == "adjustment" and e.amount_fen < 0:
            debt -= e.amount_fen
        else:
            gross += e.amount_fen
    for net in groups.values():
        if net < 0:
            debt -= net
        else:
            gross += net
    if gross < 0:  # e.g. a same-period correction below zero: nothing to pay, the shortfall is debt too
        debt, gross = debt - gross, 0
    return PeriodBalance(gross_fen=gross, debt_fen=debt + carried, carried_in_fen=carried)


def carry_forward_key(resident_id: str, period_id: str) -> str:
    """The one carry_forward key of a resident's period, so a rerun of the close cannot carry twice."""
    return f"{resident_id}:{period_id}:{CARRY_FORWARD}"


def carry_note(kind: str, other_period_id: str) -> str:
    """What a slip says of a carried debt's line, naming the other period as people do: a carried_in line
    '来自2026年10月下半月', a carry_forward line '转入2026年11月上半月'; shown after the kind:
    '上期结转欠款：来自2026年10月下半月'.

    Rendered when the slip is shown, from the pair's period ids: the stored memos ('debt carried in from
    2026-10-B') stay as they were written, ledger lines being append-only. Raises PayInputError for another kind.
    """
    if kind == CARRIED_IN:
        return f"来自{period_name(other_period_id)}"
    if kind == CARRY_FORWARD:
        return f"转入{period_name(other_period_id)}"
    raise PayInputError("kind", f"{kind!r} is not one half of a carried debt")


def carry_drafts(*, resident_id: str, community_id: str, period_id: str, next_period_id: str,
                 carried_on_fen: int) -> list[EntryDraft]:
    """The pair that carries a debt on: +X closing ``period_id`` and −X opening ``next_period_id``.

    Empty when nothing is carried. Raises PayInputError for a negative amount or the same two periods.
    """
    require_int("carried_on_fen", carried_on_fen, minimum=0)
    if next_period_id == period_id:
        raise PayInputError("next_period_id", "a debt is carried into a later period, not the same one")
    if carried_on_fen == 0:
        return []
    forward_key = carry_forward_key(resident_id, period_id)

    def entry(kind: EntryKind, amount: int, in_period: str, key: str, reverses: str | None, memo: str) -> EntryDraft:
        return EntryDraft(entry_kind=kind, resident_id=resident_id, order_id=None, enterprise_id=None,
                          community_id=community_id, lot_id=None, inspection_id=None, pieces=0, rate_fen=0,
                          amount_fen=amount, period_id=in_period, reverses_entry_key=reverses, entry_key=key,
                          memo=memo)

    return [
        entry("carry_forward", carried_on_fen, period_id, forward_key, None,
              f"欠款结转下期 debt carried to {next_period_id}"),
        entry("carried_in", -carried_on_fen, next_period_id, f"{forward_key}:{CARRIED_IN}", forward_key,
              f"上期结转欠款 debt carried in from {period_id}"),
    ]
