"""A community's coordinator reads and sets how much matching favours residents below their fair share (issue 18),
in the community's settings; the matcher uses the community's own weight from its next batch."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from domain.matching.model import DEFAULT_FAIRNESS_WEIGHT
from services.api.app import create_app
from store.db import reading
from store.tables import AuditRecord
from tests.integration.api.test_pay_slips_settlements_and_payouts_over_http import _login
from usecases.match_inputs import match_policy

PATH = "/api/v1/communities/comm-001/settings"


def test_the_fairness_weight_is_read_and_set_in_the_community_s_settings(pay_world: Any) -> None:
    client = TestClient(create_app(pay_world.settings))
    coordinator = _login(client, "coord1")
    assert client.get(PATH, headers=coordinator).json()["match_fairness_weight"] == DEFAULT_FAIRNESS_WEIGHT
    changed = client.put(PATH, headers=coordinator, json={"match_fairness_weight": 0.5})
    assert changed.status_code == 200, changed.text
    assert changed.json()["match_fairness_weight"] == 0.5
    with reading(pay_world.engine) as session:
        assert match_policy(session, "comm-001").fairness_weight == 0.5
        assert match_policy(session, "comm-002").fairness_weight == DEFAULT_FAIRNESS_WEIGHT
        [record] = session.exec(select(AuditRecord).where(AuditRecord.action == "community.settings")).all()
    assert record.detail["changes"] == {"match_fairness_weight": {"before": DEFAULT_FAIRNESS_WEIGHT, "after": 0.5}}


def test_a_weight_that_is_not_a_number_from_0_to_10_is_refused_naming_the_field(pay_world: Any) -> None:
    client = TestClient(create_app(pay_world.settings))
    coordinator = _login(client, "coord1")
    for bad in ("-0.1", "10.5", '"很高"', "NaN"):
        reply = client.put(PATH, headers={**coordinator, "content-type": "application/json"},
                           content=f'{{"match_fairness_weight": {bad}}}')
        assert reply.status_code == 422, (bad, reply.text)
        assert "match_fairness_weight" in reply.json()["detail"][0]["field"]
    assert client.get(PATH, headers=coordinator).json()["match_fairness_weight"] == DEFAULT_FAIRNESS_WEIGHT
