"""志愿服务 on the coordinator's points section: she records a task a resident of hers did (the points consumer scores
it from the VolunteerTaskRecorded it announces) and withdraws one recorded in error (VolunteerTaskWithdrawn: its
points are reversed). The API had both; the dashboard had no form (closing note of 2026-11-30). Bad input is refused
naming the field in her words, and records nothing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from bench.dashboard_pages import shown_text
from bench.dashboard_world import COORD1
from store.db import reading
from store.tables import OutboxEvent, Resident, VolunteerTask


def points_section(open_page) -> AppTest:  # noqa: ANN001
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "points"
    return at.run()


def tasks(world) -> list[VolunteerTask]:  # noqa: ANN001
    with reading(world.engine) as s:
        return list(s.exec(select(VolunteerTask).order_by(col(VolunteerTask.recorded_at))).all())


def announced(world, event_type: str) -> int:  # noqa: ANN001
    with reading(world.engine) as s:
        return len(s.exec(select(OutboxEvent.id).where(OutboxEvent.type == event_type)).all())


def rule_in_force_since(world, days: int) -> None:  # noqa: ANN001
    """comm-001's points rule, in force for `days` days (rules never start in the past: set here as history)."""
    from datetime import UTC, datetime

    from store.db import transaction
    from store.tables import PointRuleVersion

    with transaction(world.engine) as s:
        s.add(PointRuleVersion(community_id="comm-001", version=1, fen_per_point=1000, passing_rate_bps=9000,
                               high_pass_rate_bps=9800, high_pass_bonus_bps=5000, monthly_cap=0, reason="试行",
                               created_by="city", effective_at=datetime.now(UTC) - timedelta(days=days)))


def test_she_records_a_task_for_her_resident_and_withdraws_it(world, open_page) -> None:  # noqa: ANN001
    rule_in_force_since(world, 40)
    at = points_section(open_page)
    assert not at.exception
    who = at.selectbox(key="vol_who")
    with reading(world.engine) as s:
        hers = {r.id: r.name for r in s.exec(select(Resident).where(Resident.community_id == "comm-001"))}
    assert who.options and all(any(label.startswith(name) for name in hers.values()) for label in who.options), \
        "only residents of her communities, by name (AppTest lists the labels)"
    rid = who.value
    assert rid in hers and who.options[0].startswith(hers[rid])
    at.text_input(key="vol_task").input("楼道清扫")
    at.number_input(key="vol_minutes").set_value(90)
    at.date_input(key="vol_day").set_value(date.today() - timedelta(days=1))
    at = record_button(at).click().run()
    assert not at.exception
    [done] = [s.value for s in at.success]
    assert done.startswith(f"已记录：{hers[rid]} ") and done.endswith(" 楼道清扫 90 分钟，积分稍后入账。"), done
    assert str((date.today() - timedelta(days=1)).day) in done  # the day she chose, said back to her
    [task] = tasks(world)
    assert (task.resident_id, task.task, task.minutes, task.recorded_by) == (rid, "楼道清扫", 90, "coord1")
    assert announced(world, "service.volunteer_recorded") == 1
    assert "楼道清扫" in shown_text(at) and "有效" in shown_text(at)

    at.selectbox(key="vol_pick").select(task.id)
    at.button(key="vol_withdraw").click().run()  # no reason: refused, nothing withdrawn
    assert [e.value for e in at.error] == ["请写明撤销理由。"] and tasks(world)[0].withdrawn_at is None
    at.text_input(key="vol_why").input("记错了人")
    at = at.button(key="vol_withdraw").click().run()
    assert not at.exception and [s.value for s in at.success][-1] == "已撤销，积分已冲回。"
    assert tasks(world)[0].withdrawn_at is not None and tasks(world)[0].withdraw_reason == "记错了人"
    assert announced(world, "service.volunteer_withdrawn") == 1
    assert "已撤销（记错了人）" in shown_text(at)
    assert "coord1" not in at.dataframe[0].value.to_csv(), "the recorder by name, not by sign-in"


def test_a_task_without_a_description_is_refused_naming_the_field_and_records_nothing(world, open_page) -> None:  # noqa: ANN001
    at = points_section(open_page)
    at.text_input(key="vol_task").input("   ")
    at = record_button(at).click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("输入有误，请修改「服务内容」："), error
    assert "task" not in error and "String" not in error
    assert tasks(world) == [] and announced(world, "service.volunteer_recorded") == 0


def test_a_day_to_come_or_no_minutes_is_refused_in_her_words_and_records_nothing(world, open_page) -> None:  # noqa: ANN001
    """New-user trial: a future day showed Streamlit's English range error and was recorded as today; 0 minutes
    only an English 'Number is outside the allowed range'. Now each is refused in Chinese naming the field."""
    at = points_section(open_page)
    at.text_input(key="vol_task").input("楼道清扫")
    at.date_input(key="vol_day").set_value(date.today() + timedelta(days=4))
    at = record_button(at).click().run()
    assert [e.value for e in at.error] == ["输入有误，请修改「服务日期」：不能是将来的日子"]
    at.date_input(key="vol_day").set_value(date.today() - timedelta(days=70))
    at = record_button(at).click().run()
    [error] = [e.value for e in at.error]
    assert error.startswith("输入有误，请修改「服务日期」：只能记录本月和上月的服务"), error
    at.date_input(key="vol_day").set_value(date.today())
    at.number_input(key="vol_minutes").set_value(0)
    at = record_button(at).click().run()
    [error] = [e.value for e in at.error]
    assert error.startswith("输入有误，请修改「时长（分钟）」："), error
    assert tasks(world) == []


def test_withdrawing_a_task_whose_points_were_spent_says_where_her_balance_will_stand(world, open_page) -> None:  # noqa: ANN001
    """Attacker, 2026-12-01: a task's 10 points redeemed, then the task withdrawn: her balance went to -10 and the
    page said only 已撤销. Now the page says so before she withdraws it."""
    from datetime import UTC, datetime

    from domain.points import month_of
    from store.db import transaction
    from store.tables import PointEntry

    at = points_section(open_page)
    rid = at.selectbox(key="vol_who").value
    at.text_input(key="vol_task").input("陪老人就医")
    at = record_button(at).click().run()
    [task] = tasks(world)
    now = datetime.now(UTC)
    with transaction(world.engine) as s:  # what the points consumer scores, then a redemption spends
        s.add(PointEntry(entry_key=f"pts:{task.id}:volunteer", kind="volunteer", resident_id=rid,
                         community_id="comm-001", month=month_of(now), points=10, uncapped=10, posted_at=now))
        s.add(PointEntry(entry_key=f"pts:red-{task.id}", kind="redemption", resident_id=rid, community_id="comm-001",
                         month=month_of(now), points=-10, uncapped=-10, posted_at=now))
    at = points_section(open_page)
    [warning] = [w.value for w in at.warning if "撤销后余额为" in w.value]
    assert "积分余额只有 0" in warning and "记了 10 积分" in warning and "撤销后余额为 -10" in warning, warning


def test_a_task_on_a_day_before_any_points_rule_is_recorded_without_promising_points(world, open_page) -> None:  # noqa: ANN001
    """Attacker, 2026-12-01: a task before the first points rule scores 0, and the page said 积分稍后入账."""
    at = points_section(open_page)
    at.text_input(key="vol_task").input("楼道清扫")
    at = record_button(at).click().run()
    [done] = [s.value for s in at.success]
    assert done.endswith("这一天社区还没有积分规则，这项服务不计积分。") and "积分稍后入账" not in done, done
    assert len(tasks(world)) == 1  # recorded all the same: the service was done


def record_button(at: AppTest):  # noqa: ANN201 - AppTest's Button element
    """记录, the submit button of the form keyed by its entry reference (dashboard.ui.entry_key)."""
    [button] = [b for b in at.button if str(b.key).startswith("FormSubmitter:volunteer_form-dash-")]
    return button
