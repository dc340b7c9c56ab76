"""A pay period has one name on every page, the one people use (dashboard.names.period_label: '2026年10月下半月'),
never its id ('2026-10-B'): a fresh user found ids on the resident's slips, the enterprise's statements, the debts
table and the payout batch picker, while the coordinator's pay section said 2026年…月…半月."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bench.dashboard_pages import shown_text
from bench.dashboard_world import COORD1, ENT1, World, actor
from domain.pay import carry_drafts
from store.db import reading, transaction
from store.ledger import append_entries, entry_row
from store.tables import LedgerEntry, PayPeriod

PERIOD_ID = re.compile(r"\b\d{4}-(?:\d{2}-[AB]|W\d{2})\b")  # a period's id: what no page may show


@pytest.fixture
def carried(world: World) -> World:
    """The resident's debt of 2026-10-B (paid, closed) carried into 2026-11-A, as the e2e pay tests seed it."""
    with transaction(world.engine) as session:
        append_entries(session, [entry_row(
            entry_key=draft.entry_key, kind=draft.entry_kind, resident_id=world.worker, community_id="comm-001",
            amount_fen=draft.amount_fen, period_id=draft.period_id, reverses_entry_key=draft.reverses_entry_key,
            posted_at=datetime(2026, 11, 1, tzinfo=UTC), memo=draft.memo)
            for draft in carry_drafts(resident_id=world.worker, community_id="comm-001", period_id="2026-10-B",
                                      next_period_id="2026-11-A", carried_on_fen=1050)])
        session.add(PayPeriod(community_id="comm-001", period_id="2026-10-B", total_fen=1050, status="paid",
                              closed_at=datetime(2026, 11, 1, tzinfo=UTC), closed_by="coord1"))
    return world


def ids_shown(text: str) -> list[str]:
    return PERIOD_ID.findall(text)


def test_the_resident_s_pay_slips_are_named_by_their_period(carried: World, open_page) -> None:
    with reading(carried.engine) as s:
        hers = {e.period_id for e in s.exec(select(LedgerEntry).where(LedgerEntry.resident_id == carried.worker))}
    assert {"2026-10-B", "2026-11-A"} <= hers
    at = open_page("views/resident.py", actor(carried.worker, "resident", resident_id=carried.worker,
                                              community_ids=frozenset({"comm-001"})))
    assert not at.exception
    slips = [e.proto.label for e in at.expander if e.proto.label.startswith("工资期 ")]
    assert any(label.startswith("工资期 2026年10月下半月 · ") for label in slips), slips
    assert any(label.startswith("工资期 2026年11月上半月 · ") for label in slips), slips
    assert ids_shown("\n".join(slips)) == []


def test_the_enterprise_s_statements_are_named_by_their_period(world: World, open_page) -> None:
    at = open_page("views/enterprise.py", ENT1)
    assert not at.exception
    statements = [e.proto.label for e in at.expander if e.proto.label.startswith("工资期 ")]
    assert statements, "the worked lot made a statement"
    assert all(re.match(r"工资期 \d{4}年\d{1,2}月[上下]半月 · ", label) for label in statements), statements
    assert ids_shown(shown_text(at)) == []


def test_the_coordinator_s_debts_table_names_the_periods(carried: World, open_page) -> None:
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "pay"
    at.run()
    assert not at.exception
    debts = at.table[0].value
    row = debts.iloc[0]
    carried = (row["结转自"], row["始于"], row["将在此期扣回"])  # from, since, recovered in
    assert carried == ("2026年10月下半月", "2026年10月下半月", "2026年11月上半月")
    assert ids_shown(debts.to_csv()) == []


def test_the_payout_batch_picker_names_the_community_and_the_period(carried: World, open_page) -> None:
    at = open_page("views/import_csv.py", COORD1)
    assert not at.exception
    picker = at.selectbox(key="csv_batch_period")
    assert picker.options == ["第1社区 · 2026年10月下半月"], picker.options
    assert ids_shown("\n".join(picker.options)) == [] and not any("comm-001" in o for o in picker.options)


def test_the_payout_list_is_offered_where_she_pays_too(carried: World, open_page) -> None:
    """工资发放 offers the closed period's 发放清单 (the transfers' list) where she records payouts, not only on
    批量导入 (new-user trial, 2026-11-30), named the same way."""
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "pay"
    at.run()
    assert not at.exception
    assert "发放清单（交银行或财务转账用）" in [h.value for h in at.subheader]
    assert at.selectbox(key="pay_list_period").options == ["第1社区 · 2026年10月下半月"]
    assert "下载发放清单（Excel）" in [getattr(b, "label", "") for b in at.get("download_button")]
