"""The assessment table (社区工作者考核表) as an Excel workbook, for coordinators' bosses who file and sign it."""

from __future__ import annotations

from decimal import Decimal

from domain.assessment.grades import period_label
from domain.sheets import Cell, Sheet, write_xlsx
from usecases.assessment import AssessmentRow, StarRow

HEADER = ("社区工作者", "社区", "街道", "满意度", "评价人数", "街道评分", "同事评分", "总分", "等次", "说明",
          "派单按时答复", "派单总数", "求助按时处理", "求助总数", "48小时内验收", "验收总数", "15天内结清", "计薪周期",
          "代办次数", "在岗居民", "收入(元)", "人均收入(元)")
STAR_HEADER = ("对象", "类别", "本季积分", "评价数", "平均星", "星级")


def assessment_xlsx(rows: list[AssessmentRow], stars: list[StarRow] | None = None) -> bytes:
    """One sheet of the period's table (money in yuan, 2 decimals; missing scores empty), one of the stars; the
    sheet is named by the period as people name it ('考核 2026年12月', '考核 2026年第四季度')."""
    table = [_row(r) for r in rows]
    sheets = [Sheet(title=f"考核 {period_label(rows[0].period)}" if rows else "考核", header=HEADER, rows=table,
                    text_columns=frozenset({0, 1}))]
    if stars is not None:
        sheets.append(Sheet(title="星级评定", header=STAR_HEADER, rows=[
            (s.name or s.subject, "代办员" if s.kind == "helper" else "服务站", s.points, s.ratings,
             None if s.mean_stars is None else Decimal(str(s.mean_stars)), s.stars) for s in stars]))
    return write_xlsx(sheets)


def _row(r: AssessmentRow) -> list[Cell]:
    i, sat = r.indicators, r.satisfaction
    # Communities by name and the street (街道), not raw ids and the district (issue 15).
    return [r.display_name, "、".join(r.community_names or r.communities), r.street or r.district, _dec(sat.score),
            sat.raters, r.street_score,
            r.peer_score, _dec(r.total), r.grade or "", r.note, i["offers_in_time"], i["offers"],
            i["escalations_in_time"], i["escalations"], i["inspections_in_48h"], i["inspections"],
            i["pay_periods_in_15d"], i["pay_periods"], i["acts_on_behalf"], i["residents_in_work"],
            Decimal(i["income_fen"]) / 100, Decimal(i["income_per_person_fen"]) / 100]


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))
