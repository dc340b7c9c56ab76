"""Spreadsheet imports of sites, residents and orders: every row through its use case, all rows or none.

A file is checked in two passes: first its format (csv_import: encoding, columns, cells,
duplicates within the file), then each clean row against the database through the same use
case the single-record API runs, each in a savepoint so one bad row cannot hide the next.
Any problem in either pass rolls the whole file back; the caller gets every problem by row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from domain.orders import csv_import as csv
from domain.orders.csv_import import ImportReport, OrderRow, ResidentRow, RowError, SiteRow
from domain.orders.csv_reading import read_table
from schemas import commands as c
from schemas.envelope import Event
from schemas.rates import QuotedRate, rate_fields
from store.outbox import audit
from store.tables import Enterprise, Resident
from usecases import orders, registry
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Rejected
from usecases.reasons import both_languages, localize

T = TypeVar("T")
SITE_KINDS = {"workshop": "micro_factory", "home": "home_workshop"}
# Use-case field names → the CSV column a coordinator or enterprise can find in their file.
SITE_COLUMN = {"site_id": "site_id", "community_id": "community_id", "name": "name", "seats": "seats",
               "kind": "kind", "opening_hours": "opening_hours", "equipment": "equipment"}
RESIDENT_COLUMN = {"reachable_site_ids": "reachable_sites", "community_id": "community_id", "name": "name",
                   "phone": "phone", "id_number": "id_number", "work_mode": "work_mode", "skills": "skills",
                   "availability": "availability", "priority_group": "priority_group"}
ORDER_COLUMN = {"order_id": "order_ref", "piece_rate_fen": "piece_rate_yuan", "piece_rate_yuan": "piece_rate_yuan",
                "piece_rate_per_100_yuan": "piece_rate_yuan", "piece_rate_per_1000_yuan": "piece_rate_yuan",
                "quantity": "quantity",
                "eligible_community_ids": "eligible_communities", "eligible_site_ids": "eligible_sites",
                "quality_bonus_fen_per_piece": "quality_bonus_yuan", "enterprise_id": "enterprise_id",
                "product_code": "product_code", "due_at": "due_at", "pickup_site_id": "pickup_site_id",
                "min_level": "min_level", "take_home_allowed": "take_home_allowed", "uscc": "uscc",
                "training_required": "training_required"}


class ImportRejected(Rejected):
    """A file with bad rows: every problem by row; nothing of it was imported."""

    def __init__(self, problems: Sequence[RowError]) -> None:
        first = problems[0]  # the first problem as the refusal's own reason, in both languages like the others
        super().__init__(first.field or "file", f"第 {first.row} 行：{localize(first.reason, 'zh')} / row {first.row}: "
                                                f"{localize(first.reason, 'en')}")
        self.problems = list(problems)


def import_sites(session: Session, data: bytes, *, actor: Actor, ctx: Context) -> tuple[int, list[Event]]:
    """Register every site in the file (coordinator), or none."""
    actor.require("coordinator")
    return _import(session, data, csv.import_sites, "sites.import", actor=actor, ctx=ctx, columns=SITE_COLUMN,
                   one=lambda row: registry.register_site(session, _site(row), actor=actor, ctx=ctx))


def import_residents(session: Session, data: bytes, *, actor: Actor, ctx: Context) -> tuple[int, list[Event]]:
    """Register every resident in the file (coordinator), or none; ids are minted, phones must be new."""
    actor.require("coordinator")

    def one(row: ResidentRow) -> list[Event]:
        _check_not_registered(session, row)
        return registry.register_resident(session, _resident(row, ctx), actor=actor, ctx=ctx)

    return _import(session, data, csv.import_residents, "residents.import", actor=actor, ctx=ctx,
                   columns=RESIDENT_COLUMN, one=one)


def import_orders(session: Session, data: bytes, *, actor: Actor, ctx: Context) -> tuple[int, list[Event]]:
    """Post every order in the file (enterprise), or none; the order reference becomes the order id."""
    actor.require("enterprise")

    def one(row: OrderRow) -> list[Event]:
        enterprise = session.get(Enterprise, row.draft.enterprise_id)
        if enterprise is not None and enterprise.id == actor.enterprise_id and enterprise.uscc != row.draft.uscc:
            raise Rejected("uscc", f"does not match the code registered for {enterprise.id}")
        return orders.post_order(session, _order(row), actor=actor, ctx=ctx)[1]

    return _import(session, data, csv.import_orders, "orders.import", actor=actor, ctx=ctx, columns=ORDER_COLUMN,
                   one=one)


def _import(session: Session, data: bytes, parse: Callable[[bytes], ImportReport[T]], action: str, *,
            actor: Actor, ctx: Context, columns: dict[str, str],
            one: Callable[[T], list[Event]]) -> tuple[int, list[Event]]:
    """(rows imported, their events); ImportRejected with every problem when any row is bad.

    A row's reason is kept as written (English, or "中文 / English"); whoever shows it puts it into the reader's
    language with usecases.reasons.localize (the API by Accept-Language, the dashboard by its switch), so a
    pydantic refusal is stored in both languages here: its English alone has no Chinese to give.
    """
    report = parse(data)
    if report.errors:
        raise ImportRejected(report.errors)
    numbers = [row_no for row_no, _ in read_table(data)[1]]  # a clean report has one row per data line
    problems: list[RowError] = []
    events: list[Event] = []
    for row_no, row in zip(numbers, report.rows, strict=True):
        try:
            with session.begin_nested():
                events += one(row)
        except Rejected as exc:
            problems.append(RowError(row_no, _column(exc.field, columns), exc.reason))
        except ValidationError as exc:
            problems += [RowError(row_no, _column(str(e["loc"][0]) if e["loc"] else "", columns), both_languages(e))
                         for e in exc.errors()]
        except IntegrityError as exc:
            problems.append(RowError(row_no, "", f"与已登记的记录冲突（编号或号码已被使用） / conflicts with what is "
                                                 f"already registered: {exc.orig}"))
    if problems:
        raise ImportRejected(problems)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action=action, subject=f"{len(report.rows)}",
          rows=len(report.rows))
    return len(report.rows), events


def _column(field: str, columns: dict[str, str]) -> str:
    """'skills.beading' or 'availability[2]' → the CSV column it came from."""
    head = field.split(".")[0].split("[")[0]
    return columns.get(head, field)


def _site(row: SiteRow) -> c.RegisterSite:
    return c.RegisterSite(site_id=row.site_id, community_id=row.community_id, name=row.name,
                          kind=SITE_KINDS[row.kind], seats=row.seats,  # type: ignore[arg-type]
                          equipment=list(row.equipment), opening_hours=[(s[0], s[1], s[2]) for s in row.opening_hours])


def _resident(row: ResidentRow, ctx: Context) -> c.RegisterResident:
    return c.RegisterResident(resident_id=ctx.new_id("res"), community_id=row.community_id, name=row.name,
                              phone=row.phone, id_number=row.id_number, work_mode=row.work_mode,  # type: ignore[arg-type]
                              skills=dict(row.skills), availability=[(s[0], s[1], s[2]) for s in row.availability],
                              reachable_site_ids=list(row.reachable_site_ids), priority_group=row.priority_group)


def _check_not_registered(session: Session, row: ResidentRow) -> None:
    """The same person twice would split their work and pay across two records."""
    for name, value in (("phone", row.phone), ("id_number", row.id_number)):
        if value is None:
            continue
        column = col(Resident.phone) if name == "phone" else col(Resident.id_number)
        found = session.exec(select(Resident.id).where(column == value)).first()
        if found:
            raise Rejected(name, f"already registered for resident {found}")


def _order(row: OrderRow) -> c.PostOrder:
    d = row.draft
    fields: dict[str, Any] = {
        "order_id": row.order_ref, "enterprise_id": d.enterprise_id, "product_code": d.product_code,
        "quantity": d.quantity, "due_at": d.due_at,
        # the rate exactly as written (yuan a piece, or per 100 or 1,000 pieces), so the order shows it so
        **rate_fields(QuotedRate(d.piece_rate_centifen, d.rate_per)),
        "eligible_community_ids": list(d.eligible_community_ids), "eligible_site_ids": list(d.eligible_site_ids),
        "take_home_allowed": d.take_home_allowed, "min_level": d.min_level,
        "training_required": f"training for {d.product_code}" if d.training_required else None,
        "pickup_site_id": d.pickup_site_id, "quality_bonus_fen_per_piece": d.quality_bonus_fen_per_piece,
    }
    return c.PostOrder(**fields)
