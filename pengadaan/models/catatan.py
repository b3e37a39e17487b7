"""Catatan data: a value SPSE published that breaks a rule for what a person enters (DESIGN §4).

SPSE is the system of record, so an import of LKPP's data keeps such a value as it was
published and notes it here, on its record (and its payment, when the value is a
payment's): which field, what is odd, the published value and the import it came in.
The notes of a record are rewritten by every import of that record (kept when the same,
added when new, removed when SPSE's value has become normal), never by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opd.access import ScopedQuerySet


class CatatanDataQuerySet(ScopedQuerySet):
    pass


class CatatanData(models.Model):
    class Aturan(models.TextChoices):
        SELESAI_SEBELUM_MULAI = "selesai_sebelum_mulai", _("Tanggal selesai sebelum tanggal mulai")
        WAJIB_KOSONG = "wajib_kosong", _("Kosong, padahal wajib diisi bila dicatat di aplikasi")
        TIDAK_DIKENAL = "tidak_dikenal", _("Nilai tidak dikenal; disimpan kosong, nilai asli di catatan ini")
        TANGGAL_MASA_DEPAN = "tanggal_masa_depan", _("Tanggal realisasi di masa depan")
        NPWP_TIDAK_BAKU = "npwp_tidak_baku", _("NPWP bukan 15 atau 16 angka")
        RUP_BUKAN_MILIK = "rup_bukan_milik", _("Paket RUP bukan milik OPD ini atau bukan jenis ini; tidak ditautkan")
        KODE_RUP_BUKAN_ANGKA = "kode_rup_bukan_angka", _("Kode RUP bukan angka; tidak ditautkan")
        STATUS_TIDAK_BAKU = "status_tidak_baku", _("Kombinasi status SPSE tidak baku")

    pencatatan = models.ForeignKey(
        "pengadaan.Pencatatan",
        verbose_name=_("pencatatan"),
        on_delete=models.CASCADE,
        related_name="catatan_data",
    )
    realisasi = models.ForeignKey(
        "pengadaan.Realisasi",
        verbose_name=_("realisasi"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="catatan_data",
        help_text=_("Diisi bila nilai itu milik satu realisasi."),
    )
    aturan = models.CharField(_("yang janggal"), max_length=30, choices=Aturan.choices)
    kolom = models.CharField(_("kolom"), max_length=60, help_text=_("Nama kolom LKPP."))
    nilai = models.CharField(_("nilai terbit"), max_length=300, blank=True, help_text=_("Nilai seperti di SPSE."))
    impor = models.CharField(_("impor"), max_length=255, help_text=_("Impor yang membawa nilai ini."))
    dibuat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    opd_lookup = "pencatatan__opd"
    objects = CatatanDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("catatan data")
        verbose_name_plural = _("catatan data")
        ordering = ["pencatatan", "realisasi", "kolom", "pk"]
        indexes = [models.Index(fields=["pencatatan", "realisasi"], name="catatandata_pencatatan")]

    def __str__(self) -> str:
        return f"{self.kolom}: {self.get_aturan_display()}"

    @property
    def kunci(self) -> tuple:
        """What makes two notes the same note (the import and the time do not)."""
        return (self.pencatatan_id, self.realisasi_id, self.aturan, self.kolom, self.nilai)
