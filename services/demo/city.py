"""A deterministic, seeded city: communities, sites, enterprises, products and residents (pure data)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from schemas import commands as c
from streams.domain.orders.id_number import make_id_number
from streams.domain.orders.uscc import make_uscc_from_parts

DEMO_PASSWORD = "demo-pass-1"
PRODUCTS = (
    c.RegisterProduct(product_code="BEAD-01", name="串珠手链", skill="beading", standard_minutes_per_piece=6,
                      defect_codes=["LOOSE", "WRONG_COLOR", "BROKEN"], lot_size=60, min_lot_size=20),
    c.RegisterProduct(product_code="NET-02", name="编织网兜", skill="weaving", standard_minutes_per_piece=12,
                      defect_codes=["KNOT", "SIZE", "DIRTY"], lot_size=30, min_lot_size=10),
    c.RegisterProduct(product_code="PACK-03", name="小件包装", skill="packing", standard_minutes_per_piece=2,
                      defect_codes=["MISSING", "SEAL"], lot_size=200, min_lot_size=50),
)
STREETS = ("南京东路街道", "外滩街道", "老西门街道", "豫园街道", "打浦桥街道")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英桂兰建国玉梅志强丽华淑珍海燕春花国平凤英德明"


@dataclass
class CityPlan:
    """Everything to register, in order, plus the sign-ins the demo hands out."""

    communities: list[c.RegisterCommunity] = field(default_factory=list)
    enterprises: list[c.RegisterEnterprise] = field(default_factory=list)
    products: list[c.RegisterProduct] = field(default_factory=list)
    sites: list[c.RegisterSite] = field(default_factory=list)
    residents: list[c.RegisterResident] = field(default_factory=list)
    users: list[dict[str, object]] = field(default_factory=list)


def build_city(*, seed: int = 7, communities: int = 2, sites_per_community: int = 2,
               residents_per_community: int = 20, enterprises: int = 2, city: str = "shanghai") -> CityPlan:
    """A city of the given size; the same seed gives the same city."""
    rng = random.Random(seed)
    plan = CityPlan(products=list(PRODUCTS))
    for e in range(enterprises):
        uscc = make_uscc_from_parts(authority="9", kind="1", division="310101", org_body8=f"{7100000 + e:08d}")
        plan.enterprises.append(c.RegisterEnterprise(enterprise_id=f"ent-{e + 1:02d}", name=f"合作企业{e + 1}号",
                                                     uscc=uscc))
        plan.users.append({"username": f"ent{e + 1}", "role": "enterprise", "enterprise_id": f"ent-{e + 1:02d}",
                           "display_name": f"合作企业{e + 1}号"})
    plan.users.append({"username": "city", "role": "city", "display_name": "区人社局"})
    for k in range(communities):
        cid = f"comm-{k + 1:03d}"
        plan.communities.append(c.RegisterCommunity(community_id=cid, name=f"第{k + 1}社区",
                                                    street=STREETS[k % len(STREETS)], district="黄浦区", city=city))
        plan.users.append({"username": f"coord{k + 1}", "role": "coordinator", "community_ids": [cid],
                           "display_name": f"第{k + 1}社区工作者"})
        site_ids = []
        for s in range(sites_per_community):
            sid = f"{cid}-site-{s + 1}"
            site_ids.append(sid)
            plan.sites.append(c.RegisterSite(
                site_id=sid, community_id=cid, name=f"第{k + 1}社区微工厂{s + 1}", seats=rng.randint(6, 15),
                opening_hours=[(d, 8 * 60, 17 * 60) for d in range(6)],
                lat=31.23 + rng.uniform(-0.03, 0.03), lon=121.47 + rng.uniform(-0.03, 0.03)))
        for r in range(residents_per_community):
            plan.residents.append(_resident(rng, cid, r, site_ids))
    return plan


def _resident(rng: random.Random, community_id: str, n: int, site_ids: list[str]) -> c.RegisterResident:
    """A resident of one of the real-world kinds: retiree, parent on the school run, disabled (at home)."""
    kind = rng.choices(("retiree", "parent", "disabled"), weights=(5, 4, 1))[0]
    if kind == "retiree":
        slots, mode = [(d, 8 * 60, 11 * 60 + 30) for d in range(6)] + [(d, 14 * 60, 17 * 60) for d in range(5)], \
            rng.choice(["onsite", "either"])
    elif kind == "parent":
        slots, mode = [(d, 9 * 60, 15 * 60) for d in range(5)], rng.choice(["either", "home"])
    else:
        slots, mode = [(d, 10 * 60, 16 * 60) for d in range(6)], "home"
    skills = {p.skill: rng.randint(1, 3) for p in PRODUCTS if rng.random() < 0.6} or {"packing": 1}
    rid = f"{community_id}-r{n + 1:03d}"
    has_phone = rng.random() < 0.8
    return c.RegisterResident(
        resident_id=rid, community_id=community_id, name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
        phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}" if has_phone else None,
        id_number=make_id_number(f"310101{rng.randint(1950, 1995)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
                                 f"{rng.randint(100, 999)}"),
        work_mode=mode, skills=skills, availability=slots,  # type: ignore[arg-type]
        reachable_site_ids=site_ids if mode != "home" else [], priority_group=kind == "disabled",
        max_open_lots=2, password=DEMO_PASSWORD if has_phone else None)
