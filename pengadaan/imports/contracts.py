"""The column contract of each kind of import: LKPP's own field names (DESIGN §4, §8).

The one declaration of each kind's columns. Each column names its parser
(pengadaan.imports.values), whether it is required, the help text and example that the
downloadable template's notes sheet shows, the model field it is kept in and, where that
field's value is not what LKPP publishes, how the LKPP export writes it. Everything else
takes its columns from here:

- the import (pipeline, rows): which columns a file must have and how each cell is read;
  the handlers (kinds/*): the fields a re-import updates (`Contract.fields`);
- the template (pengadaan.exports.workbooks.template_response): its columns, example row and notes sheet;
- the LKPP export (pengadaan.exports.lkpp): its columns in this order, each cell from `Column.read`;
- the record list export (pengadaan.exports.pencatatan): LKPP's names and fields of pencatatan;
- the benches (bench/import_file.py): the columns of the generated file.

Columns a file has beyond these (LKPP publishes many more) are ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from opd.models import Opd, User
from pengadaan.imports import values as v
from pengadaan.models import PaketRup, Pencatatan, Realisasi, Status

_OWN_NAME = "<the column's own name>"

# Our status in SPSE's two status fields (the reverse of kinds.choices.STATUS_SPSE)
STATUS_TO_SPSE = {
    Status.DRAFT: ("Aktif", "Paket Sedang Berjalan"),  # SPSE has no draft; a draft is exported as running
    Status.BERJALAN: ("Aktif", "Paket Sedang Berjalan"),
    Status.SELESAI: ("Aktif", "Paket Selesai"),
    Status.BATAL: ("Ditutup", "Paket Dibatalkan"),
}


@dataclass(frozen=True)
class Column:
    """One column as LKPP publishes it.

    `field` is the model field the import keeps the column in (by default the column's own name;
    a handler may first map LKPP's wording, e.g. `jenis_satker` → `jenis`; several columns may share
    one field, e.g. `kd_satker` and `kd_satker_str` → `opd`), None when it is kept in no field.
    `export` is how the LKPP export writes the column from an object, when that is not the field's
    own value (another object's code, a display name, SPSE's wording of our status).
    """

    name: str
    parse: Callable[[Any], Any]
    required: bool = False
    help: str = ""
    example: Any = ""
    field: str | None = _OWN_NAME
    export: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        if self.field == _OWN_NAME:
            object.__setattr__(self, "field", self.name)

    @property
    def is_money(self) -> bool:
        return self.parse in (v.parse_money, v.parse_money_nonneg)

    def read(self, obj: Any) -> Any:
        """The column's value for `obj`, as the LKPP export writes it (what an import reads back unchanged)."""
        if self.export is not None:
            return self.export(obj)
        return getattr(obj, self.field)


@dataclass(frozen=True)
class Contract:
    kind: str
    label: str
    model: type[Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def fields(self) -> tuple[str, ...]:
        """The model fields an import of this kind may change on an existing row: those of its non-key columns."""
        return fields_of(self)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def fields_of(*contracts: Contract) -> tuple[str, ...]:
    """The fields of the non-key columns of `contracts`, each once, in column order."""
    names = (c.field for contract in contracts for c in contract.columns if c.name not in contract.key)
    return tuple(dict.fromkeys(name for name in names if name is not None))


def _text(max_length: int) -> Callable[[Any], str]:
    return lambda value: v.parse_text(value, max_length=max_length)


def _text_int(value: int | None) -> str | None:
    return None if value is None else str(value)


def _true_false(value: bool) -> str:
    return "true" if value else "false"


KD_SATKER_STR = Column(
    "kd_satker_str",
    _text(40),
    help=_("Kode satker bersama SiRUP dan SPSE, mis. 4.01.0.00.0.00.24.0000."),
    example="4.01.0.00.0.00.24.0000",
    field="opd",
    export=lambda obj: obj.opd.kd_satker_str,
)
TAHUN = Column(
    "tahun_anggaran",
    v.parse_int,
    help=_("Tahun anggaran. Boleh kosong bila --tahun/isian tahun diberikan."),
    example=2025,
)
NIP_PPK = Column(
    "nip_ppk", v.parse_code, help=_("NIP PPK, 18 angka; format kolom sebagai teks."), example="198501012010011001"
)
NAMA_PPK = Column("nama_ppk", _text(150), help=_("Nama PPK."), example="Citra Lestari, S.E.")
STATUS_HELP = _(
    "Status SPSE dalam dua kolom: Aktif + Paket Sedang Berjalan = Berjalan, Aktif + Paket Selesai = Selesai, "
    "Ditutup + Paket Dibatalkan = Batal. Bila kosong: Berjalan."
)

SATKER = Contract(
    kind="satker",
    label=_("Satker (RUP-MasterSatker)"),
    model=Opd,
    key=("kd_satker",),
    columns=(
        Column("kd_satker", v.parse_code, True, _("Kode satker SiRUP (kunci)."), "60412"),
        Column("kd_satker_str", _text(40), True, KD_SATKER_STR.help, KD_SATKER_STR.example),
        Column("nama_satker", _text(255), True, _("Nama satker."), "Dinas Pendidikan"),
        Column("singkatan", _text(50), False, _("Singkatan (opsional)."), "Disdik"),
        Column(
            "jenis_satker",
            _text(50),
            False,
            _("Jenis: Dinas, Badan, Kecamatan, …"),
            "Dinas",
            field="jenis",
            export=lambda o: o.get_jenis_display(),
        ),
        Column("kd_satker_spse", v.parse_code, False, _("Kode satker di SPSE (opsional)."), "16203093"),
        Column(
            "status_satker",
            _text(30),
            False,
            _("Aktif/Nonaktif (opsional)."),
            "Aktif",
            field="aktif",
            export=lambda o: "Aktif" if o.aktif else "Nonaktif",
        ),
    ),
)

_RUP_COMMON = (
    Column(
        "kd_rup",
        v.parse_code,
        True,
        _("Kode RUP (kunci bersama tahun anggaran)."),
        "48120334",
        export=lambda p: str(p.kd_rup),
    ),
    TAHUN,
    Column(
        "kd_satker",
        v.parse_code,
        False,
        _("Kode satker SiRUP."),
        "60412",
        field="opd",
        export=lambda p: p.opd.kd_satker,
    ),
    KD_SATKER_STR,
    Column("nama_paket", _text(1000), True, _("Nama paket."), "Belanja Alat Tulis Kantor"),
    Column("pagu", v.parse_money_nonneg, True, _("Pagu dalam Rupiah; 1.450.200 atau 1450200,00 diterima."), 1450200),
    Column("sumber_dana", _text(100), False, _("Sumber dana."), "APBD"),
    Column("status_umumkan_rup", _text(30), False, _("Terumumkan (paket lain tidak dihitung)."), "Terumumkan"),
    Column(
        "status_aktif_rup",
        v.parse_bool,
        False,
        _("true/false; kosong = aktif."),
        "true",
        export=lambda p: _true_false(p.status_aktif_rup),
    ),
    Column(
        "status_delete_rup",
        v.parse_bool,
        False,
        _("true/false; kosong = tidak dihapus."),
        "false",
        export=lambda p: _true_false(p.status_delete_rup),
    ),
    NIP_PPK,
    NAMA_PPK,
)

RUP_PENYEDIA = Contract(
    kind="rup-penyedia",
    label=_("Paket RUP penyedia (RUP-PaketPenyedia-Terumumkan)"),
    model=PaketRup,
    key=("kd_rup", "tahun_anggaran"),
    columns=(
        *_RUP_COMMON,
        Column(
            "metode_pengadaan",
            _text(50),
            True,
            _("Metode pengadaan SiRUP, mis. Pengadaan Langsung."),
            "Pengadaan Langsung",
        ),
        Column("jenis_pengadaan", _text(50), False, _("Barang, Pekerjaan Konstruksi, Jasa Konsultansi, …"), "Barang"),
        Column(
            "tgl_awal_pemilihan",
            v.parse_date,
            False,
            _("Bulan rencana pemilihan (tanggal apa pun di bulan itu)."),
            "2025-03-01",
        ),
    ),
)

RUP_SWAKELOLA = Contract(
    kind="rup-swakelola",
    label=_("Paket RUP swakelola (RUP-PaketSwakelola-Terumumkan)"),
    model=PaketRup,
    key=("kd_rup", "tahun_anggaran"),
    columns=(
        *_RUP_COMMON,
        Column("tipe_swakelola", v.parse_int, False, _("Tipe swakelola 1–4."), 1),
        Column(
            "tgl_awal_pelaksanaan_kontrak",
            v.parse_date,
            False,
            _("Bulan awal pelaksanaan."),
            "2025-02-01",
            field="tgl_awal_pemilihan",
        ),
    ),
)

_PCT_COMMON = (
    TAHUN,
    Column(
        "kd_satker",
        v.parse_code,
        False,
        _("Kode satker SPSE (berbeda dari SiRUP)."),
        "16203093",
        field="opd",
        export=lambda p: p.opd.kd_satker_spse or p.opd.kd_satker,
    ),
    KD_SATKER_STR,
    Column("kd_rup", _text(1000), False, _("Satu atau lebih kode RUP dipisah ';'."), "48120334;48120335"),
    Column("nama_paket", _text(1000), True, _("Nama paket."), "Belanja Alat Tulis Kantor"),
    Column("pagu", v.parse_money_nonneg, True, _("Pagu dalam Rupiah."), 45000000),
    Column("nilai_pdn_pct", v.parse_money_nonneg, False, _("Nilai PDN dalam Rupiah (bukan persen)."), 30000000),
    Column("nilai_umk_pct", v.parse_money_nonneg, False, _("Nilai UMK dalam Rupiah (bukan persen)."), 30000000),
    Column("sumber_dana", _text(100), False, _("Sumber dana."), "APBD"),
    Column(
        "uraian_pekerjaan",
        v.parse_html_text,
        False,
        _("Uraian; HTML dari SPSE disimpan sebagai teks."),
        "<p>Pengadaan ATK</p>",
    ),
    Column("informasi_lainnya", v.parse_text, False, _("Informasi lainnya."), ""),
    Column("alasan_pembatalan", v.parse_text, False, _("Alasan bila dibatalkan."), ""),
    NIP_PPK,
    NAMA_PPK,
    Column(
        "tgl_buat_paket",
        v.parse_date,
        True,
        _("Tanggal paket dicatat di SPSE (dipakai untuk mengukur keterlambatan)."),
        "2025-03-14T09:12:00Z",
    ),
    Column("tgl_mulai_paket", v.parse_date, False, _("Tanggal mulai."), "2025-03-15"),
    Column("tgl_selesai_paket", v.parse_date, False, _("Tanggal selesai kontrak."), "2025-04-15"),
)

NONTENDER = Contract(
    kind="nontender",
    label=_("Pencatatan non tender (SPSE-PencatatanNonTender)"),
    model=Pencatatan,
    key=("kd_nontender_pct",),
    columns=(
        Column(
            "kd_nontender_pct",
            v.parse_code,
            True,
            _("Kode pencatatan non tender SPSE (kunci)."),
            "32601234",
            export=lambda p: _text_int(p.kd_nontender_pct),
        ),
        *_PCT_COMMON,
        Column("kategori_pengadaan", _text(100), False, _("Pengadaan Barang, Jasa Lainnya, …"), "Pengadaan Barang"),
        Column(
            "mtd_pemilihan",
            _text(50),
            False,
            _("Pengadaan Langsung, Penunjukan Langsung, Dikecualikan, …"),
            "Pengadaan Langsung",
        ),
        Column("bukti_pembayaran", _text(30), False, _("SPK atau NonSPK."), "NonSPK"),
        Column(
            "status_nontender_pct",
            _text(30),
            False,
            STATUS_HELP,
            "Aktif",
            field="status",
            export=lambda p: STATUS_TO_SPSE[p.status][0],
        ),
        Column(
            "status_nontender_pct_ket",
            _text(60),
            False,
            STATUS_HELP,
            "Paket Selesai",
            field="status",
            export=lambda p: STATUS_TO_SPSE[p.status][1],
        ),
    ),
)

SWAKELOLA = Contract(
    kind="swakelola",
    label=_("Pencatatan swakelola (SPSE-PencatatanSwakelola)"),
    model=Pencatatan,
    key=("kd_swakelola_pct",),
    columns=(
        Column(
            "kd_swakelola_pct",
            v.parse_code,
            True,
            _("Kode pencatatan swakelola SPSE (kunci)."),
            "42601234",
            export=lambda p: _text_int(p.kd_swakelola_pct),
        ),
        *_PCT_COMMON,
        Column(
            "tipe_swakelola",
            _text(60),
            False,
            _("Tipe swakelola 1–4 (atau I–IV). SPSE sering mengosongkannya: disimpan kosong dengan catatan data."),
            1,
        ),
        Column(
            "tipe_swakelola_nama",
            _text(100),
            False,
            _("Dipakai bila tipe_swakelola kosong, mis. Tipe I."),
            "",
            field="tipe_swakelola",
            export=lambda p: str(p.get_tipe_swakelola_display()) if p.tipe_swakelola else "",
        ),
        Column(
            "nama_pelaksana",
            _text(255),
            False,
            _("Pelaksana swakelola tipe II–IV."),
            "",
            field="pelaksana_swakelola",
        ),
        Column(
            "status_swakelola_pct",
            _text(30),
            False,
            STATUS_HELP,
            "Aktif",
            field="status",
            export=lambda p: STATUS_TO_SPSE[p.status][0],
        ),
        Column(
            "status_swakelola_pct_ket",
            _text(60),
            False,
            STATUS_HELP,
            "Paket Sedang Berjalan",
            field="status",
            export=lambda p: STATUS_TO_SPSE[p.status][1],
        ),
    ),
)

_REALISASI_COMMON = (
    Column(
        "jenis_realisasi",
        _text(60),
        False,
        _("Kuitansi, Bukti Pembelian, SPK, Surat Perjanjian, …"),
        "Kuitansi",
        export=lambda r: r.get_jenis_realisasi_display(),
    ),
    Column(
        "no_realisasi",
        _text(500),
        False,
        _("Nomor bukti. SPSE kadang mengosongkannya: disimpan kosong dengan catatan data."),
        "KW-2025/017",
    ),
    Column("tgl_realisasi", v.parse_date, True, _("Tanggal pembayaran."), "2025-03-20"),
    Column("nilai_realisasi", v.parse_money_nonneg, True, _("Nilai dalam Rupiah."), 12500000),
    Column("dok_realisasi", _text(500), False, _("Dokumen realisasi (teks/tautan)."), ""),
    Column("ket_realisasi", v.parse_text, False, _("Keterangan."), ""),
)

# the supplier (or executing party) of a payment: one Penyedia, found by NPWP or else by name
_PENYEDIA_NAMA: dict[str, Any] = {"field": "penyedia", "export": lambda r: r.penyedia.nama if r.penyedia else ""}
_PENYEDIA_NPWP: dict[str, Any] = {
    "field": "penyedia",
    "export": lambda r: (r.penyedia.npwp or "") if r.penyedia else "",
}

NONTENDER_REALISASI = Contract(
    kind="nontender-realisasi",
    label=_("Realisasi non tender (SPSE-PencatatanNonTenderRealisasi)"),
    model=Realisasi,
    key=("kd_nontender_pct", "no_realisasi", "tgl_realisasi", "nilai_realisasi", "jenis_realisasi"),
    columns=(
        Column(
            "kd_nontender_pct",
            v.parse_code,
            True,
            _("Kode pencatatan induk (harus sudah diimpor)."),
            "32601234",
            field="pencatatan",
            export=lambda r: _text_int(r.pencatatan.kd_pct),
        ),
        *_REALISASI_COMMON,
        Column("nama_penyedia", _text(255), False, _("Nama penyedia."), "CV Maju Jaya", **_PENYEDIA_NAMA),
        Column(
            "npwp_penyedia",
            v.parse_code,
            False,
            _("NPWP 15/16 angka; format kolom sebagai teks."),
            "01.234.567.8-901.234",
            **_PENYEDIA_NPWP,
        ),
    ),
)

SWAKELOLA_REALISASI = Contract(
    kind="swakelola-realisasi",
    label=_("Realisasi swakelola (SPSE-PencatatanSwakelolaRealisasi)"),
    model=Realisasi,
    key=("kd_swakelola_pct", "no_realisasi", "tgl_realisasi", "nilai_realisasi", "jenis_realisasi"),
    columns=(
        Column(
            "kd_swakelola_pct",
            v.parse_code,
            True,
            _("Kode pencatatan induk (harus sudah diimpor)."),
            "42601234",
            field="pencatatan",
            export=lambda r: _text_int(r.pencatatan.kd_pct),
        ),
        *_REALISASI_COMMON,
        Column(
            "nama_pelaksana",
            _text(255),
            False,
            _("Nama pelaksana."),
            "Kelompok Masyarakat Sejahtera",
            **_PENYEDIA_NAMA,
        ),
        Column("npwp_pelaksana", v.parse_code, False, _("NPWP 15/16 angka."), "", **_PENYEDIA_NPWP),
    ),
)

USERS = Contract(
    kind="users",
    label=_("Pengguna"),
    model=User,
    key=("username",),
    columns=(
        Column("username", _text(150), True, _("Nama pengguna untuk masuk (kunci)."), "budi.disdik"),
        Column("nama", _text(150), True, _("Nama lengkap."), "Budi Santoso"),
        Column("email", _text(254), False, _("Email untuk lupa kata sandi dan pengingat."), "budi@tangerangkota.go.id"),
        Column("nip", v.parse_code, False, _("NIP 18 angka; format kolom sebagai teks."), "198501012010011001"),
        Column(
            "kd_satker",
            v.parse_code,
            False,
            _("Kode OPD (SiRUP, kd_satker_str atau SPSE); kosong untuk pengawas/admin."),
            "60412",
            field="opd",
            export=lambda u: u.opd.kd_satker if u.opd else "",
        ),
        Column("peran", _text(60), True, _("operator, pptk, ppk, pengawas atau admin."), "ppk"),
    ),
)

CONTRACTS: dict[str, Contract] = {
    c.kind: c
    for c in (
        SATKER,
        RUP_PENYEDIA,
        RUP_SWAKELOLA,
        NONTENDER,
        NONTENDER_REALISASI,
        SWAKELOLA,
        SWAKELOLA_REALISASI,
        USERS,
    )
}
