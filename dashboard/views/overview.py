"""City / district overview (人社部门): sites, people in work, pieces per day, income per person against the target."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import assessment_parts, charts, data, names, ui
from dashboard.format import day, money, number, percent
from domain.income_target import local_day, target_to_date_fen
from domain.pay.periods import period_name
from domain.report_month import report_months
from domain.sheets import XLSX_MEDIA_TYPE
from usecases.actors import Actor
from usecases.queries import dashboard as q
from usecases.queries import exports
from usecases.queries.dashboard_city import CityIncome, GroupIncome, city_income
from usecases.queries.dashboard_views import CityOverview

REPORTED_TARGET_YUAN = 20_000  # the reported extra income per person per year


@st.fragment(run_every=ui.REFRESH_S)
def live(actor: Actor, community_id: str | None, target_fen: int) -> None:
    with ui.guarded(), st.spinner(ui.t("loading")):
        show(data.read(q.city_overview, actor, now=data.now(), community_id=community_id), target_fen)
        income(data.read(city_income, actor, now=data.now(), community_id=community_id), target_fen)


def income(v: CityIncome, target_fen: int) -> None:
    """Year to date per person from the ledger, month by month, against the target's share of the year gone by
    (domain.income_target: the Asia/Shanghai days of the year counting today, so on 1 December 335/365 of it, not
    the whole year); each past month's point is the share due by its last day."""
    lang = ui.lang()
    today = local_day(data.now())
    st.subheader(ui.t("ov.ytd", year=v.year))
    due = target_to_date_fen(target_fen, today)
    a, b, c = st.columns(3)
    a.metric(ui.t("ov.ytd_per_person"), money(v.ytd_per_person_fen, lang),
             delta=money(v.ytd_per_person_fen - due, lang))
    b.metric(ui.t("ov.ytd_target"), money(due, lang))
    c.metric(ui.t("ov.ytd_people"), number(v.ytd_people, lang))
    rows = [{"month": ui.t("ov.month_n", n=int(m.month[5:])), "actual": m.ytd_per_person_fen // 100,
             "target": target_to_date_fen(target_fen, min(_month_end(m.month), today)) // 100} for m in v.months]
    st.altair_chart(charts.ytd_against_target(rows, month=ui.t("ov.month"), actual=ui.t("ov.ytd_per_person"),
                                              target=ui.t("ov.ytd_target")), width="stretch")
    street, community, group = st.tabs([ui.t("col.street"), ui.t("col.community"), ui.t("ov.priority")])
    for tab, groups in ((street, v.by_street), (community, v.by_community), (group, v.by_priority)):
        with tab:
            _group_table(groups, due)


def _month_end(month: str) -> date:
    """The last day of 'YYYY-MM'."""
    year, n = int(month[:4]), int(month[5:])
    return date(year, n, monthrange(year, n)[1])


def _group_table(groups: list[GroupIncome], target_fen: int) -> None:
    lang = ui.lang()
    if not groups:
        st.info(ui.t("ov.no_income"))
        return
    st.dataframe(pd.DataFrame([{
        ui.t("ov.group"): ui.t(f"ov.group.{g.name}") if g.name in ("priority", "other") else g.name,
        ui.t("ov.people"): g.people, ui.t("ov.ytd_income"): money(g.income_fen, lang),
        ui.t("ov.ytd_per_person"): money(g.per_person_fen, lang),
        ui.t("ov.vs_target"): percent(g.per_person_fen / target_fen if target_fen else None, lang),
    } for g in groups]), hide_index=True)


def show(o: CityOverview, target_fen: int) -> None:
    lang, tot = ui.lang(), o.total
    a, b, c, d = st.columns(4)
    a.metric(ui.t("ov.sites"), number(tot.sites, lang))
    b.metric(ui.t("ov.in_work"), number(tot.residents_in_work, lang), help=ui.t("ov.in_work_help"))
    c.metric(ui.t("ov.pieces_month"), number(tot.pieces_passed_month, lang))
    d.metric(ui.t("ov.pass_rate"), percent(tot.pass_rate, lang))
    # No "annualised" figure: the year is judged on what was really paid (see income() below).
    e, f, g = st.columns(3)
    e.metric(ui.t("ov.income_month"), money(tot.income_month_fen, lang))
    f.metric(ui.t("ov.per_person_month"), money(tot.income_per_person_month_fen, lang))
    g.metric(ui.t("ov.gini"), f"{tot.gini:.2f}")
    st.subheader(ui.t("ov.by_community"))
    # Names only (new-user trial): the street is its own column; two communities of one name also in the name.
    shown = names.distinct_names(((c.community_id, c.name, c.street) for c in o.communities), en=lang == "en")
    st.dataframe(pd.DataFrame([{
        ui.t("col.community"): shown[c.community_id], ui.t("col.street"): c.street,
        ui.t("ov.sites"): c.sites, ui.t("ov.in_work"): c.residents_in_work,
        ui.t("ov.pieces_month"): c.pieces_passed_month, ui.t("ov.pass_rate"): percent(c.pass_rate, lang),
        ui.t("ov.income_month"): money(c.income_month_fen, lang),
        ui.t("ov.per_person_month"): money(c.income_per_person_month_fen, lang),
        ui.t("ov.gini"): f"{c.gini:.2f}",
    } for c in o.communities]), hide_index=True)
    left, right = st.columns(2)
    with left:
        st.subheader(ui.t("ov.trend"))
        named = {c.community_id: c.name for c in o.communities}
        rows = [{"day": p.day.isoformat(), "pieces": p.pieces, "community": named.get(p.community_id, p.community_id)}
                for p in o.trend]
        st.altair_chart(charts.trend(rows, day=ui.t("col.day"), pieces=ui.t("col.pieces"),
                                     community=ui.t("col.community")))
    with right:
        st.subheader(ui.t("ov.distribution"))
        st.altair_chart(charts.distribution([fen // 100 for fen in o.income_distribution_fen],
                                            income=ui.t("ov.income_yuan"), people=ui.t("ov.people")),
                        width="stretch")
    st.subheader(ui.t("ov.map"))
    points = [{"lat": s.lat, "lon": s.lon, "name": s.name, "community": shown.get(s.community_id, "")}
              for s in o.sites if s.lat is not None and s.lon is not None]
    if points:
        st.altair_chart(charts.site_map(points, community=ui.t("col.community"), site=ui.t("ov.sites")),
                        width="stretch")
    st.caption(ui.t("ov.month_from", day=day(o.month_start, lang)))


def report(actor: Actor, community_id: str | None) -> None:
    """The monthly report (社区月报, GET /reports/city.xlsx?month=): a finished month by default, as the bureau files
    it; the months with data newest first, then this month, marked unfinished (no annualised figure:
    domain.report_month)."""
    lang = ui.lang()
    options = [m.key for m in report_months(data.read(q.months_with_data, actor, community_id=community_id),
                                            today=local_day(data.now()))]
    current = options[-1]

    def named(key: str) -> str:
        return ui.t("ov.report_unfinished", month=period_name(key, lang)) if key == current else period_name(key, lang)

    pick, button = st.columns(2, vertical_alignment="bottom")
    month = pick.selectbox(ui.t("ov.report_month"), options, key="ov_report_month", format_func=named)
    # the Shanghai month by name: 社区月报-2026年11月.xlsx, never 社区月报-2026-11.xlsx
    button.download_button(ui.t("xlsx.download"), mime=XLSX_MEDIA_TYPE, key="ov_xlsx",
                           file_name=f"社区月报-{period_name(month)}.xlsx",
                           data=partial(data.read, exports.city_report_xlsx, actor, now=data.now(),
                                        community_id=community_id, month=month))
    note = "ov.report_note_unfinished" if month == current else "ov.report_note_finished"
    st.caption(ui.t(note, month=period_name(month, lang)))


actor = ui.require_role("city", "coordinator")
st.title(ui.t("page.overview"))
with ui.guarded():
    communities = data.read(q.visible_communities, actor)
    picked = names.distinct_names(((c.id, c.name, c.street) for c in communities), en=ui.lang() == "en")
    pick, target = st.columns(2)
    scope = pick.selectbox(ui.t("ov.community"), ["*", *picked], key="ov_community",
                           format_func=lambda i: ui.t("ov.all") if i == "*" else picked[i])
    target_yuan = target.number_input(ui.t("ov.target"), min_value=0, max_value=10_000_000,
                                      value=REPORTED_TARGET_YUAN, step=1000, key="ov_target")
    live(actor, None if scope == "*" else scope, int(target_yuan) * 100)
    report(actor, None if scope == "*" else scope)
assessment_parts.show(actor)  # issue 17: the assessment of coordinators (社区工作者考核)
