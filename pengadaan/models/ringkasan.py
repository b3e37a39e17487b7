"""Computed dashboard numbers per OPD and fiscal year, kept so that pages read them instead of
recomputing a year of records on every view (DESIGN §9 speed targets). `pengadaan.dashboards.ringkasan`
computes, stores and invalidates them; nothing else writes these tables.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from opd.access import ScopedQuerySet


class RingkasanOpd(models.Model):
    """The §5 numbers, charts and red-flag count of one OPD in one fiscal year.

    `generasi` goes up with every write that can change them (in the writer's transaction);
    `data_generasi` is the generasi they were computed at. They are current when both match,
    were computed today (red-flag rule 7 counts days from today) and with today's thresholds and
    the current shape of the stored numbers (`sidik`).
    """

    opd = models.ForeignKey("opd.Opd", on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun anggaran"))
    generasi = models.BigIntegerField(default=1, db_default=1)
    data_generasi = models.BigIntegerField(null=True, blank=True)
    dihitung_pada = models.DateTimeField(null=True, blank=True, db_default=Now())
    dihitung_tanggal = models.DateField(null=True, blank=True)
    sidik = models.CharField(max_length=64, blank=True, db_default="", default="")
    data = models.JSONField(null=True, blank=True)

    opd_lookup = "opd"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ringkasan OPD")
        verbose_name_plural = _("ringkasan OPD")
        constraints = [models.UniqueConstraint(fields=["opd", "tahun"], name="ringkasan_opd_tahun_unik")]

    def __str__(self) -> str:
        return f"{self.opd_id}/{self.tahun}"


class TandaBahaya(models.Model):
    """One red flag as last computed for its OPD and year (see pengadaan.dashboards.tanda_bahaya for the rules).

    `data` is what the reason is written from, so that it is shown in the reader's language;
    `urutan` orders flags for the dashboards (possible fraud first).
    """

    opd = models.ForeignKey("opd.Opd", on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun anggaran"))
    rule = models.PositiveSmallIntegerField(_("aturan"))
    urutan = models.PositiveSmallIntegerField()
    kode = models.CharField(max_length=300)
    pencatatan_ids = models.JSONField(default=list)
    data = models.JSONField(default=dict)

    opd_lookup = "opd"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tanda bahaya")
        verbose_name_plural = _("tanda bahaya")
        constraints = [models.UniqueConstraint(fields=["tahun", "kode"], name="tandabahaya_tahun_kode_unik")]
        indexes = [
            models.Index(fields=["tahun", "urutan", "id"], name="tandabahaya_tahun_urutan"),
            models.Index(fields=["tahun", "opd", "urutan", "id"], name="tandabahaya_tahun_opd_urutan"),
            models.Index(fields=["tahun", "rule", "opd", "id"], name="tandabahaya_tahun_rule_opd"),
        ]

    def __str__(self) -> str:
        return self.kode
