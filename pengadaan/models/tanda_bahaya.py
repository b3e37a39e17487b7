"""TinjauanTandaBahaya: a pengawas marks one red flag (tanda bahaya, DESIGN §7) as reviewed, with a note.

Flags are computed by `pengadaan.dashboards.tanda_bahaya` and kept per OPD and year (model
`TandaBahaya`) by `pengadaan.dashboards.ringkasan` until the data change. A review is tied to a flag
by the flag's stable identity string (`kode`, defined in `pengadaan.dashboards.tanda_bahaya.identity`),
so it survives recomputation and stays attached while the records behind the flag do not change identity.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opd.access import ScopedQuerySet
from opd.models import Opd


class TinjauanTandaBahaya(models.Model):
    kode = models.CharField(
        _("kode tanda bahaya"),
        max_length=255,
        unique=True,
        help_text=_("Identitas tetap tanda bahaya, misalnya R2:pencatatan:123."),
    )
    rule = models.PositiveSmallIntegerField(
        _("aturan"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("Nomor aturan tanda bahaya (1–9)."),
    )
    tahun = models.PositiveSmallIntegerField(_("tahun anggaran"))
    opd = models.ForeignKey(Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="tinjauan_tanda_bahaya")
    catatan = models.TextField(_("catatan tinjauan"), help_text=_("Hasil pemeriksaan pengawas atas tanda bahaya ini."))
    # PROTECT: the reviewer of record is part of the audit trail; deactivate people instead of deleting them.
    ditinjau_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ditinjau oleh"), on_delete=models.PROTECT, related_name="+"
    )
    ditinjau_pada = models.DateTimeField(_("ditinjau pada"), auto_now_add=True)

    opd_lookup = "opd"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tinjauan tanda bahaya")
        verbose_name_plural = _("tinjauan tanda bahaya")
        ordering = ["-ditinjau_pada", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rule__gte=1, rule__lte=9),
                name="redflagreview_aturan_1_9",
                violation_error_message=_("Aturan tanda bahaya harus 1 sampai 9."),
            ),
            models.CheckConstraint(
                condition=~Q(catatan=""),
                name="redflagreview_catatan_wajib",
                violation_error_message=_("Tuliskan catatan tinjauan."),
            ),
        ]
        indexes = [models.Index(fields=["tahun", "opd"], name="redflagreview_tahun_opd")]

    def __str__(self) -> str:
        return self.kode
