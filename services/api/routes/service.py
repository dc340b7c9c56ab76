"""Service to residents (issue 17): ratings of service (服务评价), volunteer tasks, helpers' points, and the
assessment of coordinators (社区工作者考核) with the quarterly star rating (星级评定)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from domain.assessment.grades import period_label
from schemas import service as s
from services.api.deps import ActorDep, EngineDep, SettingsDep
from services.api.downloads import xlsx_download
from services.api.paging import PageDep, paged, window
from store.db import reading
from usecases import assessment, ratings
from usecases.assessment import AssessmentRow, StarRow
from usecases.assessment_export import assessment_xlsx
from usecases.execute import execute, execute_keyed
from usecases.queries import ratings as reads
from usecases.queries.ratings import AnonymousRating, HelperPointsView, MyRating, RateableAct

router = APIRouter(prefix="/api/v1", tags=["service"])


@router.post("/ratings", status_code=201)
def rate(body: s.RateService, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    """A resident rates a service (1–5, a short comment) on the phone, or a coordinator records it for them.

    409 naming `act_id` on a second rating of the same act by the same resident.
    """
    done, _ = execute(engine, settings, ratings.rate_service, body, actor=actor)
    return {"id": done.id, "act_kind": done.act_kind, "act_id": done.act_id, "stars": done.stars, "via": done.via}


@router.post("/ratings/{rating_id}/withdraw")
def withdraw_rating(rating_id: str, body: s.WithdrawRating, actor: ActorDep, engine: EngineDep,
                    settings: SettingsDep) -> dict[str, Any]:
    """The resident who gave a rating (or the city) withdraws it; its helper's points are reversed. 409 when
    withdrawn already; a coordinator may not."""
    done, _ = execute(engine, settings, ratings.withdraw_rating, rating_id, body, actor=actor)
    return {"id": done.id, "withdrawn_at": done.withdrawn_at}


@router.get("/ratings/acts", response_model=list[RateableAct])
def rateable(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
             resident_id: str | None = None) -> list[RateableAct]:
    """What a resident may still rate, newest first: lots paid and acts done on their behalf (a coordinator names
    the resident); a page at a time (`limit`, `cursor`; X-Has-More says if there is more)."""
    with reading(engine) as session:
        rows = reads.rateable_acts(session, actor, resident_id, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.get("/ratings/mine", response_model=list[MyRating])
def mine(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response) -> list[MyRating]:
    """A resident's own ratings, newest first, a page at a time (`limit`, `cursor`)."""
    with reading(engine) as session:
        rows = reads.my_ratings(session, actor, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.get("/communities/{community_id}/ratings", response_model=list[AnonymousRating])
def community(community_id: str, actor: ActorDep, engine: EngineDep, page: PageDep, request: Request,
              response: Response) -> list[AnonymousRating]:
    """A community's ratings for its coordinators and the city: never who rated; a page at a time (`limit`,
    `cursor`)."""
    with reading(engine) as session:
        rows = reads.community_ratings(session, actor, community_id)
    return paged(window(rows, page), page, request, response)


@router.get("/points/helper", response_model=HelperPointsView)
def helper(actor: ActorDep, engine: EngineDep, username: str | None = None) -> HelperPointsView:
    """A helper's points for 代办 acts (own for a coordinator; ?username= for the city)."""
    with reading(engine) as session:
        return reads.helper_points(session, actor, username)


@router.post("/volunteer-tasks", status_code=201)
def volunteer(body: s.RecordVolunteerTask, actor: ActorDep, engine: EngineDep,
              settings: SettingsDep) -> dict[str, Any]:
    """A coordinator records a resident's volunteer task (志愿服务); the points consumer scores it."""
    task, _ = execute_keyed(engine, settings, ratings.record_volunteer_task, body, actor=actor)
    return {"id": task.id, "resident_id": task.resident_id, "minutes": task.minutes}


@router.post("/volunteer-tasks/{task_id}/withdraw")
def withdraw(task_id: str, body: s.WithdrawVolunteerTask, actor: ActorDep, engine: EngineDep,
             settings: SettingsDep) -> dict[str, Any]:
    """Withdraw a task recorded in error; its points are reversed. 409 when withdrawn already."""
    task, _ = execute(engine, settings, ratings.withdraw_volunteer_task, task_id, body, actor=actor)
    return {"id": task.id, "withdrawn_at": task.withdrawn_at}


@router.get("/assessment", response_model=list[AssessmentRow])
def table(period: str, actor: ActorDep, engine: EngineDep, page: PageDep, request: Request,
          response: Response) -> list[AssessmentRow]:
    """The assessment table for a period (2026-11, 2026-Q4 or 2026): every coordinator for the city (by
    username), own row for a coordinator; a page at a time (`limit`, `cursor`)."""
    with reading(engine) as session:
        rows = assessment.assessment_table(session, actor, period, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.get("/assessment.xlsx")
def workbook(period: str, actor: ActorDep, engine: EngineDep) -> Response:
    """The assessment table as an Excel workbook (a quarter's also has the star rating), to file and sign."""
    with reading(engine) as session:
        rows = assessment.assessment_table(session, actor, period)
        stars = assessment.star_ratings(session, actor, period) if "-Q" in period else None
    return xlsx_download(assessment_xlsx(rows, stars), f"assessment-{period}.xlsx",
                         f"社区工作者考核-{period_label(period)}.xlsx")  # '…-2026年第四季度.xlsx' for people


@router.get("/assessment/stars", response_model=list[StarRow])
def stars(quarter: str, actor: ActorDep, engine: EngineDep, page: PageDep, request: Request,
          response: Response) -> list[StarRow]:
    """The quarter's star rating (星级评定) of helpers, then stations, each by id; a page at a time (`limit`,
    `cursor`)."""
    with reading(engine) as session:
        rows = assessment.star_ratings(session, actor, quarter)
    return paged(window(rows, page), page, request, response)


@router.get("/assessment/{coordinator}", response_model=AssessmentRow)
def one(coordinator: str, period: str, actor: ActorDep, engine: EngineDep) -> AssessmentRow:
    """One coordinator's assessment (drill-down); a coordinator reads only their own."""
    with reading(engine) as session:
        return assessment.assessment_of(session, actor, coordinator, period)


@router.put("/assessment/scores")
def scores(body: s.EnterAssessmentScores, actor: ActorDep, engine: EngineDep,
           settings: SettingsDep) -> dict[str, Any]:
    """The city enters the street office's and the peers' scores (0–100) of a coordinator for a period."""
    row, _ = execute(engine, settings, assessment.enter_scores, body, actor=actor)
    return {"coordinator": row.coordinator, "period": row.period, "street_score": row.street_score,
            "peer_score": row.peer_score}


@router.put("/assessment/policies")
def policy(body: s.SetAssessmentPolicy, actor: ActorDep, engine: EngineDep,
           settings: SettingsDep) -> dict[str, Any]:
    """The city sets a district's weights (sum 100), minimum raters and grade thresholds."""
    row, _ = execute(engine, settings, assessment.set_policy, body, actor=actor)
    return {"district": row.district, "weights": [row.resident_weight_pct, row.street_weight_pct,
                                                  row.peer_weight_pct], "min_raters": row.min_raters}
