"""In a real browser (issue 16): a coordinator posts a bonus with its reason, sees a debt being carried, and a second
coordinator of the same community approves a correction the first one asked for (the first cannot).

The world: the dashboard demo world, plus a second coordinator of comm-001 (coord1b); the worker's 10 pieces still
waiting for inspection are passed automatically, and coord1 asks to correct that automatic acceptance to 8 passed
and 2 rejected (which needs a second coordinator); a debt of ¥10.50 carried from 2026-10-B into 2026-11-A (an open
period), of which the close of 2026-10-B recovered nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from bench.dashboard_world import COORD1, World, build_world
from domain.pay import carry_drafts
from schemas import commands as c
from services.demo.city import DEMO_PASSWORD
from store.db import reading, transaction
from store.ledger import append_entries, entry_row
from store.tables import CorrectionRequest, Inspection, LedgerEntry, PayAdjustment, PayPeriod, Resident
from tests.e2e.dashboard.test_browser_each_role_sees_its_own_page_on_phone_and_desktop import sign_in
from usecases import corrections, work
from usecases.auth import create_user
from usecases.context import Context
from usecases.execute import execute

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = build_world(f"sqlite:///{tmp_path_factory.mktemp('e2e16') / 'dashboard.db'}")
    later = Context.live(w.settings).now + timedelta(hours=w.settings.auto_accept_hours + 1)
    with transaction(w.engine) as session:
        create_user(session, username="coord1b", password=DEMO_PASSWORD, role="coordinator",
                    community_ids=["comm-001"])
        work.auto_accept_due(session, ctx=Context(now=later, settings=w.settings, producer="test"))
        # Through the ledger's one way in, so the daily read model (ledger_day) holds these lines too.
        append_entries(session, [entry_row(
            entry_key=draft.entry_key, kind=draft.entry_kind, resident_id=w.worker, community_id="comm-001",
            amount_fen=draft.amount_fen, period_id=draft.period_id, reverses_entry_key=draft.reverses_entry_key,
            posted_at=datetime(2026, 11, 1, tzinfo=UTC), memo=draft.memo)
            for draft in carry_drafts(resident_id=w.worker, community_id="comm-001", period_id="2026-10-B",
                                      next_period_id="2026-11-A", carried_on_fen=1050)])
        session.add(PayPeriod(community_id="comm-001", period_id="2026-10-B", total_fen=1050, status="paid",
                              closed_at=datetime(2026, 11, 1, tzinfo=UTC), closed_by="coord1"))
    with reading(w.engine) as session:
        automatic = session.exec(select(Inspection).where(Inspection.automatic == True)).one()  # noqa: E712
    execute(w.engine, w.settings, corrections.request_correction, c.RequestCorrection(
        corrects_inspection_id=automatic.id, passed=8, rejected=2, defect_codes=["LOOSE"],
        reason="抽检发现两件松结"), actor=COORD1)
    return w


def open_pay(page: Page) -> None:
    """The board's pay section (工资发放), where this part sits under closing periods and payouts."""
    expect(page.get_by_role("heading", name="社区工作台")).to_be_visible(timeout=30_000)
    page.get_by_role("radio", name="工资发放").click()
    expect(page.get_by_text("工资调整与审批")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("待审批的更正")).to_be_visible(timeout=30_000)  # the section has drawn to its end


def test_a_coordinator_posts_a_bonus_and_a_second_one_approves_the_correction(browser: Browser, dashboard_url: str,
                                                                               world: World) -> None:
    first = sign_in(browser, dashboard_url, "desktop", "coord1")
    open_pay(first)
    with reading(world.engine) as session:
        her_name = session.get(Resident, world.worker).name  # type: ignore[union-attr]
    debts = first.locator("[data-testid='stTable']").filter(has_text=her_name)  # by her name, never her id
    expect(debts).to_be_visible(timeout=30_000)  # tables draw after the page (a skeleton first)
    # how much, carried from where (the period as people name it, 0de4580)
    assert "¥10.50" in debts.inner_text() and "2026年10月下半月" in debts.inner_text()
    assert world.worker not in debts.inner_text() and "2026-10-B" not in debts.inner_text()
    expect(first.get_by_text("你提交的更正须由另一位社区工作者审批")).to_be_visible()  # the asker cannot approve
    form = first.locator("[data-testid='stForm']").filter(has_text="发放奖励或扣回")
    picker = form.locator(".st-key-adjust_resident input[role='combobox']")  # nobody until chosen (e1b9168)
    expect(picker).to_have_value("")
    picker.click()
    picker.fill(her_name)
    first.get_by_role("option").filter(has_text=her_name).first.click()
    expect(picker).to_have_value(her_name)
    form.get_by_label("金额（元）").fill("5.50")
    form.get_by_label("原因（必填）").fill("协助清点物料")
    form.get_by_role("button", name="记入工资").click()
    expect(first.get_by_text("已记入工资，见工资条")).to_be_visible(timeout=30_000)
    first.screenshot(path=ARTIFACTS / "dashboard-coordinator-pay-adjustment.png", full_page=True)
    first.context.close()
    with reading(world.engine) as session:
        bonus = session.exec(select(PayAdjustment)).one()
        entry = session.exec(select(LedgerEntry).where(LedgerEntry.entry_key == bonus.entry_key)).one()
    assert (bonus.actor, bonus.kind, bonus.amount_fen, bonus.reason, entry.amount_fen, bonus.resident_id) == (
        "coord1", "bonus", 550, "协助清点物料", 550, world.worker)

    second = sign_in(browser, dashboard_url, "desktop", "coord1b")
    open_pay(second)
    pending = second.locator("[data-testid='stForm']").filter(has_text="抽检发现两件松结")
    expect(pending).to_be_visible()
    pending.get_by_label("审批意见").fill("已核对照片")
    pending.get_by_role("button", name="批准").click()
    expect(second.get_by_text("已批准，更正已记录")).to_be_visible(timeout=30_000)
    expect(second.get_by_text("没有待审批的更正")).to_be_visible()
    second.screenshot(path=ARTIFACTS / "dashboard-coordinator-pay-approval.png", full_page=True)
    second.context.close()
    with reading(world.engine) as session:
        request = session.exec(select(CorrectionRequest)).one()
        correction = session.get(Inspection, request.correction_inspection_id)
    assert (request.status, request.decided_by, request.decision_note) == ("approved", "coord1b", "已核对照片")
    assert correction is not None and (correction.passed, correction.rejected) == (8, 2)
