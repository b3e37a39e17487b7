"""Reads for pencatatan pages: scoped querysets and the per-record history timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opd.access import get_object_for_user
from pengadaan.models import (
    BuktiRealisasi,
    JenisPencatatan,
    PaketRup,
    Pencatatan,
    PencatatanRup,
    Realisasi,
    Status,
)

if TYPE_CHECKING:
    from opd.models import Opd, User

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=18, decimal_places=2))


def _total_realisasi() -> Coalesce:
    payments = (
        Realisasi.objects.filter(pencatatan=OuterRef("pk"))
        .order_by()
        .values("pencatatan")
        .annotate(s=Sum("nilai_realisasi"))
        .values("s")
    )
    return Coalesce(Subquery(payments, output_field=DecimalField(max_digits=18, decimal_places=2)), ZERO)


def pencatatan_list(*, user: User) -> QuerySet[Pencatatan]:
    """Records `user` may see, with their OPD and `total_realisasi`, newest first (one query per page)."""
    return (
        Pencatatan.objects.visible_to(user)
        .select_related("opd")
        .annotate(total_realisasi=_total_realisasi())
        .order_by("-tgl_buat_paket", "-pk")
    )


def pencatatan_detail(*, user: User, pk: int) -> Pencatatan:
    """One record `user` may see (404 otherwise), with its OPD, people, RUP packages and total."""
    queryset = (
        Pencatatan.objects.select_related("opd", "ppk", "pptk")
        .prefetch_related("paket_rup")
        .annotate(total_realisasi=_total_realisasi())
    )
    return get_object_for_user(queryset, user, pk=pk)


def realisasi_of(pencatatan: Pencatatan) -> list[Realisasi]:
    """The record's payments in date order, each with `kumulatif` (running total) and its proof files."""
    payments = list(
        Realisasi.objects.filter(pencatatan=pencatatan).select_related("penyedia").prefetch_related("bukti")
    )
    running = Decimal("0")
    for payment in payments:
        running += payment.nilai_realisasi
        payment.kumulatif = running
    return payments


def recorded_exists() -> Exists:
    """The RUP package is linked to at least one active pencatatan of the matching kind."""
    links = PencatatanRup.objects.filter(paket=OuterRef("pk")).exclude(pencatatan__status=Status.BATAL)
    return Exists(
        links.filter(
            Q(paket__tipe_paket="Penyedia", pencatatan__jenis=JenisPencatatan.NON_TENDER)
            | Q(paket__tipe_paket="Swakelola", pencatatan__jenis=JenisPencatatan.SWAKELOLA)
        )
    )


def rup_packages(*, user: User, opd: Opd, tahun: int) -> QuerySet[PaketRup]:
    """The OPD's counting non-tender and swakelola RUP packages of `tahun`, each with `sudah_dicatat`;
    not yet recorded first, oldest planned month first."""
    return (
        PaketRup.objects.visible_to(user)
        .filter(opd=opd, tahun_anggaran=tahun)
        .counting()
        .for_pencatatan()
        .annotate(sudah_dicatat=recorded_exists())
        .order_by("sudah_dicatat", "tgl_awal_pemilihan", "kd_rup")
    )


def rup_choices(*, opd: Opd, jenis: str, tahun: int, include: list[int] | None = None) -> QuerySet[PaketRup]:
    """What the RUP picker offers: the OPD's packages of the matching kind and year, not yet recorded first.

    `include` keeps packages already linked to the record being edited even if they no longer count.
    """
    packages = PaketRup.objects.filter(opd=opd, tahun_anggaran=tahun, tipe_paket=JenisPencatatan(jenis).tipe_paket)
    counting = packages.counting().for_pencatatan()
    if include:
        counting = counting | packages.filter(pk__in=include)
    return counting.annotate(sudah_dicatat=recorded_exists()).order_by("sudah_dicatat", "tgl_awal_pemilihan", "kd_rup")


def years_of(*, user: User) -> list[int]:
    """Fiscal years that have RUP packages or records visible to `user`, newest first."""
    # order_by() drops the models' default ordering, which would otherwise join DISTINCT and return every row
    years = set(PaketRup.objects.visible_to(user).order_by().values_list("tahun_anggaran", flat=True).distinct())
    years |= set(Pencatatan.objects.visible_to(user).order_by().values_list("tahun_anggaran", flat=True).distinct())
    return sorted(years, reverse=True)


@dataclass
class Riwayat:
    """One line of a record's history."""

    waktu: datetime
    oleh: str
    objek: str
    aksi: str
    alasan: str = ""
    perubahan: list[tuple[str, Any, Any]] = field(default_factory=list)


_ACTIONS = {"+": gettext_lazy("dibuat"), "~": gettext_lazy("diubah"), "-": gettext_lazy("dihapus")}
_HIDDEN = {"versi", "dibuat_pada", "dibuat_oleh", "id", "history_id"}


def _display(record: Any, name: str) -> Any:
    model_field = record.instance_type._meta.get_field(name)
    value = getattr(record, model_field.attname)
    if model_field.choices and value not in (None, ""):
        return dict(model_field.flatchoices).get(value, value)
    if model_field.is_relation:
        related = getattr(record, name, None) if value is not None else None
        return str(related) if related is not None else value
    return value


def _timeline(records: list[Any], label) -> list[Riwayat]:
    entries: list[Riwayat] = []
    previous: dict[int, Any] = {}
    for record in records:
        before = previous.get(record.id)
        changes: list[tuple[str, Any, Any]] = []
        if before is not None and record.history_type == "~":
            for model_field in record.instance_type._meta.concrete_fields:
                name = model_field.name
                if name in _HIDDEN or model_field.attname not in record.__dict__:
                    continue
                if getattr(before, model_field.attname) != getattr(record, model_field.attname):
                    changes.append((str(model_field.verbose_name), _display(before, name), _display(record, name)))
        previous[record.id] = record
        entries.append(
            Riwayat(
                waktu=record.history_date,
                oleh=str(record.history_user) if record.history_user else _("sistem/impor"),
                objek=label(record),
                aksi=str(_ACTIONS.get(record.history_type, record.history_type)),
                alasan=record.history_change_reason or "",
                perubahan=changes,
            )
        )
    return entries


def pencatatan_history(pencatatan: Pencatatan) -> list[Riwayat]:
    """Every create, change, status change and delete of the record, its payments and proof, newest first.

    Three queries, whatever the number of entries.
    """
    records = list(
        Pencatatan.history.filter(id=pencatatan.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    payments = list(
        Realisasi.history.filter(pencatatan_id=pencatatan.pk)
        .select_related("history_user", "penyedia")
        .order_by("history_date", "history_id")
    )
    proofs = list(
        BuktiRealisasi.history.filter(realisasi_id__in={p.id for p in payments})
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = (
        _timeline(records, lambda r: _("Pencatatan"))
        + _timeline(payments, lambda r: _("Realisasi %(no)s") % {"no": r.no_realisasi})
        + _timeline(proofs, lambda r: _("Bukti %(nama)s") % {"nama": r.nama_asli})
    )
    return sorted(entries, key=lambda e: e.waktu, reverse=True)
