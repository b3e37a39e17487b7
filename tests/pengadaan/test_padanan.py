"""Acceptance test of the reconciliation with SPSE (DESIGN §12, issue 13).

A person of one OPD records some packages and payments in the app first (through the services, as
the OPD would); then the synthetic LKPP year (tests.fixtures.lkpp_synthetic) of that OPD is imported
through `pipeline.run`, parents before children. The records the test works with are picked from the
generated data by rule (see `_pick`), and every expected value is worked out here from LKPP's JSON
with plain Python, never by the code under test:

- A: the app's record links the same RUP package with the same pagu: one record, SPSE's code;
  one of its payments was entered in both places (the app's without a number, with a proof file);
- B: the app's pagu is 5% above SPSE's: still one record (the tolerance is 10%);
- SW: a swakelola record that matches exactly;
- C: the app's pagu is 20% above SPSE's: SPSE's record is stored beside it, the pair listed
  (`pagu_berbeda`);
- D: two records in the app for one package: SPSE's record stored, two pairs listed (`dua_calon`);
- E: a package recorded only in the app: nothing happens to it.

Then `padanan.konfirmasi` and `padanan.tolak` on the listed pairs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opd.models import Opd, Peran
from pengadaan import selectors, services
from pengadaan.imports import padanan, pipeline
from pengadaan.models import (
    CatatanData,
    JenisPencatatan,
    JenisRealisasi,
    PadananSpse,
    PaketRup,
    Pencatatan,
    Realisasi,
    Status,
    Sumber,
)
from tests.factories import PDF_BYTES, UserFactory
from tests.fixtures import lkpp_synthetic

TAHUN = lkpp_synthetic.TAHUN
JAKARTA = ZoneInfo("Asia/Jakarta")
CENT = Decimal("0.01")
OPD_INDEX = 1  # the fixture's second OPD (Dinas Kesehatan): all its kinds of records, and packages nobody recorded
PARENTS = ("satker", "rup-penyedia", "rup-swakelola")
CHILDREN = tuple(kind for kind in lkpp_synthetic.KINDS if kind not in PARENTS)
KEY = {"nontender": "kd_nontender_pct", "swakelola": "kd_swakelola_pct"}
# SPSE's wording of the proof kind → ours (pengadaan.choices.JenisRealisasi)
JENIS_REALISASI = {
    "Kuitansi": JenisRealisasi.KUITANSI,
    "Bukti Pembelian": JenisRealisasi.BUKTI_PEMBELIAN,
    "Surat Pesanan": JenisRealisasi.SURAT_PESANAN,
    "Surat Perintah Kerja": JenisRealisasi.SPK,
    "Surat Perjanjian": JenisRealisasi.SURAT_PERJANJIAN,
    "Dokumen Lainnya": JenisRealisasi.LAINNYA,
}
STATUS = {
    ("Aktif", "Paket Sedang Berjalan"): Status.BERJALAN,
    ("Aktif", "Paket Selesai"): Status.SELESAI,
    ("Ditutup", "Paket Dibatalkan"): Status.BATAL,
}
NON_TENDER_METHODS = {"pengadaan langsung", "penunjukan langsung", "dikecualikan", "pengecualian", "darurat"}
MATCH_REASON = "Dicocokkan dengan SPSE: nilai SPSE dipakai"


# --- reading LKPP's JSON as published ----------------------------------------------------------


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def jakarta_date(text: str) -> dt.date:
    """DESIGN §8: a timestamp with Z is converted to Asia/Jakarta before its date is taken."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(JAKARTA)
    return moment.date()


def off(row: dict, factor: str) -> Decimal:
    """A pagu `factor` times SPSE's, as a person types it (whole cents)."""
    return (money(row["pagu"]) * Decimal(factor)).quantize(CENT)


def codes(row: dict) -> list[int]:
    return [int(c) for c in (row["kd_rup"] or "").split(";") if c.strip()]


def unique_payments(data: dict, kind: str, key: int) -> list[dict]:
    """The payments of one record, once each (LKPP repeats them per RUP code, DESIGN §8)."""
    seen, out = set(), []
    for p in data[f"{kind}-realisasi"]:
        if p[KEY[kind]] != key:
            continue
        identity = (p["no_realisasi"] or "", p["tgl_realisasi"], money(p["nilai_realisasi"]), p["jenis_realisasi"])
        if identity not in seen:
            seen.add(identity)
            out.append(p)
    return out


def opd_data() -> dict[str, list[dict]]:
    """The fixture's year, only the rows of one OPD (every satker row stays): rows exactly as generated."""
    data = lkpp_synthetic.generate()
    opd = data["satker"][OPD_INDEX]["kd_satker_str"]
    out = {"satker": data["satker"]}
    for kind in ("rup-penyedia", "rup-swakelola", "nontender", "swakelola"):
        out[kind] = [row for row in data[kind] if row["kd_satker_str"] == opd]
    for kind in ("nontender", "swakelola"):
        keys = {row[KEY[kind]] for row in out[kind]}
        out[f"{kind}-realisasi"] = [row for row in data[f"{kind}-realisasi"] if row[KEY[kind]] in keys]
    return out


def _pick(data: dict) -> SimpleNamespace:
    """The SPSE records the test pairs with the app's, by rule: in the OPD's records of a kind, in LKPP's
    order, those not cancelled, with exactly one RUP code that is in the RUP file and that no other
    record links, and with at least one payment. The first of those with a numbered first payment is A;
    then B, C and D in order; SW the first swakelola one; E the OPD's first counting non-tender penyedia
    package that no SPSE record links."""
    rup = {p["kd_rup"]: p for p in data["rup-penyedia"] + data["rup-swakelola"]}
    picked = {}
    for kind in ("nontender", "swakelola"):
        used = Counter(c for row in data[kind] for c in codes(row))
        picked[kind] = [
            row
            for row in data[kind]
            if len(codes(row)) == 1
            and codes(row)[0] in rup
            and used[codes(row)[0]] == 1
            and STATUS[(row[f"status_{kind}_pct"], row[f"status_{kind}_pct_ket"])] != Status.BATAL
            and unique_payments(data, kind, row[KEY[kind]])
        ]
    nontender = picked["nontender"]
    a = next(r for r in nontender if unique_payments(data, "nontender", r["kd_nontender_pct"])[0]["no_realisasi"])
    b, c, d = [r for r in nontender if r is not a][:3]
    linked = {c for kind in ("nontender", "swakelola") for row in data[kind] for c in codes(row)}
    e = next(
        p
        for p in data["rup-penyedia"]
        if p["kd_rup"] not in linked
        and p["status_umumkan_rup"] == "Terumumkan"
        and p["status_aktif_rup"] is True
        and p["status_delete_rup"] is False
        and p["metode_pengadaan"].lower() in NON_TENDER_METHODS
    )
    return SimpleNamespace(a=a, b=b, c=c, d=d, sw=picked["swakelola"][0], e=e, rup=rup)


# --- the world: the OPD's packages imported, then what its people entered in the app -----------------


@dataclass
class World:
    tmp: Path
    data: dict
    pick: SimpleNamespace
    opd: Opd
    operator: object
    lokal: dict  # name → the app's Pencatatan
    payment_a: Realisasi  # entered in the app and published by SPSE
    payments_c: list[Realisasi]  # C's: one also in SPSE, one only in the app
    today: dt.date


def _run(world_or_tmp, kind: str, user) -> pipeline.Outcome:
    tmp = world_or_tmp.tmp if isinstance(world_or_tmp, World) else world_or_tmp
    path = tmp / f"{kind}.json"
    outcome = pipeline.run(kind, path.read_bytes(), path.name, user=user)
    assert outcome.errors == [], outcome.errors[:5]
    assert outcome.written is True
    return outcome


def _local(operator, opd, spse_row: dict | None, kind: str, *, pagu: Decimal, paket_code: int) -> Pencatatan:
    """A record a person of the OPD enters in the app, linking the same RUP package, without an SPSE code."""
    paket = PaketRup.objects.get(kd_rup=paket_code, tahun_anggaran=TAHUN)
    data = {"nama_paket": paket.nama_paket, "pagu": pagu}
    if kind == "nontender":
        data["mtd_pemilihan"] = spse_row["mtd_pemilihan"] if spse_row else paket.metode_pengadaan
        data["kategori_pengadaan"] = paket.jenis_pengadaan
    else:
        data["tipe_swakelola"] = 1
    return services.pencatatan_create(
        user=operator,
        opd=opd,
        jenis=JenisPencatatan.NON_TENDER if kind == "nontender" else JenisPencatatan.SWAKELOLA,
        tahun_anggaran=TAHUN,
        data=data,
        paket=[paket],
    )


def _as_entered(spse_payment: dict) -> dict:
    """SPSE's payment as a person enters it in the app: same date, amount and kind, no number."""
    return {
        "jenis_realisasi": JENIS_REALISASI[spse_payment["jenis_realisasi"]],
        "tgl_realisasi": jakarta_date(spse_payment["tgl_realisasi"]),
        "nilai_realisasi": money(spse_payment["nilai_realisasi"]),
    }


@pytest.fixture
def world(tmp_path, admin) -> World:
    data = opd_data()
    lkpp_synthetic.write(data, tmp_path)
    # what the test reads is what LKPP publishes: the JSON files
    data = {kind: json.loads((tmp_path / f"{kind}.json").read_text(encoding="utf-8")) for kind in data}
    pick = _pick(data)
    for kind in PARENTS:
        _run(tmp_path, kind, admin)
    opd = Opd.objects.get(kd_satker_str=data["satker"][OPD_INDEX]["kd_satker_str"])
    operator = UserFactory(username="operator_dinkes", peran=Peran.OPERATOR, opd=opd)
    p = pick
    lokal = {
        "a": _local(operator, opd, p.a, "nontender", pagu=money(p.a["pagu"]), paket_code=codes(p.a)[0]),
        "b": _local(operator, opd, p.b, "nontender", pagu=off(p.b, "1.05"), paket_code=codes(p.b)[0]),
        "c": _local(operator, opd, p.c, "nontender", pagu=off(p.c, "1.20"), paket_code=codes(p.c)[0]),
        "d1": _local(operator, opd, p.d, "nontender", pagu=money(p.d["pagu"]), paket_code=codes(p.d)[0]),
        "d2": _local(operator, opd, p.d, "nontender", pagu=money(p.d["pagu"]), paket_code=codes(p.d)[0]),
        "sw": _local(operator, opd, p.sw, "swakelola", pagu=money(p.sw["pagu"]), paket_code=codes(p.sw)[0]),
        "e": _local(operator, opd, None, "nontender", pagu=money(p.e["pagu"]), paket_code=p.e["kd_rup"]),
    }
    payment_a = services.realisasi_add(
        user=operator,
        pencatatan=lokal["a"],
        data=_as_entered(unique_payments(data, "nontender", p.a["kd_nontender_pct"])[0]),
    )
    services.bukti_add(
        user=operator,
        realisasi=payment_a,
        upload=SimpleUploadedFile("kuitansi-a.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    payments_c = [
        services.realisasi_add(
            user=operator,
            pencatatan=lokal["c"],
            data=_as_entered(unique_payments(data, "nontender", p.c["kd_nontender_pct"])[0]),
        ),
        services.realisasi_add(
            user=operator,
            pencatatan=lokal["c"],
            data={
                "jenis_realisasi": JenisRealisasi.KUITANSI,
                "no_realisasi": "KW/001/DINKES/X/2025",
                "tgl_realisasi": dt.date(2025, 10, 1),
                "nilai_realisasi": Decimal("1000000.00"),
            },
        ),
    ]
    services.bukti_add(
        user=operator,
        realisasi=payments_c[0],
        upload=SimpleUploadedFile("nota-c.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    return World(tmp_path, data, pick, opd, operator, lokal, payment_a, payments_c, timezone.localdate())


def _import_children(world: World, user) -> dict[str, pipeline.Outcome]:
    return {kind: _run(world, kind, user) for kind in CHILDREN}


@pytest.fixture
def imported(world, admin) -> dict[str, pipeline.Outcome]:
    return _import_children(world, admin)


def _history_rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count() for model in apps.get_models() if model.__name__.startswith("Historical")
    }


def _record(world: World, name: str) -> Pencatatan:
    return Pencatatan.objects.get(pk=world.lokal[name].pk)


def _spse_copy(world: World, row: dict, kind: str = "nontender") -> Pencatatan:
    return Pencatatan.objects.get(**{KEY[kind]: row[KEY[kind]]})


def _payments(record: Pencatatan) -> list[tuple]:
    return sorted(
        (p.tgl_realisasi, p.nilai_realisasi, p.jenis_realisasi, p.no_realisasi, p.sumber, p.di_spse)
        for p in Realisasi.objects.filter(pencatatan=record)
    )


def _spse_payments(data: dict, row: dict, kind: str = "nontender") -> list[tuple]:
    """SPSE's payments of `row` as the import stores them (published by SPSE, loaded from its file)."""
    return sorted(
        (
            jakarta_date(p["tgl_realisasi"]),
            money(p["nilai_realisasi"]),
            JENIS_REALISASI[p["jenis_realisasi"]],
            p["no_realisasi"] or "",
            Sumber.IMPOR,
            True,
        )
        for p in unique_payments(data, kind, row[KEY[kind]])
    )


def _noted(data: dict, kind: str) -> int:
    """Rows that carry a catatan data: the only traits of the fixture the import notes (test_lkpp_fixture)."""
    if kind.endswith("-realisasi"):  # a repeated payment (one row per RUP code) is noted once
        parent = kind.removesuffix("-realisasi")
        return sum(
            not p["no_realisasi"] for row in data[parent] for p in unique_payments(data, parent, row[KEY[parent]])
        )
    n = 0
    for row in data[kind]:
        mulai, selesai = row["tgl_mulai_paket"], row["tgl_selesai_paket"]
        odd = bool(mulai and selesai and jakarta_date(selesai) < jakarta_date(mulai))
        if kind == "swakelola":
            odd = odd or (not row["tipe_swakelola"] and not row.get("tipe_swakelola_nama"))
        n += odd
    return n


# --- the import --------------------------------------------------------------------------------


def test_import_gives_local_records_their_spse_code_when_the_match_is_certain(world, imported):
    p = world.pick
    for name, row, kind in (("a", p.a, "nontender"), ("b", p.b, "nontender"), ("sw", p.sw, "swakelola")):
        record = _record(world, name)
        assert getattr(record, KEY[kind]) == row[KEY[kind]]
        assert record.sumber == Sumber.APLIKASI
        # SPSE's values win for SPSE's fields
        assert record.pagu == money(row["pagu"])
        assert record.nama_paket == row["nama_paket"]
        assert record.status == STATUS[(row[f"status_{kind}_pct"], row[f"status_{kind}_pct_ket"])]
        assert record.tgl_buat_paket == jakarta_date(row["tgl_buat_paket"])
        assert record.nip_ppk == str(row["nip_ppk"])
        assert record.kd_rup == str(codes(row)[0])
        assert record.nilai_spse == {
            "pagu": str(money(row["pagu"])),
            "status": record.status,
            "nip_ppk": str(row["nip_ppk"]),
            "nama_ppk": row["nama_ppk"],
        }
        assert list(record.paket_rup.values_list("kd_rup", flat=True)) == codes(row)
        # one record for the package: SPSE's was not stored a second time
        assert Pencatatan.objects.filter(paket_rup__kd_rup=codes(row)[0]).count() == 1
        assert PadananSpse.objects.filter(lokal=record).count() == 0
    # the package recorded only in the app stays as the person entered it
    e = _record(world, "e")
    assert (e.kd_nontender_pct, e.sumber, e.status, e.pagu) == (None, Sumber.APLIKASI, Status.DRAFT, money(p.e["pagu"]))
    assert PadananSpse.objects.filter(lokal=e).count() == 0
    assert list(Pencatatan.objects.filter(opd=world.opd).missing_from_spse().order_by("pk")) == [
        world.lokal["c"],
        world.lokal["d1"],
        world.lokal["d2"],
        world.lokal["e"],
    ]
    # every SPSE record of the OPD is one record here: created, or the app's record it is
    nontender, swakelola = world.data["nontender"], world.data["swakelola"]
    assert Pencatatan.objects.filter(opd=world.opd).in_spse().count() == len(nontender) + len(swakelola)
    assert Pencatatan.objects.filter(opd=world.opd).count() == len(nontender) + len(swakelola) + 4


def test_import_lists_uncertain_pairs_and_keeps_spse_record_as_published(world, imported):
    p = world.pick
    c_copy, d_copy = _spse_copy(world, p.c), _spse_copy(world, p.d)
    pairs = [
        (x.lokal_id, x.spse_id, x.kode_spse, x.alasan, x.status, x.diputuskan_oleh_id, x.diputuskan_pada)
        for x in PadananSpse.objects.order_by("lokal_id", "kode_spse")
    ]
    assert pairs == [
        (world.lokal["c"].pk, c_copy.pk, p.c["kd_nontender_pct"], "pagu_berbeda", "menunggu", None, None),
        (world.lokal["d1"].pk, d_copy.pk, p.d["kd_nontender_pct"], "dua_calon", "menunggu", None, None),
        (world.lokal["d2"].pk, d_copy.pk, p.d["kd_nontender_pct"], "dua_calon", "menunggu", None, None),
    ]
    for copy, row, local_names in ((c_copy, p.c, ["c"]), (d_copy, p.d, ["d1", "d2"])):
        # SPSE's record as published, beside the app's
        assert copy.sumber == Sumber.IMPOR
        assert copy.pagu == money(row["pagu"])
        assert copy.nama_paket == row["nama_paket"]
        assert copy.status == STATUS[(row["status_nontender_pct"], row["status_nontender_pct_ket"])]
        assert copy.tgl_buat_paket == jakarta_date(row["tgl_buat_paket"])
        assert list(copy.paket_rup.values_list("kd_rup", flat=True)) == codes(row)
        assert _payments(copy) == _spse_payments(world.data, row)
        # the app's records untouched
        for name in local_names:
            local = _record(world, name)
            assert (local.kd_nontender_pct, local.sumber, local.status, local.versi) == (
                None,
                Sumber.APLIKASI,
                Status.DRAFT,
                1,
            )
    assert _record(world, "c").pagu == off(p.c, "1.20")
    # C's payments stay the app's: the one also in SPSE is on SPSE's copy, not yet known to be the same
    c_entered = _as_entered(unique_payments(world.data, "nontender", p.c["kd_nontender_pct"])[0])
    assert _payments(_record(world, "c")) == [
        (c_entered["tgl_realisasi"], c_entered["nilai_realisasi"], c_entered["jenis_realisasi"], "", "aplikasi", False),
        (
            dt.date(2025, 10, 1),
            Decimal("1000000.00"),
            JenisRealisasi.KUITANSI,
            "KW/001/DINKES/X/2025",
            "aplikasi",
            False,
        ),
    ]


def test_import_counts_a_payment_entered_in_both_places_once(world, imported):
    p = world.pick
    record = _record(world, "a")
    spse = unique_payments(world.data, "nontender", p.a["kd_nontender_pct"])
    first, others = spse[0], spse[1:]
    assert Realisasi.objects.filter(pencatatan=record).count() == len(spse)
    payment = Realisasi.objects.get(pk=world.payment_a.pk)
    assert payment.pencatatan_id == record.pk
    assert (payment.tgl_realisasi, payment.nilai_realisasi, payment.jenis_realisasi) == (
        jakarta_date(first["tgl_realisasi"]),
        money(first["nilai_realisasi"]),
        JENIS_REALISASI[first["jenis_realisasi"]],
    )
    assert payment.no_realisasi == first["no_realisasi"]  # the app had none: SPSE's number
    assert (payment.sumber, payment.di_spse) == (Sumber.APLIKASI, True)
    # first recorded at the earlier of the app's entry (today) and SPSE's record (tgl_buat_paket)
    assert payment.tgl_dicatat == min(world.today, jakarta_date(p.a["tgl_buat_paket"]))
    assert payment.tgl_dicatat == jakarta_date(p.a["tgl_buat_paket"])
    assert list(payment.bukti.values_list("nama_asli", flat=True)) == ["kuitansi-a.pdf"]
    # SPSE's other payments of the record are loaded as SPSE's
    assert _payments(record) == sorted(
        [
            (
                payment.tgl_realisasi,
                payment.nilai_realisasi,
                payment.jenis_realisasi,
                first["no_realisasi"],
                Sumber.APLIKASI,
                True,
            ),
            *(
                (
                    jakarta_date(o["tgl_realisasi"]),
                    money(o["nilai_realisasi"]),
                    JENIS_REALISASI[o["jenis_realisasi"]],
                    o["no_realisasi"] or "",
                    Sumber.IMPOR,
                    True,
                )
                for o in others
            ),
        ]
    )
    # its history: the app's entry, then SPSE's number and date
    history = list(payment.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert (history[0].no_realisasi, history[0].di_spse, history[0].tgl_dicatat) == ("", False, world.today)
    assert (history[1].no_realisasi, history[1].di_spse) == (first["no_realisasi"], True)


def test_import_history_shows_app_values_then_spse_values(world, imported):
    p = world.pick
    for name, row in (("a", p.a), ("b", p.b)):
        record = _record(world, name)
        history = list(record.history.order_by("history_date", "history_id"))
        assert [h.history_type for h in history] == ["+", "~"]
        before, after = history
        assert before.history_user_id == world.operator.pk
        assert (before.kd_nontender_pct, before.status, before.sumber) == (None, Status.DRAFT, Sumber.APLIKASI)
        assert (after.kd_nontender_pct, after.pagu, after.sumber) == (
            row["kd_nontender_pct"],
            money(row["pagu"]),
            "aplikasi",
        )
        assert after.history_change_reason == MATCH_REASON
    b = _record(world, "b")
    before, after = b.history.order_by("history_date", "history_id")
    assert (before.pagu, after.pagu) == (off(p.b, "1.05"), money(p.b["pagu"]))
    # the record's timeline shows it: app value → SPSE value
    entry = next(e for e in selectors.pencatatan_history(b) if e.objek == "Pencatatan" and e.aksi == "diubah")
    assert entry.alasan == MATCH_REASON
    assert ("pagu", off(p.b, "1.05"), money(p.b["pagu"])) in entry.perubahan
    assert ("status", "Draft", "Selesai") in entry.perubahan


def test_import_outcome_counts_matched_and_to_confirm(world, imported):
    data = world.data
    rows = {kind: len(data[kind]) for kind in CHILDREN}
    unique = {
        kind: sum(len(unique_payments(data, kind, row[KEY[kind]])) for row in data[kind])
        for kind in ("nontender", "swakelola")
    }
    expected = {
        # A and B matched (updated), C and D stored beside the app's records (created, to confirm)
        "nontender": (rows["nontender"], rows["nontender"] - 2, 2, 0, 0, 2, 2),
        # A's first payment was the app's
        "nontender-realisasi": (
            rows["nontender-realisasi"],
            unique["nontender"] - 1,
            1,
            0,
            rows["nontender-realisasi"] - unique["nontender"],
            1,
            0,
        ),
        "swakelola": (rows["swakelola"], rows["swakelola"] - 1, 1, 0, 0, 1, 0),
        "swakelola-realisasi": (
            rows["swakelola-realisasi"],
            unique["swakelola"],
            0,
            0,
            rows["swakelola-realisasi"] - unique["swakelola"],
            0,
            0,
        ),
    }
    got = {
        kind: (o.total, o.created, o.updated, o.unchanged, o.skipped, o.matched, o.to_confirm)
        for kind, o in imported.items()
    }
    assert got == expected
    noted = {kind: _noted(data, kind) for kind in CHILDREN}
    assert imported["nontender"].summary() == (
        f"nontender: dibuat {rows['nontender'] - 2}, diperbarui 2, tidak berubah 0, dilewati 0; "
        "2 cocok dengan catatan aplikasi, 2 perlu dikonfirmasi; "
        f"{rows['nontender']} baris; {noted['nontender']} dengan catatan data, disimpan sebagaimana diterbitkan SPSE"
    )
    assert imported["nontender-realisasi"].summary() == (
        f"nontender-realisasi: dibuat {unique['nontender'] - 1}, diperbarui 1, tidak berubah 0, "
        f"dilewati {rows['nontender-realisasi'] - unique['nontender']}; "
        "1 cocok dengan catatan aplikasi, 0 perlu dikonfirmasi; "
        f"{rows['nontender-realisasi']} baris; {noted['nontender-realisasi']} dengan catatan data, "
        "disimpan sebagaimana diterbitkan SPSE"
    )
    assert imported["swakelola"].padanan_summary() == "1 cocok dengan catatan aplikasi, 0 perlu dikonfirmasi"
    assert imported["swakelola-realisasi"].summary() == (
        f"swakelola-realisasi: dibuat {unique['swakelola']}, diperbarui 0, tidak berubah 0, "
        f"dilewati {rows['swakelola-realisasi'] - unique['swakelola']}; "
        f"{rows['swakelola-realisasi']} baris; {noted['swakelola-realisasi']} dengan catatan data, "
        "disimpan sebagaimana diterbitkan SPSE"
    )
    assert imported["nontender"].as_dict()["cocok"] == 2
    assert imported["nontender"].as_dict()["perlu_konfirmasi"] == 2


def test_second_import_of_the_same_files_changes_nothing(world, imported, admin):
    history, pairs = _history_rows(), list(PadananSpse.objects.values_list("pk", "status"))
    notes = CatatanData.objects.count()
    again = _import_children(world, admin)
    assert {kind: (o.created, o.updated, o.matched, o.to_confirm) for kind, o in again.items()} == {
        kind: (0, 0, 0, 0) for kind in CHILDREN
    }
    assert _history_rows() == history
    assert list(PadananSpse.objects.values_list("pk", "status")) == pairs
    assert CatatanData.objects.count() == notes
    assert Realisasi.objects.get(pk=world.payment_a.pk).tgl_dicatat == jakarta_date(world.pick.a["tgl_buat_paket"])


# --- the OPD decides -----------------------------------------------------------------------------


def test_konfirmasi_makes_one_record_with_spse_values_and_both_payments(world, imported, admin):
    p = world.pick
    pair = PadananSpse.objects.get(lokal=world.lokal["c"])
    copy = _spse_copy(world, p.c)
    spse_payments = unique_payments(world.data, "nontender", p.c["kd_nontender_pct"])
    assert len(spse_payments) == 1  # the one the person entered too (see `world`)
    before = timezone.now()

    record = padanan.konfirmasi(user=world.operator, padanan=pair)

    record = Pencatatan.objects.get(pk=record.pk)
    assert record.pk == world.lokal["c"].pk
    assert record.kd_nontender_pct == p.c["kd_nontender_pct"]
    assert (record.pagu, record.nama_paket, record.status, record.tgl_buat_paket, record.sumber) == (
        money(p.c["pagu"]),
        p.c["nama_paket"],
        STATUS[(p.c["status_nontender_pct"], p.c["status_nontender_pct_ket"])],
        jakarta_date(p.c["tgl_buat_paket"]),
        Sumber.APLIKASI,
    )
    assert list(record.paket_rup.values_list("kd_rup", flat=True)) == codes(p.c)
    assert not Pencatatan.objects.filter(pk=copy.pk).exists()
    assert Pencatatan.objects.filter(paket_rup__kd_rup=codes(p.c)[0]).count() == 1
    # the payment in both places counted once (the app's, with SPSE's number and its proof), the other kept
    shared = spse_payments[0]
    assert _payments(record) == sorted(
        [
            (
                jakarta_date(shared["tgl_realisasi"]),
                money(shared["nilai_realisasi"]),
                JENIS_REALISASI[shared["jenis_realisasi"]],
                shared["no_realisasi"],
                Sumber.APLIKASI,
                True,
            ),
            (
                dt.date(2025, 10, 1),
                Decimal("1000000.00"),
                JenisRealisasi.KUITANSI,
                "KW/001/DINKES/X/2025",
                "aplikasi",
                False,
            ),
        ]
    )
    mine = Realisasi.objects.get(pk=world.payments_c[0].pk)
    assert mine.tgl_dicatat == jakarta_date(p.c["tgl_buat_paket"])  # earlier than the app's entry, today
    assert list(mine.bukti.values_list("nama_asli", flat=True)) == ["nota-c.pdf"]
    assert Realisasi.objects.get(pk=world.payments_c[1].pk).tgl_dicatat == world.today
    # the pair decided, by whom and when
    pair = PadananSpse.objects.get(pk=pair.pk)
    assert (pair.status, pair.diputuskan_oleh_id, pair.spse_id, pair.kode_spse) == (
        "dikonfirmasi",
        world.operator.pk,
        None,
        p.c["kd_nontender_pct"],
    )
    assert before <= pair.diputuskan_pada <= timezone.now()
    # its history: the app's values, then SPSE's
    history = list(record.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[0].pagu == off(p.c, "1.20")
    assert history[1].pagu == money(p.c["pagu"])
    assert history[1].history_user_id == world.operator.pk
    assert history[1].history_change_reason == (
        f"Dicocokkan dengan pencatatan SPSE {p.c['kd_nontender_pct']}: nilai SPSE dipakai"
    )
    # the other pairs still wait
    assert sorted(PadananSpse.objects.exclude(pk=pair.pk).values_list("alasan", "status")) == [
        ("dua_calon", "menunggu"),
        ("dua_calon", "menunggu"),
    ]
    # importing the same files again: nothing changes, nothing is listed again
    history_rows = _history_rows()
    again = _import_children(world, admin)
    assert {kind: (o.created, o.updated, o.to_confirm) for kind, o in again.items()} == {
        kind: (0, 0, 0) for kind in CHILDREN
    }
    assert _history_rows() == history_rows
    assert PadananSpse.objects.count() == 3


def test_konfirmasi_of_one_candidate_rejects_the_other_pending_pair(world, imported, admin):
    p = world.pick
    first, second = PadananSpse.objects.filter(alasan="dua_calon").order_by("lokal_id")
    copy = _spse_copy(world, p.d)

    padanan.konfirmasi(user=admin, padanan=first)

    d1, d2 = _record(world, "d1"), _record(world, "d2")
    assert d1.kd_nontender_pct == p.d["kd_nontender_pct"]
    assert (d2.kd_nontender_pct, d2.status, d2.pagu) == (None, Status.DRAFT, money(p.d["pagu"]))
    assert not Pencatatan.objects.filter(pk=copy.pk).exists()
    assert _payments(d1) == _spse_payments(world.data, p.d)  # the app had none: SPSE's moved to it
    assert _payments(d2) == []
    decided = {x.pk: (x.status, x.diputuskan_oleh_id) for x in PadananSpse.objects.all()}
    assert decided[first.pk] == ("dikonfirmasi", admin.pk)
    assert decided[second.pk] == ("ditolak", admin.pk)
    assert PadananSpse.objects.get(pk=second.pk).diputuskan_pada is not None
    # C's pair is another package's: untouched
    assert PadananSpse.objects.get(lokal=world.lokal["c"]).status == "menunggu"
    assert list(Pencatatan.objects.filter(opd=world.opd).missing_from_spse().order_by("pk")) == [
        world.lokal["c"],
        world.lokal["d2"],
        world.lokal["e"],
    ]


def test_tolak_keeps_both_records_and_a_reimport_does_not_list_them_again(world, imported, admin):
    p = world.pick
    pair = PadananSpse.objects.get(lokal=world.lokal["c"])
    copy = _spse_copy(world, p.c)

    padanan.tolak(user=world.operator, padanan=pair)

    pair = PadananSpse.objects.get(pk=pair.pk)
    assert (pair.status, pair.diputuskan_oleh_id, pair.spse_id) == ("ditolak", world.operator.pk, copy.pk)
    assert pair.diputuskan_pada is not None
    assert [h.history_type for h in pair.history.order_by("history_date", "history_id")] == ["+", "~"]
    local = _record(world, "c")
    assert (local.kd_nontender_pct, local.pagu, local.status) == (
        None,
        off(p.c, "1.20"),
        Status.DRAFT,
    )
    assert _spse_copy(world, p.c).pk == copy.pk
    assert len(_payments(local)) == 2 and _payments(copy) == _spse_payments(world.data, p.c)

    again = _import_children(world, admin)
    assert {kind: (o.created, o.updated, o.to_confirm) for kind, o in again.items()} == {
        kind: (0, 0, 0) for kind in CHILDREN
    }
    assert sorted(PadananSpse.objects.values_list("lokal_id", "status")) == [
        (world.lokal["c"].pk, "ditolak"),
        (world.lokal["d1"].pk, "menunggu"),
        (world.lokal["d2"].pk, "menunggu"),
    ]
    assert _record(world, "c").kd_nontender_pct is None


def test_only_the_opd_may_decide_a_pair(world, imported, pengawas):
    other_opd = Opd.objects.get(kd_satker_str=world.data["satker"][0]["kd_satker_str"])
    operator_other = UserFactory(username="operator_lain", peran=Peran.OPERATOR, opd=other_opd)
    pair = PadananSpse.objects.get(lokal=world.lokal["c"])
    for user in (operator_other, pengawas):
        with pytest.raises(PermissionDenied):
            padanan.konfirmasi(user=user, padanan=pair)
        with pytest.raises(PermissionDenied):
            padanan.tolak(user=user, padanan=pair)
    pair = PadananSpse.objects.get(pk=pair.pk)
    assert (pair.status, pair.diputuskan_oleh_id) == ("menunggu", None)
    assert _record(world, "c").kd_nontender_pct is None
    assert _spse_copy(world, world.pick.c).sumber == Sumber.IMPOR


def test_a_decided_pair_cannot_be_decided_again(world, imported):
    confirmed = PadananSpse.objects.get(lokal=world.lokal["c"])
    padanan.konfirmasi(user=world.operator, padanan=confirmed)
    rejected = PadananSpse.objects.filter(alasan="dua_calon").order_by("lokal_id").first()
    padanan.tolak(user=world.operator, padanan=rejected)
    for pair in (confirmed, rejected):
        for decide in (padanan.konfirmasi, padanan.tolak):
            with pytest.raises(ValidationError):
                decide(user=world.operator, padanan=pair)
    assert sorted(PadananSpse.objects.values_list("status", flat=True)) == ["dikonfirmasi", "ditolak", "menunggu"]
