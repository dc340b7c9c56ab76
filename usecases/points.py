"""The points consumer: inspections in, points ledger lines (积分) out, each applied exactly once.

A lot's hand-in scored by the community's rule in force when it was inspected (domain.points.rules); a correction
reverses the points of the inspection it corrects (a reversal line in that inspection's month) and is scored
itself. Every line's key derives from the inspection, so a redelivery finds its lines and adds nothing; the
applied-event record (usecases.consumer) commits in the same transaction. Nothing here touches money.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from domain.points import (
    PointDraft,
    PointRule,
    WorkFact,
    cap_for_month,
    month_bounds,
    month_of,
    reverse,
    rule_in_force,
    rule_throughout,
    score_work,
)
from schemas.envelope import Event
from schemas.events.pay import EarningsPosted
from store.bulk import where_in
from store.points import append_points
from store.tables import Inspection, Lot, PointEntry, PointMonth, PointRuleVersion, Submission
from usecases.context import Context

POINTS = "points"  # the consumer's name in the catalogue and usecases.routing.HANDLERS


def apply(session: Session, events: Sequence[Event], ctx: Context) -> list[Event]:
    """The points consumer's handler: score each inspection the batch paid, in order; announces nothing.

    It reads the earnings consumer's EarningsPosted (one per community and batch, postings in the order they
    were priced, corrections after what they correct), so points follow exactly what was paid. An inspection
    that paid nothing posts nothing and earns no points: points are per ¥10 of piece pay.
    """
    ids = [p.inspection_id for e in events if isinstance(e, EarningsPosted) for p in e.postings]
    if ids:
        book = PointsBook(session)
        book.facts.update(load_facts(session, ids))
        book.preload(ids)
        for inspection_id in ids:
            book.score(inspection_id)
        # One executemany, not an ORM object per line: building and flushing 20,000 PointEntry objects took three
        # quarters of the consumer's time, beside the earnings consumer in the same worker. The month totals go to
        # their read model in the same transaction.
        append_points(session, [point_row(d, ctx.now) for d in book.fresh])
    return []


# On time = handed in by the lot's due date, compared in SQL as stored: both columns are store.types.UTCDateTime, so
# PostgreSQL compares two timestamptz and SQLite two texts of the one fixed-width UTC format SQLAlchemy writes
# ("YYYY-MM-DD HH:MM:SS.ffffff", whose order is the instants' order; the product's other time ranges, such as
# store.ledger.posted_between, rely on the same). Converting both to datetimes in Python cost more than the join
# (the points consumer; tests/integration/points/test_on_time_is_the_instants_compared_on_both_stores.py).
FACT_COLUMNS: tuple[Any, ...] = (
    Inspection.id, Inspection.resident_id, Lot.community_id, Inspection.passed, Inspection.rejected,
    Inspection.piece_rate_centifen, (col(Submission.submitted_at) <= col(Lot.due_at)).label("on_time"),
    Inspection.inspected_at, Inspection.corrects_inspection_id)


def load_facts(session: Session, inspection_ids: Sequence[str]) -> dict[str, WorkFact]:
    """The scoring facts of these inspections (on time = handed in by the lot's due date), by id; an inspection
    whose submission or lot is missing has none."""
    if not inspection_ids:
        return {}
    # Core rows on the session's connection, fetched at once: the ORM's result machinery, or a fetch a row, cost
    # more than the join (points consumer).
    rows = session.connection().execute(
        sa_select(*FACT_COLUMNS)
        .join(Submission, col(Submission.id) == Inspection.submission_id)
        .join(Lot, col(Lot.id) == Inspection.lot_id)
        .where(where_in(session, col(Inspection.id), sorted(set(inspection_ids))))).all()
    return {row[0]: to_fact(row) for row in rows}


def to_fact(row: Any) -> WorkFact:
    """A row of FACT_COLUMNS as a WorkFact."""
    iid, resident_id, community_id, passed, rejected, rate, on_time, inspected_at, corrects = row
    return WorkFact(inspection_id=iid, resident_id=resident_id, community_id=community_id, passed=passed,
                    rejected=rejected, piece_rate_centifen=rate, on_time=on_time, inspected_at=inspected_at,
                    corrects_inspection_id=corrects)


def rule_versions(session: Session, community_id: str) -> list[PointRule]:
    """A community's point rule versions, oldest first."""
    return rule_versions_of(session, [community_id])[community_id]


def rule_versions_of(session: Session, community_ids: Sequence[str]) -> dict[str, list[PointRule]]:
    """Each community's point rule versions, oldest first (an empty list for one without a rule), in one query."""
    versions: dict[str, list[PointRule]] = {c: [] for c in community_ids}
    if not versions:
        return versions
    for r in session.exec(select(PointRuleVersion).where(col(PointRuleVersion.community_id).in_(sorted(versions)))
                          .order_by(col(PointRuleVersion.community_id), col(PointRuleVersion.version))):
        versions[r.community_id].append(to_rule(r))
    return versions


def to_rule(r: PointRuleVersion) -> PointRule:
    return PointRule(version=r.version, effective_at=r.effective_at, fen_per_point=r.fen_per_point,
                     passing_rate_bps=r.passing_rate_bps, high_pass_rate_bps=r.high_pass_rate_bps,
                     high_pass_bonus_bps=r.high_pass_bonus_bps, monthly_cap=r.monthly_cap,
                     act_points_by_stars=tuple(r.act_points_by_stars),  # type: ignore[arg-type]
                     volunteer_points_per_hour=r.volunteer_points_per_hour, service_monthly_cap=r.service_monthly_cap)


class PointsBook:
    """What scoring a batch reads (facts, rules, month totals, lines already posted) and the lines it adds."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.facts: dict[str, WorkFact] = {}
        self.rules: dict[str, list[PointRule]] = {}
        self.totals: dict[tuple[str, str], int] = {}  # (resident, month) → Σ uncapped of scored lines
        self.lines: dict[str, PointDraft | None] = {}  # entry key → the line (None: not in the ledger)
        self.caps: dict[tuple[str, str], int] = {}  # (community, month) → the month's cap
        # (community, month) → (True, the rule of every instant of the month) or (False, None): it changes within
        self.month_rules: dict[tuple[str, str], tuple[bool, PointRule | None]] = {}
        self.span: tuple[datetime, datetime, str] | None = None  # the last month worked out: [start, end) in UTC
        self.fresh: list[PointDraft] = []

    def score(self, inspection_id: str) -> None:
        """Add the inspection's lines unless posted: the reversal of what it corrects (scored first), then its own."""
        key = f"pts:{inspection_id}:work"
        if self.line(key) is not None:
            return
        fact = self.fact(inspection_id)
        target = fact.corrects_inspection_id
        if target is not None:
            reversal_key = f"pts:{inspection_id}:reverses:{target}"
            if self.line(reversal_key) is None:
                original = self.line(f"pts:{target}:work")
                if original is None:  # a redelivery brought the correction first: score the original now
                    self.score(target)
                    original = self.line(f"pts:{target}:work")
                assert original is not None
                self.post(reverse(original, by_inspection_id=inspection_id,
                                  cap=self.cap(original.community_id, original.month),
                                  month_total_before=self.total(original.resident_id, original.month)))
        month = self.month(fact)
        self.post(score_work(fact, self.rule(fact, month), month=month, cap=self.cap(fact.community_id, month),
                             month_total_before=self.total(fact.resident_id, month)))

    def preload(self, inspection_ids: Sequence[str]) -> None:
        """Read the batch's own lines, its communities' rules and its residents' month totals in three queries, not
        some per inspection or community (the points consumer runs beside the earnings consumer: its transactions
        must stay short). The totals come from the read model point_month, one row per (resident, month), not from
        the month's lines (issue 19)."""
        keys = [f"pts:{i}:work" for i in inspection_ids]
        # A correction reads its reversal's key and its original's line: with the batch's keys, not a query each
        # (one in 37 inspections of the bench's world: those queries were a sixth of the consumer's profile).
        for i in inspection_ids:
            fact = self.facts.get(i)
            if fact is not None and (target := fact.corrects_inspection_id) is not None:
                keys += (f"pts:{i}:reverses:{target}", f"pts:{target}:work")
        found = {r.entry_key: to_draft(r) for r in self.session.exec(
            select(PointEntry).where(where_in(self.session, col(PointEntry.entry_key), keys)))}
        self.lines.update({k: found.get(k) for k in keys if k not in self.lines})
        self.rules.update(rule_versions_of(self.session, list({f.community_id for f in self.facts.values()}
                                                              - self.rules.keys())))
        pairs = {(f.resident_id, self.month(f)) for f in self.facts.values()}
        residents, months = sorted({r for r, _ in pairs}), sorted({m for _, m in pairs})
        if not pairs:
            return
        sums = self.session.connection().execute(
            sa_select(col(PointMonth.resident_id), col(PointMonth.month), col(PointMonth.uncapped))
            .where(where_in(self.session, col(PointMonth.resident_id), residents), col(PointMonth.month).in_(months)))
        known = {(r, m): int(t) for r, m, t in sums}
        for pair in pairs:
            self.totals.setdefault(pair, known.get(pair, 0))

    def post(self, draft: PointDraft) -> None:
        self.fresh.append(draft)
        self.lines[draft.entry_key] = draft
        self.totals[(draft.resident_id, draft.month)] = self.total(draft.resident_id, draft.month) + draft.uncapped

    def month(self, fact: WorkFact) -> str:
        """The month of an inspection (month_of its inspected_at, Asia/Shanghai; preload and score both ask). A
        batch's inspections mostly fall in one month, so its bounds are kept in UTC and compared (datetimes of one
        zone: cheap) instead of converting each instant to Asia/Shanghai."""
        at, span = fact.inspected_at, self.span
        if span is None or not span[0] <= at < span[1]:
            month = month_of(at)
            starts_at, ends_at = month_bounds(month)
            span = self.span = (starts_at.astimezone(UTC), ends_at.astimezone(UTC), month)
        return span[2]

    def fact(self, inspection_id: str) -> WorkFact:
        fact = self.facts.get(inspection_id)
        if fact is None:
            self.facts.update(load_facts(self.session, [inspection_id]))
            if (fact := self.facts.get(inspection_id)) is None:
                raise LookupError(f"inspection {inspection_id} not in the database")
        return fact

    def versions(self, community_id: str) -> list[PointRule]:
        if community_id not in self.rules:
            self.rules[community_id] = rule_versions(self.session, community_id)
        return self.rules[community_id]

    def rule(self, fact: WorkFact, month: str) -> PointRule | None:
        """The rule in force when the inspection was made (rule_in_force): worked out once per community and month
        of the batch when no version takes effect during the month (rule_throughout), else for each inspection."""
        known = self.month_rules.get((fact.community_id, month))
        if known is None:
            versions = self.versions(fact.community_id)
            known = self.month_rules[(fact.community_id, month)] = rule_throughout(versions, *month_bounds(month))
        steady, rule = known
        return rule if steady else rule_in_force(self.versions(fact.community_id), fact.inspected_at)

    def cap(self, community_id: str, month: str) -> int:
        """The month's cap, worked out once per community and month of the batch (it builds the month's bounds)."""
        cap = self.caps.get((community_id, month))
        if cap is None:
            cap = self.caps[(community_id, month)] = cap_for_month(self.versions(community_id), month)
        return cap

    def total(self, resident_id: str, month: str) -> int:
        total = self.totals.get((resident_id, month))
        if total is None:
            total = self.totals[(resident_id, month)] = self.session.exec(select(PointMonth.uncapped).where(
                PointMonth.resident_id == resident_id, PointMonth.month == month)).first() or 0
        return total

    def line(self, key: str) -> PointDraft | None:
        try:  # nearly always preloaded: one lookup
            return self.lines[key]
        except KeyError:
            row = self.session.exec(select(PointEntry).where(PointEntry.entry_key == key)).first()
            line = self.lines[key] = to_draft(row) if row else None
            return line


def to_draft(r: PointEntry) -> PointDraft:
    """A stored line as the domain's draft."""
    return PointDraft(entry_key=r.entry_key, kind=r.kind, resident_id=r.resident_id,  # type: ignore[arg-type]
                      community_id=r.community_id, month=r.month, points=r.points, uncapped=r.uncapped,
                      inspection_id=r.inspection_id, reverses_entry_key=r.reverses_entry_key,
                      redemption_id=r.redemption_id, rule_version=r.rule_version)


def point_row(d: PointDraft, posted_at: datetime) -> tuple[Any, ...]:
    """A draft as a point_entry row: a tuple of store.points.POINT_COLUMNS, for store.points.append_points."""
    return (d.entry_key, d.kind, d.resident_id, d.community_id, d.month, d.points, d.uncapped, d.inspection_id,
            d.reverses_entry_key, d.redemption_id, d.rule_version, posted_at)
