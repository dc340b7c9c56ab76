"""Scope is enforced in the queries themselves, not only by which pages a role is shown."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bench.dashboard_world import COORD1, ENT1, actor
from store.db import reading
from usecases.errors import Forbidden, NotFound
from usecases.queries.dashboard import city_overview, coordinator_board
from usecases.queries.dashboard_enterprise import enterprise_view
from usecases.queries.dashboard_resident import resident_home

NOW = datetime.now(UTC)


def test_no_one_but_city_and_coordinators_reads_the_overview(world) -> None:
    with reading(world.engine) as s:
        for who in (ENT1, actor(world.worker, "resident", resident_id=world.worker)):
            with pytest.raises(Forbidden):
                city_overview(s, who, now=NOW)
        with pytest.raises(Forbidden):
            city_overview(s, COORD1, now=NOW, community_id="comm-002")


def test_boards_and_orders_belong_to_their_roles(world) -> None:
    with reading(world.engine) as s:
        with pytest.raises(Forbidden):
            coordinator_board(s, actor("city", "city"), now=NOW)
        with pytest.raises(Forbidden):
            enterprise_view(s, COORD1, now=NOW, service_fee_bps=500)
        assert [o.order.id for o in enterprise_view(s, ENT1, now=NOW, service_fee_bps=500).orders] == [
            world.order_ent1]


def test_a_resident_cannot_read_another_resident_s_page(world) -> None:
    other = world.phone_residents["comm-001"][3]
    with reading(world.engine) as s, pytest.raises(NotFound):
        resident_home(s, actor(other, "resident", resident_id=other), world.worker, now=NOW)
    coord2 = actor("coord2", "coordinator", community_ids=frozenset({"comm-002"}))
    with reading(world.engine) as s, pytest.raises(NotFound):
        resident_home(s, coord2, world.proxy_for, now=NOW)
