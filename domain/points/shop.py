"""The points shop (积分超市): whether a redemption may go ahead, and names as the 公示 shows them."""

from __future__ import annotations


class ShopRefusal(Exception):
    """A redemption that may not happen: `field` names the input, `reason` says why (Chinese first)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def check_redemption(*, balance: int, stock: int, price_points: int, quantity: int, active: bool = True) -> int:
    """The points `quantity` items cost; ShopRefusal if out of stock, not on sale or more than the balance."""
    if quantity <= 0:
        raise ShopRefusal("quantity", f"数量必须大于 0 (quantity must be positive), got {quantity}")
    if not active:
        raise ShopRefusal("item_id", "该商品已下架 (this item is no longer offered)")
    if quantity > stock:
        raise ShopRefusal("quantity", f"库存不足：剩 {stock} 件 (out of stock: {stock} left, {quantity} asked)")
    cost = price_points * quantity
    if cost > balance:
        raise ShopRefusal("points", f"积分不足：需要 {cost} 分，余额 {balance} 分 "
                                    f"(not enough points: {cost} needed, balance {balance})")
    return cost


def mask_name(name: str) -> str:
    """A name as residents expect it on a public list: '张美梅' -> '张*梅', '李娜' -> '李*', '欧阳小明' -> '欧**明'."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
