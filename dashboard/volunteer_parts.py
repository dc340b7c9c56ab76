"""Volunteer tasks (志愿服务) on the coordinator's points section: record one a resident did, so the points consumer
scores it by the community's rule (积分, never money), and withdraw one recorded in error (its points are reversed).
The API had both (POST /volunteer-tasks, …/withdraw); the dashboard had no form, so points for service could not be
given by the people who give them (closing note of 2026-11-30)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from dashboard import data, ui
from dashboard.format import TZ, day
from schemas.service import RecordVolunteerTask, WithdrawVolunteerTask
from usecases import ratings
from usecases.actors import Actor
from usecases.queries.points import VolunteerTaskView, point_rules, volunteer_tasks
from usecases.reasons import validation_reason

WORDS = {
    "zh": {"title": "记录志愿服务", "who": "居民", "task": "服务内容", "task_hint": "例如：楼道清扫、陪老人就医",
           "minutes": "时长（分钟）", "day": "服务日期", "go": "记录",
           "done": "已记录：{name} {day} {task} {minutes} 分钟，积分稍后入账。",
           "spent": "{name}的积分余额只有 {balance}，这项服务记了 {points} 积分，已有一部分兑换掉了：撤销后余额为 "
                    "{after}，以后得到的积分先补上，补上之前不能兑换。",
           "done_unscored": "已记录：{name} {day} {task} {minutes} 分钟。这一天社区还没有积分规则，这项服务不计积分。",
           "future": "不能是将来的日子", "too_old": "只能记录本月和上月的服务（{first} 起）", "which": "要撤销的记录",
           "list": "本月和上月的志愿服务",
           "none": "本月和上月还没有志愿服务记录。",
           "when": "日期", "by": "记录人", "state": "状态", "stands": "有效", "withdrawn": "已撤销（{why}）",
           "pick": "撤销一条记录错了的服务（积分随之冲回）", "why": "撤销理由（必填）", "withdraw": "撤销",
           "withdrawn_ok": "已撤销，积分已冲回。", "why_needed": "请写明撤销理由。", "nobody": "还没有可选的居民。"},
    "en": {"title": "Record a volunteer task", "who": "Resident", "task": "Task",
           "task_hint": "e.g. cleaning the stairs",
           "minutes": "Minutes", "day": "Day", "go": "Record",
           "done": "Recorded: {name}, {day}, {task}, {minutes} min; the points follow shortly.",
           "spent": "{name} has {balance} points left and this task gave {points}, part of them spent: withdrawn, "
                    "her balance is {after}, made up by the points she earns next; she cannot redeem until then.",
           "done_unscored": "Recorded: {name}, {day}, {task}, {minutes} min. No points rule of her community was in "
                            "force that day: it earns no points.",
           "future": "cannot be a day to come", "too_old": "only this month's and last month's (from {first})",
           "which": "Task to withdraw",
           "list": "Volunteer tasks this month and last",
           "none": "No volunteer tasks this month or last.", "when": "Day", "by": "Recorded by", "state": "State",
           "stands": "stands", "withdrawn": "withdrawn ({why})",
           "pick": "Withdraw a task recorded in error (its points are reversed)",
           "why": "Why (required)", "withdraw": "Withdraw", "withdrawn_ok": "Withdrawn; its points are reversed.",
           "why_needed": "Please say why.", "nobody": "No residents to choose yet."},
}


def _w(key: str, **values: object) -> str:
    return WORDS["en" if ui.lang() == "en" else "zh"][key].format(**values)


def section(actor: Actor, people: dict[str, str], communities: dict[str, str]) -> None:
    """The form to record a task for one of her residents (`people`: id → name as shown), then the tasks of this
    month and the last in her communities, with a withdrawal for one recorded in error."""
    st.subheader(_w("title"))
    if not people:
        st.caption(_w("nobody"))
    else:
        with st.form(ui.entry_key("volunteer", "volunteer_form"), clear_on_submit=False):
            st.selectbox(_w("who"), list(people), key="vol_who", format_func=lambda r: people.get(r, r))
            st.text_input(_w("task"), key="vol_task", max_chars=100, placeholder=_w("task_hint"))
            left, right = st.columns(2)
            # No bounds on the widgets: Streamlit answers a value outside them in English and keeps the old one, so a
            # future day was recorded as today (new-user trial). _record refuses it in her words instead.
            left.number_input(_w("minutes"), value=60, step=30, key="vol_minutes")
            right.date_input(_w("day"), value=data.now().astimezone(TZ).date(), key="vol_day")
            st.form_submit_button(_w("go"), type="primary", on_click=_record,
                                  args=(people, ui.entry_reference("volunteer")))
    ui.show_flash("volunteer")
    tasks = [t for community in communities for t in data.read(volunteer_tasks, actor, community, since=_since())]
    _listed(sorted(tasks, key=lambda t: t.done_at, reverse=True))


def _since() -> datetime:
    """The first instant of last month (Asia/Shanghai): a task is checked in the month after it, like the 公示."""
    first = data.now().astimezone(TZ).date().replace(day=1)
    return datetime.combine((first - timedelta(days=1)).replace(day=1), time(), tzinfo=TZ)


def _done_at(chosen: date, today: date) -> datetime | None:
    """Today: now (None, the use case's clock); an earlier day: its noon, Asia/Shanghai (the month is what counts)."""
    return None if chosen >= today else datetime.combine(chosen, time(12), tzinfo=TZ)


def _record(people: dict[str, str], reference: str) -> None:
    s = st.session_state
    who = str(s.get("vol_who") or "")
    if not str(s.get("vol_task") or "").strip() and ui.repeat_of_last("volunteer", ratings.record_volunteer_task, who):
        return
    chosen, today, first = s["vol_day"], data.now().astimezone(TZ).date(), _since().date()
    if not first <= chosen <= today:  # the list below starts at `first`: older tasks could not be withdrawn there
        why = _w("future") if chosen > today else _w("too_old", first=day(first, ui.lang()))
        ui.say("volunteer", "error", ui.t("err.rejected", field=ui.field_name("done_at"), reason=why))
        return
    try:
        cmd = RecordVolunteerTask(resident_id=s.get("vol_who") or "", task=str(s.get("vol_task") or "").strip(),
                                  minutes=int(s.get("vol_minutes") or 0), done_at=_done_at(chosen, today),
                                  reference=reference)
    except ValidationError as problem:  # the field as the form labels it (ui.field_name), as every form says it
        error = problem.errors()[0]
        field = ui.field_name(str(error["loc"][0])) if error["loc"] else ""
        ui.say("volunteer", "error", ui.t("err.rejected", field=field, reason=validation_reason(error, ui.lang())))
        return
    told = {"name": people.get(cmd.resident_id, ""), "task": cmd.task, "minutes": cmd.minutes,
            "day": day(chosen, ui.lang())}

    def said(result: tuple[Any, Any]) -> str:
        """The success sentence; it does not promise points for a day no points rule of hers was in force."""
        recorded, actor = result[0], ui.current_actor()
        rules = data.read(point_rules, actor, recorded.community_id) if actor else []
        in_force = any(r.effective_at <= recorded.done_at for r in rules)
        return _w("done" if in_force else "done_unscored", **told)

    if ui.perform(ratings.record_volunteer_task, cmd, where="volunteer", done=said):
        s["vol_task"] = ""
        ui.spend_reference("volunteer")


def _listed(tasks: list[VolunteerTaskView]) -> None:
    st.markdown(f"**{_w('list')}**")
    if not tasks:
        st.caption(_w("none"))
        return
    lang = ui.lang()
    st.dataframe(pd.DataFrame([[day(t.done_at, lang), t.resident_name, t.task, t.minutes, t.recorded_by,
                                _w("withdrawn", why=t.withdraw_reason) if t.withdrawn_at else _w("stands")]
                               for t in tasks],
                              columns=[_w("when"), _w("who"), _w("task"), _w("minutes"), _w("by"), _w("state")]),
                 hide_index=True)
    standing = {t.id: t for t in tasks if t.withdrawn_at is None}
    if standing:
        with st.expander(_w("pick")):
            st.selectbox(_w("which"), list(standing), key="vol_pick", format_func=lambda i: (
                f"{day(standing[i].done_at, lang)} · {standing[i].resident_name} · {standing[i].task}"))
            chosen = standing.get(st.session_state.get("vol_pick") or next(iter(standing)))
            if chosen and chosen.points and chosen.points > chosen.balance:  # spent already: say so before (attacker)
                st.warning(_w("spent", name=chosen.resident_name, points=chosen.points, balance=chosen.balance,
                              after=chosen.balance - chosen.points))
            st.text_input(_w("why"), key="vol_why", max_chars=200)
            st.button(_w("withdraw"), key="vol_withdraw", on_click=_withdraw)
    ui.show_flash("volunteer_withdraw")  # also once the last standing task is withdrawn


def _withdraw() -> None:
    s = st.session_state
    why = str(s.get("vol_why") or "").strip()
    if not why:
        ui.say("volunteer_withdraw", "error", _w("why_needed"))
        return
    if ui.perform(ratings.withdraw_volunteer_task, s.get("vol_pick") or "", WithdrawVolunteerTask(reason=why),
                  where="volunteer_withdraw", done=_w("withdrawn_ok")):
        s["vol_why"] = ""
