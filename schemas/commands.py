"""Commands: what callers ask the system to do (the API's request bodies). Named as orders."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from schemas.rates import BASE_FIELD, QuotedRate, RateError, checked, from_fen, parse_rate, yuan_text
from schemas.wire import Slot, WireDatetime

Weekly = list[Slot]
# Bounds keep every count inside a 64-bit database integer (an unbounded int overflowed SQLite: a 500).
MAX_PIECES = 10_000_000


class Command(BaseModel):
    """Base of every command: frozen, no unknown fields, strict types (`true` or `"200"` is not a count), and no
    control characters in any text (a NUL made PostgreSQL fail the request with a 500; an escape sequence in a
    reason would reach pay slips and terminals). Tab, line feed and carriage return are text."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        found = _control_character(value)
        if found is not None:
            raise ValueError(f"不能含控制字符（U+{ord(found):04X}）/ must not contain control characters "
                             f"(U+{ord(found):04X})")
        least = _min_length(cls, info.field_name)
        if isinstance(value, str) and least and len(_visible(value)) < least:
            # The use cases strip what they store: "   " (or zero-width spaces) passed min_length and was stored as
            # an empty task or reason (attacker, 2026-12-01).
            raise ValueError(f"至少要有 {least} 个字，空格不算 / must have at least {least} "
                             f"character{'s' if least > 1 else ''} besides blanks")
        return value


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Tab, line feed and carriage return are text; the bidirectional overrides and isolates (U+202A–202E, U+2066–2069)
# are not: they reorder what a pay slip or a list shows ('Trojan source').


def _visible(text: str) -> str:
    """The text without blanks and invisible format characters (zero-width spaces, joiners, marks)."""
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _min_length(model: type[BaseModel], field: str | None) -> int:
    """The min_length a text field of `model` declares (0 when none)."""
    info = model.model_fields.get(field or "")
    return next((int(least) for m in (info.metadata if info else ()) if (least := getattr(m, "min_length", None))), 0)


def _control_character(value: Any) -> str | None:
    """The first C0/C1 control character (or DEL) in a text, or in the texts of a list or mapping; None if none."""
    if isinstance(value, str):
        found = _CONTROL.search(value)
        return found.group() if found else None
    if isinstance(value, (list, tuple, set, frozenset)):
        return next((f for f in map(_control_character, value) if f is not None), None)
    if isinstance(value, dict):
        return _control_character([*value.keys(), *value.values()])
    return None


class Keyed(Command):
    """A command a person may send twice by accident (a double tap, a retry after a timeout): with a `reference`,
    the same command sent again answers with what the first made and makes nothing (usecases.receipts)."""

    reference: str | None = Field(default=None, min_length=1, max_length=100, description=(
        "Idempotency key, one per intended action (e.g. a UUID minted when the form is drawn): the same reference "
        "and fields again answer with what the first request made and change nothing; the same reference with "
        "other fields, or another person's, is 409."))


class RegisterCommunity(Command):
    community_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=100)
    street: str = Field(min_length=1, max_length=100)
    district: str = Field(min_length=1, max_length=100)
    city: str = Field(min_length=1, max_length=100)
    # Which minimum wage applies: the county's six-digit GB/T 2260 code, or its name ("历下区", "济南市历下区").
    division: str = Field(min_length=1, max_length=64,
                          description="GB/T 2260 six-digit code of the county/district, or its Chinese name.")


class RegisterEnterprise(Command):
    enterprise_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=200)
    uscc: str = Field(min_length=18, max_length=40,
                      description="18-character unified social credit code, as typed (spaces and full-width allowed)")


class RegisterProduct(Command):
    product_code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=100)
    skill: str = Field(min_length=1, max_length=40)
    standard_minutes_per_piece: float = Field(gt=0, le=600)
    defect_codes: list[str] = Field(default_factory=list)
    lot_size: int = Field(default=100, gt=0, le=MAX_PIECES)
    min_lot_size: int = Field(default=20, gt=0, le=MAX_PIECES)


class RegisterSite(Command):
    site_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    community_id: str
    name: str = Field(min_length=1, max_length=100)
    kind: Literal["micro_factory", "home_workshop"] = "micro_factory"
    seats: int = Field(default=0, ge=0, le=1000)
    equipment: list[str] = Field(default_factory=list)
    opening_hours: Weekly = Field(default_factory=list)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class RegisterResident(Command):
    resident_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    community_id: str
    name: str = Field(min_length=1, max_length=50)
    # As typed (full-width digits, spaces, +86 ...): the use case normalises and checks them in full, the same
    # way as the spreadsheet import, so one person is one record whichever way their numbers arrive.
    phone: str | None = Field(default=None, min_length=1, max_length=32)
    id_number: str | None = Field(default=None, min_length=1, max_length=40)
    work_mode: Literal["onsite", "home", "either"] = "either"
    skills: dict[str, int] = Field(default_factory=dict)
    availability: Weekly = Field(default_factory=list)
    reachable_site_ids: list[str] = Field(default_factory=list)
    priority_group: bool = False
    max_open_lots: int = Field(default=2, ge=1, le=20)
    password: str | None = Field(default=None, min_length=8, description="Sign-in for residents with a phone.")


class UpdateAvailability(Command):
    availability: Weekly


YuanText = Annotated[str, BeforeValidator(yuan_text)]
RATE_INPUTS = ("piece_rate_yuan", "piece_rate_per_100_yuan", "piece_rate_per_1000_yuan", "piece_rate_centifen",
               "piece_rate_fen")


class PricedCommand(Command):
    """A piece rate (计件单价) as the enterprise writes it: exactly one of the rate fields (issue 16).

    `rate` gives it exactly, in centifen (0.0001 yuan) per piece with the basis it was quoted on; see
    schemas.rates. Too fine (5+ decimals a piece), zero, negative or not a number is refused naming the field.
    """

    piece_rate_yuan: YuanText | None = Field(
        default=None, description='Yuan per piece, up to 4 decimals: "0.035" (a JSON number is read as written).')
    piece_rate_per_100_yuan: YuanText | None = Field(default=None, description='Yuan per 100 pieces: "3.5".')
    piece_rate_per_1000_yuan: YuanText | None = Field(default=None, description='Yuan per 1,000 pieces: "35".')
    piece_rate_centifen: int | None = Field(
        default=None, description="Exact rate in 0.0001 yuan (1/100 fen) per piece: 350 is ¥0.035.")
    piece_rate_fen: int | None = Field(default=None, description="Whole fen per piece (the original field).")

    @field_validator("piece_rate_yuan", "piece_rate_per_100_yuan", "piece_rate_per_1000_yuan")
    @classmethod
    def _exact_yuan(cls, raw: str | None, info: Any) -> str | None:
        if raw is not None:
            per = {v: k for k, v in BASE_FIELD.items()}[info.field_name]
            _reason_of(lambda: parse_rate(raw, per=per))
        return raw

    @field_validator("piece_rate_centifen")
    @classmethod
    def _exact_centifen(cls, raw: int | None) -> int | None:
        if raw is not None:
            _reason_of(lambda: checked(raw))
        return raw

    @field_validator("piece_rate_fen")
    @classmethod
    def _whole_fen(cls, raw: int | None) -> int | None:
        if raw is not None:
            _reason_of(lambda: from_fen(raw))
        return raw

    @model_validator(mode="after")
    def _one_rate(self) -> PricedCommand:
        given = [name for name in RATE_INPUTS if getattr(self, name) is not None]
        if len(given) != 1:
            # Located at a field (the first of the form when none is given, else the second one given), so an
            # answer names a field the caller sent or can send, not the whole body (a model validator has no field).
            reason = (f"计件单价须且只能填写一项：{' / '.join(RATE_INPUTS)}（收到 {len(given)} 项）/ "
                      f"give the piece rate in exactly one of these fields (got {len(given)})")
            field = given[1] if given else RATE_INPUTS[0]
            raise ValidationError.from_exception_data(type(self).__name__, [InitErrorDetails(
                type=PydanticCustomError("piece_rate", reason), loc=(field,), input=getattr(self, field))])
        return self

    @property
    def rate(self) -> QuotedRate:
        """The piece rate, exact: centifen per piece and the basis it was quoted on."""
        if self.piece_rate_centifen is not None:
            return checked(self.piece_rate_centifen)
        if self.piece_rate_fen is not None:
            return from_fen(self.piece_rate_fen)
        for per, name in BASE_FIELD.items():
            text = getattr(self, name)
            if text is not None:
                return parse_rate(text, per=per)
        raise RateError("piece_rate_yuan", "计件单价未填写 / no piece rate given")


def _reason_of(parse: Any) -> None:
    """Run a rate parser; its RateError becomes a ValueError with the reason alone (pydantic names the field)."""
    try:
        parse()
    except RateError as err:
        raise ValueError(err.reason) from None


# The ids the system mints for orders posted without the enterprise's own number (the demo's 'ord-demo-…' too): pages
# and messages name these by product, day and number (usecases.queries.names.order_labels), an own number as it is.
GENERATED_ORDER_PREFIX = "ord-"


class PostOrder(PricedCommand, Keyed):
    order_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    enterprise_id: str
    product_code: str
    quantity: int = Field(gt=0, le=10_000_000)
    quality_bonus_fen_per_piece: int = Field(default=0, ge=0, le=1_000_000)
    due_at: WireDatetime
    eligible_community_ids: list[str] = Field(min_length=1)
    eligible_site_ids: list[str] = Field(default_factory=list)
    take_home_allowed: bool = True
    min_level: int = Field(default=1, ge=0, le=10)
    training_required: str | None = None
    pickup_site_id: str | None = None


class ChangeRate(PricedCommand):
    reason: str = Field(min_length=2, max_length=200)


class CancelOrder(Command):
    reason: str = Field(min_length=2, max_length=200)


class AnswerOffer(Command):
    """Accept or decline; a coordinator may answer on a resident's behalf (代办)."""

    decision: Literal["accept", "decline"]
    reason: str = Field(default="", max_length=200)


HardRule = Literal["skill", "level", "work_mode", "time", "open_lots", "seat"]


class DispatchLot(Command):
    """A coordinator gives a lot by hand (派单); each hard rule it breaks is named in override_rules, with a reason."""

    resident_id: str = Field(min_length=1, max_length=64)
    note: str = Field(default="", max_length=200)
    override_rules: list[HardRule] = Field(default_factory=list, max_length=6,
                                           description="Hard rules the coordinator knowingly overrides.")
    override_reason: str | None = Field(default=None, max_length=200,
                                        description="Why the rules are overridden; required with override_rules.")


class WithdrawOffer(Command):
    reason: str = Field(min_length=2, max_length=200)


class IssueMaterials(Keyed):
    lot_id: str | None = Field(default=None, description="The lot chosen from a list; or send qr instead.")
    qr: str | None = Field(default=None, max_length=200, description="The scanned lot label: 'MF1:<lot_id>:<code>'.")
    resident_id: str
    pieces: int = Field(gt=0, le=MAX_PIECES)


class ReturnMaterials(Keyed):
    lot_id: str
    resident_id: str
    unused_pieces: int = Field(default=0, ge=0, le=MAX_PIECES)
    scrap_pieces: int = Field(default=0, ge=0, le=MAX_PIECES)


class SubmitOutput(Keyed):
    lot_id: str
    pieces: int = Field(gt=0, le=MAX_PIECES)
    minutes_spent: int | None = Field(default=None, ge=0, le=1_000_000,
                                      description="Reported time, for hourly earnings.")


class RecordInspection(Keyed):
    submission_id: str
    passed: int = Field(ge=0, le=MAX_PIECES)
    rejected: int = Field(ge=0, le=MAX_PIECES)
    defect_codes: list[str] = Field(default_factory=list)
    rework: bool = False
    photo_ref: str | None = Field(default=None, max_length=200)
    corrects_inspection_id: str | None = None


class ClosePayPeriod(Command):
    community_id: str
    period_id: str = Field(pattern=r"^\d{4}-\d{2}(-[AB])?$|^\d{4}-W\d{2}$")


class RecordPayout(Command):
    resident_id: str
    period_id: str
    amount_fen: int = Field(gt=0, le=10_000_000_000)
    method: Literal["bank", "wechat", "alipay", "cash"]
    reference: str = Field(min_length=1, max_length=100)


class FileAppeal(Command):
    reason: str = Field(min_length=2, max_length=500, description="Why the rejection is wrong, in their words.")


class DecideAppeal(Command):
    decision: Literal["uphold", "reject"]
    reason: str = Field(min_length=2, max_length=500)
    passed: int | None = Field(default=None, ge=0, le=MAX_PIECES,
                               description="Upheld: pieces that pass now (default: all).")
    rejected: int | None = Field(default=None, ge=0, le=MAX_PIECES)
    defect_codes: list[str] = Field(default_factory=list)


class PostAdjustment(Command):
    """A one-off bonus (奖励) or recovery (扣回) for a resident, in fen, with the reason (required)."""

    resident_id: str = Field(min_length=1, max_length=64)
    kind: Literal["bonus", "recovery"]
    amount_fen: int = Field(gt=0, le=10_000_000, description="Size in fen (> 0); a recovery is taken back.")
    # Optional here so a missing reason is refused by the use case in Chinese, naming the field.
    reason: str | None = Field(default=None, max_length=500, description="Why (required, at least 2 characters).")
    reference: str | None = Field(default=None, min_length=1, max_length=100, description=(
        "Idempotency key (e.g. a UUID per click): the same reference and body again answers the first adjustment "
        "and posts nothing; the same reference with another body is 409."))


class RequestCorrection(Command):
    """A correcting inspection that waits for a second coordinator (pay already frozen, or an auto-acceptance)."""

    corrects_inspection_id: str = Field(min_length=1, max_length=64)
    passed: int = Field(ge=0, le=MAX_PIECES)
    rejected: int = Field(ge=0, le=MAX_PIECES)
    defect_codes: list[str] = Field(default_factory=list)
    rework: bool = False
    photo_ref: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=500, description="Why (required, at least 2 characters).")


class DecideCorrection(Command):
    """Approve (the correction is recorded and paid) or reject a pending correction request."""

    decision: Literal["approve", "reject"]
    note: str = Field(default="", max_length=500)
