"""The matching's hard rules where people act by hand: a coordinator's dispatch and a resident's accept.

Which rules a pairing breaks is decided once, in domain.matching.rules.hard_rules_broken, over the same
inputs the matcher reads (usecases.match_inputs) and the same committed work (usecases.workload), pending
offers included. This module loads those inputs and words each broken rule for people, Chinese first.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from domain.lifecycle.lot import SEATED
from domain.matching.explain import SKILL_NAMES_ZH
from domain.matching.model import LotNeed, MatchPolicy, Mode
from domain.matching.rules import HARD_RULES, Broken, hard_rules_broken, minutes_needed
from store.tables import Lot, Order, Product, Resident, Site
from usecases.actors import Actor
from usecases.errors import NotFound, Rejected
from usecases.lookups import find_lot
from usecases.match_inputs import lot_need, resident_state, site_states
from usecases.queries.names import lot_names
from usecases.workload import commitments

# Re-checked when an offer is accepted: what may have changed since it was made (seat and mode were settled then).
ACCEPT_RULES = ("skill", "level", "time", "open_lots")

_ZH = {
    "active": "该居民已停用（启用状态 active 为否），不再接活",
    "skill": "该居民没有此工序技能（{skill}）",
    "level": "该居民的技能等级不够（{skill}：{level}级，此批次要求至少{min_level}级）",
    "work_mode": "工作方式不符（居民：{work_mode}；此批次{home}）",
    "seat": "微工厂「{site}」没有空余工位",
    "time": "交期前做不完：按该居民的速度，截至批次 {lot} 的交期需工作 {needed} 分钟，只有 {available} 分钟可用",
    "open_lots": "手上批次已满：接下后共 {open_lots} 个，上限 {max_open_lots} 个",
}
_EN = {
    "active": "the resident is deactivated (active is false) and takes no work",
    "skill": "the resident lacks the skill ({skill})",
    "level": "skill level too low ({skill}: {level}, needs {min_level})",
    "work_mode": "work mode does not fit (resident: {work_mode}, take-home allowed: {home})",
    "seat": "no free seat at {site}",
    "time": "cannot finish in time: {needed} minutes of work due by lot {lot}'s due date, {available} available",
    "open_lots": "too many open lots: {open_lots} with this one, limit {max_open_lots}",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """What giving a lot to a resident by hand would break, and where it would be worked."""

    mode: Mode
    site_id: str | None
    work_minutes: float  # the whole lot at the resident's speed (recorded on the offer: Offer.work_minutes)
    broken: tuple[Broken, ...]

    @property
    def rules(self) -> list[str]:
        return [b.rule for b in self.broken]


def check(session: Session, lot: Lot, resident: Resident, *, now: datetime,
          checked: Collection[str] = HARD_RULES, with_offers: bool = True) -> Verdict:
    """The hard rules in `checked` that `resident` holding `lot` breaks, judged on the live database.

    The resident's committed work includes their pending offers (without them when `with_offers` is False:
    accepting judges the lot against the work already accepted, so of two offers that cannot both be done the
    first accepted wins); a live offer of this very lot counts once.
    """
    need, seats = _lot_and_seats(session, lot)
    held = [x for x in commitments(session, resident_ids=[resident.id]).get(resident.id, [])
            if with_offers or x.kind == "held" or x.lot_id == lot.id]
    state = resident_state(resident, held)
    mode, broken = hard_rules_broken(need, state, commitments=held, seats_free=seats, now=now, policy=MatchPolicy(),
                                     checked=checked)
    return Verdict(mode=mode, site_id=need.site_id if mode == "onsite" else None,
                   work_minutes=minutes_needed(need, state), broken=_named(session, broken))


def rules_broken_by_each(session: Session, actor: Actor, lot_id: str, *, now: datetime) -> dict[str, list[str]]:
    """Resident id → the hard rules (HARD_RULES names, [] for none) that dispatching `lot_id` to her would break now,
    for every resident of the lot's community: what preview() says of each, read in one go (the lot, its sites and
    the community's committed work loaded once, not once a resident; a dispatch picker lists them all).

    Raises Forbidden outside the coordinator's communities, NotFound for an unknown lot.
    """
    actor.require("coordinator")
    lot = find_lot(session, lot_id)
    if lot is None:
        raise NotFound("lot_id", f"no such lot: {lot_id}")
    actor.require_community(lot.community_id)
    need, seats = _lot_and_seats(session, lot)
    plates = commitments(session, community_id=lot.community_id)
    out: dict[str, list[str]] = {}
    for resident in session.exec(select(Resident).where(Resident.community_id == lot.community_id)):
        held = plates.get(resident.id, [])
        _, broken = hard_rules_broken(need, resident_state(resident, held), commitments=held, seats_free=seats,
                                      now=now, policy=MatchPolicy())
        out[resident.id] = [b.rule for b in broken]
    return out


def _lot_and_seats(session: Session, lot: Lot) -> tuple[LotNeed, dict[str, int]]:
    """What `lot` needs of whoever holds it, and the free seats of its community's micro-factories (site id → seats),
    counting the seat this lot already takes as free to it: the part of a hard-rule check that is the same for every
    resident. Raises LookupError when the lot has no order or product."""
    order = session.get(Order, lot.order_id)
    product = session.get(Product, order.product_code) if order else None
    if order is None or product is None:
        raise LookupError(f"lot {lot.id} has no order or product")
    sites = site_states(session, lot.community_id)
    need = lot_need(lot, order, product, [s.site_id for s in sites])
    seats = {s.site_id: s.seats_free for s in sites}
    if lot.mode == "onsite" and lot.site_id in seats and lot.status in SEATED:
        seats[lot.site_id] += 1  # the seat this lot already takes is the one it would keep
    return need, seats


def _named(session: Session, broken: tuple[Broken, ...]) -> tuple[Broken, ...]:
    """Each broken rule's micro-factory and lot also by the names people use — the site's name and the lot's short
    code (批次简码; an older lot '编织网兜-第3批', domain.orders.lot_codes.lot_code) as params `site` and `lot` — for
    describe(); the ids stay beside them."""
    named = []
    for b in broken:
        params = dict(b.params)
        extra: list[tuple[str, str]] = []
        if "site_id" in params:
            site = session.get(Site, str(params["site_id"]))
            extra.append(("site", site.name if site else str(params["site_id"])))
        if "lot_id" in params:
            lot = lot_names(session, [str(params["lot_id"])]).get(str(params["lot_id"]))
            extra.append(("lot", lot.code if lot else str(params["lot_id"])))
        named.append(Broken(b.rule, b.params + tuple(extra)))
    return tuple(named)


WORK_MODES_ZH = {"onsite": "到微工厂做", "home": "带回家做", "either": "两种都可以"}


def describe(broken: Broken, lang: str = "zh") -> str:
    """One broken rule in plain words, with its figures; in Chinese the skill and work mode by their Chinese names
    (domain.matching.explain.SKILL_NAMES_ZH; an unnamed skill keeps its code), never an English code."""
    params = {k: v for k, v in broken.params}
    if broken.rule == "work_mode":
        allowed = bool(params.get("take_home_allowed"))
        params["home"] = ("允许带回家做" if allowed else "不允许带回家做") if lang == "zh" else str(allowed).lower()
    if lang == "zh":
        if "skill" in params:
            params["skill"] = SKILL_NAMES_ZH.get(str(params["skill"]), params["skill"])
        if "work_mode" in params:
            params["work_mode"] = WORK_MODES_ZH.get(str(params["work_mode"]), params["work_mode"])
    return (_ZH if lang == "zh" else _EN)[broken.rule].format(**params)


RULE_NAMES_ZH = {"active": "启用", "skill": "技能", "level": "技能等级", "work_mode": "工作方式",
                 "time": "交期前做得完", "open_lots": "在手批次上限", "seat": "工位"}


def rule_names(rules: Collection[str], lang: str = "zh") -> str:
    """Rules by the names the forms give them: ['skill', 'seat'] → '技能、工位' ('skill, seat' in English)."""
    return "、".join(RULE_NAMES_ZH.get(r, r) for r in rules) if lang == "zh" else ", ".join(rules)


def reason_in(broken: tuple[Broken, ...], lang: str = "zh") -> str:
    """Every broken rule in one language: '违反规则「技能」：该居民没有此工序技能（包装）' or 'breaks skill: …'."""
    if lang == "zh":
        return "；".join(f"违反规则「{RULE_NAMES_ZH[b.rule]}」：{describe(b)}" for b in broken)
    return "; ".join(f"breaks {b.rule}: {describe(b, 'en')}" for b in broken)


def reason(broken: tuple[Broken, ...], *, then_zh: str = "", then_en: str = "") -> str:
    """Every broken rule as one "中文 / English" reason (usecases.reasons.localize gives each reader one half, so a
    Chinese reader sees no English), each half optionally followed by what to do next, e.g. for a 422."""
    return f"{reason_in(broken)}{then_zh} / {reason_in(broken, 'en')}{then_en}"


def preview(session: Session, lot_id: str, resident_id: str, *, actor: Actor, now: datetime) -> list[dict[str, str]]:
    """The hard rules dispatching `lot_id` to `resident_id` would break now, each as {rule, reason_zh, reason_en}.

    Read-only, for a coordinator choosing whom to dispatch to; the dispatch itself checks again.
    Raises Forbidden outside the coordinator's communities, NotFound for an unknown lot, Rejected for a resident
    not of the lot's community.
    """
    actor.require("coordinator")
    lot = find_lot(session, lot_id)  # a person may give the short code (批次简码)
    if lot is None:
        raise NotFound("lot_id", f"no such lot: {lot_id}")
    actor.require_community(lot.community_id)
    resident = session.get(Resident, resident_id)
    if resident is None or resident.community_id != lot.community_id:
        raise Rejected("resident_id", f"社区 {lot.community_id} 没有这位居民：{resident_id} / "
                                      f"no such resident in community {lot.community_id}: {resident_id}")
    return [{"rule": b.rule, "reason_zh": describe(b), "reason_en": describe(b, "en")}
            for b in check(session, lot, resident, now=now).broken]
