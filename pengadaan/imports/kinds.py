"""What each kind of import checks against the database and how it writes, set-based.

A handler's `resolve` looks up everything its rows refer to in a few `__in` queries,
then decides per row: an error, or a target to create, update or leave unchanged.
`write` runs inside the import's transaction and only sees good rows. Records and
payments are written with django-simple-history's bulk helpers, so every import
leaves a history entry naming the user and the file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.models import CITY_ROLES, OPD_ROLES, Opd, Peran, User, nip_validator
from pengadaan.cleaning import normalize_npwp
from pengadaan.imports import catatan, contracts
from pengadaan.imports.rows import ROW_LEVEL, Row, mark_duplicates
from pengadaan.models import (
    CatatanData,
    JenisPencatatan,
    JenisPengadaan,
    JenisRealisasi,
    MetodePemilihan,
    PaketRup,
    Pencatatan,
    PencatatanRup,
    Penyedia,
    Realisasi,
    Status,
    TipePaket,
)
from pengadaan.models.pencatatan import Sumber

if TYPE_CHECKING:
    from pengadaan.imports.contracts import Contract

CHUNK = 2000
BATCH = 1000


@dataclass
class Context:
    user: User | None
    tahun: int | None
    reason: str
    opds: OpdIndex = field(init=False)
    # fiscal years whose dashboard summaries this import changes (pengadaan.ringkasan)
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
    years: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        years |= set(
            model.objects.filter(pk__in=ids[start : start + CHUNK])
            .order_by()
            .values_list("tahun_anggaran", flat=True)
            .distinct()
        )
    return years


def write_history(model: type[Model], ids: list[int], history_type: str, ctx: Context) -> None:
    """One history row per written object, copied by the database itself (INSERT … SELECT).

    simple-history's bulk helpers build every history object in Python first, which made
    history the largest cost of a 100,000-row import; the rows written here are the same
    (every tracked column, when, who, why, '+' or '~').
    """
    if not ids:
        return
    history_model = model.history.model
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    columns = [f.column for f in history_model._meta.concrete_fields if f.name not in own]
    history_table = connection.ops.quote_name(history_model._meta.db_table)
    source = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    extra = ", ".join(
        connection.ops.quote_name(c)
        for c in ("history_date", "history_user_id", "history_change_reason", "history_type")
    )
    now = timezone.now()
    user_id = ctx.user.pk if ctx.user is not None else None
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            placeholders = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"INSERT INTO {history_table} ({quoted}, {extra}) "  # noqa: S608 -- names from the models
                f"SELECT {quoted}, %s, %s, %s, %s FROM {source} WHERE id IN ({placeholders})",
                [now, user_id, ctx.reason[:100], history_type, *part],
            )


def opd_not_found(row: Row, code: str | None, code_str: str | None) -> None:
    row.error(
        "kd_satker",
        _("OPD dengan kd_satker '%(kode)s' / kd_satker_str '%(str)s' tidak ditemukan.")
        % {"kode": code or "", "str": code_str or ""},
    )


def chunked(queryset: QuerySet, field_name: str, values: Iterable[Any]) -> list[Model]:
    """`field__in=values` in chunks, so that 100,000 keys stay under the database's parameter limit."""
    values = list(values)
    found: list[Model] = []
    for start in range(0, len(values), CHUNK):
        found.extend(queryset.filter(**{f"{field_name}__in": values[start : start + CHUNK]}))
    return found


def as_int(row: Row, column: str) -> int | None:
    value = row.data.get(column)
    if value is None:
        return None
    if not str(value).isdigit():
        row.error(column, _("Harus berupa angka (tertulis '%(v)s').") % {"v": value})
        return None
    return int(value)


def assign(instance: Model, values: dict[str, Any]) -> list[str]:
    """Set attributes; return the names whose value changed (foreign keys compared by id, without a query)."""
    changed = []
    for name, value in values.items():
        model_field = instance._meta.get_field(name)
        if model_field.is_relation:
            current = getattr(instance, model_field.attname)
            new = value.pk if value is not None else None
        else:
            current, new = getattr(instance, name), value
        if current != new or (model_field.is_relation and value is not None and value.pk is None):
            setattr(instance, name, value)
            changed.append(name)
        elif model_field.is_relation and value is not None:
            setattr(instance, name, value)  # same row: keep the loaded object for later use
    return changed


def published_choice(row: Row, column: str, text: str, table: Sequence[tuple[str, str]], *, default: str = "") -> str:
    """SPSE's wording mapped to our value. SPSE's own data is kept (DESIGN §4): a value we do not know, or
    an empty one that a person would have to fill in, becomes `default` with a note keeping what SPSE wrote."""
    if not text:
        row.note(CatatanData.Aturan.WAJIB_KOSONG, column)
        return default
    lowered = " ".join(text.lower().split())
    for keyword, value in table:
        if keyword in lowered:
            return value
    row.note(CatatanData.Aturan.TIDAK_DIKENAL, column, text)
    return default


def choose(row: Row, column: str, text: str, table: Sequence[tuple[str, str]], *, choices: Iterable[str]) -> str | None:
    """Map LKPP's wording to our value: the first (keyword, value) whose keyword is in the text."""
    lowered = " ".join(text.lower().split())
    for keyword, value in table:
        if keyword in lowered:
            return value
    row.error(column, _("Nilai '%(v)s' tidak dikenal; pilihan: %(p)s.") % {"v": text, "p": ", ".join(choices)})
    return None


JENIS_PENGADAAN = (
    ("terintegrasi", JenisPengadaan.TERINTEGRASI),
    ("konsultansi", JenisPengadaan.KONSULTANSI),
    ("konstruksi", JenisPengadaan.KONSTRUKSI),
    ("jasa lain", JenisPengadaan.JASA_LAINNYA),
    ("barang", JenisPengadaan.BARANG),
)
METODE = (
    ("pengadaan langsung", MetodePemilihan.PENGADAAN_LANGSUNG),
    ("penunjukan langsung", MetodePemilihan.PENUNJUKAN_LANGSUNG),
    ("kecuali", MetodePemilihan.DIKECUALIKAN),
    ("darurat", MetodePemilihan.DARURAT),
    ("kontes", MetodePemilihan.KONTES),
    ("sayembara", MetodePemilihan.SAYEMBARA),
)
# the lists an error message offers, built once (not per row)
JENIS_PENGADAAN_VALUES = tuple(JenisPengadaan.values)
BUKTI_PEMBAYARAN = (("non", "NonSPK"), ("kuitansi", "NonSPK"), ("spk", "SPK"))
JENIS_REALISASI = (
    ("kuitansi", JenisRealisasi.KUITANSI),
    ("kwitansi", JenisRealisasi.KUITANSI),
    ("pembelian", JenisRealisasi.BUKTI_PEMBELIAN),
    ("bukti pembayaran", JenisRealisasi.BUKTI_PEMBELIAN),
    ("pesanan", JenisRealisasi.SURAT_PESANAN),
    ("perintah kerja", JenisRealisasi.SPK),
    ("spk", JenisRealisasi.SPK),
    ("perjanjian", JenisRealisasi.SURAT_PERJANJIAN),
    ("kontrak", JenisRealisasi.SURAT_PERJANJIAN),
    ("lain", JenisRealisasi.LAINNYA),
)
JENIS_SATKER = (
    ("sekretariat", Opd.Jenis.SEKRETARIAT),
    ("inspektorat", Opd.Jenis.INSPEKTORAT),
    ("badan", Opd.Jenis.BADAN),
    ("dinas", Opd.Jenis.DINAS),
    ("kantor", Opd.Jenis.KANTOR),
    ("satuan", Opd.Jenis.SATUAN),
    ("kecamatan", Opd.Jenis.KECAMATAN),
    ("rsud", Opd.Jenis.RSUD),
    ("rumah sakit", Opd.Jenis.RSUD),
    ("blud", Opd.Jenis.RSUD),
)
# SPSE's two status fields (DESIGN §4)
STATUS_SPSE = {
    ("aktif", "paket sedang berjalan"): Status.BERJALAN,
    ("aktif", "paket selesai"): Status.SELESAI,
    ("ditutup", "paket dibatalkan"): Status.BATAL,
    ("", ""): Status.BERJALAN,
}
# another pair is read by its second field (or, without one, by the first), and noted
STATUS_KET = (("batal", Status.BATAL), ("selesai", Status.SELESAI), ("berjalan", Status.BERJALAN))
STATUS_SAJA = {"aktif": Status.BERJALAN, "ditutup": Status.BATAL}
TIPE_SWAKELOLA = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}


class Handler:
    """One run's handler; `resolve` and `write` are called once per chunk of rows, in file order."""

    contract: Contract
    notes_owner: str | None = None  # "pencatatan" or "realisasi" for kinds whose rows may carry catatan data

    def __init__(self) -> None:
        self.seen: dict[tuple, int] = {}  # keys of earlier rows of the file (duplicate check across chunks)

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        raise NotImplementedError

    def write(self, rows: list[Row], ctx: Context) -> None:
        raise NotImplementedError

    def write_notes(self, rows: list[Row], ctx: Context) -> None:
        """After `write`: the catatan data of every stored row of the chunk, unchanged rows included."""
        if self.notes_owner:
            catatan.sync(rows, owner=self.notes_owner, reason=ctx.reason)


# --- satker -------------------------------------------------------------------------------


class SatkerHandler(Handler):
    contract = contracts.SATKER
    FIELDS = ("kd_satker_str", "nama_satker", "singkatan", "jenis", "kd_satker_spse", "aktif")

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        mark_duplicates(rows, ("kd_satker",), label=_("kd_satker"), seen=self.seen)
        existing = {o.kd_satker: o for o in Opd.objects.all()}
        if not hasattr(self, "owner_str"):  # codes claimed by OPDs, across chunks of the file
            self.owner_str = {o.kd_satker_str: o.kd_satker for o in existing.values()}
            self.owner_spse = {o.kd_satker_spse: o.kd_satker for o in existing.values() if o.kd_satker_spse}
        owner_str, owner_spse = self.owner_str, self.owner_spse
        for row in rows:
            if not row.ok:
                continue
            d = row.data
            if not d["kd_satker"].isdigit():
                row.error("kd_satker", _("Harus berupa angka (tertulis '%(v)s').") % {"v": d["kd_satker"]})
                continue
            for column, owners in (("kd_satker_str", owner_str), ("kd_satker_spse", owner_spse)):
                value = d.get(column)
                if value and owners.get(value, d["kd_satker"]) != d["kd_satker"]:
                    row.error(column, _("Sudah dipakai OPD dengan kd_satker %(k)s.") % {"k": owners[value]})
                elif value:
                    owners[value] = d["kd_satker"]
            jenis = Opd.Jenis.LAINNYA
            if d.get("jenis_satker"):
                jenis = next((v for k, v in JENIS_SATKER if k in d["jenis_satker"].lower()), Opd.Jenis.LAINNYA)
            aktif = (d.get("status_satker") or "aktif").strip().lower() not in ("nonaktif", "tidak aktif", "non aktif")
            values = {
                "kd_satker_str": d["kd_satker_str"],
                "nama_satker": d["nama_satker"],
                "singkatan": d.get("singkatan") or "",
                "jenis": jenis,
                "kd_satker_spse": d.get("kd_satker_spse") or None,
                "aktif": aktif,
            }
            opd = existing.get(d["kd_satker"])
            if opd is None:
                row.target, row.action = Opd(kd_satker=d["kd_satker"], **values), "create"
            else:
                if values["kd_satker_spse"] is None:
                    values["kd_satker_spse"] = opd.kd_satker_spse  # an empty cell never erases a learned code
                row.target, row.action = opd, ("update" if assign(opd, values) else "unchanged")

    def write(self, rows: list[Row], ctx: Context) -> None:
        Opd.objects.bulk_create([r.target for r in rows if r.action == "create"], batch_size=BATCH)
        Opd.objects.bulk_update([r.target for r in rows if r.action == "update"], self.FIELDS, batch_size=BATCH)


# --- RUP packages ----------------------------------------------------------------------------


class RupHandler(Handler):
    FIELDS = (
        "opd",
        "nama_paket",
        "pagu",
        "tipe_paket",
        "metode_pengadaan",
        "jenis_pengadaan",
        "tipe_swakelola",
        "sumber_dana",
        "tgl_awal_pemilihan",
        "status_umumkan_rup",
        "status_aktif_rup",
        "status_delete_rup",
        "nip_ppk",
        "nama_ppk",
    )

    def __init__(self, contract: Contract, tipe: str) -> None:
        super().__init__()
        self.contract = contract
        self.tipe = tipe

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        for row in rows:
            if row.ok:
                row.data["kd_rup_int"] = as_int(row, "kd_rup")
        mark_duplicates(rows, ("kd_rup", "tahun_anggaran"), label=_("kd_rup dengan tahun yang sama"), seen=self.seen)
        keys = {(r.data["kd_rup_int"], r.data["tahun_anggaran"]) for r in rows if r.ok}
        existing = {
            (p.kd_rup, p.tahun_anggaran): p
            for p in chunked(PaketRup.objects.all(), "kd_rup", {k for k, _t in keys})
            if (p.kd_rup, p.tahun_anggaran) in keys
        }
        for row in rows:
            if not row.ok:
                continue
            d = row.data
            opd = ctx.opds.sirup(d.get("kd_satker"), d.get("kd_satker_str"))
            if opd is None:
                opd_not_found(row, d.get("kd_satker"), d.get("kd_satker_str"))
                continue
            values = self._values(row, opd)
            if not row.ok:
                continue
            paket = existing.get((d["kd_rup_int"], d["tahun_anggaran"]))
            if paket is None:
                row.target = PaketRup(kd_rup=d["kd_rup_int"], tahun_anggaran=d["tahun_anggaran"], **values)
                row.action = "create"
            elif paket.tipe_paket != self.tipe:
                row.error("kd_rup", _("Kode RUP ini sudah ada sebagai paket %(t)s.") % {"t": paket.tipe_paket})
            else:
                row.target, row.action = paket, ("update" if assign(paket, values) else "unchanged")

    def _values(self, row: Row, opd: Opd) -> dict[str, Any]:
        d = row.data
        bulan = d.get("tgl_awal_pemilihan") or d.get("tgl_awal_pelaksanaan_kontrak")
        jenis = ""
        if d.get("jenis_pengadaan"):
            jenis = choose(
                row, "jenis_pengadaan", d["jenis_pengadaan"], JENIS_PENGADAAN, choices=JENIS_PENGADAAN_VALUES
            )
        tipe_swakelola = d.get("tipe_swakelola")
        if tipe_swakelola is not None and tipe_swakelola not in (1, 2, 3, 4):
            row.error("tipe_swakelola", _("Tipe swakelola harus 1, 2, 3 atau 4."))
        per_kind = (
            {"metode_pengadaan": d.get("metode_pengadaan", ""), "jenis_pengadaan": jenis or ""}
            if self.tipe == TipePaket.PENYEDIA
            else {"tipe_swakelola": tipe_swakelola}
        )
        return {
            "opd": opd,
            "nama_paket": d["nama_paket"],
            "pagu": d["pagu"],
            "tipe_paket": self.tipe,
            **per_kind,
            "sumber_dana": d.get("sumber_dana") or "",
            "tgl_awal_pemilihan": bulan.replace(day=1) if bulan else None,
            "status_umumkan_rup": d.get("status_umumkan_rup") or "Terumumkan",
            "status_aktif_rup": True if d.get("status_aktif_rup") is None else d["status_aktif_rup"],
            "status_delete_rup": bool(d.get("status_delete_rup")),
            "nip_ppk": d.get("nip_ppk") or "",
            "nama_ppk": d.get("nama_ppk") or "",
        }

    def write(self, rows: list[Row], ctx: Context) -> None:
        updates = [r.target for r in rows if r.action == "update"]
        ctx.tahun_berubah |= years_of(PaketRup, [p.pk for p in updates])  # a package may move to another year
        ctx.tahun_berubah |= {r.target.tahun_anggaran for r in rows}
        PaketRup.objects.bulk_create([r.target for r in rows if r.action == "create"], batch_size=BATCH)
        PaketRup.objects.bulk_update(updates, self.FIELDS, batch_size=BATCH)


# --- pencatatan ---------------------------------------------------------------------------------


class PencatatanHandler(Handler):
    notes_owner = "pencatatan"
    FIELDS = (
        "opd",
        "tahun_anggaran",
        "kd_rup",
        "nama_paket",
        "pagu",
        "nilai_pdn_pct",
        "nilai_umk_pct",
        "sumber_dana",
        "uraian_pekerjaan",
        "informasi_lainnya",
        "kategori_pengadaan",
        "mtd_pemilihan",
        "bukti_pembayaran",
        "tipe_swakelola",
        "pelaksana_swakelola",
        "status",
        "alasan_pembatalan",
        "nip_ppk",
        "nama_ppk",
        "tgl_buat_paket",
        "tgl_mulai_paket",
        "tgl_selesai_paket",
    )

    def __init__(self, contract: Contract, jenis: str) -> None:
        super().__init__()
        self.contract = contract
        self.jenis = JenisPencatatan(jenis)
        self.key = contract.key[0]
        self.status_columns = (
            ("status_nontender_pct", "status_nontender_pct_ket")
            if self.jenis == JenisPencatatan.NON_TENDER
            else ("status_swakelola_pct", "status_swakelola_pct_ket")
        )

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        for row in rows:
            if row.ok:
                row.data["_key"] = as_int(row, self.key)
        mark_duplicates(rows, (self.key,), label=self.key, seen=self.seen)
        good = [r for r in rows if r.ok]
        existing = {
            p.kd_pct: p
            for p in chunked(
                Pencatatan.objects.filter(jenis=self.jenis).prefetch_related("paket_rup"),
                self.key,
                {r.data["_key"] for r in good},
            )
        }
        for row in good:
            row.data["_codes"] = self._rup_codes(row)
        wanted = {c for row in good for c in row.data["_codes"]}
        packages = PaketRup.objects.only("id", "kd_rup", "tahun_anggaran", "opd_id", "tipe_paket").order_by()
        rup = {(p.kd_rup, p.tahun_anggaran): p for p in chunked(packages, "kd_rup", wanted)}
        tipe = self.jenis.tipe_paket
        for row in good:
            if not row.ok:
                continue
            d = row.data
            opd = ctx.opds.spse(d.get("kd_satker"), d.get("kd_satker_str"))
            if opd is None:
                opd_not_found(row, d.get("kd_satker"), d.get("kd_satker_str"))
                continue
            links = []
            for code in d["_codes"]:
                paket = rup.get((code, d["tahun_anggaran"]))
                if paket is None:
                    continue  # not (yet) imported from SiRUP: the code is kept in kd_rup, the link comes later
                if paket.opd_id != opd.pk or paket.tipe_paket != tipe:
                    # SPSE linked it; a record here links only its own OPD's packages of its kind (DESIGN §4)
                    row.note(CatatanData.Aturan.RUP_BUKAN_MILIK, "kd_rup", code)
                    continue
                links.append(paket)
            values = self._values(row, opd, d["_codes"])
            if not row.ok:
                continue
            record = existing.get(d["_key"])
            if record is None:
                record = Pencatatan(
                    jenis=self.jenis, sumber=Sumber.IMPOR, dibuat_oleh=ctx.user, **{self.key: d["_key"]}
                )
                assign(record, values)
                row.action = "create"
            else:
                changed = assign(record, values)
                same_links = {p.pk for p in record.paket_rup.all()} == {p.pk for p in links}
                row.action = "update" if changed or not same_links else "unchanged"
            row.target = (record, links)

    def _rup_codes(self, row: Row) -> list[int]:
        text = row.data.get("kd_rup") or ""
        codes = []
        for part in text.replace(",", ";").split(";"):
            part = part.strip()
            if part.endswith(".0"):
                part = part[:-2]
            if not part:
                continue
            if not part.isdigit():
                row.note(CatatanData.Aturan.KODE_RUP_BUKAN_ANGKA, "kd_rup", part)
                continue
            codes.append(int(part))
        return sorted(set(codes))

    def _values(self, row: Row, opd: Opd, codes: list[int]) -> dict[str, Any]:
        d = row.data
        status = self._status(row)
        alasan = d.get("alasan_pembatalan") or ""
        if status == Status.BATAL and not alasan:
            row.note(CatatanData.Aturan.WAJIB_KOSONG, "alasan_pembatalan")
            alasan = _("Dibatalkan di SPSE (alasan tidak diisi).")
        # SPSE's start is the moment the record was made, its end the contract's last day at midnight:
        # compared as dates, an end before the start is kept as published, with a note (DESIGN §4)
        mulai, selesai = d.get("tgl_mulai_paket"), d.get("tgl_selesai_paket")
        if mulai and selesai and selesai < mulai:
            row.note(
                CatatanData.Aturan.SELESAI_SEBELUM_MULAI,
                "tgl_selesai_paket",
                f"{selesai.isoformat()} < {mulai.isoformat()}",
            )
        values: dict[str, Any] = {
            "opd": opd,
            "tahun_anggaran": d["tahun_anggaran"],
            "kd_rup": ";".join(str(c) for c in codes),
            "nama_paket": d["nama_paket"],
            "pagu": d["pagu"],
            "nilai_pdn_pct": d.get("nilai_pdn_pct"),
            "nilai_umk_pct": d.get("nilai_umk_pct"),
            "sumber_dana": d.get("sumber_dana") or "",
            "uraian_pekerjaan": d.get("uraian_pekerjaan") or "",
            "informasi_lainnya": d.get("informasi_lainnya") or "",
            "status": status,
            "alasan_pembatalan": alasan if status == Status.BATAL else "",
            "nip_ppk": (d.get("nip_ppk") or "")[:18],
            "nama_ppk": d.get("nama_ppk") or "",
            "tgl_buat_paket": d["tgl_buat_paket"],
            "tgl_mulai_paket": mulai,
            "tgl_selesai_paket": selesai,
            "kategori_pengadaan": "",
            "mtd_pemilihan": "",
            "bukti_pembayaran": "",
            "tipe_swakelola": None,
            "pelaksana_swakelola": "",
        }
        if self.jenis == JenisPencatatan.NON_TENDER:
            values["mtd_pemilihan"] = published_choice(row, "mtd_pemilihan", d.get("mtd_pemilihan") or "", METODE)
            values["kategori_pengadaan"] = published_choice(
                row, "kategori_pengadaan", d.get("kategori_pengadaan") or "", JENIS_PENGADAAN
            )
            if d.get("bukti_pembayaran"):  # optional for a person too
                values["bukti_pembayaran"] = published_choice(
                    row, "bukti_pembayaran", d["bukti_pembayaran"], BUKTI_PEMBAYARAN
                )
        else:
            values["tipe_swakelola"] = self._tipe_swakelola(row)
            values["pelaksana_swakelola"] = d.get("nama_pelaksana") or ""
        return values

    def _status(self, row: Row) -> str | None:
        """SPSE's two status fields (DESIGN §4); a pair other than the three known ones is read and noted."""
        a, b = (" ".join((row.data.get(c) or "").lower().split()) for c in self.status_columns)
        status = STATUS_SPSE.get((a, b))
        if status is None:
            status = next((value for word, value in STATUS_KET if word in b), None) if b else STATUS_SAJA.get(a)
            if status is None:
                row.error(
                    self.status_columns[1],
                    _(
                        "Kombinasi status '%(a)s' + '%(b)s' tidak dikenal; yang dikenal: Aktif + Paket Sedang "
                        "Berjalan, Aktif + Paket Selesai, Ditutup + Paket Dibatalkan."
                    )
                    % dict(zip("ab", (row.data.get(c) or "" for c in self.status_columns), strict=True)),
                )
                return None
            shown = " + ".join(row.data.get(c) or "" for c in self.status_columns)
            row.note(CatatanData.Aturan.STATUS_TIDAK_BAKU, self.status_columns[1], shown)
        return status

    @staticmethod
    def _tipe_swakelola(row: Row) -> int | None:
        """1–4 from tipe_swakelola, else from tipe_swakelola_nama ("Tipe II"); SPSE leaves both empty in most
        records, which is kept as published with a note (DESIGN §4)."""
        for column in ("tipe_swakelola", "tipe_swakelola_nama"):
            text = (row.data.get(column) or "").lower().replace("tipe", "").replace("swakelola", "").strip()
            if text:
                tipe = TIPE_SWAKELOLA.get(text)
                if tipe is None:
                    row.note(CatatanData.Aturan.TIDAK_DIKENAL, column, row.data[column])
                return tipe
        row.note(CatatanData.Aturan.WAJIB_KOSONG, "tipe_swakelola")
        return None

    def write(self, rows: list[Row], ctx: Context) -> None:
        creates = [r.target[0] for r in rows if r.action == "create"]
        updates = [r.target[0] for r in rows if r.action == "update"]
        for record in updates:
            record.versi += 1
        ctx.tahun_berubah |= years_of(Pencatatan, [p.pk for p in updates])  # a record may move to another year
        ctx.tahun_berubah |= {p.tahun_anggaran for p in [*creates, *updates]}
        Pencatatan.objects.bulk_create(creates, batch_size=BATCH)
        if any(record.pk is None for record in creates):  # a backend that returns no ids
            by_key = {
                p.kd_pct: p.pk for p in chunked(Pencatatan.objects.all(), self.key, [r.data["_key"] for r in rows])
            }
            for record in creates:
                record.pk = by_key[record.kd_pct]
        Pencatatan.objects.bulk_update(updates, [*self.FIELDS, "versi"], batch_size=BATCH)
        write_history(Pencatatan, [p.pk for p in creates], "+", ctx)
        write_history(Pencatatan, [p.pk for p in updates], "~", ctx)
        self._sync_links([r.target for r in rows if r.action in ("create", "update")])
        ctx.opds.save_learned()

    @staticmethod
    def _sync_links(targets: list[tuple[Pencatatan, list[PaketRup]]]) -> None:
        wanted = {(record.pk, p.pk) for record, links in targets for p in links}
        # records created by this import have no links yet: only updated ones are looked up
        ids = [record.pk for record, _links in targets if record.versi > 1]
        current: set[tuple[int, int]] = set()
        for start in range(0, len(ids), CHUNK):
            current |= set(
                PencatatanRup.objects.filter(pencatatan_id__in=ids[start : start + CHUNK]).values_list(
                    "pencatatan_id", "paket_id"
                )
            )
        stale = current - wanted
        by_record: dict[int, list[int]] = defaultdict(list)
        for record_id, paket_id in stale:
            by_record[record_id].append(paket_id)
        for record_id, paket_ids in by_record.items():
            PencatatanRup.objects.filter(pencatatan_id=record_id, paket_id__in=paket_ids).delete()
        PencatatanRup.objects.bulk_create(
            [PencatatanRup(pencatatan_id=r, paket_id=p) for r, p in wanted - current], batch_size=BATCH
        )


# --- realisasi ----------------------------------------------------------------------------------


class RealisasiHandler(Handler):
    notes_owner = "realisasi"
    FIELDS = ("dok_realisasi", "ket_realisasi", "penyedia")

    def __init__(self, contract: Contract, jenis: str, penyedia_columns: tuple[str, str]) -> None:
        super().__init__()
        self.payments_seen: set[tuple] = set()
        self.contract = contract
        self.jenis = JenisPencatatan(jenis)
        self.parent_key = contract.key[0]
        self.nama_col, self.npwp_col = penyedia_columns

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        for row in rows:
            if not row.ok:
                continue
            d = row.data
            d["_parent"] = as_int(row, self.parent_key)
            d["_jenis"] = published_choice(
                row, "jenis_realisasi", d.get("jenis_realisasi") or "", JENIS_REALISASI, default=JenisRealisasi.LAINNYA
            )
            if not d["no_realisasi"]:
                row.note(CatatanData.Aturan.WAJIB_KOSONG, "no_realisasi")
            d["_npwp"] = published_npwp(row, self.npwp_col)
        good = [r for r in rows if r.ok]
        parents = {
            p.kd_pct: p
            for p in chunked(
                Pencatatan.objects.filter(jenis=self.jenis), self.parent_key, {r.data["_parent"] for r in good}
            )
        }
        existing: dict[tuple, Realisasi] = {}
        parent_ids = [p.pk for p in parents.values()]
        for start in range(0, len(parent_ids), CHUNK):
            for r in Realisasi.objects.filter(pencatatan_id__in=parent_ids[start : start + CHUNK]):
                existing.setdefault(
                    self._key(r.pencatatan_id, r.no_realisasi, r.tgl_realisasi, r.nilai_realisasi, r.jenis_realisasi), r
                )
        penyedia = PenyediaIndex([(r.data.get(self.nama_col) or "", r.data["_npwp"]) for r in good])
        seen = self.payments_seen
        for row in good:
            d = row.data
            parent = parents.get(d["_parent"])
            if parent is None:
                row.error(
                    self.parent_key,
                    _("Pencatatan %(k)s belum ada; impor data pencatatannya lebih dulu.") % {"k": d["_parent"]},
                )
                continue
            if d["tgl_realisasi"] > timezone.localdate():
                row.note(CatatanData.Aturan.TANGGAL_MASA_DEPAN, "tgl_realisasi", d["tgl_realisasi"].isoformat())
            key = self._key(parent.pk, d["no_realisasi"], d["tgl_realisasi"], d["nilai_realisasi"], d["_jenis"])
            if key in seen:
                row.action = "duplicate"  # LKPP repeats a payment once per RUP code of its parent (DESIGN §8)
                continue
            seen.add(key)
            values = {
                "dok_realisasi": d.get("dok_realisasi") or "",
                "ket_realisasi": d.get("ket_realisasi") or "",
                "penyedia": penyedia.get(d.get(self.nama_col) or "", d["_npwp"]),
            }
            current = existing.get(key)
            if current is None:
                row.target = Realisasi(
                    pencatatan=parent,
                    jenis_realisasi=d["_jenis"],
                    no_realisasi=d["no_realisasi"],
                    tgl_realisasi=d["tgl_realisasi"],
                    nilai_realisasi=d["nilai_realisasi"],
                    tgl_dicatat=parent.tgl_buat_paket,
                    dibuat_oleh=ctx.user,
                    **values,
                )
                row.action = "create"
            else:
                row.target, row.action = current, ("update" if assign(current, values) else "unchanged")
        self.penyedia = penyedia

    @staticmethod
    def _key(parent_id, no, tgl, nilai, jenis) -> tuple:
        return (parent_id, no, tgl, nilai.quantize(nilai.__class__("0.01")), jenis)

    def write(self, rows: list[Row], ctx: Context) -> None:
        self.penyedia.save()
        for row in rows:
            if row.action in ("create", "update") and row.target.penyedia is not None:
                row.target.penyedia = self.penyedia.saved(row.target.penyedia)
        creates = [r.target for r in rows if r.action == "create"]
        updates = [r.target for r in rows if r.action == "update"]
        ctx.tahun_berubah |= {p.pencatatan.tahun_anggaran for p in [*creates, *updates]}
        Realisasi.objects.bulk_create(creates, batch_size=BATCH)
        if any(payment.pk is None for payment in creates):  # a backend that returns no ids
            raise RuntimeError("the database returned no ids for new payments")
        Realisasi.objects.bulk_update(updates, list(self.FIELDS), batch_size=BATCH)
        write_history(Realisasi, [p.pk for p in creates], "+", ctx)
        write_history(Realisasi, [p.pk for p in updates], "~", ctx)


def published_npwp(row: Row, column: str) -> str | None:
    """An NPWP as published: digits only; one of other than 15 or 16 digits is kept with a note (DESIGN §4)."""
    value = row.data.get(column)
    try:
        return normalize_npwp(value)
    except ValidationError:
        digits = re.sub(r"\D", "", str(value))
        row.note(CatatanData.Aturan.NPWP_TIDAK_BAKU, column, value)
        return digits if len(digits) <= Penyedia._meta.get_field("npwp").max_length else None


class PenyediaIndex:
    """Suppliers by NPWP (or by name when the file has none), created in bulk when new."""

    def __init__(self, pairs: list[tuple[str, str | None]]) -> None:
        npwps = {npwp for _nama, npwp in pairs if npwp}
        names = {nama for nama, npwp in pairs if nama and not npwp}
        self.by_npwp = {p.npwp: p for p in chunked(Penyedia.objects.all(), "npwp", npwps)}
        self.by_name = {p.nama: p for p in chunked(Penyedia.objects.filter(npwp__isnull=True), "nama", names)}

    def get(self, nama: str, npwp: str | None) -> Penyedia | None:
        if npwp:
            return self.by_npwp.setdefault(npwp, Penyedia(nama=nama or npwp, npwp=npwp))
        if nama:
            return self.by_name.setdefault(nama, Penyedia(nama=nama))
        return None

    def save(self) -> None:
        new = [p for p in [*self.by_npwp.values(), *self.by_name.values()] if p.pk is None]
        Penyedia.objects.bulk_create(new, batch_size=BATCH)
        if any(p.pk is None for p in new):
            self.by_npwp.update({p.npwp: p for p in chunked(Penyedia.objects.all(), "npwp", list(self.by_npwp))})
            self.by_name.update(
                {p.nama: p for p in chunked(Penyedia.objects.filter(npwp__isnull=True), "nama", list(self.by_name))}
            )

    def saved(self, penyedia: Penyedia) -> Penyedia:
        if penyedia.pk is not None:
            return penyedia
        return self.by_npwp[penyedia.npwp] if penyedia.npwp else self.by_name[penyedia.nama]


# --- users --------------------------------------------------------------------------------------

PERAN = {code: code for code in Peran.values} | {str(label).lower(): code for code, label in Peran.choices}
PERAN |= {"admin opd": Peran.OPERATOR, "administrator": Peran.ADMIN}
ROLE_MESSAGE = User._meta.constraints[0].violation_error_message


class UserHandler(Handler):
    contract = contracts.USERS
    FIELDS = ("nama", "email", "nip", "opd", "peran", "is_staff", "is_superuser")

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        mark_duplicates(rows, ("username",), label=_("Nama pengguna"), seen=self.seen)
        good = [r for r in rows if r.ok]
        scope = User.objects.visible_to(ctx.user) if ctx.user is not None else User.objects.all()
        existing = {u.username: u for u in chunked(scope, "username", {r.data["username"] for r in good})}
        clash = set(chunked(User.objects.all(), "username", {r.data["username"] for r in good})) - set(
            existing.values()
        )
        clash_names = {u.username for u in clash}
        username_ok = UnicodeUsernameValidator()
        for row in good:
            d = row.data
            for validator, column in ((username_ok, "username"), (validate_email, "email"), (nip_validator, "nip")):
                if d.get(column):
                    try:
                        validator(d[column])
                    except ValidationError as exc:
                        row.error(column, exc.messages[0])
            peran = PERAN.get(" ".join(d["peran"].lower().split()))
            if peran is None:
                row.error(
                    "peran",
                    _("Peran '%(p)s' tidak dikenal; pilih salah satu: %(c)s.")
                    % {"p": d["peran"], "c": ", ".join(Peran.values)},
                )
            opd = None
            if d.get("kd_satker"):
                opd = ctx.opds.any(d["kd_satker"])
                if opd is None:
                    row.error("kd_satker", _("OPD dengan kode '%(k)s' tidak ditemukan.") % {"k": d["kd_satker"]})
            elif peran in OPD_ROLES:
                row.error(ROW_LEVEL, str(ROLE_MESSAGE))
            if opd is not None and peran in CITY_ROLES:
                row.error(ROW_LEVEL, str(ROLE_MESSAGE))
            if d["username"] in clash_names:
                row.error("username", _("Username sudah dipakai pengguna lain."))
            if not row.ok:
                continue
            values = {
                "nama": d["nama"],
                "email": d.get("email") or "",
                "nip": d.get("nip") or "",
                "opd": opd,
                "peran": peran,
                "is_staff": peran == Peran.ADMIN,
                "is_superuser": peran == Peran.ADMIN,
            }
            user = existing.get(d["username"])
            if user is None:
                user = User(username=d["username"])
                user.set_unusable_password()  # they set their own through "Lupa kata sandi"
                assign(user, values)
                row.action = "create"
            else:
                row.action = "update" if assign(user, values) else "unchanged"
            row.target = user

    def write(self, rows: list[Row], ctx: Context) -> None:
        User.objects.bulk_create([r.target for r in rows if r.action == "create"], batch_size=BATCH)
        User.objects.bulk_update([r.target for r in rows if r.action == "update"], self.FIELDS, batch_size=BATCH)


# kind -> a fresh handler for one run (handlers keep per-run lookups)
HANDLERS: dict[str, Callable[[], Handler]] = {
    "satker": SatkerHandler,
    "rup-penyedia": lambda: RupHandler(contracts.RUP_PENYEDIA, TipePaket.PENYEDIA),
    "rup-swakelola": lambda: RupHandler(contracts.RUP_SWAKELOLA, TipePaket.SWAKELOLA),
    "nontender": lambda: PencatatanHandler(contracts.NONTENDER, JenisPencatatan.NON_TENDER),
    "swakelola": lambda: PencatatanHandler(contracts.SWAKELOLA, JenisPencatatan.SWAKELOLA),
    "nontender-realisasi": lambda: RealisasiHandler(
        contracts.NONTENDER_REALISASI, JenisPencatatan.NON_TENDER, ("nama_penyedia", "npwp_penyedia")
    ),
    "swakelola-realisasi": lambda: RealisasiHandler(
        contracts.SWAKELOLA_REALISASI, JenisPencatatan.SWAKELOLA, ("nama_pelaksana", "npwp_pelaksana")
    ),
    "users": UserHandler,
}
