"""Rows for who and where: communities, sites, enterprises, products, residents, users."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from domain.matching.model import DEFAULT_FAIRNESS_WEIGHT
from store.types import json_column, utc_column


class Community(SQLModel, table=True):
    """A community (社区) in a street, district and city; the partition of matching."""

    id: str = Field(primary_key=True)
    name: str
    street: str
    district: str
    city: str
    # GB/T 2260 six-digit code of the county or district: which minimum wage applies (domain.pay.minimum_wages).
    # Required at registration; "" only for a community registered before divisions existed, refused by every
    # minimum-wage lookup until its settings give one.
    division: str = Field(default="", index=True)
    period_kind: str = "half_month"
    tops_up_minimum_wage: bool = False
    # Share of a period's pay a carried debt may take back, in basis points (工资支付暂行规定 art. 16: 20%).
    debt_recovery_cap_bps: int = 2000
    # Matching's fairness weight (issue 18; domain.matching.model.MatchPolicy.fairness_weight): how much a
    # resident below her fair share of income per offered hour counts, as a fraction of a lot's value.
    match_fairness_weight: float = DEFAULT_FAIRNESS_WEIGHT


class Site(SQLModel, table=True):
    """A micro-factory (微工厂) or a home workshop (家庭微车间)."""

    id: str = Field(primary_key=True)
    community_id: str = Field(foreign_key="community.id", index=True)
    name: str
    kind: str = "micro_factory"
    seats: int = 0
    equipment: list[Any] = Field(default_factory=list, sa_column=json_column())
    opening_hours: list[Any] = Field(default_factory=list, sa_column=json_column())
    lat: float | None = None
    lon: float | None = None


class Enterprise(SQLModel, table=True):
    """A partner enterprise (合作企业) with its unified social credit code."""

    id: str = Field(primary_key=True)
    name: str
    uscc: str = Field(unique=True)


class Product(SQLModel, table=True):
    """A product/operation: the skill it needs, standard time, defect codes, lot size policy."""

    code: str = Field(primary_key=True)
    name: str
    skill: str
    standard_minutes_per_piece: float
    defect_codes: list[Any] = Field(default_factory=list, sa_column=json_column())
    lot_size: int = 100
    min_lot_size: int = 20


class Resident(SQLModel, table=True):
    """A resident (居民) who takes piecework, on-site or at home."""

    id: str = Field(primary_key=True)
    community_id: str = Field(foreign_key="community.id", index=True)
    name: str
    # Canonical forms (domain.people); each number belongs to one person, so one person is one record.
    phone: str | None = Field(default=None, unique=True, index=True)
    id_number: str | None = Field(default=None, unique=True, index=True)
    work_mode: str = "either"
    skills: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    availability: list[Any] = Field(default_factory=list, sa_column=json_column())
    reachable_site_ids: list[Any] = Field(default_factory=list, sa_column=json_column())
    priority_group: bool = False
    max_open_lots: int = 2
    pieces_per_hour: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    pieces_inspected: int = 0
    pieces_passed: int = 0
    active: bool = True
    registered_at: datetime = Field(sa_column=utc_column())


class User(SQLModel, table=True):
    """A sign-in: role city / coordinator / enterprise / resident, and what it may see."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    password_hash: str
    role: str
    display_name: str = ""
    resident_id: str | None = Field(default=None, foreign_key="resident.id")
    enterprise_id: str | None = Field(default=None, foreign_key="enterprise.id")
    community_ids: list[Any] = Field(default_factory=list, sa_column=json_column())


class RevokedToken(SQLModel, table=True):
    """A session token signed out before it expired: refused from then on (usecases.auth.revoke_token).

    `token_id` is the token's jti claim (random, never the token itself); `expires_at` (UTC) the token's own expiry,
    after which the row has nothing left to refuse and is deleted at the next sign-out.
    """

    __tablename__ = "revoked_token"
    token_id: str = Field(primary_key=True)
    expires_at: datetime = Field(sa_column=utc_column(index=True))


class SignInCode(SQLModel, table=True):
    """A one-time sign-in code a coordinator printed for a resident (issue 15): only its keyed hash is kept.

    Live while used_at and revoked_at are empty and expires_at (UTC) is ahead; the first sign-in with it sets used_at
    in the transaction that lets the token out, and a newer code for the same sign-in sets revoked_at.
    """

    __tablename__ = "sign_in_code"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    code_hash: str
    issued_by: str
    issued_at: datetime = Field(sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column())
    used_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    used_from: str | None = None
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins of one account from one client (IP): the wait before the next try, doubling each time.

    Keyed by the pair, not the account alone, so an attacker's failures never stop the owner signing in from
    another client; the username is the one typed (known or not), so the throttle reveals no account.
    In the database, so every API replica sees the same count.
    """

    __tablename__ = "sign_in_throttle"
    username: str = Field(primary_key=True)
    client: str = Field(primary_key=True)
    failures: int = 0
    last_failure_at: datetime = Field(sa_column=utc_column(index=True))
    blocked_until: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
