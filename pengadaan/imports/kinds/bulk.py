"""The bulk writes of an import: PostgreSQL's COPY into a staging table, the ORM's bulk path elsewhere.

On PostgreSQL (issue 16) the rows of a chunk go with psycopg's `cursor.copy` into a TEMPORARY table
(ON COMMIT DROP, dropped again right after use, inside the import's transaction) and are merged with
one set-based statement: `INSERT … SELECT` for new rows, `UPDATE … FROM` for changed ones. The values
are those Django itself would send: each field's `pre_save` (auto_now, auto_now_add) then
`get_db_prep_save`, the same calls `bulk_create` and `bulk_update` make. New rows get their ids from the
table's own sequence first (one `nextval` query), so every instance knows its pk without RETURNING
order assumptions. On any other database (SQLite in development and tests) `bulk_create` and
`bulk_update` write the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Field, Model

BATCH = 1000


def use_copy() -> bool:
    return connection.vendor == "postgresql"


def create(model: type[Model], objs: list[Model]) -> None:
    """Insert `objs` (no pk yet) and set their pk, as `bulk_create` does."""
    if not objs:
        return
    if not use_copy():
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    ids = _next_ids(model, len(objs))
    conn = _wrapper()
    # a field's own pre_save (auto_now, auto_now_add) where it has one, else its attribute, as Field.pre_save
    plain = [(f.attname, converter(f, conn)) for f in fields if type(f).pre_save is Field.pre_save]
    special = [(f, converter(f, conn)) for f in fields if type(f).pre_save is not Field.pre_save]
    order = [f.attname for f in fields if type(f).pre_save is Field.pre_save] + [f.attname for f, _c in special]
    rows = []
    for obj, new_id in zip(objs, ids, strict=True):
        values = obj.__dict__  # a new instance: Model.__init__ set every concrete field
        rows.append(
            (
                new_id,
                *(convert(values[attname]) for attname, convert in plain),
                *(convert(f.pre_save(obj, True)) for f, convert in special),
            )
        )
    by_name = {f.attname: f for f in fields}
    fields = [by_name[name] for name in order]
    _merge(model, [pk, *fields], rows, _insert_sql)
    for obj, new_id in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, new_id)
        obj._state.adding, obj._state.db = False, connection.alias


def update(model: type[Model], objs: list[Model], names: Sequence[str]) -> None:
    """Write the fields `names` of `objs` (which have a pk), as `bulk_update` does (no auto_now)."""
    if not objs:
        return
    if not use_copy():
        model.objects.bulk_update(objs, names, batch_size=BATCH)
        return
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in names]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_update", fields=fields)
    conn = _wrapper()
    prepared = [(converter(f, conn), f.attname) for f in fields]
    rows = [(obj.pk, *(convert(getattr(obj, attname)) for convert, attname in prepared)) for obj in objs]
    _merge(model, [pk, *fields], rows, _update_sql)


def create_values(model: type[Model], names: Sequence[str], values: Iterable[tuple[Any, ...]]) -> None:
    """Insert plain rows (e.g. link rows: two foreign key ids) without building instances on PostgreSQL."""
    values = list(values)
    if not values:
        return
    fields = [model._meta.get_field(name) for name in names]
    if not use_copy():
        model.objects.bulk_create(
            [model(**{f.attname: v for f, v in zip(fields, row, strict=True)}) for row in values], batch_size=BATCH
        )
        return
    conn = _wrapper()
    rows = [tuple(f.get_db_prep_save(v, conn) for f, v in zip(fields, row, strict=True)) for row in values]
    _merge(model, fields, rows, _insert_sql)


# fields whose get_db_prep_save gives None for None, and (text fields) a str back unchanged: Django's
# chain of get_prep_value / to_python / adapt_* calls is skipped for these, the commonest values of a row
_NONE_IS_NONE = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.BooleanField,
    models.DateField,
    models.DateTimeField,
    models.DecimalField,
    models.ForeignKey,
)
_STR_IS_STR = (models.CharField, models.TextField)


def converter(field: Field, conn) -> Callable[[Any], Any]:
    """`field.get_db_prep_save(value, conn)`, with the answer for None and for text given at once where
    Django's own chain returns them unchanged (tests/pengadaan/test_import_copy checks every field)."""
    prep = field.get_db_prep_save
    none_is_none = type(field) in _NONE_IS_NONE
    str_is_str = type(field) in _STR_IS_STR

    def convert(value: Any) -> Any:
        if value is None and none_is_none:
            return None
        if str_is_str and type(value) is str:
            return value
        return prep(value, conn)

    return convert


def _wrapper():
    """The thread's own DatabaseWrapper: `connection` is a proxy that costs a context lookup per use, and the
    prep calls below use it several times per value."""
    return connections[DEFAULT_DB_ALIAS]


def _next_ids(model: type[Model], count: int) -> list[int]:
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


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


def _merge(model: type[Model], fields: list[Field], rows: list[tuple], statement) -> None:
    """COPY `rows` (values for `fields`, in order) into a staging table shaped like the model's, then merge."""
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
        raw.execute(f"DROP TABLE {staging}")
