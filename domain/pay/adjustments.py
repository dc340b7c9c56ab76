"""One-off adjustments (调整) a coordinator posts by hand: a bonus (奖励) or a recovery (扣回), always with a reason.

A bonus is a positive ``adjustment`` entry; a recovery a negative one. A recovery is a debt like any other
(domain.pay.carry): the close takes back at most the community's capped share of the period's pay (工资支付暂行规定
art. 16: ≤ 20% by default, never below the minimum wage) and carries the rest to the next period.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from domain.pay.model import EntryDraft, PayInputError, require_int

AdjustmentKind = Literal["bonus", "recovery"]
KIND_ZH: dict[str, str] = {"bonus": "奖励", "recovery": "扣回"}
MIN_REASON = 2  # characters: "好" alone says nothing a later reader can check
MAX_AMOUNT_FEN = 10_000_000  # ¥100,000: far above any one-off; a typo of a few zeros is refused


def clean_reason(reason: str | None) -> str:
    """The reason with surrounding spaces removed; raises PayInputError("reason") when it is missing or too short.

    Only characters a reader sees count: zero-width and other format characters (U+200B, U+FEFF, …) and spaces
    of any kind make no reason ("\u200b\u200b" was taken as one).
    """
    text = (reason or "").strip()
    if sum(1 for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc")) < MIN_REASON:
        raise PayInputError("reason", f"必须写明原因（至少 {MIN_REASON} 个字）/ a reason of at least "
                                      f"{MIN_REASON} characters is required")
    return text


def adjustment_draft(*, adjustment_id: str, kind: AdjustmentKind, amount_fen: int, reason: str, resident_id: str,
                     community_id: str, period_id: str) -> EntryDraft:
    """The one ledger entry of an adjustment: +amount for a bonus, −amount for a recovery, in fen.

    ``amount_fen`` is the size (> 0, at most MAX_AMOUNT_FEN); the key is derived from the adjustment's id, so
    the same adjustment can never be posted twice. Raises PayInputError naming the field.
    """
    require_int("amount_fen", amount_fen, minimum=1)
    if amount_fen > MAX_AMOUNT_FEN:
        raise PayInputError("amount_fen", f"金额不能超过 {MAX_AMOUNT_FEN} 分 / must be at most {MAX_AMOUNT_FEN} fen")
    if kind not in KIND_ZH:
        raise PayInputError("kind", f"调整类型只能是 bonus 或 recovery / must be bonus or recovery, got {kind!r}")
    text = clean_reason(reason)
    return EntryDraft(entry_kind="adjustment", resident_id=resident_id, order_id=None, enterprise_id=None,
                      community_id=community_id, lot_id=None, inspection_id=None, pieces=0, rate_fen=0,
                      amount_fen=amount_fen if kind == "bonus" else -amount_fen, period_id=period_id,
                      reverses_entry_key=None, entry_key=f"{adjustment_id}:adjustment",
                      memo=f"{KIND_ZH[kind]}：{text}")
