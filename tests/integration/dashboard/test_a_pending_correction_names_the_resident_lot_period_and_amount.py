"""待审批的更正 (new-user trial): each pending correction printed the resident's, the lot's and the inspection's ids.
It now reads as people name things: the resident by name, the lot by its short code and product, the pay period by
its name (domain.pay.periods.period_name), and what the change moves in ¥ at the piece rate."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from bench.dashboard_world import COORD1, actor
from domain.pay.periods import period_for, period_name
from schemas import commands as c
from store.db import reading, transaction
from store.tables import CorrectionRequest, Inspection, Lot, Resident
from usecases import corrections, work
from usecases.context import Context
from usecases.execute import execute
from usecases.queries.period_work import community_policy

COORD1B = actor("coord1b", "coordinator", community_ids=frozenset({"comm-001"}))
RAW_ID = re.compile(r"\b(?:ins|cor|sub|res|comm|lot|ord)-[0-9a-z]", re.IGNORECASE)


def test_the_pending_correction_reads_by_name_with_the_period_and_the_money(world, open_page) -> None:
    later = Context.live(world.settings).now + timedelta(hours=world.settings.auto_accept_hours + 1)
    with transaction(world.engine) as s:  # the pending hand-in (10 pieces at ¥1.25) is accepted automatically
        work.auto_accept_due(s, ctx=Context(now=later, settings=world.settings, producer="test"))
    with reading(world.engine) as s:
        automatic = s.exec(select(Inspection).where(Inspection.automatic == True)).one()  # noqa: E712
    execute(world.engine, world.settings, corrections.request_correction, c.RequestCorrection(
        corrects_inspection_id=automatic.id, passed=8, rejected=2, defect_codes=["LOOSE"], reason="抽检发现两件松结"),
        actor=COORD1)
    with reading(world.engine) as s:
        request = s.exec(select(CorrectionRequest)).one()
        lot = s.get(Lot, automatic.lot_id)
        name = s.get(Resident, automatic.resident_id).name
        # not posted yet (no worker here): its pay is in the period its inspection time falls in
        period = period_name(period_for(automatic.inspected_at, community_policy(s, lot.community_id)).period_id)
    at = open_page("views/coordinator.py", COORD1B)
    at.session_state["co_section"] = "pay"
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown if "抽检" not in m.value and ("→" in m.value or name in m.value)]
    text = "\n".join(shown + [""]) + "\n".join(x.value for x in at.caption if "抽检发现两件松结" in x.value)
    assert f"**{name}** · {lot.short_code}（串珠手链） · {period}" in text, text
    assert "合格 10 件、不合格 0 件 → 合格 **8** 件、不合格 **2** 件" in text, text
    assert "计件工资 -¥2.50（单价 ¥1.25/件） · 自动验收" in text, text
    for raw in (request.id, automatic.id, lot.id, automatic.resident_id, "2026-", "coord1"):  # the asker by name
        assert raw not in text, (raw, text)
    assert not RAW_ID.search(text), text
