"""A community's settings (社区设置): pay period kind, minimum-wage top-up, division, debt-recovery cap, and
matching's fairness weight."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from schemas.registry import ChangeCommunitySettings
from store.outbox import audit
from store.tables import Community, LedgerPeriod, PayPeriod
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, NotFound
from usecases.lookups import held_from_postings
from usecases.minimum_wages import divisions, resolve_division


class CommunitySettingsView(BaseModel):
    """What a coordinator of the community (or the city) reads and changes."""

    community_id: str
    period_kind: str
    tops_up_minimum_wage: bool
    division: str
    division_name: str
    debt_recovery_cap_bps: int
    match_fairness_weight: float  # MatchPolicy.fairness_weight for this community's matching (issue 18)


def settings_view(community: Community) -> CommunitySettingsView:
    return CommunitySettingsView(
        community_id=community.id, period_kind=community.period_kind,
        tops_up_minimum_wage=community.tops_up_minimum_wage, division=community.division,
        division_name=divisions().full_name(community.division) if community.division else "",
        debt_recovery_cap_bps=community.debt_recovery_cap_bps,
        match_fairness_weight=community.match_fairness_weight)


def managed_community(session: Session, actor: Actor, community_id: str, *, lock: bool = False) -> Community:
    """The community, for the city or one of its coordinators; anyone else gets the 404 an unknown id gets. With
    `lock`, held from postings into its pay periods until the transaction ends (usecases.lookups.held_from_postings).
    """
    actor.require("city", "coordinator")
    community = held_from_postings(session, community_id) if lock else session.get(Community, community_id)
    if community is None or not actor.may_see_community(community_id):
        raise NotFound("community_id", f"no such community: {community_id}")
    return community


def community_settings(session: Session, actor: Actor, community_id: str) -> CommunitySettingsView:
    """The settings of a community the caller manages (city, or a coordinator of it)."""
    return settings_view(managed_community(session, actor, community_id))


def change_community_settings(session: Session, community_id: str, cmd: ChangeCommunitySettings, *, actor: Actor,
                              ctx: Context) -> list[Any]:
    """Change the fields given; the audit record keeps each one's value before and after.

    Raises Rejected("division") as registration does; Conflict("period_kind") while the community has pay in a
    period not yet closed (its entries would belong to no period of the new kind).
    """
    # locked first: an earnings batch posting into an open period either commits before the check below sees its
    # pay, or waits and posts into a period of the new kind
    community = managed_community(session, actor, community_id, lock=True)
    wanted = cmd.model_dump(exclude_none=True)
    if "division" in wanted:
        wanted["division"] = resolve_division(session, wanted["division"])
    if wanted.get("period_kind", community.period_kind) != community.period_kind:
        _no_open_pay(session, community_id)
    changes = {k: {"before": getattr(community, k), "after": v} for k, v in wanted.items()
               if getattr(community, k) != v}
    for key, change in changes.items():
        setattr(community, key, change["after"])
    session.add(community)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="community.settings",
          subject=community_id, changes=changes)
    return []


def _no_open_pay(session: Session, community_id: str) -> None:
    closed = select(PayPeriod.period_id).where(PayPeriod.community_id == community_id)
    open_ids = sorted(set(session.exec(select(LedgerPeriod.period_id).where(  # periods with lines (issue 19)
        LedgerPeriod.community_id == community_id, col(LedgerPeriod.period_id).not_in(closed)).distinct()).all()))
    if open_ids:
        raise Conflict("period_kind", f"本社区还有未结算的工资期 {'、'.join(open_ids)}，结算后才能改工资期类型 "
                                      f"(periods {', '.join(open_ids)} hold pay not yet closed: close them first)")
