"""A deterministic, seeded city: communities, sites, enterprises, products and residents (pure data)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from domain.orders.id_number import make_id_number
from domain.orders.uscc import make_uscc_from_parts
from schemas import commands as c
from schemas.ids import entity_id

DEMO_PASSWORD = "demo-pass-1"
# The orders the demo posts (its month of history and its simulator) carry this id prefix, and their lots with them
# (domain.orders.splitting names a lot after its order): the simulator acts only on those, never on an order a real
# user posted, nor on its lots.
DEMO_ORDER_PREFIX = "ord-demo-"
PRODUCTS = (
    c.RegisterProduct(product_code="BEAD-01", name="串珠手链", skill="beading", standard_minutes_per_piece=6,
                      defect_codes=["LOOSE 松脱", "WRONG_COLOR 颜色不符", "BROKEN 破损"], lot_size=60, min_lot_size=20),
    c.RegisterProduct(product_code="NET-02", name="编织网兜", skill="weaving", standard_minutes_per_piece=12,
                      defect_codes=["KNOT 结头不良", "SIZE 尺寸不符", "DIRTY 脏污"], lot_size=30, min_lot_size=10),
    c.RegisterProduct(product_code="PACK-03", name="小件包装", skill="packing", standard_minutes_per_piece=2,
                      defect_codes=["MISSING 缺件", "SEAL 封口不良"], lot_size=200, min_lot_size=50),
)
# The sized cities (community and up) also sew and assemble; the small demo city keeps its three products.
MORE_PRODUCTS = (
    c.RegisterProduct(product_code="SEW-04", name="布袋缝制", skill="sewing", standard_minutes_per_piece=15,
                      defect_codes=["STITCH 线迹不良", "SIZE 尺寸不符", "STAIN 污渍"], lot_size=20, min_lot_size=10),
    c.RegisterProduct(product_code="ASM-05", name="小件组装", skill="assembly", standard_minutes_per_piece=4,
                      defect_codes=["MISSING 缺件", "LOOSE 松脱", "SCRATCH 划痕"], lot_size=100, min_lot_size=25),
)
STREETS = ("南京东路街道", "外滩街道", "老西门街道", "豫园街道", "打浦桥街道")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英桂兰建国玉梅志强丽华淑珍海燕春花国平凤英德明"
KINDS = ("retiree", "parent", "disabled")


def demo_order_id() -> str:
    """A new id for an order the demo posts, e.g. 'ord-demo-019ab3c4d5e6f7a8b9c0'."""
    return entity_id(DEMO_ORDER_PREFIX.rstrip("-"))


def made_by_the_demo(order_or_lot_id: str) -> bool:
    """Whether an order (or a lot of it) was posted by the demo rather than by a real user."""
    return order_or_lot_id.startswith(DEMO_ORDER_PREFIX)


@dataclass(frozen=True)
class CitySize:
    """How big a simulated city is."""

    communities: int
    sites_per_community: int
    residents_per_community: int
    enterprises: int


SIZES: dict[str, CitySize] = {
    "demo": CitySize(communities=2, sites_per_community=2, residents_per_community=20, enterprises=2),
    "community": CitySize(communities=1, sites_per_community=5, residents_per_community=200, enterprises=3),
    "city": CitySize(communities=26, sites_per_community=4, residents_per_community=200, enterprises=12),
    "province": CitySize(communities=500, sites_per_community=4, residents_per_community=200, enterprises=40),
}


@dataclass(frozen=True)
class ResidentTraits:
    """How a simulated resident behaves; the product never sees these, it learns speed and quality itself."""

    kind: str
    speed: float  # multiple of the standard pace (1.0 = the product's standard minutes per piece)
    defect_rate: float  # share of pieces that fail inspection
    acceptance: float  # chance of accepting an offer


@dataclass
class CityPlan:
    """Everything to register, in order, plus the sign-ins the demo hands out and the residents' simulated traits."""

    communities: list[c.RegisterCommunity] = field(default_factory=list)
    enterprises: list[c.RegisterEnterprise] = field(default_factory=list)
    products: list[c.RegisterProduct] = field(default_factory=list)
    sites: list[c.RegisterSite] = field(default_factory=list)
    residents: list[c.RegisterResident] = field(default_factory=list)
    users: list[dict[str, object]] = field(default_factory=list)
    traits: dict[str, ResidentTraits] = field(default_factory=dict)
    product_mix: dict[str, tuple[str, ...]] = field(default_factory=dict)  # enterprise id -> its product codes

    def coordinator_of(self, community_id: str) -> str:
        return next(str(u["username"]) for u in self.users
                    if u["role"] == "coordinator" and community_id in u["community_ids"])  # type: ignore[operator]

    def enterprise_users(self) -> dict[str, str]:
        """Enterprise id -> the username that posts its orders."""
        return {str(u["enterprise_id"]): str(u["username"]) for u in self.users if u["role"] == "enterprise"}


def build_sized_city(size: str, *, seed: int = 7) -> CityPlan:
    """A city of one of the named sizes (demo, community, city, province); the same seed gives the same city."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
    s = SIZES[size]
    products = PRODUCTS if size == "demo" else PRODUCTS + MORE_PRODUCTS
    plan = build_city(seed=seed, communities=s.communities, sites_per_community=s.sites_per_community,
                      residents_per_community=s.residents_per_community, enterprises=s.enterprises, products=products)
    return can_do_the_posted_work(plan, plan.communities[0].community_id) if size == "demo" else plan


def can_do_the_posted_work(plan: CityPlan, community_id: str) -> CityPlan:
    """The demo's residents of `community_id` without a phone get the skill of every product its enterprises post
    (at level 2, or their own if higher), so their coordinator has offers to accept for them (代为接单, README);
    with seed 7 both enterprises post only 小件包装 and none of the three had packing. Nothing else changes."""
    posted = {p.skill for p in plan.products
              if any(p.product_code in mix for mix in plan.product_mix.values())}
    plan.residents = [
        r.model_copy(update={"skills": {**r.skills, **{k: max(2, r.skills.get(k, 0)) for k in sorted(posted)}}})
        if r.community_id == community_id and r.phone is None else r for r in plan.residents]
    return plan


def build_city(*, seed: int = 7, communities: int = 2, sites_per_community: int = 2,
               residents_per_community: int = 20, enterprises: int = 2, city: str = "shanghai",
               division: str = "310101", products: tuple[c.RegisterProduct, ...] = PRODUCTS) -> CityPlan:
    """A city of the given size; the same seed gives the same city.

    Every community is in `division` (GB/T 2260; 310101 上海市黄浦区, whose streets they are named after), which
    decides the minimum wage their pay is judged by.
    """
    rng = random.Random(seed)
    # Traits and product mixes draw from their own stream, so the registered city stays what it was before them.
    habits = random.Random(seed * 7919 + 1)
    plan = CityPlan(products=list(products))
    codes = [p.product_code for p in products]
    for e in range(enterprises):
        uscc = make_uscc_from_parts(authority="9", kind="1", division="310101", org_body8=f"{7100000 + e:08d}")
        eid = f"ent-{e + 1:02d}"
        plan.enterprises.append(c.RegisterEnterprise(enterprise_id=eid, name=f"合作企业{e + 1}号", uscc=uscc))
        plan.users.append({"username": f"ent{e + 1}", "role": "enterprise", "enterprise_id": eid,
                           "display_name": f"合作企业{e + 1}号"})
        plan.product_mix[eid] = tuple(sorted(habits.sample(codes, min(len(codes), habits.randint(1, 3)))))
    plan.users.append({"username": "city", "role": "city", "display_name": "区人社局"})
    for k in range(communities):
        cid = f"comm-{k + 1:03d}"
        plan.communities.append(c.RegisterCommunity(community_id=cid, name=f"第{k + 1}社区",
                                                    street=STREETS[k % len(STREETS)], district="黄浦区", city=city,
                                                    division=division))
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
            resident, kind = _resident(rng, cid, r, site_ids, products)
            plan.residents.append(resident)
            plan.traits[resident.resident_id] = _traits(habits, kind)
    plan.residents = _one_record_each(plan.residents)
    return plan


def _one_record_each(residents: list[c.RegisterResident]) -> list[c.RegisterResident]:
    """Random numbers repeat in a large city; a real register holds each phone and ID number once.

    A repeated phone is dropped (that resident is served by their coordinator); a repeated ID number gets the
    next free sequence number (its digits 15-17), as a second person born that day would have.
    """
    phones: set[str] = set()
    ids: set[str] = set()
    unique = []
    for r in residents:
        update: dict[str, object] = {}
        if r.phone is not None and r.phone in phones:
            update.update(phone=None, password=None)
        number = r.id_number or ""
        while number in ids:
            number = make_id_number(f"{number[:14]}{(int(number[14:17]) + 1) % 1000:03d}")
        if number != (r.id_number or ""):
            update["id_number"] = number
        phones.add(r.phone or "")
        ids.add(number)
        unique.append(r.model_copy(update=update) if update else r)
    return unique


def _resident(rng: random.Random, community_id: str, n: int, site_ids: list[str],
              products: tuple[c.RegisterProduct, ...]) -> tuple[c.RegisterResident, str]:
    """A resident of one of the real-world kinds: retiree, parent on the school run, disabled (at home)."""
    kind = rng.choices(KINDS, weights=(5, 4, 1))[0]
    if kind == "retiree":
        slots, mode = [(d, 8 * 60, 11 * 60 + 30) for d in range(6)] + [(d, 14 * 60, 17 * 60) for d in range(5)], \
            rng.choice(["onsite", "either"])
    elif kind == "parent":  # between the morning drop-off and the afternoon pick-up, school days only
        slots, mode = [(d, 9 * 60, 15 * 60) for d in range(5)], rng.choice(["either", "home"])
    else:
        slots, mode = [(d, 10 * 60, 16 * 60) for d in range(6)], "home"
    skills = {p.skill: rng.randint(1, 3) for p in products if rng.random() < 0.6} or {"packing": 1}
    rid = f"{community_id}-r{n + 1:03d}"
    has_phone = rng.random() < 0.8
    return c.RegisterResident(
        resident_id=rid, community_id=community_id, name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
        phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}" if has_phone else None,
        id_number=make_id_number(f"310101{rng.randint(1950, 1995)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
                                 f"{rng.randint(100, 999)}"),
        work_mode=mode, skills=skills, availability=slots,  # type: ignore[arg-type]
        reachable_site_ids=site_ids if mode != "home" else [], priority_group=kind == "disabled",
        max_open_lots=2, password=DEMO_PASSWORD if has_phone else None), kind


# kind -> ranges of (speed, defect rate, acceptance): retirees are careful and say yes, parents are quick
# but busy, people with disabilities vary most.
TRAIT_RANGES = {
    "retiree": ((0.7, 1.1), (0.01, 0.04), (0.85, 0.97)),
    "parent": ((0.9, 1.3), (0.02, 0.06), (0.6, 0.9)),
    "disabled": ((0.5, 1.1), (0.01, 0.08), (0.8, 0.98)),
}


def _traits(rng: random.Random, kind: str) -> ResidentTraits:
    """A resident's simulated habits, drawn for their kind."""
    speed, defects, acceptance = TRAIT_RANGES[kind]
    return ResidentTraits(kind, speed=round(rng.uniform(*speed), 3), defect_rate=round(rng.uniform(*defects), 4),
                          acceptance=round(rng.uniform(*acceptance), 3))
