"""The shape every lifecycle shares: named statuses, named moves, and a refusal that says what is allowed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

S = TypeVar("S", bound=StrEnum)


# The words people see (the message reaches a resident's phone): Chinese first, then the English of the code.
THINGS_ZH = {"a lot": "批次", "an order": "订单", "an offer": "派单", "a submission": "交货单", "an appeal": "申诉",
             "a pay period": "计薪周期", "a message": "消息",
             "a correction request": "更正申请"}
MOVES_ZH = {"accept": "接单", "accept a lot of": "接下其批次", "cancel": "取消", "close": "结束", "decide": "裁定",
            "decline": "拒绝", "deliver": "发送", "dispatch": "派单", "escalate": "上报", "expire": "过期处理",
            "hand in": "交货", "inspect": "验收", "issue": "发料", "offer": "派出", "pass automatically": "自动验收",
            "re-price": "调整单价", "release": "退回重派", "settle": "结清", "withdraw": "撤回"}
STATUSES_ZH = {"accepted": "已接单", "approved": "已批准", "auto_accepted": "已自动验收", "cancelled": "已取消",
               "closed": "已结账",
               "declined": "已拒绝", "done": "已完成", "escalated": "待人工派单", "expired": "已过期",
               "failed": "发送失败", "fulfilled": "已完成", "in_progress": "进行中", "in_work": "生产中",
               "inspected": "已验收", "offered": "已派出", "open": "待派单", "paid": "已发放", "pending": "待处理",
               "rejected": "已驳回", "sent": "已发送", "upheld": "已支持", "withdrawn": "已撤回"}


class TransitionRefused(ValueError):
    """A move the current status does not allow; the message (Chinese, then English) names what is allowed."""

    def __init__(self, *, what: str, move: str, current: str, allowed: Iterable[str], why: str = "") -> None:
        self.what, self.move, self.current, self.allowed = what, move, current, tuple(allowed)
        options = ", ".join(self.allowed) if self.allowed else "nothing (final status)"
        options_zh = "、".join(MOVES_ZH.get(m, m) for m in self.allowed) if self.allowed else "无（已是最终状态）"
        because = f" ({why})" if why else ""
        thing, state = THINGS_ZH.get(what, what), STATUSES_ZH.get(current, current)
        super().__init__(f"此{thing}当前为「{state}」，不能{MOVES_ZH.get(move, move)}{because}；现在可以：{options_zh}"
                         f" / cannot {move} {what} that is {current}; allowed from {current}: {options}")


@dataclass(frozen=True, eq=False)  # one of each machine: identity is equality
class Machine(Generic[S]):
    """Which status each move may start from; `what` names the thing in messages ("a lot", "an order")."""

    what: str
    statuses: type[S]
    moves: Mapping[str, tuple[S, ...]]

    def allowed(self, current: S) -> list[str]:
        """The moves `current` allows, in declaration order (e.g. which buttons a coordinator may press)."""
        return [move for move, sources in self.moves.items() if current in sources]

    def is_final(self, current: S) -> bool:
        """True when no move starts from `current`."""
        return not self.allowed(current)

    def check(self, current: str, move: str, *, why: str = "") -> S:
        """`current` as a status if `move` may start from it, else TransitionRefused naming what is allowed.

        `why` is given when the status would allow the move but the thing's state does not (the caller's test).
        """
        status = self.statuses(current)
        if why or status not in self.moves[move]:
            raise TransitionRefused(what=self.what, move=move, current=str(status), allowed=self.allowed(status),
                                    why=why)
        return status

    def move(self, current: str, move: str, to: S, *, why: str = "") -> S:
        """`to`, if `move` may start from `current` (see `check`); else TransitionRefused naming what is allowed."""
        self.check(current, move, why=why)
        return to
