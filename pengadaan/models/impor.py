"""An import of one file: its bytes, its progress and its outcome, kept in the database.

Keeping the file and the state here (not in a temp folder) lets the preview and the
confirmation run on different app servers and in a background worker.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pengadaan import rules


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportJobQuerySet:
        """Imports are an administrator's tool: admins see every job, nobody else sees any."""
        if not rules.can_import(user):
            return self.none()
        return self.all()


class ImportJob(models.Model):
    class Jenis(models.TextChoices):
        SATKER = "satker", _("Satker (RUP-MasterSatker)")
        RUP_PENYEDIA = "rup-penyedia", _("Paket RUP penyedia")
        RUP_SWAKELOLA = "rup-swakelola", _("Paket RUP swakelola")
        NONTENDER = "nontender", _("Pencatatan non tender")
        NONTENDER_REALISASI = "nontender-realisasi", _("Realisasi non tender")
        SWAKELOLA = "swakelola", _("Pencatatan swakelola")
        SWAKELOLA_REALISASI = "swakelola-realisasi", _("Realisasi swakelola")
        USERS = "users", _("Pengguna")

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu diperiksa")
        MEMERIKSA = "memeriksa", _("Sedang diperiksa")
        SIAP = "siap", _("Siap ditulis")
        MENULIS = "menulis", _("Sedang ditulis")
        SELESAI = "selesai", _("Selesai")
        GAGAL = "gagal", _("Gagal")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    jenis = models.CharField(_("jenis data"), max_length=30, choices=Jenis.choices)
    nama_berkas = models.CharField(_("nama berkas"), max_length=255)
    isi_berkas = models.BinaryField(_("isi berkas"), editable=False)
    tahun = models.PositiveSmallIntegerField(_("tahun anggaran"), null=True, blank=True)
    hanya_valid = models.BooleanField(_("tulis baris yang benar saja"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.MENUNGGU)
    jumlah_baris = models.PositiveIntegerField(_("jumlah baris"), default=0)
    baris_diproses = models.PositiveIntegerField(_("baris diproses"), default=0)
    ringkasan = models.JSONField(_("ringkasan"), default=dict, blank=True)
    kesalahan = models.JSONField(_("kesalahan per baris"), default=list, blank=True)
    pesan = models.TextField(_("pesan"), blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    diperbarui_pada = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("impor data")
        verbose_name_plural = _("impor data")
        ordering = ["-dibuat_pada"]
        permissions = [("impor_data", _("Boleh mengimpor data massal"))]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} — {self.nama_berkas}"

    def get_absolute_url(self) -> str:
        return reverse("impor_detail", args=[self.pk])

    @property
    def persen(self) -> int:
        if not self.jumlah_baris:
            return 100 if self.status in (self.Status.SIAP, self.Status.SELESAI) else 0
        return min(100, self.baris_diproses * 100 // self.jumlah_baris)

    @property
    def berjalan(self) -> bool:
        return self.status in (self.Status.MENUNGGU, self.Status.MEMERIKSA, self.Status.MENULIS)

    @property
    def jumlah_kesalahan(self) -> int:
        return self.ringkasan.get("kesalahan", len(self.kesalahan))
