"""PadananSpse: a record entered in the app and a record SPSE published that may be one package
recorded twice (DESIGN §12), when the import could not be sure.

An import matches a local record to SPSE's on its own when it is certain (same OPD, year, kind and
RUP packages, pagu within `PADANAN_SELISIH_PAGU`); otherwise it stores SPSE's record as published
and lists the pair here for the OPD to confirm (the two become one) or reject (they stay two).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opd.access import ScopedQuerySet
from pengadaan.models.pencatatan import Pencatatan


class PadananSpse(models.Model):
    class Alasan(models.TextChoices):
        DUA_CALON = "dua_calon", _("Lebih dari satu pencatatan untuk paket RUP yang sama")
        RUP_SEBAGIAN = "rup_sebagian", _("Kode RUP hanya sebagian sama")
        PAGU_BERBEDA = "pagu_berbeda", _("Pagu berbeda jauh")
        # SPSE's record was imported first: the app's was entered later for the same package
        SPSE_LEBIH_DULU = "spse_lebih_dulu", _("Dicatat di aplikasi setelah ada di SPSE")

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu konfirmasi")
        DIKONFIRMASI = "dikonfirmasi", _("Dikonfirmasi sama")
        DITOLAK = "ditolak", _("Ditolak, berbeda")

    lokal = models.ForeignKey(
        Pencatatan,
        verbose_name=_("pencatatan aplikasi"),
        on_delete=models.CASCADE,
        related_name="padanan_spse",
    )
    # SET_NULL: a confirmed pair outlives SPSE's copy, which is merged into the local record and deleted
    spse = models.ForeignKey(
        Pencatatan,
        verbose_name=_("pencatatan SPSE"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="padanan_lokal",
    )
    kode_spse = models.BigIntegerField(_("kode pencatatan SPSE"))
    alasan = models.CharField(_("alasan"), max_length=20, choices=Alasan.choices)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.MENUNGGU)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    diputuskan_pada = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)

    opd_lookup = "lokal__opd"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("padanan SPSE")
        verbose_name_plural = _("padanan SPSE")
        ordering = ["dibuat_pada", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lokal", "kode_spse"], name="padanan_lokal_kode_unik"),
            models.CheckConstraint(
                condition=models.Q(status__in=["menunggu", "dikonfirmasi", "ditolak"]),
                name="padanan_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lokal_id} ↔ SPSE {self.kode_spse}"
