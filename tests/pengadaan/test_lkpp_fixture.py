"""A synthetic year of LKPP open data (tests.fixtures.lkpp_synthetic) imported with `import_data`,
then every §5 column of the supervisor dashboard's CSV export checked against numbers this test
computes itself from the fixture's JSON with plain Python, not through the code under test.

The fixture carries what DESIGN §4 measured in real LKPP data (end before start, empty and long
payment numbers, empty swakelola types, several RUP codes per record and the payments LKPP
repeats for them, NIP as a number, UTC timestamps, …): an import of LKPP's own data keeps all
of it as published, so no row may be refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from pengadaan.models import CatatanData
from tests.conftest import client_for
from tests.fixtures import lkpp_synthetic

TAHUN = 2025
JAKARTA = ZoneInfo("Asia/Jakarta")
# the documented order of a first load (DESIGN §11): parents before children
ORDER = lkpp_synthetic.KINDS
# DESIGN §5, in its order; the export has the first fourteen (pengadaan.dashboards.COLUMNS) and may have all
SECTION_5 = (
    "kd_satker",
    "nama_satker",
    "rup_paket",
    "rup_pagu",
    "tercatat_paket",
    "tercatat_pagu",
    "persen_tercatat",
    "pencatatan_aktif",
    "pencatatan_selesai",
    "pencatatan_draft",
    "realisasi_nilai",
    "median_lag_hari",
    "persen_input_nov_des",
    "red_flags",
    "tercatat_spse_paket",
    "tercatat_spse_pagu",
    "persen_tercatat_spse",
)
SUMMARY = re.compile(r"^(?P<kind>[\w-]+): dibuat (\d+), diperbarui (\d+), tidak berubah (\d+), dilewati (\d+)")

# DESIGN §3: the non-tender methods (SiRUP writes Dikecualikan as Pengecualian too)
NON_TENDER = {
    "pengadaan langsung",
    "penunjukan langsung",
    "dikecualikan",
    "pengecualian",
    "darurat",
    "kontes",
    "sayembara",
}
# DESIGN §4: SPSE's two status fields
STATUS = {
    ("Aktif", "Paket Sedang Berjalan"): "berjalan",
    ("Aktif", "Paket Selesai"): "selesai",
    ("Ditutup", "Paket Dibatalkan"): "batal",
}
# DESIGN §7 with its default thresholds: PL ceilings per kategori as SPSE writes it
PL_CEILING = {
    "Pengadaan Barang": Decimal(200_000_000),
    "Jasa Lainnya": Decimal(200_000_000),
    "Pekerjaan Konstruksi": Decimal(400_000_000),
    "Jasa Konsultansi Badan Usaha Non Konstruksi": Decimal(100_000_000),
}
LATE_DAYS = 30  # rules 4 and 7
LATE_SHARE = Decimal("0.5")  # rule 4: more than half of the OPD's entries
BUKTI_PEMBELIAN_MAX, KUITANSI_MAX = Decimal(10_000_000), Decimal(50_000_000)  # rule 9
PERCENT_AS_RUPIAH, PERCENT_MIN_REALISASI = Decimal(100), Decimal(100_000)  # rule 8
CENT = Decimal("0.01")


# --- reading the fixture as published ---------------------------------------------------------


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def jakarta_date(text: str) -> dt.date:
    """DESIGN §8: a timestamp with Z is converted to Asia/Jakarta before its date is taken; one
    without a zone is already local."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(JAKARTA)
    return moment.date()


def percent(part: Decimal | int, whole: Decimal | int) -> str:
    if not whole:
        return ""
    return f"{(Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP):f}"


def median(values: list[int]) -> str:
    if not values:
        return ""
    values = sorted(values)
    middle = len(values) // 2
    value = Decimal(values[middle]) if len(values) % 2 else Decimal(values[middle - 1] + values[middle]) / 2
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}"


@dataclass
class Record:
    kind: str  # "nontender" / "swakelola"
    key: int
    opd: str  # SiRUP kd_satker
    status: str
    codes: frozenset[int]
    row: dict
    payments: list[dict] = field(default_factory=list)  # unique payments

    @property
    def active(self) -> bool:
        return self.status != "batal"

    @property
    def paid(self) -> Decimal:
        return sum((money(p["nilai_realisasi"]) for p in self.payments), Decimal(0))


def records_of(data: dict[str, list[dict]]) -> list[Record]:
    opd_of = {row["kd_satker_str"]: str(row["kd_satker"]) for row in data["satker"]}
    records = []
    for kind in ("nontender", "swakelola"):
        key = "kd_nontender_pct" if kind == "nontender" else "kd_swakelola_pct"
        by_key = {}
        for row in data[kind]:
            status = STATUS[(row[f"status_{kind}_pct"], row[f"status_{kind}_pct_ket"])]
            codes = frozenset(int(c) for c in (row["kd_rup"] or "").split(";") if c.strip())
            record = Record(kind, row[key], opd_of[row["kd_satker_str"]], status, codes, row)
            by_key[record.key] = record
            records.append(record)
        # DESIGN §8: LKPP repeats a payment once per RUP code of its record; exact duplicates on
        # (parent, no_realisasi, tgl_realisasi, nilai_realisasi, jenis_realisasi) are one payment,
        # an empty no_realisasi ("" or null) being a value like any other
        seen = set()
        for row in data[f"{kind}-realisasi"]:
            identity = (
                row[key],
                row["no_realisasi"] or "",
                jakarta_date(row["tgl_realisasi"]),
                money(row["nilai_realisasi"]),
                row["jenis_realisasi"],
            )
            if identity not in seen:
                seen.add(identity)
                by_key[row[key]].payments.append(row)
    return records


# --- what DESIGN §5 and §7 say the dashboard shows ---------------------------------------------


def red_flags(records: list[Record], lags: dict[str, list[int]], today: dt.date) -> dict[str, Counter[int]]:
    """Open red flags per OPD and rule (none is reviewed) under DESIGN §7 with its default thresholds.

    Rule 4 is one flag per OPD (§7, and §5 `red_flags`: "rule 4's one per OPD"); the others count as
    pengadaan.dashboards.tanda_bahaya documents its unit: rules 1 and 6 one per group, the rest one per record.
    Every rule reads active records only (§5: "active" = not Batal); the fixture's cancelled records
    break none of rules 2, 3, 8 and 9 either way, by construction (lkpp_synthetic, `record`)."""
    flags: dict[str, Counter[int]] = defaultdict(Counter)
    active = [r for r in records if r.active]
    # 1: ≥2 active PL records of one OPD with one supplier NPWP and kategori, each within the ceiling,
    #    together above it (no record's pagu is exactly a ceiling: "under" and "at most" agree here)
    groups: dict[tuple, set[int]] = defaultdict(set)
    pagu_of: dict[int, Decimal] = {}
    for r in active:
        ceiling = PL_CEILING.get(r.row.get("kategori_pengadaan"))
        if r.kind != "nontender" or r.row["mtd_pemilihan"] != "Pengadaan Langsung" or ceiling is None:
            continue
        if money(r.row["pagu"]) > ceiling:
            flags[r.opd][2] += 1  # 2: PL above its ceiling
            continue
        pagu_of[r.key] = money(r.row["pagu"])
        for p in r.payments:
            npwp = re.sub(r"\D", "", p["npwp_penyedia"] or "")
            if npwp:
                groups[(r.opd, npwp, r.row["kategori_pengadaan"])].add(r.key)
    for (opd, _npwp, kategori), keys in groups.items():
        if len(keys) >= 2 and sum(pagu_of[k] for k in keys) > PL_CEILING[kategori]:
            flags[opd][1] += 1
    twins: dict[tuple, int] = defaultdict(int)
    for r in active:
        if r.paid > money(r.row["pagu"]):  # 3
            flags[r.opd][3] += 1
        if r.status == "selesai" and not r.payments:  # 5
            flags[r.opd][5] += 1
        selesai = r.row["tgl_selesai_paket"]
        if r.status == "berjalan" and selesai and (today - jakarta_date(selesai)).days > LATE_DAYS:  # 7
            flags[r.opd][7] += 1
        values = [money(r.row[c]) for c in ("nilai_pdn_pct", "nilai_umk_pct") if r.row[c] is not None]
        if any(v > r.paid or (v == PERCENT_AS_RUPIAH and r.paid > PERCENT_MIN_REALISASI) for v in values):  # 8
            flags[r.opd][8] += 1
        if any(  # 9
            (p["jenis_realisasi"] == "Bukti Pembelian" and money(p["nilai_realisasi"]) > BUKTI_PEMBELIAN_MAX)
            or (p["jenis_realisasi"] == "Kuitansi" and money(p["nilai_realisasi"]) > KUITANSI_MAX)
            for p in r.payments
        ):
            flags[r.opd][9] += 1
        if r.codes:
            twins[(r.opd, r.codes, money(r.row["pagu"]))] += 1
    for (opd, _codes, _pagu), n in twins.items():  # 6
        if n >= 2:
            flags[opd][6] += 1
    for opd, values in lags.items():  # 4: one per OPD
        if Decimal(sum(lag > LATE_DAYS for lag in values)) > LATE_SHARE * len(values):
            flags[opd][4] += 1
    return flags


@dataclass
class Row:
    rup_paket: int = 0
    rup_pagu: Decimal = Decimal(0)
    tercatat_paket: int = 0
    tercatat_pagu: Decimal = Decimal(0)
    tercatat_spse_paket: int = 0
    tercatat_spse_pagu: Decimal = Decimal(0)
    aktif: int = 0
    selesai: int = 0
    draft: int = 0
    realisasi: Decimal = Decimal(0)
    lags: list[int] = field(default_factory=list)
    nov_des: int = 0
    red_flags: int = 0

    def add(self, other: Row) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def csv(self, kd_satker: str, nama_satker: str) -> dict[str, str]:
        return {
            "kd_satker": kd_satker,
            "nama_satker": nama_satker,
            "rup_paket": str(self.rup_paket),
            "rup_pagu": f"{self.rup_pagu.quantize(CENT):f}",
            "tercatat_paket": str(self.tercatat_paket),
            "tercatat_pagu": f"{self.tercatat_pagu.quantize(CENT):f}",
            "persen_tercatat": percent(self.tercatat_pagu, self.rup_pagu),
            "pencatatan_aktif": str(self.aktif),
            "pencatatan_selesai": str(self.selesai),
            "pencatatan_draft": str(self.draft),
            "realisasi_nilai": f"{self.realisasi.quantize(CENT):f}",
            "median_lag_hari": median(self.lags),
            "persen_input_nov_des": percent(self.nov_des, len(self.lags)),
            "red_flags": str(self.red_flags),
            "tercatat_spse_paket": str(self.tercatat_spse_paket),
            "tercatat_spse_pagu": f"{self.tercatat_spse_pagu.quantize(CENT):f}",
            "persen_tercatat_spse": percent(self.tercatat_spse_pagu, self.rup_pagu),
        }


def expected_table(data: dict[str, list[dict]], today: dt.date) -> tuple[dict[str, dict[str, str]], dict]:
    """The §5 row of every OPD (by SiRUP kd_satker) and of the city (""), as the CSV writes them,
    and the red flags of each by rule."""
    records = records_of(data)
    rows = {str(s["kd_satker"]): Row() for s in data["satker"]}
    # a RUP package is recorded when an active record of the matching kind of its OPD links it;
    # every record of an LKPP file exists in SPSE (it has its SPSE key), so tercatat_spse is the same
    linked = {(r.opd, r.kind, code) for r in records if r.active for code in r.codes}
    for rup_kind, kind in (("rup-penyedia", "nontender"), ("rup-swakelola", "swakelola")):
        for p in data[rup_kind]:
            counts = (
                p["status_umumkan_rup"].lower() == "terumumkan"
                and p["status_aktif_rup"] is True
                and p["status_delete_rup"] is False
                and p["tahun_anggaran"] == TAHUN
            )
            if rup_kind == "rup-penyedia":
                counts = counts and p["metode_pengadaan"].lower() in NON_TENDER
            if not counts:
                continue
            row = rows[str(p["kd_satker"])]
            row.rup_paket += 1
            row.rup_pagu += money(p["pagu"])
            if (str(p["kd_satker"]), kind, p["kd_rup"]) in linked:
                row.tercatat_paket += 1
                row.tercatat_pagu += money(p["pagu"])
                row.tercatat_spse_paket += 1
                row.tercatat_spse_pagu += money(p["pagu"])
    lags: dict[str, list[int]] = defaultdict(list)
    for r in records:
        if not r.active:
            continue
        row = rows[r.opd]
        row.aktif += 1
        row.selesai += r.status == "selesai"  # SPSE has no Draft: pencatatan_draft stays 0
        # an imported payment was first recorded when its record was made in SPSE (tgl_buat_paket)
        recorded = jakarta_date(r.row["tgl_buat_paket"])
        for p in r.payments:
            row.realisasi += money(p["nilai_realisasi"])
            lag = (recorded - jakarta_date(p["tgl_realisasi"])).days
            row.lags.append(lag)
            lags[r.opd].append(lag)
            row.nov_des += recorded.month in (11, 12)
    flags = red_flags(records, lags, today)
    for opd, per_rule in flags.items():
        rows[opd].red_flags += per_rule.total()
    flags[""] = sum(flags.values(), Counter())
    names = {str(s["kd_satker"]): s["nama_satker"] for s in data["satker"]}
    table = {code: row.csv(code, names[code]) for code, row in rows.items()}
    kota = Row()
    for row in rows.values():
        kota.add(row)
    table[""] = kota.csv("", str(settings.NAMA_PEMDA))
    return table, flags


# --- the tests ---------------------------------------------------------------------------------


def test_lkpp_fixture_carries_every_trait_at_the_measured_rates():
    t = lkpp_synthetic.traits(lkpp_synthetic.generate())
    assert lkpp_synthetic.generate() == lkpp_synthetic.generate()  # deterministic
    nt, sw = t["nontender records"], t["swakelola records"]
    payments = t["nontender payments (unique)"] + t["swakelola payments (unique)"]
    assert nt >= 300 and sw >= 150
    same, earlier = t["nontender end before start: same day at midnight"], t["nontender end before start: earlier date"]
    assert same > 0 and t["nontender end before start: 30 days or more earlier"] > 0
    assert 0.54 <= (same + earlier) / nt <= 0.60
    assert 0.05 <= t["payments with empty no_realisasi"] / payments <= 0.07
    assert 0.009 <= t["payments with no_realisasi of 104-251 characters"] / payments <= 0.015
    assert t["longest no_realisasi"] == 251
    assert 0.86 <= t["swakelola tipe_swakelola empty"] / sw <= 0.90
    assert 0 < t["swakelola tipe_swakelola_nama empty"] < sw
    assert 0.045 <= t["nontender records with several RUP codes"] / nt <= 0.07
    assert t["swakelola records with several RUP codes"] > 0
    assert t["nontender-realisasi rows repeating a payment (one per extra RUP code)"] > 0
    assert t["swakelola-realisasi rows repeating a payment (one per extra RUP code)"] > 0
    rows = sum(t[f"rows {kind}"] for kind in ("rup-penyedia", "rup-swakelola", "nontender", "swakelola"))
    assert t["nip_ppk as a JSON number"] == rows
    assert t["tgl_buat_paket with Z (UTC)"] > 0 and t["tgl_buat_paket naive (local)"] > 0
    assert t["tgl_buat_paket with Z, next day in Jakarta"] > 0
    assert t["payments dated 20-31 December"] > 0 and t["payments dated 20-31 December, recorded before"] > 0
    assert t["nontender total_realisasi disagreeing with its payments"] > 0
    assert 0 < t["nontender records paid above pagu"] + t["swakelola records paid above pagu"] <= 15
    assert t["pagu with cents"] > 0
    assert t["npwp_penyedia 15 digits with dots"] > 0 and t["npwp_penyedia 16 digits"] > 0
    for jenis in ("Kuitansi", "Bukti Pembelian", "Surat Pesanan", "Surat Perintah Kerja", "Surat Perjanjian"):
        assert t[f"payments jenis_realisasi {jenis}"] > 0
    assert t["payments jenis_realisasi Dokumen Lainnya"] > 0
    for status in ("Paket Sedang Berjalan", "Paket Selesai", "Paket Dibatalkan"):
        assert t[f"nontender status {status}"] > 0 and t[f"swakelola status {status}"] > 0
    assert t["rup-penyedia not counting (not Terumumkan, not active or deleted)"] > 0
    assert t["rup-swakelola not counting (not Terumumkan, not active or deleted)"] > 0
    assert t["rup-penyedia with a tender/e-purchasing method"] > 0


def _import(kind: str, path: Path) -> tuple[int, int, int, int]:
    """`import_data KIND FILE`: (created, updated, unchanged, skipped); fails the test on any refusal."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_data", kind, str(path), stdout=out, stderr=err)
    except CommandError as exc:
        pytest.fail(f"import_data {kind} refused rows: {exc}\n{err.getvalue()[:4000]}")
    assert err.getvalue() == "", f"import_data {kind} reported: {err.getvalue()[:4000]}"
    match = SUMMARY.match(out.getvalue())
    assert match and match["kind"] == kind, out.getvalue()
    return tuple(int(n) for n in match.groups()[1:])


def _export(user) -> tuple[bytes, list[str], dict[str, dict[str, str]]]:
    response = client_for(user).get(reverse("dashboard"), {"tahun": TAHUN, "_export": "csv"})
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = lines[0]
    return response.content, header, {line[0]: dict(zip(header, line, strict=True)) for line in lines[1:]}


def test_lkpp_year_imports_as_published_and_the_dashboard_counts_it(tmp_path, pengawas):
    lkpp_synthetic.write(lkpp_synthetic.generate(), tmp_path)
    # what the test reads is what LKPP publishes: the JSON files, not the generator's objects
    data = {kind: json.loads((tmp_path / f"{kind}.json").read_text(encoding="utf-8")) for kind in ORDER}
    records = records_of(data)
    unique = {kind: sum(len(r.payments) for r in records if r.kind == kind) for kind in ("nontender", "swakelola")}
    expected_counts = {
        kind: (len(data[kind]), 0, 0, 0)
        for kind in ("satker", "rup-penyedia", "rup-swakelola", "nontender", "swakelola")
    }
    for kind in ("nontender", "swakelola"):
        rows = len(data[f"{kind}-realisasi"])
        expected_counts[f"{kind}-realisasi"] = (unique[kind], 0, 0, rows - unique[kind])

    counts = {kind: _import(kind, tmp_path / f"{kind}.json") for kind in ORDER}
    assert counts == expected_counts

    # what SPSE published against an entry rule is kept as published, each with its catatan data (§4)
    expected_notes: Counter[tuple[str, str]] = Counter()
    for r in records:
        mulai, selesai = r.row["tgl_mulai_paket"], r.row["tgl_selesai_paket"]
        if mulai and selesai and jakarta_date(selesai) < jakarta_date(mulai):  # as dates: same day is not odd
            expected_notes["selesai_sebelum_mulai", "tgl_selesai_paket"] += 1
        if r.kind == "swakelola" and not r.row["tipe_swakelola"] and not r.row.get("tipe_swakelola_nama"):
            expected_notes["wajib_kosong", "tipe_swakelola"] += 1
        expected_notes["wajib_kosong", "no_realisasi"] += sum(not p["no_realisasi"] for p in r.payments)
    assert Counter(CatatanData.objects.values_list("aturan", "kolom")) == +expected_notes

    content, header, exported = _export(pengawas)
    # DESIGN §5's columns in its order; at least the fourteen pengadaan.dashboards.COLUMNS has now
    assert header in (list(SECTION_5[:14]), list(SECTION_5))
    assert list(exported)[-1] == ""  # the city row last
    today = dt.datetime.now(JAKARTA).date()
    expected, flags = expected_table(data, today)
    assert sorted(exported) == sorted(expected)
    mismatches = [
        f"{code or 'kota'} {column}: expected {expected[code][column]!r}, got {exported[code][column]!r}"
        + (f" (expected per rule {dict(sorted(flags[code].items()))})" if column == "red_flags" else "")
        for code in expected
        for column in header
        if exported[code][column] != expected[code][column]
    ]
    assert mismatches == []

    # importing every file again changes nothing
    for kind in ORDER:
        created, updated, _unchanged, _skipped = _import(kind, tmp_path / f"{kind}.json")
        assert (kind, created, updated) == (kind, 0, 0)
    assert _export(pengawas)[0] == content
