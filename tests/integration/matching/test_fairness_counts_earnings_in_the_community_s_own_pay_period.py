"""The matcher's fairness term reads what each resident earned in their community's own pay period (a week, half a
month or a month): a monthly community's earnings this month must count, not a half-month nobody is paid by."""

from __future__ import annotations

from typing import Any

from schemas import commands as c
from store.db import transaction
from store.tables import Community
from tests.integration.conftest import COMMUNITY
from usecases import match, work


def test_a_monthly_community_s_earnings_this_month_count_for_fairness(pay_world: Any, residents: list[str]) -> None:
    with transaction(pay_world.engine) as session:
        community = session.get(Community, COMMUNITY)
        assert community is not None
        community.period_kind = "month"
        session.add(community)
    resident = residents[0]
    lot = pay_world.lot(resident, pieces=20, rate_fen=37)
    pay_world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=20))
    sub, _ = pay_world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=20))
    pay_world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=20, rejected=0))
    pay_world.earn()
    with transaction(pay_world.engine) as session:
        states = {s.resident_id: s for s in match._residents(session, COMMUNITY, pay_world.ctx())}
    assert states[resident].earned_this_period_fen == 20 * 37  # 20 pieces at 37 fen, paid in 2026-11
    assert states[residents[1]].earned_this_period_fen == 0
