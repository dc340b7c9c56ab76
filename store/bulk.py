"""Bulk writes and id lookups for the hot paths (the earnings consumer, the outbox), on both backends.

SQLAlchemy Core spends a few microseconds per row building and processing the parameters of an
executemany, and one bound parameter per value of an IN list; at thousands of events a second
that costs more than the database's own work. These helpers compile a statement once and hand
the driver plain rows: `insert_rows` converts only the columns whose type needs it (UTC
datetimes, booleans) with the column type's own bind processor, so what is stored is exactly
what the ORM would store; `where_in` passes a list of ids as one parameter.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import psycopg
from psycopg.types.array import ListBinaryDumper
from sqlalchemy import Boolean, DateTime, String, Table, bindparam, func, insert, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ColumnElement
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel

from store.db import WriteInRead


def insert_rows(session: Session, model: type[SQLModel], rows: Sequence[Any],
                columns: Sequence[str] | None = None) -> None:
    """INSERT every row in one driver executemany, in the session's transaction.

    Rows are mappings, all with the keys of the first, or (cheaper on the hot paths) tuples of `columns` in order.
    """
    if not rows:
        return
    table: Table = model.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    dialect = connection.dialect
    names = list(columns) if columns is not None else list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    order = list(compiled.positiontup or names)
    values: Sequence[Any] = rows
    if columns is None or order != names:
        get = itemgetter(*(order if columns is None else [names.index(n) for n in order]))
        values = [get(row) for row in rows] if len(order) > 1 else [(get(row),) for row in rows]
    processors = [(i, process) for i, name in enumerate(order) if (process := _bind_processor(table, name, dialect))]
    if processors:
        converted = [list(row) for row in values]
        for i, process in processors:
            _convert_column(converted, i, process, once=_converted_once(table, order[i]))
        values = [tuple(row) for row in converted]  # SQLAlchemy takes tuples or mappings, not lists
    if dialect.name == "postgresql" and _plain_columns(str(compiled)) == order:
        if connection.get_execution_options().get("mf_readonly"):  # COPY reaches no statement listener
            raise WriteInRead(f"a read may not write: COPY {table.name}")
        _copy_rows(connection, table.name, order, values)
        return
    params = values if compiled.positional else [dict(zip(order, row, strict=True)) for row in values]
    connection.exec_driver_sql(str(compiled), params)


def add_to_rows(session: Session, model: type[SQLModel], keys: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """Add each row's other columns to the read-model row with the same `keys` (its unique index), creating it when
    new, in one executemany of INSERT … ON CONFLICT DO UPDATE, in the session's transaction.

    The caller gives rows in its lock order (key order), so two transactions adding to the same rows on PostgreSQL
    lock them in the same order (no deadlock); the update adds to a row another transaction committed meanwhile.
    """
    if not rows:
        return
    table: Table = model.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    upsert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(table)
    added = [name for name in rows[0] if name not in keys]
    connection.execute(upsert.on_conflict_do_update(
        index_elements=list(keys), set_={name: table.c[name] + upsert.excluded[name] for name in added}), rows)


def _plain_columns(sql: str) -> list[str]:
    """The column names of `INSERT INTO t (a, b, …) VALUES …` (unquoted), to check that every value is a row's."""
    return [name.strip().strip('"') for name in sql.split("(", 1)[1].split(")", 1)[0].split(",")]


def _copy_rows(connection: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """PostgreSQL: the rows through COPY in the session's transaction. psycopg's executemany sends a statement per
    row (pipelined); making a parameter dict and a statement for each of 10,000 rows cost more than the insert.

    In COPY's binary format when every column is of a type in _BINARY_TYPES (the server's own types, read once per
    connection and table): psycopg then packs each value by the column's type instead of writing it as text, and
    the server need not parse it (issue 19: 15-column ledger rows ≈ 0.4 against 2.2 µs a row of the worker's CPU).
    A value of the wrong Python type for its column fails the COPY (as text it might have been stored as its text).
    """
    names = ", ".join(f'"{c}"' for c in columns)
    raw = connection.connection.driver_connection  # the psycopg connection under the session, same transaction
    found = _binary_types(connection, table, columns)
    # An integer beyond its int2/int4 column's range goes as text, so the server refuses it (integer out of range)
    # as the ORM's insert does: psycopg's binary dumper would store its low bits (2**31 as -2**31).
    types = [oid for oid, _ in found] if found is not None and _within_range(rows, found) else None
    with raw.cursor() as cursor, cursor.copy(
            f'COPY "{table}" ({names}) FROM STDIN' + (" (FORMAT BINARY)" if types else "")) as copy:
        if types:
            copy.set_types(types)
        for row in rows:
            copy.write_row(row)


# Types whose values this code base gives as the Python type psycopg's binary dumper for that type takes (str, int,
# bool, aware datetime); other columns (JSON, dates, numerics) keep COPY's text format.
_BINARY_TYPES = frozenset({"varchar", "text", "int2", "int4", "int8", "bool", "timestamptz"})


# What the server's int2 and int4 hold. psycopg's binary dumpers for them keep a larger int's low 16 or 32 bits
# without a word (2**31 is stored as -2**31, 2**32 + 5 as 5); its int8 dumper raises OverflowError.
_INT_RANGES = {"int2": (-(2**15), 2**15 - 1), "int4": (-(2**31), 2**31 - 1)}


def _within_range(rows: Sequence[Sequence[Any]], types: Sequence[tuple[int, str]]) -> bool:
    """Whether every int2 and int4 column's values (None aside) lie within the column's range; a value of another
    type counts as within (the binary COPY refuses it). ≈ 60 ns a row for each such column."""
    for i, (_, type_name) in enumerate(types):
        bounds = _INT_RANGES.get(type_name)
        if bounds is None:
            continue
        values = list(map(itemgetter(i), rows))
        if None in values:
            values = [v for v in values if v is not None]
        try:
            if values and (min(values) < bounds[0] or max(values) > bounds[1]):
                return False
        except TypeError:
            continue
    return True


def _binary_types(connection: Any, table: str, columns: Sequence[str]) -> list[tuple[int, str]] | None:
    """The type (OID, name) of each of `columns` of `table` when all are in _BINARY_TYPES, else None; asked of the
    server once per connection and table (kept in the pooled connection's info)."""
    known: dict[str, dict[str, tuple[int, str]]] = connection.info.setdefault("mf_column_types", {})
    if table not in known:
        known[table] = {name: (oid, type_name) for name, oid, type_name in connection.exec_driver_sql(
            "SELECT a.attname, a.atttypid::int, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "WHERE a.attrelid = to_regclass(%(table)s) AND a.attnum > 0 AND NOT a.attisdropped",
            {"table": f'"{table}"'}).all()}
    found = [known[table].get(name) for name in columns]
    if any(f is None or f[1] not in _BINARY_TYPES for f in found):
        return None
    return [f for f in found if f is not None]


def _convert_column(values: list[list[Any]], i: int, process: Callable[[Any], Any], *, once: bool) -> None:
    """Apply a bind processor to column i. With `once` (a time or boolean column, _converted_once: a batch's rows
    mostly share their timestamps) each distinct value is converted once. Other columns' values are converted one by
    one: values that compare equal can differ in what is stored (a JSON column's True, 1 and 1.0)."""
    if not once:
        for row in values:
            row[i] = process(row[i])
        return
    done: dict[Any, Any] = {}
    for row in values:
        value = row[i]
        try:
            row[i] = done[value]
        except KeyError:
            row[i] = done[value] = process(value)


_ONCE = (DateTime, Boolean)


def _converted_once(table: Table, name: str) -> bool:
    """Whether equal values of the column are stored alike, so each is converted once: date-times (DateTime, or a type
    built on it such as store.types.UTCDateTime: one instant) and booleans (True and 1 alike)."""
    column_type = table.c[name].type
    return isinstance(column_type, _ONCE) or isinstance(getattr(column_type, "impl", None), _ONCE)


def _bind_processor(table: Table, name: str, dialect: Dialect) -> Callable[[Any], Any] | None:
    """What the column's type does to a value before the driver sees it (None: nothing)."""
    return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)


def where_in(session: Session, column: Any, ids: Sequence[str] | Sequence[int]) -> ColumnElement[bool]:
    """`column IN ids` with the ids as one parameter (a JSON array on SQLite, an array of the column's type on
    PostgreSQL: in binary for a text column, _TextArray)."""
    if session.connection().dialect.name == "sqlite":
        ids_json = bindparam(None, json.dumps(list(ids)), type_=String)
        return column.in_(select(literal_column("value")).select_from(func.json_each(ids_json)))
    if ids and (isinstance(column.type, String) or isinstance(getattr(column.type, "impl", None), String)):
        return column == func.any(bindparam(None, list(ids), type_=_TextArray(column.type)))
    return column == func.any(bindparam(None, list(ids), type_=ARRAY(column.type)))


class _BinaryTexts(list[str]):
    """Texts psycopg sends as one array in its binary format (registered below): in the text format it quotes each
    element after a regular-expression search, ≈ 1 µs a text of the worker's CPU against ≈ 0.3 (issue 19: the
    earnings consumer sends three arrays of 10,000 ids a batch: inspections, piece-pay keys, event ids)."""


psycopg.adapters.register_dumper(_BinaryTexts, ListBinaryDumper)


class _TextArray(TypeDecorator[list[str]]):
    """An array of the text column's type (rendered `::VARCHAR[]`, as ARRAY's), whose value goes to psycopg as
    _BinaryTexts. A non-empty list only: an empty one has no element to tell psycopg the array's type."""

    impl = ARRAY(String)
    cache_ok = True

    def __init__(self, item_type: Any) -> None:
        super().__init__()
        self.impl = ARRAY(item_type)  # type: ignore[assignment]

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any]:
        return _BinaryTexts  # not ARRAY's processor, which copies the value into a plain list
