"""A rating card names the coordinator who acted for the resident (代办人) as the resident knows her: her display
name ('李梅'), and without one the role word '社区工作者' — as a dispatched offer does
(usecases.queries.ratings.helper_names) — never her sign-in name ('coord1', shown when no display name was set)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from services.api.app import create_app
from store.db import transaction
from store.tables import User
from tests.integration.api.test_pay_slips_settlements_and_payouts_over_http import _login, _paid_work


@pytest.mark.parametrize(("display_name", "shown"), [("", "社区工作者"), ("  ", "社区工作者"), ("李梅", "李梅")])
def test_the_helper_on_a_rating_card_is_named_never_by_her_sign_in(
        pay_world: Any, residents: list[str], display_name: str, shown: str) -> None:
    me = residents[0]
    _paid_work(pay_world, me)  # coord1 hands in for her (代为交货): an act she may rate
    with transaction(pay_world.engine) as s:
        coordinator = s.exec(select(User).where(User.username == "coord1")).one()
        coordinator.display_name = display_name
        s.add(coordinator)
    client = TestClient(create_app(pay_world.settings))
    acts = client.get("/api/v1/ratings/acts", headers=_login(client, me)).json()
    helped = [(a["helper"], a["helper_name"]) for a in acts if a["act_kind"] == "submission"]
    assert helped == [("coord1", shown)], acts
