"""Reads for pencatatan pages: scoped querysets and the per-record history timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from opd.access import get_object_for_user
from opd.models import Opd
from pengadaan import riwayat, rules
from pengadaan.dashboards import ringkasan
from pengadaan.dashboards.compute import recorded_exists
from pengadaan.models import (
    BuktiRealisasi,
    CatatanData,
    JenisPencatatan,
    PadananSpse,
    PaketRup,
    Pencatatan,
    Realisasi,
    Status,
    Sumber,
)
from spse_tracker.formats import money

if TYPE_CHECKING:
    from opd.models import User

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


class KnownCountPaginator(Paginator):
    """A paginator told its count (from the stored summaries) instead of counting the rows."""

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property


# The record list filters whose count the stored summaries know (per OPD, year and status).
_COUNTED_FILTERS = {"tahun_anggaran", "status", "opd"}


def pencatatan_count(*, user: User, filters: dict[str, Any]) -> int | None:
    """The number of records the list shows for `filters` (a filter form's cleaned data) when the
    stored summaries know it (a year, optionally a status and an OPD, and the summaries current);
    None otherwise. One or two queries instead of counting a year of records."""
    used = {name for name, value in filters.items() if value not in (None, "")}
    if "tahun_anggaran" not in used or not used <= _COUNTED_FILTERS:
        return None
    opds = Opd.objects.visible_to(user)
    if filters.get("opd") is not None:
        opds = opds.filter(pk=filters["opd"].pk)
    opd_ids = list(opds.values_list("pk", flat=True))
    if not opd_ids:
        return None
    return ringkasan.record_count(
        tahun=int(filters["tahun_anggaran"]), opd_ids=opd_ids, status=filters.get("status") or None
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


YEARS_SECONDS = 60  # how long `years_of` keeps a scope's years: a new year joins the pickers within a minute


def years_of(*, user: User) -> list[int]:
    """Fiscal years from the first to the last that has RUP packages or records visible to `user`,
    newest first. Two index lookups (MIN and MAX), not a scan of a million rows, made at most once a
    minute per scope (every OPD, or one OPD's): almost every page asks for its year picker, and a year
    shown is always offered anyway (`views.params.tahun_pilihan`)."""
    if not (user.is_authenticated and user.is_active):
        return _years_of(user)
    key = f"tahun-data:{'semua' if user.sees_all_opd else user.opd_id}"
    years = cache.get(key)
    if years is None:
        years = _years_of(user)
        cache.set(key, years, YEARS_SECONDS)
    return years


def _years_of(user: User) -> list[int]:
    years: set[int] = set()
    for model in (PaketRup, Pencatatan):
        bounds = model.objects.visible_to(user).aggregate(lo=Min("tahun_anggaran"), hi=Max("tahun_anggaran"))
        if bounds["lo"] is not None:
            years.update(range(bounds["lo"], bounds["hi"] + 1))
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
                alasan=riwayat.alasan_tampil(record.history_change_reason),
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
        _timeline(records, lambda r: pgettext("riwayat", "Pencatatan"))
        + _timeline(payments, lambda r: _("Realisasi %(no)s") % {"no": r.no_realisasi})
        + _timeline(proofs, lambda r: _("Bukti %(nama)s") % {"nama": r.nama_asli})
    )
    return sorted(entries, key=lambda e: e.waktu, reverse=True)


@dataclass(frozen=True)
class IkutTerhapus:
    """What deleting a draft takes with it, shown before a person confirms."""

    jumlah_realisasi: int
    total_realisasi: Decimal
    jumlah_bukti: int


def pencatatan_delete_summary(pencatatan: Pencatatan) -> IkutTerhapus:
    """The record's payments (how many, their total) and their proof files (how many). Two queries."""
    payments = Realisasi.objects.filter(pencatatan=pencatatan).aggregate(n=Count("pk"), total=Sum("nilai_realisasi"))
    return IkutTerhapus(
        jumlah_realisasi=payments["n"],
        total_realisasi=payments["total"] or Decimal("0"),
        jumlah_bukti=BuktiRealisasi.objects.filter(realisasi__pencatatan=pencatatan).count(),
    )


def catatan_data_of(pencatatan: Pencatatan) -> list[CatatanData]:
    """The record's data-quality notes (DESIGN §4), its own first, then its payments'. One query."""
    return list(
        CatatanData.objects.filter(pencatatan=pencatatan)
        .select_related("realisasi")
        .order_by(F("realisasi__tgl_realisasi").asc(nulls_first=True), "realisasi_id", "kolom", "pk")
    )


@dataclass(frozen=True)
class CatatanOpd:
    """An OPD's data-quality notes of a year: how many records carry them, and how many notes of each kind."""

    jumlah_pencatatan: int
    per_jenis: list[dict[str, Any]]


def catatan_data_opd(*, opd: Opd, tahun: int) -> CatatanOpd:
    """The notes on `opd`'s records of `tahun`, counted per kind of oddity and column. Two queries."""
    notes = CatatanData.objects.filter(pencatatan__opd=opd, pencatatan__tahun_anggaran=tahun).order_by()
    labels = dict(CatatanData.Aturan.choices)
    per_jenis = [
        {"aturan": labels.get(row["aturan"], row["aturan"]), "kolom": row["kolom"], "jumlah": row["jumlah"]}
        for row in notes.values("aturan", "kolom").annotate(jumlah=Count("pk")).order_by("-jumlah", "kolom")
    ]
    jumlah = notes.aggregate(n=Count("pencatatan", distinct=True))["n"]
    return CatatanOpd(jumlah_pencatatan=jumlah, per_jenis=per_jenis)


# --- reconciliation with SPSE (DESIGN §12) ---------------------------------------------------------------


def _of_year(qs: QuerySet, *, tahun: int, opd_id: int | None, prefix: str = "") -> QuerySet:
    qs = qs.filter(**{f"{prefix}tahun_anggaran": tahun})
    return qs if opd_id is None else qs.filter(**{f"{prefix}opd_id": opd_id})


def belum_di_spse(*, user: User, tahun: int, opd_id: int | None = None) -> QuerySet[Pencatatan]:
    """Active records of the app without an SPSE code yet, oldest first: where ITKP points are lost."""
    records = Pencatatan.objects.visible_to(user).missing_from_spse()
    return _of_year(records, tahun=tahun, opd_id=opd_id).select_related("opd").order_by("tgl_buat_paket", "pk")


def hanya_di_spse(*, user: User, tahun: int, opd_id: int | None = None) -> QuerySet[Pencatatan]:
    """Records SPSE published that the app never saw: loaded from SPSE, never matched to an app record."""
    records = Pencatatan.objects.visible_to(user).in_spse().filter(sumber=Sumber.IMPOR)
    return _of_year(records, tahun=tahun, opd_id=opd_id).select_related("opd").order_by("tgl_buat_paket", "pk")


@dataclass(frozen=True)
class Perbedaan:
    """One field on which a matched record of the app and SPSE disagree."""

    kolom: str
    aplikasi: Any
    spse: Any
    uang: bool = False  # shown as Rupiah


def _perbedaan(record: Pencatatan) -> list[Perbedaan]:
    spse = record.nilai_spse or {}
    found = []
    if "pagu" in spse and Decimal(spse["pagu"]) != record.pagu:
        found.append(Perbedaan(gettext_lazy("pagu"), record.pagu, Decimal(spse["pagu"]), uang=True))
    if "status" in spse and spse["status"] != record.status:
        labels = dict(Status.choices)
        found.append(
            Perbedaan(gettext_lazy("status"), labels[record.status], labels.get(spse["status"], spse["status"]))
        )
    if "nip_ppk" in spse and spse["nip_ppk"] != record.nip_ppk:
        found.append(
            Perbedaan(gettext_lazy("PPK"), record.nama_ppk or record.nip_ppk, spse["nama_ppk"] or spse["nip_ppk"])
        )
    aplikasi, di_spse = money(record.total_aplikasi), money(record.total_spse)  # SQLite sums lose their scale
    if aplikasi != di_spse:
        found.append(Perbedaan(gettext_lazy("total realisasi"), aplikasi, di_spse, uang=True))
    return found


def berbeda_dari_spse(*, user: User, tahun: int, opd_id: int | None = None) -> list[Pencatatan]:
    """Records entered in the app and matched with SPSE whose pagu, status, PPK or payment total differ
    from what SPSE published, each with its `perbedaan`. One query; the comparison is made here, over the
    matched records only (a small share of a year)."""
    paid = DecimalField(max_digits=18, decimal_places=2)
    records = (
        Pencatatan.objects.visible_to(user)
        .in_spse()
        .filter(sumber=Sumber.APLIKASI, nilai_spse__isnull=False)
        .select_related("opd")
        .annotate(
            total_aplikasi=Coalesce(Sum("realisasi__nilai_realisasi"), ZERO, output_field=paid),
            total_spse=Coalesce(
                Sum("realisasi__nilai_realisasi", filter=Q(realisasi__di_spse=True)), ZERO, output_field=paid
            ),
        )
        .order_by("opd__nama_satker", "tgl_buat_paket", "pk")
    )
    found = []
    for record in _of_year(records, tahun=tahun, opd_id=opd_id):
        record.perbedaan = _perbedaan(record)
        if record.perbedaan:
            found.append(record)
    return found


def padanan_menunggu(*, user: User, tahun: int, opd_id: int | None = None) -> QuerySet[PadananSpse]:
    """Pairs an import could not be sure of, waiting for the OPD: the app's record and SPSE's side by side."""
    pairs = PadananSpse.objects.visible_to(user).filter(status=PadananSpse.Status.MENUNGGU, spse__isnull=False)
    return (
        _of_year(pairs, tahun=tahun, opd_id=opd_id, prefix="lokal__")
        .select_related("lokal__opd", "spse")
        .order_by("lokal__opd__nama_satker", "lokal__tgl_buat_paket", "pk")
    )


# --- "Tugas saya": what an OPD's people have to do next (issue 14) ---------------------------------------


@dataclass(frozen=True)
class Daftar:
    """The first items of one to-do list and how many there are in all."""

    items: list[Any]
    jumlah: int


@dataclass(frozen=True)
class FlagTugas:
    """An open red flag with the records it names (by package name: the first `TUGAS_NAMES_SHOWN`)."""

    flag: Any  # pengadaan.dashboards.tanda_bahaya.Flag
    pencatatan: list[Pencatatan]
    lainnya: int  # records named by the flag but not listed


@dataclass(frozen=True)
class TugasSaya:
    """An OPD's to-do lists of a year: RUP packages due and not recorded, drafts, Berjalan records past their
    end date, records not yet in SPSE, pairs to confirm, open red flags."""

    rup_belum: Daftar
    draft: Daftar
    lewat_selesai: Daftar
    belum_spse: Daftar
    padanan: Daftar
    tanda_bahaya: Daftar
    basi_sejak: datetime | None = None  # the flags shown are out of date since (the worker recomputes them)

    @property
    def jumlah(self) -> int:
        return sum(d.jumlah for d in (self.rup_belum, self.draft, self.lewat_selesai, self.belum_spse, self.padanan))


TUGAS_NAMES_SHOWN = 3  # a possible package split names many records: the list names the first


def _daftar(queryset: QuerySet, limit: int) -> Daftar:
    """The first `limit` rows of `queryset` and the count of all of them, in one query (a window count)."""
    rows = list(queryset.annotate(jumlah_semua=Window(Count("pk")))[:limit])
    return Daftar(items=rows, jumlah=rows[0].jumlah_semua if rows else 0)


def _umur(rows: list[Any], field_name: str, today: date) -> None:
    for row in rows:
        value = getattr(row, field_name)
        row.umur_hari = (today - value).days if value is not None else None


def tugas_saya(*, user: User, opd: Opd, tahun: int, limit: int = 5, today: date | None = None) -> TugasSaya:
    """What `opd`'s people have to do for `tahun`, each list oldest first, its first `limit` items and its count.

    RUP packages are due when their planned month (`tgl_awal_pemilihan`, stored as the 1st) is over, and not
    recorded when no active record of the matching kind links them. Ages (`umur_hari`) are days since the
    record was made (drafts, not in SPSE) or since the contract ended (Berjalan past the end date).
    Eight queries whatever the number of items, four when the lists read from records and packages are
    cached (under the OPD-year's generasi: a write shows at once); side effect: the OPD's stored summary
    and red flags are computed first when never computed, and the worker asked to recompute them when out of date
    (`ringkasan.ensure_stored`; `TugasSaya.basi_sejak` says since when the flags shown are out of date).
    """
    today = today or timezone.localdate()
    records = Pencatatan.objects.visible_to(user).filter(opd=opd, tahun_anggaran=tahun)
    probed = ringkasan.ensure_stored(tahun=tahun, opd_ids=[opd.pk])
    # the same for everyone who sees all of the OPD (its people, supervisors), and read anew after any write
    # to the OPD's year: cached under its generasi now (`ringkasan.live_key`); anyone else reads without it
    key = ringkasan.live_key("tugas", tahun=tahun, opd_id=opd.pk, probed=probed, extra=(limit, today.isoformat()))
    if not (rules.can_see_all_opd(user) or user.opd_id == opd.pk):
        key = None
    lists = cache.get(key) if key else None
    if lists is None:
        lists = _tugas_lists(user=user, opd=opd, tahun=tahun, limit=limit, today=today)
        if key:
            cache.set(key, lists, ringkasan.CACHE_SECONDS)
    stored = _daftar(ringkasan.stored_flags(tahun=tahun, opd_ids=[opd.pk]).order_by("urutan", "id"), limit)
    names = records.only("pk", "nama_paket", "opd_id").in_bulk(
        {pk for f in stored.items for pk in f.pencatatan_ids[:TUGAS_NAMES_SHOWN]}
    )
    flags = [
        FlagTugas(
            flag=ringkasan.as_flag(f),
            pencatatan=[names[pk] for pk in f.pencatatan_ids[:TUGAS_NAMES_SHOWN] if pk in names],
            lainnya=max(len(f.pencatatan_ids) - TUGAS_NAMES_SHOWN, 0),
        )
        for f in stored.items
    ]
    return TugasSaya(
        **lists,
        # pairs to confirm and flag reviews do not raise the generasi: read every time
        padanan=_daftar(padanan_menunggu(user=user, tahun=tahun, opd_id=opd.pk), limit),
        tanda_bahaya=Daftar(items=flags, jumlah=stored.jumlah),
        basi_sejak=probed.since,
    )


def _tugas_lists(*, user: User, opd: Opd, tahun: int, limit: int, today: date) -> dict[str, Daftar]:
    """The lists of `tugas_saya` that are read from the OPD's records and RUP packages of `tahun`."""
    records = Pencatatan.objects.visible_to(user).filter(opd=opd, tahun_anggaran=tahun)
    rup = (
        PaketRup.objects.visible_to(user)
        .filter(opd=opd, tahun_anggaran=tahun, tgl_awal_pemilihan__lt=today.replace(day=1))
        .counting()
        .for_pencatatan()
        .annotate(tercatat=recorded_exists())
        .filter(tercatat=False)
        .order_by("tgl_awal_pemilihan", "kd_rup")
    )
    draft = _daftar(records.filter(status=Status.DRAFT).order_by("tgl_buat_paket", "pk"), limit)
    _umur(draft.items, "tgl_buat_paket", today)
    lewat = _daftar(
        records.filter(status=Status.BERJALAN, tgl_selesai_paket__lt=today).order_by("tgl_selesai_paket", "pk"), limit
    )
    _umur(lewat.items, "tgl_selesai_paket", today)
    spse = _daftar(belum_di_spse(user=user, tahun=tahun, opd_id=opd.pk), limit)
    _umur(spse.items, "tgl_buat_paket", today)
    return {"rup_belum": _daftar(rup, limit), "draft": draft, "lewat_selesai": lewat, "belum_spse": spse}
