"""The bulk reads and writes of an import: PostgreSQL's COPY into a staging table, the ORM's bulk path elsewhere.

On PostgreSQL (issue 16) the rows of a chunk go with psycopg's `cursor.copy` into a TEMPORARY table
(ON COMMIT DROP, dropped again right after use, inside the import's transaction) and are merged with
one set-based statement: `INSERT … SELECT` for new rows, `UPDATE … FROM` for changed ones; their
history rows follow with one more `INSERT … SELECT`, from the staging table (new rows) or the table
joined on it (changed rows). The values are those Django itself would send: each field's `pre_save`
(auto_now, auto_now_add, defaults) then `get_db_prep_save`, the calls `bulk_create` and `bulk_update`
make, converted a column at a time, with the values Django's chain returns unchanged passed on as they
are. New rows get their ids from the table's own sequence first (one `nextval` query), so every row
knows its pk without RETURNING order assumptions. Rows may be plain tuples (`create_rows`): a 100,000-row
import then builds no model instance at all. On any other database (SQLite in development and tests)
`bulk_create` and `bulk_update` write the same rows, and `write_history` copies their history.

Lookups by many keys (`in_values`) are one query with `= ANY(array)` on PostgreSQL, chunks of `IN`
elsewhere.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Field, Lookup, Model, QuerySet

BATCH = 1000
CHUNK = 2000  # keys per `IN` query off PostgreSQL, under every database's parameter limit
HISTORY_OWN = ("history_date", "history_user_id", "history_change_reason", "history_type")


@dataclass(frozen=True)
class History:
    """What the history row of each written object says besides its values: '+' or '~', when, who, why."""

    type: str
    date: dt.datetime
    user_id: int | None
    reason: str

    def params(self) -> list[Any]:
        return [self.date, self.user_id, self.reason[:100], self.type]


def use_copy() -> bool:
    return connection.vendor == "postgresql"


# --- reads ----------------------------------------------------------------------------------------


class _AnyOf(Lookup):
    """`column = ANY(%s)` with the whole list (or an array literal) as one array parameter (PostgreSQL)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, conn):
        lhs, lhs_params = self.process_lhs(compiler, conn)
        db_type = self.lhs.output_field.cast_db_type(conn)
        return f"{lhs} = ANY(%s::{db_type}[])", [*lhs_params, self.rhs]


def in_values(queryset: QuerySet, field_name: str, values: Iterable[Any]) -> list:
    """`field__in=values`: one query with an array on PostgreSQL, chunks under the parameter limit elsewhere."""
    values = list(values)
    if not values:
        return []
    if use_copy():
        if all(type(value) is int for value in values):  # an array literal: psycopg's list dumping is slower
            values = "{" + ",".join(map(str, values)) + "}"
        return list(queryset.filter(_AnyOf(models.F(field_name), values)))
    found: list = []
    for start in range(0, len(values), CHUNK):
        found.extend(queryset.filter(**{f"{field_name}__in": values[start : start + CHUNK]}))
    return found


# --- writes ---------------------------------------------------------------------------------------


def create(model: type[Model], objs: list[Model], *, history: History | None = None) -> None:
    """Insert `objs` (no pk yet) and set their pk, as `bulk_create` does; then their history rows."""
    if not objs:
        return
    if not use_copy():
        model.objects.bulk_create(objs, batch_size=BATCH)
        if any(obj.pk is None for obj in objs):
            raise RuntimeError(f"the database returned no ids for new {model.__name__} rows")
        if history is not None:
            write_history(model, [obj.pk for obj in objs], history)
        return
    pk = model._meta.pk
    fields = _insert_fields(model)
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    ids = _next_ids(model, len(objs))
    conn = _wrapper()
    columns: list[Iterable[Any]] = [ids]
    for f in fields:
        if type(f).pre_save is Field.pre_save:  # a new instance: Model.__init__ set every concrete field
            values = [obj.__dict__[f.attname] for obj in objs]
        else:  # its own pre_save: auto_now, auto_now_add
            values = [f.pre_save(obj, True) for obj in objs]
        columns.append(column_converter(f, conn)(values))
    _merge(model, [pk, *fields], zip(*columns, strict=True), _insert_sql, history=history)
    for obj, new_id in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, new_id)
        obj._state.adding, obj._state.db = False, connection.alias


def create_rows(
    model: type[Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    common: dict[str, Any] | None = None,
    history: History | None = None,
    pks: bool = True,
) -> list[int]:
    """Insert plain rows (values for the fields `names`, by attname) and return their new pks, in order.

    Every other field takes its value from `common` (by attname), else what Django would give a new
    instance: its default, or the moment for auto_now and auto_now_add. On PostgreSQL no instance is built;
    with `pks=False` (nothing refers to the new rows) the table's identity gives the pks, and [] is returned.
    """
    if not rows:
        return []
    common = common or {}
    if not use_copy():
        objs = [model(**common, **dict(zip(names, row, strict=True))) for row in rows]
        create(model, objs, history=history)
        return [obj.pk for obj in objs] if pks else []
    pk = model._meta.pk
    fields = _insert_fields(model)
    given = {model._meta.get_field(name).attname: i for i, name in enumerate(names)}
    if not given:
        raise ValueError("create_rows needs the values of at least one field")
    # the values of the fields the rows do not give, as Django's pre_save gives them to one new instance
    template = model(**common)
    conn = _wrapper()
    ids = _next_ids(model, len(rows)) if pks or history is not None else []
    columns: list[Iterable[Any]] = [ids] if ids else []
    for f in fields:
        if f.attname in given:
            i = given[f.attname]
            columns.append(column_converter(f, conn)([row[i] for row in rows]))
        else:
            columns.append(repeat(f.get_db_prep_save(f.pre_save(template, True), conn)))
    rows_out = zip(*columns, strict=False)  # repeat() is endless
    _merge(model, [pk, *fields] if ids else fields, rows_out, _insert_sql, history=history)
    return ids


def update(model: type[Model], objs: list[Model], names: Sequence[str], *, history: History | None = None) -> None:
    """Write the fields `names` of `objs` (which have a pk), as `bulk_update` does (no auto_now); then their
    history rows (each with every tracked value after the update)."""
    if not objs:
        return
    if not use_copy():
        model.objects.bulk_update(objs, names, batch_size=BATCH)
        if history is not None:
            write_history(model, [obj.pk for obj in objs], history)
        return
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in names]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_update", fields=fields)
    conn = _wrapper()
    columns: list[Iterable[Any]] = [[obj.pk for obj in objs]]
    columns += [column_converter(f, conn)([getattr(obj, f.attname) for obj in objs]) for f in fields]
    _merge(model, [pk, *fields], zip(*columns, strict=True), _update_sql, history=history)


def write_history(model: type[Model], ids: list[int], history: History) -> None:
    """One history row per object `ids`, copied by the database itself (INSERT … SELECT).

    simple-history's bulk helpers build every history object in Python first, which made history the
    largest cost of a 100,000-row import; the rows written here are the same (every tracked column,
    when, who, why, '+' or '~').
    """
    if not ids:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    insert, columns = _history_insert(model)
    selected = ", ".join(f"{table}.{c}" for c in columns)
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        if use_copy():
            cursor.execute(
                f"{insert} SELECT {selected}, %s, %s, %s, %s FROM {table} "  # noqa: S608 -- names from the models
                f"WHERE {table}.{pk} = ANY(%s) ORDER BY {table}.{pk}",
                [*history.params(), list(ids)],
            )
            return
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            cursor.execute(
                f"{insert} SELECT {selected}, %s, %s, %s, %s FROM {table} "  # noqa: S608 -- names from the models
                f"WHERE {table}.{pk} IN ({', '.join(['%s'] * len(part))}) ORDER BY {table}.{pk}",
                [*history.params(), *part],
            )


# fields whose get_db_prep_save gives back, unchanged or equal, a value of these exact Python types (on
# PostgreSQL; tests/pengadaan/test_import_copy checks every field of the imported models)
_PASS: dict[type[Field], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.BooleanField: (bool,),
    models.DateField: (dt.date,),
}
# fields whose get_db_prep_save gives None for None
_NONE_IS_NONE = (*_PASS, models.DateTimeField, models.DecimalField, models.ForeignKey)


def _passed(field: Field) -> tuple[type, ...]:
    if isinstance(field, models.ForeignKey):
        return (int,) if isinstance(field.target_field, models.IntegerField) else ()
    return _PASS.get(type(field), ())


def column_converter(field: Field, conn) -> Callable[[list[Any]], list[Any]]:
    """`field.get_db_prep_save(value, conn)` for a column of values, with None and the values of the types
    Django's chain returns unchanged on PostgreSQL passed on as they are (a finite Decimal too: Django only
    copies it)."""
    prep = field.get_db_prep_save
    if conn.vendor != "postgresql":  # the shortcuts hold for PostgreSQL's adapters (SQLite's turn dates to text)
        return lambda values: [prep(v, conn) for v in values]
    none = type(field) in _NONE_IS_NONE
    passed = _passed(field)
    if type(field) is models.DecimalField:
        number = decimal.Decimal
        return lambda values: [
            v if (v is None and none) or (type(v) is number and v.is_finite()) else prep(v, conn) for v in values
        ]
    if passed == (str,):  # text: a str subclass too (a TextChoices member), which Django returns unchanged
        return lambda values: [v if v is None or isinstance(v, str) else prep(v, conn) for v in values]
    if len(passed) == 1:
        (kind,) = passed
        return lambda values: [v if (v is None and none) or type(v) is kind else prep(v, conn) for v in values]
    return lambda values: [None if (v is None and none) else prep(v, conn) for v in values]


def _insert_fields(model: type[Model]) -> list[Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]


def _wrapper():
    """The thread's own DatabaseWrapper: `connection` is a proxy that costs a context lookup per use, and the
    prep calls above use it several times per value."""
    return connections[DEFAULT_DB_ALIAS]


def _next_ids(model: type[Model], count: int) -> list[int]:
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            # the sequence looked up once (OFFSET 0 keeps the subquery apart), not once per id: 8x faster
            "SELECT nextval(q.s) FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass AS s OFFSET 0) q, "
            "generate_series(1, %s) ORDER BY 1",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _history_insert(model: type[Model]) -> tuple[str, list[str]]:
    """`INSERT INTO <history table> (…)` and the quoted columns it copies from the model's table."""
    quote = connection.ops.quote_name
    history_model = model.history.model
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    columns = [quote(f.column) for f in history_model._meta.concrete_fields if f.name not in own]
    extra = ", ".join(quote(c) for c in HISTORY_OWN)
    table = quote(history_model._meta.db_table)
    return f"INSERT INTO {table} ({', '.join(columns)}, {extra})", columns


def _insert_sql(table: str, staging: str, columns: str, _fields: list[Field]) -> str:
    return f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging}"  # noqa: S608 -- names from the models


def _update_sql(table: str, staging: str, _columns: str, fields: list[Field]) -> str:
    quote = connection.ops.quote_name
    pk, rest = fields[0], fields[1:]
    assignments = ", ".join(f"{quote(f.column)} = s.{quote(f.column)}" for f in rest)
    return (
        f"UPDATE {table} SET {assignments} FROM {staging} s "  # noqa: S608 -- names from the models
        f"WHERE {table}.{quote(pk.column)} = s.{quote(pk.column)}"
    )


def _history_sql(model: type[Model], table: str, staging: str, statement) -> str:
    """History rows of the merged rows: from the staging table for new rows (it holds every column), from
    the table joined on it for changed ones (the staging table holds only the written columns)."""
    insert, columns = _history_insert(model)
    pk = connection.ops.quote_name(model._meta.pk.column)
    source = "s" if statement is _insert_sql else "t"
    selected = ", ".join(f"{source}.{c}" for c in columns)
    join = f"{staging} s" if source == "s" else f"{table} t JOIN {staging} s ON t.{pk} = s.{pk}"
    return f"{insert} SELECT {selected}, %s, %s, %s, %s FROM {join} ORDER BY s.{pk}"  # noqa: S608


def _merge(
    model: type[Model], fields: list[Field], rows: Iterable[tuple], statement, *, history: History | None = None
) -> None:
    """COPY `rows` (values for `fields`, in order) into a staging table shaped like the model's, then merge;
    then, with `history`, one history row per merged row."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    staging = quote(f"tmp_staging_{model._meta.db_table}")
    columns = ", ".join(quote(f.column) for f in fields)
    # a savepoint inside the import's transaction (and a transaction of its own outside one, without which
    # ON COMMIT DROP would drop the table right after creating it)
    with transaction.atomic(), connection.cursor() as wrapper:
        raw = wrapper.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        # the staging table takes the columns' types from the table, without its constraints or defaults
        raw.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608 -- names from the models
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with raw.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.execute(statement(table, staging, columns, fields))
        if history is not None:
            raw.execute(_history_sql(model, table, staging, statement), history.params())
        raw.execute(f"DROP TABLE {staging}")
