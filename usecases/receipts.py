"""A command sent twice makes one thing: the client's reference (idempotency key) and a receipt of what it made.

A resident's double tap on 交货, a coordinator's second click while the page is still running, a phone retrying a
request whose answer was lost: each sends the same command again. Where the state does not refuse the second
(a hand-in only has to stay within the pieces issued), it would be recorded twice and paid twice. A command that
carries a `reference` is recorded with a receipt in its own transaction; the same reference again, from the same
person with the same fields, answers with what the first made and changes nothing. The pattern is the one
payouts and adjustments already follow with their own unique references, and IETF's Idempotency-Key draft
(draft-ietf-httpapi-idempotency-key-header) for HTTP APIs.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import Session, SQLModel

from store.tables import CommandReceipt
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict

UseCase = TypeVar("UseCase", bound=Callable[..., Any])


def keyed(model: type[SQLModel]) -> Callable[[UseCase], UseCase]:
    """Make a use case that returns (row of `model`, events) answer its command sent again with the same row.

    The command is the use case's positional argument that is a pydantic model with a `reference` field; the
    other positional arguments (a resident id from the path) count as its fields too. Without a reference the use
    case runs as before. With one seen before: the row it made and no events, or Conflict naming `reference` when
    the reference was used by someone else, for another command or with other fields (nothing is changed). With a
    new one: its receipt is written (flushed) before the use case runs, in the same transaction, so of two
    concurrent twins the second waits on the receipt's key, fails on it (IntegrityError) once the first commits and,
    run again (usecases.execute.execute_keyed), answers the first's row. A refused command leaves no receipt: its
    reference can be used again.
    """
    def wrap(use_case: UseCase) -> UseCase:
        action = f"{use_case.__module__.rsplit('.', 1)[-1]}.{use_case.__name__}"

        @functools.wraps(use_case)
        def run(session: Session, *args: Any, actor: Actor, ctx: Context, **kwargs: Any) -> Any:
            reference = reference_of(args)
            if reference is None:
                return use_case(session, *args, actor=actor, ctx=ctx, **kwargs)
            digest = _digest(args)
            made = _made_before(session, reference, actor, action, digest)
            if made is not None:
                return session.get(model, made), []
            # The receipt first: a concurrent twin's insert of the same key waits for this transaction and then
            # fails (PostgreSQL), so it never runs the use case against the state this one leaves (a lot now fully
            # handed in, the last item gone) and answers a refusal for what was done. SQLite runs one at a time.
            receipt = CommandReceipt(reference=reference, actor=actor.username, action=action, digest=digest,
                                     subject_id="", at=ctx.now)
            session.add(receipt)
            session.flush()
            result = use_case(session, *args, actor=actor, ctx=ctx, **kwargs)
            receipt.subject_id = result[0].id
            session.add(receipt)
            return result
        return run  # type: ignore[return-value]
    return wrap


def reference_of(args: tuple[Any, ...]) -> str | None:
    """The reference of the use case's command among its positional arguments; None without one."""
    for arg in args:
        if isinstance(arg, BaseModel) and "reference" in type(arg).model_fields:
            return getattr(arg, "reference", None)
    return None


def fields_of(args: tuple[Any, ...]) -> str:
    """The command's fields (its reference left out) and the path arguments as one JSON text, in a stable order:
    what makes two sendings the same action."""
    shown = [arg.model_dump(mode="json", exclude={"reference"}) if isinstance(arg, BaseModel) else arg for arg in args]
    return json.dumps(shown, sort_keys=True, ensure_ascii=False, default=str)


def _digest(args: tuple[Any, ...]) -> str:
    """SHA-256 of fields_of(args)."""
    return hashlib.sha256(fields_of(args).encode()).hexdigest()


def _made_before(session: Session, reference: str, actor: Actor, action: str, digest: str) -> str | None:
    receipt = session.get(CommandReceipt, reference)
    if receipt is None:
        return None
    if (receipt.actor, receipt.action, receipt.digest) != (actor.username, action, digest):
        # Never what the first made, nor whose it was: the reference may be another person's.
        raise Conflict("reference", f"这个请求编号「{reference}」已用于另一个请求，请换一个编号 / reference "
                                    f"{reference!r} was already used for another request: send a new one")
    return receipt.subject_id
