"""Reconciling service points (issue 17) with what the recorded ratings and volunteer tasks say.

Per helper and month, the helper lines must sum to min(service cap, Σ the rule's points for the stars of each
rating the points consumer applied, less those whose withdrawal it applied); per resident and month, the
volunteer lines to min(service cap, Σ points of the tasks it applied, less those whose withdrawal it applied).
Events still on their way are left out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import and_
from sqlmodel import Session, col, func, select

from domain.points import capped, month_of, rule_in_force
from domain.points.service import act_points, service_cap_for_month, volunteer_points
from store.tables import AppliedEvent, HelperPointEntry, OutboxEvent, PointEntry, ServiceRating, VolunteerTask
from usecases.points import POINTS, rule_versions, rule_versions_of
from usecases.service_points import VOLUNTEER_KINDS


def reconcile_service(session: Session) -> list[dict[str, Any]]:
    """Differences in helpers' and volunteers' points, shaped like reconcile_points' (scope helper | volunteer)."""
    return _helpers(session) + _volunteers(session)


def _applied(session: Session, event_type: str) -> list[dict[str, Any]]:
    payloads = session.exec(select(OutboxEvent.payload).join(AppliedEvent, and_(
        col(AppliedEvent.event_id) == OutboxEvent.event_id, col(AppliedEvent.consumer) == POINTS))
        .where(OutboxEvent.type == event_type))
    return [json.loads(p) for p in payloads]


def _helpers(session: Session) -> list[dict[str, Any]]:
    withdrawn = {e["rating_id"] for e in _applied(session, "service.rating_withdrawn")}
    uncapped: dict[tuple[str, str, str], int] = defaultdict(int)
    for event in _applied(session, "service.rated"):
        rating = session.get(ServiceRating, event["rating_id"])
        if rating is None or not event.get("helper") or rating.id in withdrawn:
            continue
        rule = rule_in_force(rule_versions(session, rating.community_id), rating.rated_at)
        key = (rating.community_id, event["helper"], month_of(rating.rated_at))
        uncapped[key] += act_points(event["stars"], rule, self_recorded=bool(event.get("self_recorded")))
    expected = _capped(session, uncapped)
    held = {(h, m): int(t) for h, m, t in session.exec(select(
        HelperPointEntry.helper, HelperPointEntry.month, func.sum(HelperPointEntry.points))
        .group_by(col(HelperPointEntry.helper), col(HelperPointEntry.month))).all()}
    return _differences("helper", expected, held)


def _volunteers(session: Session) -> list[dict[str, Any]]:
    withdrawn = {e["task_id"] for e in _applied(session, "service.volunteer_withdrawn")}
    uncapped: dict[tuple[str, str, str], int] = defaultdict(int)
    for event in _applied(session, "service.volunteer_recorded"):
        task = session.get(VolunteerTask, event["task_id"])
        if task is None or task.id in withdrawn:
            continue
        rule = rule_in_force(rule_versions(session, task.community_id), task.done_at)
        uncapped[(task.community_id, task.resident_id, month_of(task.done_at))] += volunteer_points(task.minutes, rule)
    expected = _capped(session, uncapped)
    held = {(r, m): int(t) for r, m, t in session.exec(select(
        PointEntry.resident_id, PointEntry.month, func.sum(PointEntry.points))
        .where(col(PointEntry.kind).in_(VOLUNTEER_KINDS))
        .group_by(col(PointEntry.resident_id), col(PointEntry.month))).all()}
    return _differences("volunteer", expected, held)


def _capped(session: Session, uncapped: dict[tuple[str, str, str], int]) -> dict[tuple[str, str], int]:
    versions = rule_versions_of(session, sorted({cid for cid, _, _ in uncapped}))
    return {(who, month): capped(total, service_cap_for_month(versions[cid], month))
            for (cid, who, month), total in uncapped.items()}


def _differences(scope: str, expected: dict[tuple[str, str], int],
                 held: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    return [{"scope": scope, "id": f"{who}:{month}", "expected_points": expected.get((who, month), 0),
             "ledger_points": held.get((who, month), 0),
             "delta_points": held.get((who, month), 0) - expected.get((who, month), 0)}
            for who, month in sorted(set(expected) | set(held))
            if expected.get((who, month), 0) != held.get((who, month), 0)]
