"""A lot made before short codes existed reads the same wherever the resident meets it — her lot cards, the appeal
form, her filed appeals, her rating cards (over the API) and her pay slip: '串珠手链-第1批'
(domain.orders.lot_codes.lot_code). Each of them kept its own copy of the rule and spelt it '串珠手链 第1批'."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from schemas import commands as c
from services.api.app import create_app
from store.db import reading
from tests.integration.api.test_pay_slips_settlements_and_payouts_over_http import _login
from usecases import appeals, work
from usecases.actors import Actor
from usecases.queries.dashboard_resident import resident_home
from usecases.queries.pay import pay_slip

SHOWN = "串珠手链-第1批"  # PayWorld's lots have no short code; the product BEAD-01 is 串珠手链


def test_an_older_lot_reads_as_its_product_and_number_on_every_card_she_sees(pay_world: Any,
                                                                              residents: list[str]) -> None:
    me = residents[0]
    her = Actor(username=me, role="resident", resident_id=me, community_ids=frozenset({"comm-001"}))
    lot = pay_world.lot(me, pieces=60, rate_fen=37)
    pay_world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=me, pieces=60))
    sub, _ = pay_world.run(work.submit_output, me, c.SubmitOutput(lot_id=lot, pieces=40, minutes_spent=300))
    inspection, _ = pay_world.run(work.record_inspection, c.RecordInspection(
        submission_id=sub.id, passed=37, rejected=3, defect_codes=["LOOSE"]))
    pay_world.earn()
    soon = pay_world.now + timedelta(hours=1)

    with reading(pay_world.engine) as s:
        [card] = resident_home(s, her, me, now=soon).work
        [choice] = appeals.appeal_choices(s, her, me, now=soon, appeal_days=7)
    assert (card.label, choice.lot_code) == (SHOWN, SHOWN)
    pay_world.run(appeals.file_appeal, inspection.id, c.FileAppeal(reason="线头不算次品"), actor=her, at=soon)
    with reading(pay_world.engine) as s:
        [filed] = appeals.filed_appeals(s, her, me)
        slip, _ = pay_slip(s, her, me, "2026-11-A")
    assert filed.lot_code == SHOWN and {line.lot_code for line in slip.lines if line.lot_code} == {SHOWN}

    client = TestClient(create_app(pay_world.settings))
    acts = client.get("/api/v1/ratings/acts", headers=_login(client, me)).json()
    assert [a["lot_label"] for a in acts if a["act_kind"] == "lot"] == [SHOWN], acts
    assert all(lot not in str(a["lot_label"]) for a in acts)
