"""验收 on a 390 px phone: the picker cut its options off at the product, so the coordinator could not read whose
hand-in she was inspecting (new-user trial). Each option now starts with the resident's name and stays short; the
whole hand-in (who, when, how many, which lot of which product) is written out, wrapping, under the picker."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from bench.dashboard_world import COORD1
from store.db import reading
from store.tables import Lot, Order, Product, Resident, Submission

# What a 390 px phone's picker shows before it cuts off (screenshot at 390 px): about 22 Chinese characters, a digit or
# a dot counting as half of one.
PHONE_PICKER_WIDTH = 22


def width(text: str) -> float:
    """Display width in Chinese characters: a CJK character 1, anything else (digits, dots, spaces) about half."""
    return sum(1 if ord(ch) > 0x2E80 else 0.5 for ch in text)


def opened_at_inspection(open_page) -> AppTest:  # noqa: ANN001
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "inspect"
    return at.run()


def test_each_hand_in_is_named_by_its_resident_first_and_fits_a_phone(world, open_page) -> None:
    with reading(world.engine) as s:
        sub = s.get(Submission, world.submission_pending)
        name, code = s.get(Resident, sub.resident_id).name, s.get(Lot, sub.lot_id).short_code
    at = opened_at_inspection(open_page)
    assert not at.exception
    picker = at.selectbox(key="inspect_submission")
    label = picker.options[picker.index]
    assert label.startswith(f"{name} · {code} · 10 件 · "), label
    assert width(label) <= PHONE_PICKER_WIDTH, f"{label!r} is cut off on a 390 px phone"


def test_the_chosen_hand_in_is_written_out_in_full_under_the_picker(world, open_page) -> None:
    with reading(world.engine) as s:
        sub = s.get(Submission, world.submission_pending)
        lot = s.get(Lot, sub.lot_id)
        name = s.get(Resident, sub.resident_id).name
        product = s.get(Product, s.get(Order, lot.order_id).product_code).name
    at = opened_at_inspection(open_page)
    detail = [m.value for m in at.markdown if f"批次 {lot.short_code}" in m.value]
    assert len(detail) == 1 and name in detail[0] and "交的 10 件" in detail[0] and product in detail[0], detail
