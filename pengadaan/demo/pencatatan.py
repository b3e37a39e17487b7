"""The records (pencatatan) generator: which RUP packages an OPD records, when, and in what state.

It follows what Kota Tangerang OPDs really do: late recording with a year-end pile-up, a
recording rate that differs per OPD, a few records linking two packages, and a few cancelled
ones (some because they were entered twice).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

from opd.models import Opd, Peran
from pengadaan.demo.pagu import BATAS_PL, JUTA, PL
from pengadaan.demo.pejabat import pengguna_opd
from pengadaan.demo.realisasi import pembayaran_plan
from pengadaan.demo.rencana import DemoPlan, PencatatanPlan
from pengadaan.models import (
    NON_TENDER_METHODS,
    BuktiPembayaran,
    JenisPencatatan,
    PaketRup,
    Pencatatan,
    Status,
    TipePaket,
)
from pengadaan.models.pencatatan import Sumber, gabung_kd_rup

ALASAN_BATAL = (
    "Kegiatan ditiadakan",
    "Refocusing anggaran",
    "Salah memilih paket RUP",
    "Penyedia mengundurkan diri sebelum kontrak ditandatangani",
)
ALASAN_GANDA = "Paket tercatat ganda (double input)"


def pencatatan_opd_plan(plan: DemoPlan, opd: Opd, tahun: int, paket: list[PaketRup]) -> None:
    """Record most of the OPD's non-tender and swakelola packages of `tahun`, some in pairs, with payments."""
    rng = plan.rng
    layak = [
        p
        for p in paket
        if p.status_aktif_rup
        and not p.status_delete_rup
        and (p.tipe_paket == TipePaket.SWAKELOLA or p.metode_pengadaan.lower() in NON_TENDER_METHODS)
    ]
    layak.sort(key=lambda p: (p.tgl_awal_pemilihan, p.kd_rup))
    dipakai: set[int] = set()
    for p in layak:
        if p.kd_rup in dipakai:
            continue
        laju = plan.profil[opd.pk].laju
        if tahun == plan.tahun_ini:
            # Packages that started recently are less often recorded yet.
            laju *= 0.5 if (plan.today - p.tgl_awal_pemilihan).days < 60 else 0.95
        if rng.random() >= laju:
            continue
        grup = [p]
        if rng.random() < 0.06:
            pasangan = next((q for q in layak if q.kd_rup not in dipakai and _bisa_digabung(p, q)), None)
            if pasangan:
                grup.append(pasangan)
        dipakai.update(q.kd_rup for q in grup)
        rencana = pencatatan_plan(plan, opd, tahun, grup)
        pembayaran_plan(plan, rencana)
        if rencana.pencatatan.status != Status.BATAL and rng.random() < 0.03:
            ganda = pencatatan_plan(plan, opd, tahun, grup, status=Status.BATAL, alasan=ALASAN_GANDA)
            ganda.pencatatan.tgl_buat_paket = min(rencana.pencatatan.tgl_buat_paket + timedelta(days=1), plan.today)


def _bisa_digabung(p: PaketRup, q: PaketRup) -> bool:
    """Whether one record may link both packages: same kind and method, and together still under the ceiling."""
    if p is q or p.tipe_paket != q.tipe_paket:
        return False
    if p.tipe_paket == TipePaket.SWAKELOLA:
        return p.tipe_swakelola == q.tipe_swakelola
    sama = p.metode_pengadaan == q.metode_pengadaan and p.jenis_pengadaan == q.jenis_pengadaan
    batas = BATAS_PL[p.jenis_pengadaan] * Decimal("0.95") if p.metode_pengadaan == PL else 400 * JUTA
    return sama and p.pagu + q.pagu < batas


def pencatatan_plan(
    plan: DemoPlan,
    opd: Opd,
    tahun: int,
    paket: list[PaketRup],
    *,
    status: str | None = None,
    alasan: str = "",
    mulai: date | None = None,
    selesai: date | None = None,
    menumpuk: bool | None = None,
) -> PencatatanPlan:
    """Plan one record linking `paket`: dates, status and the kind's own fields (no payments yet).

    Whatever is not given (status, contract dates, year-end batch) is drawn from the plan's `rng`.
    """
    rng, today = plan.rng, plan.today
    swakelola = paket[0].tipe_paket == TipePaket.SWAKELOLA
    bulanan = any(plan.item_paket[(tahun, p.kd_rup)].bulanan for p in paket)
    mulai, selesai = _jadwal_kontrak(
        plan, tahun, paket, bulanan=bulanan, swakelola=swakelola, mulai=mulai, selesai=selesai
    )
    if status is None:
        status = _status(plan, tahun, selesai)
    if status == Status.BATAL and not alasan:
        alasan = rng.choice(ALASAN_BATAL)
    if menumpuk is None:
        menumpuk = rng.random() < (0.48 if tahun < plan.tahun_ini else 0.2)
    buat = _tgl_buat(plan, tahun, status=status, mulai=mulai, menumpuk=menumpuk)

    ppk = plan.profil[opd.pk].ppk
    pagu = sum((p.pagu for p in paket), Decimal("0"))
    pertama = paket[0]
    nama = pertama.nama_paket if len(paket) == 1 else f"{pertama.nama_paket} dan {paket[1].nama_paket}"
    pelaksana = ""
    if swakelola and pertama.tipe_swakelola and pertama.tipe_swakelola > 1:
        pelaksana = rng.choice(plan.pelaksana[pertama.tipe_swakelola]).nama
    di_spse = status != Status.DRAFT and rng.random() < (0.65 if tahun < plan.tahun_ini else 0.4)
    pencatatan = Pencatatan(
        opd=opd,
        jenis=JenisPencatatan.SWAKELOLA if swakelola else JenisPencatatan.NON_TENDER,
        tahun_anggaran=tahun,
        kd_rup=gabung_kd_rup(p.kd_rup for p in paket),
        kd_nontender_pct=next(plan.kd_nontender[tahun]) if di_spse and not swakelola else None,
        kd_swakelola_pct=next(plan.kd_swakelola[tahun]) if di_spse and swakelola else None,
        nama_paket=nama,
        pagu=pagu,
        sumber_dana="APBD",
        uraian_pekerjaan=f"{nama} pada {opd.nama_satker} tahun anggaran {tahun}.",
        kategori_pengadaan="" if swakelola else pertama.jenis_pengadaan,
        mtd_pemilihan="" if swakelola else pertama.metode_pengadaan,
        bukti_pembayaran="" if swakelola else (BuktiPembayaran.SPK if pagu > 50 * JUTA else BuktiPembayaran.NON_SPK),
        tipe_swakelola=pertama.tipe_swakelola if swakelola else None,
        pelaksana_swakelola=pelaksana,
        status=status,
        alasan_pembatalan=alasan if status == Status.BATAL else "",
        ppk=ppk.user,
        pptk=pengguna_opd(plan.users, opd, Peran.PPTK) if rng.random() < 0.5 else None,
        nip_ppk=ppk.nip,
        nama_ppk=ppk.nama,
        tgl_buat_paket=buat,
        tgl_mulai_paket=mulai,
        tgl_selesai_paket=max(min(selesai, today), mulai),
        sumber=Sumber.APLIKASI,
        dibuat_oleh=pengguna_opd(plan.users, opd, Peran.OPERATOR),
    )
    rencana = PencatatanPlan(pencatatan, list(paket), bulanan=bulanan, menumpuk=menumpuk)
    plan.rencana.append(rencana)
    return rencana


def _jadwal_kontrak(
    plan: DemoPlan,
    tahun: int,
    paket: list[PaketRup],
    *,
    bulanan: bool,
    swakelola: bool,
    mulai: date | None,
    selesai: date | None,
) -> tuple[date, date]:
    """Contract start and end: monthly services run the whole year, others start after selection.

    The start never lies after today (this year's records); the end may, for work still under way.
    """
    rng = plan.rng
    akhir_tahun = date(tahun, 12, 31)
    if mulai is None:
        if bulanan:
            mulai = date(tahun, 1, 1) + timedelta(days=rng.randint(1, 14))
        else:
            mulai = min(p.tgl_awal_pemilihan for p in paket) + timedelta(days=rng.randint(0, 20 if swakelola else 45))
    if selesai is None:
        if bulanan:
            selesai = date(tahun, 12, rng.randint(15, 31))
        else:
            selesai = min(
                mulai + timedelta(days=rng.choice((14, 21, 30, 45, 60, 90, 120)) + rng.randint(0, 10)), akhir_tahun
            )
    return min(mulai, akhir_tahun, plan.today), selesai


def _status(plan: DemoPlan, tahun: int, selesai: date) -> str:
    """A status that fits the contract end: last year's mostly Selesai, this year's by how far along."""
    rng, today = plan.rng, plan.today
    r = rng.random()
    if r < 0.035:
        return Status.BATAL
    if tahun < plan.tahun_ini:
        # Last year: mostly done; a few still Berjalan long after their contract ended (overdue).
        return Status.BERJALAN if r < 0.075 else Status.DRAFT if r < 0.085 else Status.SELESAI
    if selesai < today - timedelta(days=30):
        return Status.BERJALAN if r < 0.05 else Status.DRAFT if r < 0.08 else Status.SELESAI
    if selesai <= today:
        return Status.SELESAI if r < 0.6 else Status.BERJALAN
    return Status.BERJALAN if r < 0.72 else Status.DRAFT


def _tgl_buat(plan: DemoPlan, tahun: int, *, status: str, mulai: date, menumpuk: bool) -> date:
    """When the record was entered: days after the start (long-tailed), or in the year-end batch."""
    rng, today = plan.rng, plan.today
    awal_tahun, akhir_tahun = date(tahun, 1, 1), date(tahun, 12, 31)
    if status == Status.DRAFT and tahun == plan.tahun_ini:
        dari = max(mulai, today - timedelta(days=60))
        buat = dari + timedelta(days=rng.randint(0, max(0, (today - dari).days)))
    elif menumpuk:
        # The year-end batch: recorded in November–December (or the last weeks of this year).
        dari = date(tahun, 11, 1) if tahun < plan.tahun_ini else max(awal_tahun, today - timedelta(days=50))
        buat = max(mulai, dari + timedelta(days=rng.randint(0, max(0, (min(akhir_tahun, today) - dari).days))))
    else:
        buat = mulai + timedelta(days=int(rng.lognormvariate(math.log(6), 1.0)))
    return min(buat, today)
