"""Points (积分) in the dashboard: a resident's balance, her community's shop (积分超市) and the monthly 公示 on her
phone; the 公示 of a coordinator's community to read, print and post (Excel). Names on the 公示 are masked (张*梅)
by the query; nothing here sees who earned what beyond that."""

from __future__ import annotations

import uuid
from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard import data, ui
from dashboard.format import md
from domain.points import month_of
from domain.sheets import XLSX_MEDIA_TYPE
from schemas.points import RedeemPoints
from usecases import shop
from usecases.actors import Actor
from usecases.queries.points import PublicityView, month_zh, publicity, publicity_xlsx, resident_points

WORDS = {
    "zh": {"title": "我的积分", "balance": "积分余额", "earned": "累计获得", "redeemed": "已兑换",
           "lines": "最近积分记录", "no_lines": "还没有积分记录。按时交货、验收合格就能得积分。",
           "shop": "积分超市", "no_shop": "积分超市暂时没有可兑换的东西。",
           "item": "{name}：{price} 积分（还剩 {stock} 件）", "redeem": "兑换 1 件",
           "short": "积分不够：还差 {n} 积分", "redeemed_ok": "已兑换 {name}，请到社区服务站领取。",
           "publicity": "积分公示", "month": "月份", "name": "姓名", "got": "获得积分", "spent": "兑换积分",
           "total": "合计：获得 {earned} 积分，兑换 {redeemed} 积分", "empty": "{month}还没有人获得或兑换积分。",
           "community": "社区", "excel": "下载公示表（Excel，可打印）"},
    "en": {"title": "My points", "balance": "Balance", "earned": "Earned", "redeemed": "Redeemed",
           "lines": "Latest points", "no_lines": "No points yet. Hand lots in on time and passing to earn them.",
           "shop": "Points shop", "no_shop": "Nothing in the points shop for now.",
           "item": "{name}: {price} points ({stock} left)", "redeem": "Redeem 1",
           "short": "Not enough points: {n} more needed", "redeemed_ok": "Redeemed {name}: collect it at the "
                                                                         "community station.",
           "publicity": "Points list (公示)", "month": "Month", "name": "Name", "got": "Earned", "spent": "Redeemed",
           "total": "Total: {earned} earned, {redeemed} redeemed", "empty": "Nobody earned or redeemed points in "
                                                                              "{month}.",
           "community": "Community", "excel": "Download the list (Excel, to print)"},
}
MONTHS_SHOWN = 3  # this month and the two before: a 公示 is checked the month after


def _w(key: str, **values: object) -> str:
    return WORDS["en" if ui.lang() == "en" else "zh"][key].format(**values)


def recent_months(now: datetime, n: int = MONTHS_SHOWN) -> list[str]:
    """The `n` calendar months (Asia/Shanghai, "YYYY-MM") up to the one `now` is in, newest first."""
    year, mon = (int(part) for part in month_of(now).split("-"))
    months = []
    for back in range(n):
        y, m = divmod(year * 12 + mon - 1 - back, 12)
        months.append(f"{y:04d}-{m + 1:02d}")
    return months


def resident_section(actor: Actor) -> None:
    """On the resident's phone: balance, newest lines, the shop with a redeem button each, and the 公示."""
    st.subheader(_w("title"))
    ui.show_flash("points")
    page = data.read(resident_points, actor)
    with st.container(horizontal=True, gap="large"):  # one row that wraps: columns stack on a phone, a screen each
        for key, value in (("balance", page.points.balance), ("earned", page.points.earned),
                           ("redeemed", page.points.redeemed)):
            st.metric(_w(key), value, width="content")
    st.markdown(f"**{_w('lines')}**")
    if not page.points.lines:
        st.caption(_w("no_lines"))
    for line in page.points.lines:
        st.write(f"{month_zh(line.month)} · {line.kind_zh} · {line.points:+d}")
    st.markdown(f"**{_w('shop')}**")
    tap = redeem_tap()
    if not page.shop:
        st.caption(_w("no_shop"))
    for item in page.shop:
        with st.container(border=True):
            st.write(_w("item", name=md(item.name), price=item.price_points, stock=item.stock))
            short = item.price_points - page.points.balance
            if short > 0:
                st.caption(_w("short", n=short))
            st.button(_w("redeem"), key=f"redeem-{item.id}-{tap}", width="stretch", disabled=short > 0,
                      on_click=_redeem, args=(item.id, item.name, tap))
    st.subheader(_w("publicity"))
    month = st.selectbox(_w("month"), recent_months(data.now()), key="pts_month", format_func=month_zh)
    _publicity(data.read(publicity, actor, page.community_id, month), "res")


# The shop's buttons as drawn: a random tag minted when they are first drawn and used up by one tap (see redeem_tap).
TAP = "redeem_tap"


def redeem_tap() -> str:
    """The tag of the 兑换 buttons as drawn now (16 hex digits), minted on the first draw and after each tap.

    A double tap sent the same button's trigger twice, and each ran shop.redeem: two items taken, twice the
    points. Each button's key and its callback's argument carry the tag, and a tap spends it (_redeem), so the
    second tap of the same drawing either reaches _redeem with the spent tag, which does nothing, or (the page
    was drawn anew) names a button that no longer exists and runs nothing. A tap on the page as drawn after
    the first redemption is another redemption.
    """
    if not st.session_state.get(TAP):
        st.session_state[TAP] = uuid.uuid4().hex[:16]
    return str(st.session_state[TAP])


def _redeem(item_id: str, name: str, tap: str) -> None:
    if st.session_state.get(TAP) != tap:
        return  # the same drawing's second tap: its redemption was done (or refused) by the first
    st.session_state.pop(TAP, None)
    done = _w("redeemed_ok", name=name)
    if ui.perform(shop.redeem, RedeemPoints(item_id=item_id, quantity=1), done=done, where="points"):
        # Also where she is looking: the line above the section is off screen below the shop's lower items, and the
        # page's next refresh (ui.REFRESH_S) takes it away (new user's trial, 390 px).
        st.toast(done, icon=":material/check_circle:")


def coordinator_section(actor: Actor, communities: dict[str, str]) -> None:
    """The 公示 of one of the coordinator's communities for a month, with the Excel to print, sign and post."""
    st.subheader(_w("publicity"))
    if not communities:
        return
    left, right = st.columns(2)
    community = left.selectbox(_w("community"), list(communities), key="pts_community",
                               format_func=lambda c: communities.get(c, c))
    month = right.selectbox(_w("month"), recent_months(data.now()), key="pts_co_month", format_func=month_zh)
    with ui.guarded():
        _publicity(data.read(publicity, actor, community, month), "co")


def _publicity(view: PublicityView, key: str) -> None:
    st.markdown(f"**{md(view.community_name)} {month_zh(view.month)} {_w('publicity')}**")
    if not view.rows:
        st.caption(_w("empty", month=month_zh(view.month)))
        return
    st.dataframe(pd.DataFrame([[r.name, r.earned, r.redeemed] for r in view.rows],
                              columns=[_w("name"), _w("got"), _w("spent")]), hide_index=True)
    st.caption(_w("total", earned=view.total_earned, redeemed=view.total_redeemed))
    st.download_button(_w("excel"), publicity_xlsx(view), file_name=f"积分公示-{view.community_name}-{view.month}.xlsx",
                       mime=XLSX_MEDIA_TYPE, key=f"pts_xlsx_{key}")
