"""Who is acting: a signed-in person and the scope of what they may see and do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from usecases.errors import Forbidden

ROLE_ZH = {"city": "城市管理员", "coordinator": "社区工作者", "enterprise": "企业", "resident": "居民",
           "system": "系统"}

Role = Literal["city", "coordinator", "enterprise", "resident", "system"]


@dataclass(frozen=True)
class Actor:
    """The caller of a use case; scope checks live here so every entry point shares them."""

    username: str
    role: Role
    resident_id: str | None = None
    enterprise_id: str | None = None
    community_ids: frozenset[str] = field(default_factory=frozenset)

    def require(self, *roles: Role) -> None:
        if self.role not in roles and self.role != "system":
            raise Forbidden("role", f"{ROLE_ZH.get(self.role, self.role)}不能做这件事（须为"
                                    f"{'或'.join(ROLE_ZH.get(r, r) for r in roles)}） / "
                                    f"{self.role} may not do this (needs {' or '.join(roles)})")

    def may_see_community(self, community_id: str) -> bool:
        return self.role in ("city", "system") or community_id in self.community_ids

    def require_community(self, community_id: str) -> None:
        if not self.may_see_community(community_id):
            raise Forbidden("community_id", f"not one of your communities: {community_id}")

    def require_resident(self, resident_id: str, community_id: str) -> None:
        """A resident acts for themself; a coordinator of their community may act on their behalf."""
        if self.role == "resident" and self.resident_id == resident_id:
            return
        if self.role in ("coordinator", "system") and self.may_see_community(community_id):
            return
        raise Forbidden("resident_id", "只能为自己或你负责的社区的居民办理 / "
                                       "you may only act for yourself or residents of your communities")

    def on_behalf(self, resident_id: str) -> bool:
        """True when someone other than the resident acts for them (代办)."""
        return not (self.role == "resident" and self.resident_id == resident_id)


SYSTEM = Actor(username="system", role="system")
