"""The assessment of coordinators (社区工作者考核) on the city page: the period's table, a drill-down into one
coordinator (indicators and anonymous satisfaction: stars counted, comments, never a rater) where the city enters
the street office's and peers' scores, the Excel workbook, and the quarter's star rating (星级评定). A coordinator
on the same page sees only their own row."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard import data, ui
from dashboard.format import md, money
from domain.assessment.grades import TZ, period_label, quarter_of
from domain.sheets import XLSX_MEDIA_TYPE
from schemas.service import EnterAssessmentScores
from usecases.actors import Actor
from usecases.assessment import AssessmentRow, assessment_table, enter_scores, star_ratings
from usecases.assessment_export import assessment_xlsx

INDICATORS = (
    ("派单按时答复", "offers_in_time", "offers"),
    ("求助 24 小时内处理", "escalations_in_time", "escalations"),
    ("交货 48 小时内验收", "inspections_in_48h", "inspections"),
    ("计薪周期 15 天内结清", "pay_periods_in_15d", "pay_periods"),
)


def show(actor: Actor) -> None:
    """The assessment section: period picker, table, drill-down, Excel, stars. Periods read as people name them
    ('2026年12月', '2026年第四季度', '2026年': domain.assessment.grades.period_label), never '2026-12' or '2026-Q4'."""
    st.subheader("社区工作者考核")
    now = data.now().astimezone(TZ)
    # Recent months, quarters and years by name; an older one can be typed ('2025-06', '2025-Q2', '2025').
    # Opened on the last finished month, as the city report is (domain.report_month): on the 1st the current month
    # is a day old and every coordinator read 评价人数不足 (new-user trial of 2026-12-01).
    period = st.selectbox("考核期", recent_periods(now), index=1, format_func=period_label, key="as_period",
                          accept_new_options=True) or now.strftime("%Y-%m")
    period = period.strip()
    with ui.guarded():
        rows = data.read(assessment_table, actor, period)
        st.dataframe(pd.DataFrame([_line(r) for r in rows]), hide_index=True)
        if rows:
            pick = st.selectbox("查看明细", [r.coordinator for r in rows], key="as_pick",
                                format_func=lambda c: next(r.display_name for r in rows if r.coordinator == c))
            chosen = next(r for r in rows if r.coordinator == pick)
            _detail(chosen)
            if actor.role == "city":
                _scores_form(chosen)
        quarter = period if "-Q" in period else quarter_of(now)
        stars = data.read(star_ratings, actor, quarter)
        st.download_button("导出 Excel", assessment_xlsx(rows, stars if "-Q" in period else None),
                           file_name=f"社区工作者考核-{period_label(period)}.xlsx", mime=XLSX_MEDIA_TYPE,
                           key="as_xlsx")
        st.markdown(f"**星级评定 {period_label(quarter)}**")
        st.dataframe(pd.DataFrame([{"对象": s.name or s.subject, "类别": "代办员" if s.kind == "helper" else "服务站",
                                    "本季积分": s.points, "评价数": s.ratings,
                                    "星级": "★" * s.stars if s.stars else "评价不足"} for s in stars]),
                     hide_index=True)


def recent_periods(now: datetime) -> list[str]:
    """This month and the twelve before, this quarter and the four before, this year and the last (newest first):
    ['2026-12', '2026-11', …, '2026-Q4', '2026-Q3', …, '2026', '2025'] for a local `now` in December 2026."""
    months = [f"{(now.year * 12 + now.month - 1 - n) // 12}-{(now.year * 12 + now.month - 1 - n) % 12 + 1:02d}"
              for n in range(13)]
    quarter = now.year * 4 + (now.month - 1) // 3
    quarters = [f"{(quarter - n) // 4}-Q{(quarter - n) % 4 + 1}" for n in range(5)]
    return [*months, *quarters, str(now.year), str(now.year - 1)]


def _line(r: AssessmentRow) -> dict[str, object]:
    sat = r.satisfaction
    return {"社区工作者": r.display_name, "社区": "、".join(r.community_names or r.communities),
            "满意度": f"{sat.score:.1f}" if sat.score is not None else f"评价人数不足（{sat.raters}/{sat.min_raters}）",
            "街道评分": "—" if r.street_score is None else str(r.street_score),  # one type a column (Arrow)
            "同事评分": "—" if r.peer_score is None else str(r.peer_score),
            "总分": f"{r.total:.1f}" if r.total is not None else "—", "等次": r.grade or r.note,
            "代办次数": r.indicators["acts_on_behalf"], "在岗居民": r.indicators["residents_in_work"],
            "人均收入": money(r.indicators["income_per_person_fen"])}


def _detail(r: AssessmentRow) -> None:
    i, sat = r.indicators, r.satisfaction
    st.markdown(f"**{md(r.display_name)}** · {period_label(r.period)} · 权重 居民 {r.weights['residents']}% / 街道 "
                f"{r.weights['street']}% / 同事 {r.weights['peers']}%")
    st.dataframe(pd.DataFrame([{"指标": name, "按时": i[ok], "总数": i[total],
                                "比例": f"{i[ok] / i[total]:.0%}" if i[total] else "—"}
                               for name, ok, total in INDICATORS]), hide_index=True)
    st.write(f"代办 {i['acts_on_behalf']} 次 · 在岗居民 {i['residents_in_work']} 人 · 收入 {money(i['income_fen'])} · "
             f"人均 {money(i['income_per_person_fen'])}")
    st.write(f"满意度：{sat.raters} 人评价 {sat.ratings} 次（至少 {sat.min_raters} 人）；"
             + "；".join(f"{s}星 {sat.stars.get(s, 0)}" for s in range(5, 0, -1)))
    for comment in sat.comments:
        st.caption(f"“{md(comment)}”")


def _scores_form(r: AssessmentRow) -> None:
    """The city enters (or corrects) the street office's and the peers' scores of the chosen coordinator."""
    ui.show_flash("assessment")
    street, peers = st.columns(2)
    street.number_input("街道评分", min_value=0, max_value=100, value=r.street_score or 0, key="as_street")
    peers.number_input("同事评分", min_value=0, max_value=100, value=r.peer_score or 0, key="as_peer")
    st.button("保存评分", key="as_save", on_click=_save_scores, args=(r.coordinator, r.period))


def _save_scores(coordinator: str, period: str) -> None:
    cmd = EnterAssessmentScores(coordinator=coordinator, period=period,
                                street_score=int(st.session_state.get("as_street", 0)),
                                peer_score=int(st.session_state.get("as_peer", 0)))
    ui.perform(enter_scores, cmd, done="评分已保存", where="assessment")
