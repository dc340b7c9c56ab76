"""The points consumer's service part: ratings of 代办 acts score their helpers, volunteer tasks their volunteers.

The points consumer (usecases.points.apply) scores what was paid; this runs after it in the same transaction, on
the same batch: ServiceRated → a helper line (helper_point_entry), VolunteerTaskRecorded → a volunteer line in the
residents' points ledger (spendable in the shop), VolunteerTaskWithdrawn → its reversal. Every line's key derives
from the rating or task, so a redelivery adds nothing; capped per person and month by the rule's service cap.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, func, select

from domain.points import PointDraft, month_of, rule_in_force
from domain.points.service import (
    act_points,
    reverse_act,
    reverse_volunteer,
    score_act,
    score_volunteer,
    service_cap_for_month,
    volunteer_points,
)
from schemas.envelope import Event
from schemas.events.service import RatingWithdrawn, ServiceRated, VolunteerTaskRecorded, VolunteerTaskWithdrawn
from store.points import append_points
from store.tables import HelperPointEntry, PointEntry, ServiceRating, VolunteerTask
from usecases import points
from usecases.context import Context

VOLUNTEER_KINDS = ("volunteer", "volunteer_reversal")  # the lines the service cap counts for residents


def apply(session: Session, events: Sequence[Event], ctx: Context) -> list[Event]:
    """The points consumer's whole handler: work points (usecases.points), then service points; announces nothing."""
    points.apply(session, events, ctx)
    for event in events:
        if isinstance(event, ServiceRated):
            score_rating(session, event, ctx)
        elif isinstance(event, RatingWithdrawn):
            reverse_rating(session, event.rating_id, ctx)
        elif isinstance(event, VolunteerTaskRecorded):
            score_task(session, event.task_id, ctx)
        elif isinstance(event, VolunteerTaskWithdrawn):
            reverse_task(session, event.task_id, ctx)
    return []


def score_rating(session: Session, event: ServiceRated, ctx: Context) -> None:
    """A rated 代办 act earns its helper the rule's points for the stars (nothing for a lot or a self-rating)."""
    key = f"hpts:{event.rating_id}:act"
    if event.helper is None or _exists(session, HelperPointEntry, key):
        return
    rating = session.get(ServiceRating, event.rating_id)
    if rating is None:
        raise LookupError(f"rating {event.rating_id} not in the database")
    versions = points.rule_versions(session, rating.community_id)
    rule = rule_in_force(versions, rating.rated_at)
    month = month_of(rating.rated_at)
    before = int(session.exec(select(func.coalesce(func.sum(HelperPointEntry.uncapped), 0)).where(
        HelperPointEntry.helper == event.helper, HelperPointEntry.month == month)).one())
    draft = score_act(rating_id=rating.id, helper=event.helper, community_id=rating.community_id,
                      rated_at=rating.rated_at, rule_version=rule.version if rule else None,
                      uncapped=act_points(event.stars, rule, self_recorded=event.self_recorded),
                      month_total_before=before, cap=service_cap_for_month(versions, month))
    session.add(HelperPointEntry(entry_key=draft.entry_key, kind=draft.kind, helper=draft.helper,
                                 community_id=draft.community_id, month=draft.month, points=draft.points,
                                 uncapped=draft.uncapped, rating_id=draft.rating_id, rule_version=draft.rule_version,
                                 posted_at=ctx.now))
    session.flush()  # a second rating of the same helper in this batch sees this one in the month's total


def reverse_rating(session: Session, rating_id: str, ctx: Context) -> None:
    """A withdrawn rating's helper points are reversed, in the rated month (nothing if it earned no line)."""
    key = f"hpts:{rating_id}:act"
    if _exists(session, HelperPointEntry, f"{key}:reversed"):
        return
    original = session.exec(select(HelperPointEntry).where(HelperPointEntry.entry_key == key)).first()
    if original is None:  # a lot's rating, or a redelivery brought the withdrawal before the rating: none to reverse
        return
    versions = points.rule_versions(session, original.community_id)
    before = int(session.exec(select(func.coalesce(func.sum(HelperPointEntry.uncapped), 0)).where(
        HelperPointEntry.helper == original.helper, HelperPointEntry.month == original.month)).one())
    draft = reverse_act(entry_key=original.entry_key, helper=original.helper, community_id=original.community_id,
                        month=original.month, uncapped=original.uncapped, rating_id=rating_id,
                        rule_version=original.rule_version, month_total_before=before,
                        cap=service_cap_for_month(versions, original.month))
    session.add(HelperPointEntry(entry_key=draft.entry_key, kind=draft.kind, helper=draft.helper,
                                 community_id=draft.community_id, month=draft.month, points=draft.points,
                                 uncapped=draft.uncapped, rating_id=draft.rating_id,
                                 reverses_entry_key=draft.reverses_entry_key, rule_version=draft.rule_version,
                                 posted_at=ctx.now))
    session.flush()


def score_task(session: Session, task_id: str, ctx: Context) -> None:
    """A volunteer task earns its volunteer the rule's points per hour (in the residents' ledger)."""
    if _exists(session, PointEntry, f"pts:{task_id}:volunteer"):
        return
    task = session.get(VolunteerTask, task_id)
    if task is None:
        raise LookupError(f"volunteer task {task_id} not in the database")
    versions = points.rule_versions(session, task.community_id)
    rule = rule_in_force(versions, task.done_at)
    month = month_of(task.done_at)
    draft = score_volunteer(task_id=task.id, resident_id=task.resident_id, community_id=task.community_id,
                            done_at=task.done_at, uncapped=volunteer_points(task.minutes, rule),
                            rule_version=rule.version if rule else None,
                            month_total_before=_volunteer_total(session, task.resident_id, month),
                            cap=service_cap_for_month(versions, month))
    _post(session, draft, ctx)


def reverse_task(session: Session, task_id: str, ctx: Context) -> None:
    """A withdrawn task's points are reversed (scored first if a redelivery brought the withdrawal first)."""
    if _exists(session, PointEntry, f"pts:{task_id}:volunteer:reversed"):
        return
    score_task(session, task_id, ctx)
    original = session.exec(select(PointEntry).where(PointEntry.entry_key == f"pts:{task_id}:volunteer")).one()
    versions = points.rule_versions(session, original.community_id)
    _post(session, reverse_volunteer(points.to_draft(original), cap=service_cap_for_month(versions, original.month),
                                     month_total_before=_volunteer_total(session, original.resident_id,
                                                                         original.month)), ctx)


def _post(session: Session, draft: PointDraft, ctx: Context) -> None:
    append_points(session, [points.point_row(draft, ctx.now)])


def _volunteer_total(session: Session, resident_id: str, month: str) -> int:
    return int(session.exec(select(func.coalesce(func.sum(PointEntry.uncapped), 0)).where(
        PointEntry.resident_id == resident_id, PointEntry.month == month,
        col(PointEntry.kind).in_(VOLUNTEER_KINDS))).one())


def _exists(session: Session, table: type[HelperPointEntry] | type[PointEntry], key: str) -> bool:
    return session.exec(select(table.id).where(table.entry_key == key)).first() is not None
