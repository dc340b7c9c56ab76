"""GET /orders scoped in SQL (issue 19: jsonb ?| on PostgreSQL, json_each on SQLite) matches a coordinator's
community ids exactly whatever characters they hold: quotes, a backslash, LIKE's % and _, Chinese, 600 characters,
a trailing space, an id that is a prefix of another, an empty id, ids that look like JSON or an operator; with no
community, one, several or all of them; in a transaction and in the API's autocommit reads. Each answer is every
order naming one of the caller's ids, found one by one here, in the city's order (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lots_world import ENTERPRISE_ID, PRODUCT, LotsWorld
from sqlmodel import select

from store.db import reading, reading_statements, transaction
from store.tables import Order
from usecases.actors import Actor
from usecases.queries import reads

ODD_IDS = ["q'uote", 'dq"uote', "a\\b", "pct%", "%", "under_score", "_", "社区一", "x" * 600, "na", "n", "na ",
           "", "?|", '["na"]']
CITY = Actor(username="city", role="city")


def test_a_coordinator_sees_the_orders_naming_one_of_their_ids_exactly(world: LotsWorld) -> None:
    now = datetime.now(UTC)
    offered = [[cid] for cid in ODD_IDS] + [["zz", "社区一"], ["n", "pct%"]]
    with transaction(world.engine) as session:
        for i, communities in enumerate(offered):
            session.add(Order(id=f"odd-{i}", enterprise_id=ENTERPRISE_ID, product_code=PRODUCT, quantity=1,
                              piece_rate_centifen=3000, due_at=now + timedelta(days=3),
                              eligible_community_ids=communities, posted_at=now + timedelta(seconds=i)))
    with reading(world.engine) as session:
        every = [o.id for o in reads.orders(session, CITY)]
        stored = session.exec(select(Order)).all()
    assert len(every) == len(offered)
    for mine in [[cid] for cid in ODD_IDS] + [["社区一", "pct%"], [], ["nope"], ["N"], ODD_IDS]:
        actor = Actor(username="c", role="coordinator", community_ids=frozenset(mine))
        expected = [i for i in every if any(actor.may_see_community(c) for o in stored if o.id == i
                                            for c in o.eligible_community_ids)]
        for session_of in (reading, reading_statements):
            with session_of(world.engine) as session:
                assert [o.id for o in reads.orders(session, actor)] == expected, mine
                assert [o.id for o in reads.orders(session, actor, limit=1, offset=1)] == expected[1:2], mine
