"""The minimum-wage table in use: the shipped data file (read once) and the figures a deployment added.

No default figure anywhere: a community without a known division, or a day no figure covers, is an error that
names the division (Rejected "division"), never a silent ¥22.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from domain.divisions import Divisions, UnknownDivision, parse_divisions
from domain.pay.minimum_wages import MinimumWage, MinimumWageTable, last_day, parse_minimum_wages
from domain.pay.model import PayInputError
from domain.pay.periods import PayPeriod
from schemas.registry import AddMinimumWage
from store.outbox import audit
from store.tables import Community, MinimumWageFigure
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, Rejected

TZ = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=1)
def shipped_table() -> MinimumWageTable:
    """domain/pay/data/minimum_wages.csv, parsed once per process (works offline: it is package data)."""
    text = resources.files("domain.pay").joinpath("data/minimum_wages.csv").read_text(encoding="utf-8")
    return MinimumWageTable(parse_minimum_wages(text))


@lru_cache(maxsize=1)
def divisions() -> Divisions:
    """domain/pay/data/divisions.csv: the names and aliases a division may be given by."""
    return parse_divisions(resources.files("domain.pay").joinpath("data/divisions.csv").read_text(encoding="utf-8"))


def wage_table(session: Session) -> MinimumWageTable:
    """The shipped figures with the deployment's own on top (same division and date: the deployment's wins)."""
    added = session.exec(select(MinimumWageFigure).order_by(col(MinimumWageFigure.id))).all()
    return shipped_table().with_figures(MinimumWage(
        division=f.division, hourly_fen=f.hourly_fen, monthly_fen=f.monthly_fen, tier=f.tier,
        effective_from=f.effective_from, source=f.source) for f in added)


def resolve_division(session: Session, text: str, *, field: str = "division") -> str:
    """The six-digit code `text` names, refused (Rejected naming `field`) unless a figure applies to it.

    A city published in tiers ("济南市") has no figure of its own: the refusal lists its districts to choose from.
    """
    try:
        code = divisions().resolve(text)
    except UnknownDivision as exc:
        raise Rejected(field, exc.reason) from None
    table = wage_table(session)
    if table.covers(code):
        return code
    tiers = table.below(code)
    if tiers:
        listed = "、".join(f"{divisions().names.get(t, t)}（{t}）" for t in tiers[:20])
        raise Rejected(field, f"{divisions().full_name(code)} 的最低工资分档执行，请填到区县：{listed} "
                              f"({code} is published in tiers: give the county or district)")
    raise Rejected(field, f"行政区划 {divisions().full_name(code)}（{code}）没有已知的最低工资标准，请城市管理员先"
                          f"登记 (no minimum wage is known for division {code}: the city adds it first)")


def hourly_minimum_fen(session: Session, community: Community, *, starts: date, ends: date | None = None) -> int:
    """The part-time hourly minimum (fen) judging the community's work from `starts` to `ends` (local dates)."""
    if not community.division:
        raise Rejected("division", f"社区 {community.id} 没有登记行政区划，无法确定最低工资；请在社区设置中填写 "
                                   f"(community {community.id} has no division: set it in its settings)")
    try:
        return wage_table(session).hourly_fen(community.division, starts=starts, ends=ends or starts)
    except PayInputError as exc:
        raise Rejected("division", exc.reason) from None


def minimum_at(session: Session, community: Community, at: datetime) -> int:
    """The figure in force in the community on the local (Asia/Shanghai) day of the instant `at`."""
    return hourly_minimum_fen(session, community, starts=at.astimezone(TZ).date())


def period_minimum_fen(session: Session, community: Community, period: PayPeriod) -> int:
    """The minimum judging a pay period: the figure in force on its days (the highest if it changed inside)."""
    return hourly_minimum_fen(session, community, starts=period.starts_at.astimezone(TZ).date(),
                              ends=last_day(period.ends_at.astimezone(TZ).date()))


def import_figures(session: Session, text: str, *, actor: Actor, ctx: Context) -> int:
    """Add every figure of a file in minimum_wages.csv's columns (a deployment's own table), all or none.

    Raises Rejected naming the line and column of the first bad value, or Conflict for a figure already recorded.
    """
    try:
        figures = parse_minimum_wages(text)
    except PayInputError as exc:
        raise Rejected(exc.field, exc.reason) from None
    for n, f in enumerate(figures, start=1):
        cmd = AddMinimumWage(division=f.division, hourly_fen=f.hourly_fen, monthly_fen=f.monthly_fen, tier=f.tier,
                             effective_from=f.effective_from, source=f.source or "(no source given)")
        try:
            add_figure(session, cmd, actor=actor, ctx=ctx)
        except Rejected as exc:
            raise type(exc)(f"figure {n}: {exc.field}", exc.reason) from None
        session.flush()
    return len(figures)


def add_figure(session: Session, cmd: AddMinimumWage, *, actor: Actor, ctx: Context) -> tuple[str, list[object]]:
    """The city records a published figure (data, never code); audited. A figure for the same date is a 409."""
    actor.require("city")
    try:
        code = divisions().resolve(cmd.division)
    except UnknownDivision as exc:
        raise Rejected("division", exc.reason) from None
    same_day = (MinimumWageFigure.division == code, MinimumWageFigure.effective_from == cmd.effective_from)
    clash = session.exec(select(MinimumWageFigure).where(*same_day)).first()
    if clash is not None:
        raise Conflict("effective_from", f"{code} 在 {cmd.effective_from.isoformat()} 起的标准已由 {clash.added_by} "
                                         f"登记 (a figure from that date is already recorded)")
    session.add(MinimumWageFigure(division=code, hourly_fen=cmd.hourly_fen, monthly_fen=cmd.monthly_fen,
                                  tier=cmd.tier, effective_from=cmd.effective_from, source=cmd.source,
                                  added_by=actor.username, added_at=ctx.now))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="minimum_wage.add", subject=code,
          hourly_fen=cmd.hourly_fen, effective_from=cmd.effective_from.isoformat(), source=cmd.source)
    return code, []
