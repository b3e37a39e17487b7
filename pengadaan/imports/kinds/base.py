"""What every kind of import shares: the run's Context, the OPD lookup, the Handler base and the bulk writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.models import Opd, User
from pengadaan.imports import bulk, catatan
from pengadaan.imports.rows import Row

if TYPE_CHECKING:
    from pengadaan.imports.contracts import Contract

CHUNK = bulk.CHUNK
BATCH = bulk.BATCH


@dataclass
class Context:
    user: User | None
    tahun: int | None
    reason: str
    opds: OpdIndex = field(init=False)
    # fiscal years whose dashboard summaries this import changes (pengadaan.dashboards.invalidation.mark_years)
    tahun_berubah: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.opds = OpdIndex(self.user)


class OpdIndex:
    """Every OPD the importing person may see, by each of its three codes (DESIGN §8)."""

    def __init__(self, user: User | None) -> None:
        opds = list(Opd.objects.visible_to(user) if user is not None else Opd.objects.all())
        self.by_sirup = {o.kd_satker: o for o in opds}
        self.by_str = {o.kd_satker_str: o for o in opds}
        self.by_spse = {o.kd_satker_spse: o for o in opds if o.kd_satker_spse}
        self.learned: dict[int, str] = {}  # opd pk -> SPSE code learned from kd_satker_str

    def sirup(self, code: str | None, code_str: str | None) -> Opd | None:
        return self.by_sirup.get(code or "") or self.by_str.get(code_str or "")

    def spse(self, code: str | None, code_str: str | None) -> Opd | None:
        """SPSE's satker code differs from SiRUP's: match it, else kd_satker_str, and remember the SPSE code."""
        opd = self.by_spse.get(code or "")
        if opd is None and code_str:
            opd = self.by_str.get(code_str)
            if opd is not None and code and code.isdigit() and not opd.kd_satker_spse and code not in self.by_spse:
                self.learned[opd.pk] = code
                opd.kd_satker_spse = code
                self.by_spse[code] = opd
        return opd or self.by_sirup.get(code or "")

    def any(self, code: str | None) -> Opd | None:
        code = code or ""
        return self.by_sirup.get(code) or self.by_str.get(code) or self.by_spse.get(code)

    def save_learned(self) -> None:
        for pk, code in self.learned.items():
            Opd.objects.filter(pk=pk, kd_satker_spse__isnull=True).update(kd_satker_spse=code)


def years_of(model: type[Model], ids: list[int]) -> set[int]:
    """The fiscal years the rows `ids` of `model` are in now, before an update changes them."""
    queryset = model.objects.order_by().values_list("tahun_anggaran", flat=True).distinct()
    return set(bulk.in_values(queryset, "pk", ids))


def history(type_: str, ctx: Context, *, reason: str | None = None) -> bulk.History:
    """The history rows of an import's writes: `type_` ('+' or '~'), now, by the importing user, with the
    import's reason or `reason`."""
    user_id = ctx.user.pk if ctx.user is not None else None
    return bulk.History(type=type_, date=timezone.now(), user_id=user_id, reason=reason or ctx.reason)


def write_history(
    model: type[Model], ids: list[int], history_type: str, ctx: Context, *, reason: str | None = None
) -> None:
    """One history row per written object (`bulk.write_history`); `reason` replaces the import's own."""
    bulk.write_history(model, ids, history(history_type, ctx, reason=reason))


def opd_not_found(row: Row, code: str | None, code_str: str | None) -> None:
    row.error(
        "kd_satker",
        _("OPD dengan kd_satker '%(kode)s' / kd_satker_str '%(str)s' tidak ditemukan.")
        % {"kode": code or "", "str": code_str or ""},
    )


def chunked(queryset: QuerySet, field_name: str, values: Iterable[Any]) -> list[Model]:
    """`field__in=values` for any number of keys (`bulk.in_values`: one query on PostgreSQL)."""
    return bulk.in_values(queryset, field_name, values)


def as_int(row: Row, column: str) -> int | None:
    value = row.data.get(column)
    if value is None:
        return None
    if not str(value).isdigit():
        row.error(column, _("Harus berupa angka (tertulis '%(v)s').") % {"v": value})
        return None
    return int(value)


def assign(instance: Model, values: dict[str, Any]) -> list[str]:
    """Set attributes; return the names whose value changed (foreign keys compared by id, without a query).

    A foreign key named by its attname (`opd_id`) is an id and reported under that name."""
    changed = []
    for name, value in values.items():
        model_field = instance._meta.get_field(name)
        # a relation given as its object (`opd`), or as its id under its attname (`opd_id`)
        as_object = model_field.is_relation and name != model_field.attname
        if as_object:
            current = getattr(instance, model_field.attname)
            new = value.pk if value is not None else None
        else:
            current, new = getattr(instance, name), value
        if current != new or (as_object and value is not None and value.pk is None):
            setattr(instance, name, value)
            changed.append(name)
        elif as_object and value is not None:
            setattr(instance, name, value)  # same row: keep the loaded object for later use
    return changed


class Handler:
    """One run's handler; `resolve` and `write` are called once per chunk of rows, in file order."""

    contract: Contract
    notes_owner: str | None = None  # "pencatatan" or "realisasi" for kinds whose rows may carry catatan data
    opd_lookup: str | None = None  # how the kind finds a row's OPD: "sirup", "spse" or "any" (OpdIndex)

    def __init__(self) -> None:
        self.seen: dict[tuple, int] = {}  # keys of earlier rows of the file (duplicate check across chunks)

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        raise NotImplementedError

    def write(self, rows: list[Row], ctx: Context) -> None:
        raise NotImplementedError

    def check_references(self, rows: list[Row], ctx: Context) -> None:
        """Rows that already have a cell error are not resolved; what they refer to is still checked here,
        so that the preview lists every error of a row at once (issue 14), not one per attempt."""
        if self.opd_lookup is None:
            return
        find = getattr(ctx.opds, self.opd_lookup)
        for row in rows:
            code, code_str = row.data.get("kd_satker"), row.data.get("kd_satker_str")
            if (code or code_str) and not {"kd_satker", "kd_satker_str"} & {c for c, _r in row.errors}:
                found = find(code) if self.opd_lookup == "any" else find(code, code_str)
                if found is None:
                    opd_not_found(row, code, code_str)

    def write_notes(self, rows: list[Row], ctx: Context) -> None:
        """After `write`: the catatan data of every stored row of the chunk, unchanged rows included."""
        if self.notes_owner:
            catatan.sync(rows, owner=self.notes_owner, reason=ctx.reason)
