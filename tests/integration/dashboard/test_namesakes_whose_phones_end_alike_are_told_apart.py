"""Two residents of one community with the same name whose phones end in the same four digits: the coordinator's
pickers (发放奖励或扣回 here) and the printed pay slip told them apart by those four digits, so both read
'高珍英（尾号6417）' — a bonus could go to the wrong one, and two slips said the same name. The pickers now show the
phone as masked for a coordinator ('高珍英（138****6417）'), the slip as many last digits as it takes
('高珍英（尾号56417）'); never the whole number."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.dashboard_world import COORD1, World
from domain.orders.masking import mask_phone
from domain.pay.periods import period_for
from schemas import commands as c
from store.db import reading
from store.tables import Resident
from usecases import registry
from usecases.execute import execute
from usecases.queries.pay import pay_slip


def _a_namesake_whose_phone_ends_like_hers(world: World) -> tuple[str, str, str]:
    """Register another resident of comm-001 with the worker's name and a phone ending in her phone's last five
    digits but one; returns (name, her phone, the namesake's phone)."""
    with reading(world.engine) as s:
        her = s.get(Resident, world.worker)
        assert her is not None and her.phone
        name, phone = her.name, her.phone
    other_fifth = "1" if phone[-5] != "1" else "2"
    theirs = ("137000" if not phone.startswith("137") else "136000") + other_fifth + phone[-4:]
    assert theirs != phone and theirs[-4:] == phone[-4:] and theirs[-5] != phone[-5] and len(theirs) == 11
    execute(world.engine, world.settings, registry.register_resident, c.RegisterResident(
        resident_id="comm-001-namesake", community_id="comm-001", name=name, phone=theirs), actor=COORD1)
    return name, phone, theirs


def test_the_bonus_picker_names_two_namesakes_differently(world: World, open_page) -> None:  # noqa: ANN001
    name, hers, theirs = _a_namesake_whose_phone_ends_like_hers(world)
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "pay"
    at.run()
    assert not at.exception
    shown = [o for o in at.selectbox(key="adjust_resident").options if o.startswith(name)]
    # The picker has the phones as masked for a coordinator: the same last digits, told apart by the start.
    assert sorted(shown) == sorted([f"{name}（{mask_phone(hers)}）", f"{name}（{mask_phone(theirs)}）"]), shown


def test_their_pay_slips_name_them_differently(world: World) -> None:
    name, hers, theirs = _a_namesake_whose_phone_ends_like_hers(world)
    assert hers[-5] != theirs[-5]
    with reading(world.engine) as s:
        period = period_for(datetime.now(UTC)).period_id
        mine, _ = pay_slip(s, COORD1, world.worker, period)
        other, _ = pay_slip(s, COORD1, "comm-001-namesake", period)
    assert mine.printed_name == f"{name}（尾号{hers[-5:]}）"
    assert other.printed_name == f"{name}（尾号{theirs[-5:]}）"
