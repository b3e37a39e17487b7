"""The GET endpoints of /api/v1/. Each reads what its page reads, through the same selectors and the one
scoping helper (`visible_to`, `get_object_for_user`): another OPD's object is 404, another OPD's rows absent."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from opd.access import get_object_for_user
from opd.models import Opd
from pengadaan import rules, selectors
from pengadaan.api import schemas
from pengadaan.api.paging import TAHUN_MAX, TAHUN_MIN, HalamanQuery, page, tahun_field
from pengadaan.dashboards import ringkasan
from pengadaan.dashboards import selectors as dashboards
from pengadaan.filters import PencatatanFilter
from pengadaan.models import PaketRup, Realisasi, TipePaket

router = Router()

ERRORS = {400: schemas.PesanKesalahan, 401: schemas.Pesan, 404: schemas.Pesan, 429: schemas.Pesan}


class BadRequest(HttpError):
    """A 400 that names the parameters at fault."""

    def __init__(self, kesalahan: list[dict[str, str]]) -> None:
        super().__init__(400, "; ".join(f"{k['parameter']}: {k['pesan']}" for k in kesalahan))
        self.kesalahan = kesalahan


def _opd_of(request: HttpRequest, kd_satker: str | None) -> Opd | None:
    """The OPD asked for by `kd_satker`, if the person may see it (404 otherwise)."""
    return None if kd_satker is None else get_object_for_user(Opd.objects, request.user, kd_satker=kd_satker)


def _tahun(tahun: int | None) -> int:
    return tahun if tahun is not None else timezone.localdate().year


# --- OPD ---------------------------------------------------------------------------------------------


@router.get("/opd", response={200: schemas.HalamanOpd, **ERRORS}, url_name="opd_list", summary="Daftar OPD")
def opd_list(request: HttpRequest, halaman: HalamanQuery) -> Any:
    """OPD (satker) yang boleh Anda lihat: semua untuk pengawas dan administrator, OPD Anda untuk peran OPD."""
    return page(Opd.objects.visible_to(request.user).order_by("kd_satker"), halaman, schemas.opd_out)


@router.get("/opd/{kd_satker}", response={200: schemas.OpdOut, **ERRORS}, url_name="opd_detail", summary="Satu OPD")
def opd_detail(request: HttpRequest, kd_satker: str) -> Any:
    """Satu OPD menurut kd_satker (kode SiRUP). OPD lain bagi peran OPD: 404."""
    return schemas.opd_out(_opd_of(request, kd_satker))


# --- RUP ---------------------------------------------------------------------------------------------


class FilterRup(Schema):
    tahun: int | None = tahun_field("Tahun anggaran (bawaan: semua tahun).")
    kd_satker: str | None = Field(None, description="Hanya paket OPD ini.")
    tipe_paket: str | None = Field(None, description="Penyedia atau Swakelola.")


@router.get("/rup", response={200: schemas.HalamanRup, **ERRORS}, url_name="rup_list", summary="Paket RUP")
def rup_list(request: HttpRequest, filters: Query[FilterRup], halaman: HalamanQuery) -> Any:
    """Paket RUP (SiRUP) yang boleh Anda lihat, semua status (lihat status_umumkan_rup, status_aktif_rup,
    status_delete_rup: hanya paket terumumkan, aktif dan tidak dihapus yang dihitung dasbor)."""
    packages = PaketRup.objects.visible_to(request.user).select_related("opd")
    if filters.tahun is not None:
        packages = packages.filter(tahun_anggaran=filters.tahun)
    if filters.kd_satker is not None:
        packages = packages.filter(opd=_opd_of(request, filters.kd_satker))
    if filters.tipe_paket is not None:
        if filters.tipe_paket not in TipePaket.values:
            pilihan = ", ".join(TipePaket.values)
            raise BadRequest([{"parameter": "tipe_paket", "pesan": f"pilih salah satu dari {pilihan}."}])
        packages = packages.filter(tipe_paket=filters.tipe_paket)
    return page(packages.order_by("tahun_anggaran", "kd_rup", "pk"), halaman, schemas.rup_out)


# --- pencatatan ----------------------------------------------------------------------------------------


class FilterPencatatan(Schema):
    """The record list's own filters (`pengadaan.filters.PencatatanFilter`), with `tahun` for its year."""

    tahun: int | None = tahun_field("Tahun anggaran (bawaan: semua tahun).")
    q: str | None = Field(None, description="Cari di nama paket, kode RUP/SPSE, nama PPK.")
    jenis: str | None = Field(None, description="non_tender atau swakelola.")
    status: str | None = Field(None, description="draft, berjalan, selesai atau batal.")
    mtd_pemilihan: str | None = Field(None, description="Metode pemilihan, mis. Pengadaan Langsung.")
    kategori_pengadaan: str | None = Field(None, description="Barang, Pekerjaan Konstruksi, Jasa Konsultansi, …")
    kd_satker: str | None = Field(None, description="Hanya pencatatan OPD ini.")
    di_spse: str | None = Field(None, description="belum atau sudah.")
    catatan_data: str | None = Field(None, description="ada atau tidak.")


class ApiPencatatanFilter(PencatatanFilter):
    """The record list's filters; any year is a year (the page offers only the years with data)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["tahun_anggaran"].extra["choices"] = [(y, str(y)) for y in range(TAHUN_MIN, TAHUN_MAX + 1)]


_API_NAMES = {"tahun_anggaran": "tahun"}


def _filtered_records(request: HttpRequest, filters: FilterPencatatan):
    data = filters.dict(exclude_none=True)
    opd = _opd_of(request, data.pop("kd_satker", None))
    if "tahun" in data:
        data["tahun_anggaran"] = str(data.pop("tahun"))
    records = selectors.pencatatan_list(user=request.user)
    if opd is not None:
        records = records.filter(opd=opd)
    filterset = ApiPencatatanFilter(data, queryset=records, user=request.user)
    if not filterset.is_valid():
        raise BadRequest(
            [
                {"parameter": _API_NAMES.get(name, name), "pesan": " ".join(str(m) for m in messages)}
                for name, messages in filterset.errors.items()
            ]
        )
    return filterset.qs


PAYMENTS = Prefetch("realisasi", queryset=Realisasi.objects.select_related("penyedia").order_by("tgl_realisasi", "pk"))


@router.get(
    "/pencatatan",
    response={200: schemas.HalamanPencatatan, **ERRORS},
    url_name="pencatatan_list",
    summary="Pencatatan non tender dan swakelola",
)
def pencatatan_list(request: HttpRequest, filters: Query[FilterPencatatan], halaman: HalamanQuery) -> Any:
    """Pencatatan yang boleh Anda lihat, terbaru dahulu, masing-masing dengan pembayarannya (realisasi).
    Filternya sama dengan daftar pencatatan di aplikasi; nilai filter yang tidak dikenal: 400."""
    records = _filtered_records(request, filters).prefetch_related(PAYMENTS)
    return page(records, halaman, lambda r: schemas.pencatatan_out(r, list(r.realisasi.all())))


@router.get(
    "/pencatatan/{pk}",
    response={200: schemas.PencatatanOut, **ERRORS},
    url_name="pencatatan_detail",
    summary="Satu pencatatan",
)
def pencatatan_detail(request: HttpRequest, pk: int) -> Any:
    """Satu pencatatan dengan pembayarannya. Pencatatan OPD lain bagi peran OPD: 404."""
    record = selectors.pencatatan_detail(user=request.user, pk=pk)
    return schemas.pencatatan_out(record, selectors.realisasi_of(record))


# --- dashboard, red flags, reconciliation ---------------------------------------------------------------


class FilterTahun(Schema):
    tahun: int | None = tahun_field("Tahun anggaran (bawaan: tahun ini).")


@router.get("/dashboard", response={200: schemas.DasborOut, **ERRORS}, url_name="dashboard", summary="Dasbor §5")
def dashboard(request: HttpRequest, filters: Query[FilterTahun]) -> Any:
    """Tabel dasbor (DESIGN §5) satu tahun: angka yang sama dengan ekspor `/dashboard/?tahun=T&_export=csv`.
    Peran OPD melihat baris OPD-nya saja, tanpa baris kota."""
    tahun = _tahun(filters.tahun)
    numbers = dashboards.dashboard(tahun=tahun, user=request.user)
    return {
        "tahun": tahun,
        "kolom": list(dashboards.COLUMNS),
        "baris": [schemas.baris_out(row, dashboards.COLUMNS) for row in numbers.rows],
        "kota": schemas.baris_out(numbers.kota, dashboards.COLUMNS) if rules.can_see_all_opd(request.user) else None,
        # like the page's "sedang diperbarui": stored numbers a write made out of date, until the worker is done
        "sedang_diperbarui": numbers.basi_sejak is not None,
        "angka_per": numbers.basi_sejak,
    }


class FilterTandaBahaya(FilterTahun):
    kd_satker: str | None = Field(None, description="Hanya tanda bahaya OPD ini.")
    rule: int | None = Field(None, ge=1, le=9, description="Hanya aturan ini (1–9).")


@router.get(
    "/tanda-bahaya",
    response={200: schemas.HalamanTandaBahaya, **ERRORS},
    url_name="tanda_bahaya",
    summary="Tanda bahaya terbuka",
)
def tanda_bahaya(request: HttpRequest, filters: Query[FilterTandaBahaya], halaman: HalamanQuery) -> Any:
    """Tanda bahaya (DESIGN §7) yang belum ditinjau, pada OPD yang boleh Anda lihat, seperti daftar tanda bahaya."""
    tahun = _tahun(filters.tahun)
    opds = Opd.objects.visible_to(request.user)
    opd = _opd_of(request, filters.kd_satker)
    if opd is not None:
        opds = opds.filter(pk=opd.pk)
    kd_satker = dict(opds.values_list("pk", "kd_satker"))
    # the stored flags, as on the Tanda bahaya page: out of date ones are recomputed by the worker
    ringkasan.ensure_stored(tahun=tahun, opd_ids=list(kd_satker))
    flags = ringkasan.stored_flags(tahun=tahun, opd_ids=list(kd_satker), status="open", rule=filters.rule)

    def convert(stored) -> dict:
        flag = ringkasan.as_flag(stored)
        return {
            "kode": flag.kode,
            "rule": flag.rule,
            "judul": str(flag.judul),
            "alasan": str(flag.alasan),
            "kd_satker": kd_satker[flag.opd_id],
            "pencatatan_ids": list(flag.pencatatan_ids),
        }

    return {"tahun": tahun, **page(flags.order_by("urutan", "id"), halaman, convert)}


class FilterRekonsiliasi(FilterTahun):
    kd_satker: str | None = Field(None, description="Hanya OPD ini.")


@router.get(
    "/rekonsiliasi",
    response={200: schemas.RekonsiliasiOut, **ERRORS},
    url_name="rekonsiliasi",
    summary="Rekonsiliasi dengan SPSE",
)
def rekonsiliasi(request: HttpRequest, filters: Query[FilterRekonsiliasi]) -> Any:
    """Empat daftar rekonsiliasi (DESIGN §12) satu tahun, lengkap (tanpa halaman), seperti halaman Rekonsiliasi."""
    tahun, user = _tahun(filters.tahun), request.user
    opd = _opd_of(request, filters.kd_satker)
    opd_id = opd.pk if opd is not None else None
    today = timezone.localdate()
    return {
        "tahun": tahun,
        "belum_di_spse": [
            {**schemas.ringkas_out(r), "umur_hari": (today - r.tgl_buat_paket).days}
            for r in selectors.belum_di_spse(user=user, tahun=tahun, opd_id=opd_id)
        ],
        "hanya_di_spse": [
            schemas.ringkas_out(r) for r in selectors.hanya_di_spse(user=user, tahun=tahun, opd_id=opd_id)
        ],
        "berbeda_dari_spse": [
            schemas.perbedaan_out(r) for r in selectors.berbeda_dari_spse(user=user, tahun=tahun, opd_id=opd_id)
        ],
        "padanan_menunggu": [
            schemas.padanan_out(p)
            for p in selectors.padanan_menunggu(user=user, tahun=tahun, opd_id=opd_id).select_related("spse__opd")
        ],
    }
