"""ITKP projection (DESIGN §6): reads the methodology of a year and scores it; writes nothing.

The methodology, its indicators, bands, predicates and the administrator's per-year values are data
(`pengadaan.models.itkp`, whose docstring explains the scoring rules and the percentage override).
This module only combines them with `persen_tercatat_spse` (DESIGN §5): the share of pagu recorded by
records that exist in SPSE, because ITKP reads SPSE; a record kept only in this app scores nothing yet.

"Jika lengkap" (if every RUP package not yet recorded in SPSE were) scores every computed indicator
at 100 percent, manual ones unchanged. When an administrator's percentage replaces `persen_tercatat_spse`,
that is an upper bound: it assumes the rest of that percentage (e-tendering, e-purchasing, …) is
complete too. With no percentage at all (no RUP pagu and no override) recording cannot move it, so
nothing is added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from pengadaan.models import BandSkorItkp, IndikatorItkp, MetodologiItkp, NilaiManualItkp, PredikatItkp
from spse_tracker.formats import two_decimals

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


@dataclass
class IndikatorProyeksi:
    kode: str
    nama: str
    komponen: str
    poin_maks: Decimal
    sumber: IndikatorItkp.Sumber
    persen: Decimal | None
    poin: Decimal
    poin_jika_lengkap: Decimal
    catatan: str = ""
    belum_diisi: bool = False  # an admin-entered indicator with no value for the year (counted as 0)


@dataclass
class ProyeksiItkp:
    metodologi: MetodologiItkp
    tahun: int
    indikator: list[IndikatorProyeksi]
    skor: Decimal
    predikat: str | None
    skor_jika_lengkap: Decimal
    predikat_jika_lengkap: str | None
    tambahan_poin: Decimal
    manual_kosong: list[str] = field(default_factory=list)

    @property
    def poin_maks(self) -> Decimal:
        return sum((i.poin_maks for i in self.indikator), ZERO)

    @property
    def lengkap(self) -> bool:
        """Every admin-entered indicator has its value for the year: only then is `skor` a projection of
        the score (and `predikat` its predicate) rather than a sum that counts the missing ones as 0."""
        return not self.manual_kosong

    @property
    def diketahui(self) -> list[IndikatorProyeksi]:
        """The indicators whose points are known: the computed ones and the manual ones already entered."""
        return [i for i in self.indikator if not i.belum_diisi]

    @property
    def poin_diketahui(self) -> Decimal:
        return two_decimals(sum((i.poin for i in self.diketahui), ZERO))

    @property
    def poin_maks_diketahui(self) -> Decimal:
        return sum((i.poin_maks for i in self.diketahui), ZERO)


def poin_dari_persen(*, poin_maks: Decimal, bands: Iterable[BandSkorItkp], persen: Decimal | None) -> Decimal:
    """Points for a percentage: the band with the greatest `persen_min` ≤ persen (0 if none); without bands,
    proportionally (persen / 100 × poin_maks, persen clamped to 0–100). No percentage scores 0."""
    if persen is None:
        return ZERO
    bands = list(bands)
    if not bands:
        persen = min(max(persen, ZERO), HUNDRED)
        return two_decimals(persen * poin_maks / HUNDRED)
    tercapai = [band for band in bands if band.persen_min <= persen]
    if not tercapai:
        return ZERO
    return two_decimals(max(tercapai, key=lambda band: band.persen_min).poin)


def predikat_untuk_skor(predikat: Iterable[PredikatItkp], skor: Decimal) -> str | None:
    """The predicate with the greatest `skor_min` ≤ skor; None when the methodology defines none that low."""
    tercapai = [p for p in predikat if p.skor_min <= skor]
    return max(tercapai, key=lambda p: p.skor_min).nama if tercapai else None


def metodologi_untuk_tahun(tahun: int) -> MetodologiItkp | None:
    """The methodology in force in `tahun`, with indicators (ordered), bands, predicates and that year's
    values prefetched: five queries whatever the number of indicators (one when none applies)."""
    return (
        MetodologiItkp.objects.untuk_tahun(tahun)
        .prefetch_related(
            Prefetch("indikator", queryset=IndikatorItkp.objects.order_by("urutan", "pk")),
            "indikator__band",
            Prefetch(
                "indikator__nilai_manual", queryset=NilaiManualItkp.objects.filter(tahun=tahun), to_attr="nilai_tahun"
            ),
            "predikat",
        )
        .first()
    )


def _proyeksi_indikator(
    indikator: IndikatorItkp, *, persen_tercatat_spse: Decimal | None
) -> tuple[IndikatorProyeksi, bool]:
    """One indicator's projection, and whether it is a manual indicator with no value for the year."""
    nilai = indikator.nilai_tahun[0] if indikator.nilai_tahun else None
    sumber = IndikatorItkp.Sumber(indikator.sumber)
    if sumber == IndikatorItkp.Sumber.MANUAL:
        kosong = nilai is None or nilai.poin is None
        poin = ZERO if kosong else min(two_decimals(nilai.poin), indikator.poin_maks)
        catatan = _("Belum diisi untuk tahun ini.") if kosong else _("Diisi admin.")
        proyeksi = IndikatorProyeksi(
            kode=indikator.kode,
            nama=indikator.nama,
            komponen=indikator.komponen,
            poin_maks=indikator.poin_maks,
            sumber=sumber,
            persen=None,
            poin=poin,
            poin_jika_lengkap=poin,
            catatan=catatan,
            belum_diisi=kosong,
        )
        return proyeksi, kosong

    bands = indikator.band.all()
    if nilai is not None and nilai.persen is not None:
        persen: Decimal | None = two_decimals(nilai.persen)
        catatan = _("Persen diisi admin untuk tahun ini, menggantikan persen tercatat di SPSE.")
    elif persen_tercatat_spse is not None:
        persen = two_decimals(persen_tercatat_spse)
        catatan = _("Persen pagu RUP non tender dan swakelola yang sudah tercatat di SPSE.")
    else:
        persen = None
        catatan = _("Belum ada pagu RUP non tender/swakelola untuk dihitung; dihitung 0.")
    poin = poin_dari_persen(poin_maks=indikator.poin_maks, bands=bands, persen=persen)
    if persen is None:
        poin_lengkap = poin
    else:
        poin_lengkap = max(poin, poin_dari_persen(poin_maks=indikator.poin_maks, bands=bands, persen=HUNDRED))
    proyeksi = IndikatorProyeksi(
        kode=indikator.kode,
        nama=indikator.nama,
        komponen=indikator.komponen,
        poin_maks=indikator.poin_maks,
        sumber=sumber,
        persen=persen,
        poin=poin,
        poin_jika_lengkap=poin_lengkap,
        catatan=catatan,
    )
    return proyeksi, False


def proyeksi_itkp(*, tahun: int, persen_tercatat_spse: Decimal | None) -> ProyeksiItkp | None:
    """The projected ITKP of `tahun` from the city's `persen_tercatat_spse` (ITKP reads SPSE) and the
    administrator's values.

    None when no methodology applies to the year. Reads only (five queries, one when none applies).
    """
    metodologi = metodologi_untuk_tahun(tahun)
    if metodologi is None:
        return None
    indikator: list[IndikatorProyeksi] = []
    manual_kosong: list[str] = []
    for item in metodologi.indikator.all():
        proyeksi, kosong = _proyeksi_indikator(item, persen_tercatat_spse=persen_tercatat_spse)
        indikator.append(proyeksi)
        if kosong:
            manual_kosong.append(item.nama)
    predikat = list(metodologi.predikat.all())
    skor = two_decimals(sum((i.poin for i in indikator), ZERO))
    skor_lengkap = two_decimals(sum((i.poin_jika_lengkap for i in indikator), ZERO))
    return ProyeksiItkp(
        metodologi=metodologi,
        tahun=tahun,
        indikator=indikator,
        skor=skor,
        predikat=predikat_untuk_skor(predikat, skor),
        skor_jika_lengkap=skor_lengkap,
        predikat_jika_lengkap=predikat_untuk_skor(predikat, skor_lengkap),
        tambahan_poin=skor_lengkap - skor,
        manual_kosong=manual_kosong,
    )
