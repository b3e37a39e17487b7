"""Realisasi: each payment on a pencatatan, its supplier and its proof files."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, Sum
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opd.access import ScopedQuerySet
from opd.templatetags.format_id import format_rupiah
from pengadaan.models.choices import JenisRealisasi
from pengadaan.models.pencatatan import Pencatatan
from pengadaan.models.validation import RowRulesMixin


def format_npwp(npwp: str) -> str:
    """15 digits as 99.999.999.9-999.999; 16 digits (NIK-based NPWP) in groups of four."""
    if len(npwp) == 15:
        return f"{npwp[:2]}.{npwp[2:5]}.{npwp[5:8]}.{npwp[8]}-{npwp[9:12]}.{npwp[12:]}"
    if len(npwp) == 16:
        return " ".join(npwp[i : i + 4] for i in range(0, 16, 4))
    return npwp


class Penyedia(RowRulesMixin, models.Model):
    """A supplier (non tender) or executing party (swakelola), known by its normalised NPWP.

    A person's NPWP has 15 or 16 digits; SPSE publishes others too, which an import keeps (DESIGN §4), so
    the rule lives here, for what a person enters, and not in a database constraint.
    """

    nama = models.CharField(_("nama"), max_length=255)
    npwp = models.CharField(
        _("NPWP"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        help_text=_("15 atau 16 angka; titik dan tanda hubung dibuang otomatis."),
    )

    class Meta:
        verbose_name = _("penyedia/pelaksana")
        verbose_name_plural = _("penyedia/pelaksana")
        ordering = ["nama"]

    row_rule_fields = ("npwp",)
    published_fields = ("npwp",)

    def __str__(self) -> str:
        return f"{self.nama} ({self.npwp_tampil})" if self.npwp else self.nama

    def row_errors(self, fields: set[str]) -> dict[str, list[str]]:
        normal = self.npwp and self.npwp.isdigit() and len(self.npwp) in (15, 16)
        if "npwp" in fields and self.npwp and not normal and self.entered("npwp"):
            return {"npwp": [_("NPWP terdiri atas 15 atau 16 angka.")]}
        return {}

    @property
    def npwp_tampil(self) -> str:
        return format_npwp(self.npwp or "")


class RealisasiQuerySet(ScopedQuerySet):
    pass


class Realisasi(RowRulesMixin, models.Model):
    pencatatan = models.ForeignKey(
        Pencatatan, verbose_name=_("pencatatan"), on_delete=models.CASCADE, related_name="realisasi"
    )
    jenis_realisasi = models.CharField(_("jenis bukti"), max_length=20, choices=JenisRealisasi.choices)
    no_realisasi = models.CharField(
        _("nomor bukti"),
        max_length=500,
        blank=True,
        help_text=_("Nomor kuitansi, SPK, dsb. Wajib diisi di aplikasi; data SPSE kadang tanpa nomor."),
    )
    tgl_realisasi = models.DateField(
        _("tanggal realisasi"), help_text=_("Tanggal pembayaran; tidak boleh di masa depan.")
    )
    nilai_realisasi = models.DecimalField(_("nilai realisasi"), max_digits=18, decimal_places=2)
    dok_realisasi = models.CharField(_("dokumen realisasi"), max_length=500, blank=True)
    ket_realisasi = models.TextField(_("keterangan"), blank=True)
    penyedia = models.ForeignKey(
        Penyedia,
        verbose_name=_("penyedia/pelaksana"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="realisasi",
    )
    tgl_dicatat = models.DateField(
        _("tanggal dicatat"),
        help_text=_("Kapan pembayaran ini pertama kali dicatat (untuk mengukur keterlambatan)."),
    )
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    opd_lookup = "pencatatan__opd"
    row_rule_fields = ("tgl_realisasi", "nilai_realisasi")
    published_fields = ("tgl_realisasi", "nilai_realisasi")
    objects = RealisasiQuerySet.as_manager()
    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        ordering = ["tgl_realisasi", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nilai_realisasi__gte=0),
                name="realisasi_nilai_tidak_negatif",
                violation_error_message=_("Nilai realisasi tidak boleh negatif."),
            ),
        ]
        indexes = [models.Index(fields=["pencatatan", "tgl_realisasi"], name="realisasi_pencatatan_tgl")]

    def __str__(self) -> str:
        return f"{self.get_jenis_realisasi_display()} {self.no_realisasi}"

    def row_errors(self, fields: set[str]) -> dict[str, list[str]]:
        """A payment a person enters is not dated in the future and keeps the record within its pagu (DESIGN §4).

        An imported payment that SPSE published against these rules keeps its values (DESIGN §4) and may
        still be edited in its other fields.
        """
        errors = {}
        future = self.tgl_realisasi and self.tgl_realisasi > timezone.localdate()
        if "tgl_realisasi" in fields and future and self.entered("tgl_realisasi"):
            errors["tgl_realisasi"] = [_("Tanggal realisasi tidak boleh di masa depan.")]
        if (
            "nilai_realisasi" in fields
            and self.pencatatan_id is not None
            and self.nilai_realisasi is not None
            and self.entered("nilai_realisasi")
        ):
            others = Realisasi.objects.filter(pencatatan_id=self.pencatatan_id)
            if self.pk is not None:
                others = others.exclude(pk=self.pk)
            before = others.aggregate(s=Sum("nilai_realisasi"))["s"] or Decimal("0")
            total, pagu = before + self.nilai_realisasi, self.pencatatan.pagu
            if total > pagu:
                errors["nilai_realisasi"] = [
                    _("Total realisasi %(total)s melebihi pagu %(pagu)s. Sisa pagu: %(sisa)s.")
                    % {
                        "total": format_rupiah(total),
                        "pagu": format_rupiah(pagu),
                        "sisa": format_rupiah(max(pagu - before, Decimal("0"))),
                    }
                ]
        return errors


def bukti_upload_to(instance: BuktiRealisasi, filename: str) -> str:
    """A fresh random name under bukti/YYYY/MM/: names never collide and never carry a path from the user."""
    ext = PurePosixPath(filename).suffix.lower()
    today = timezone.localdate()
    return f"bukti/{today:%Y/%m}/{uuid.uuid4().hex}{ext}"


class BuktiRealisasiQuerySet(ScopedQuerySet):
    pass


class BuktiRealisasi(models.Model):
    realisasi = models.ForeignKey(
        Realisasi, verbose_name=_("realisasi"), on_delete=models.CASCADE, related_name="bukti"
    )
    berkas = models.FileField(_("berkas"), upload_to=bukti_upload_to, max_length=200)
    nama_asli = models.CharField(_("nama berkas asli"), max_length=255)
    tipe_konten = models.CharField(_("tipe"), max_length=50)
    ukuran = models.PositiveIntegerField(_("ukuran (byte)"))
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    diunggah_pada = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    opd_lookup = "realisasi__pencatatan__opd"
    objects = BuktiRealisasiQuerySet.as_manager()
    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        verbose_name = _("bukti realisasi")
        verbose_name_plural = _("bukti realisasi")
        ordering = ["diunggah_pada", "pk"]

    def __str__(self) -> str:
        return self.nama_asli

    def get_absolute_url(self) -> str:
        return reverse("bukti_unduh", args=[self.pk])


# A proof file goes with its row, however the row goes (a person, the admin, or a record or payment deleted
# with everything under it), and a file replaced in the admin goes too; only once the deletion is committed.
@receiver(post_delete, sender=BuktiRealisasi)
def _delete_file_of_deleted_bukti(sender, instance: BuktiRealisasi, **kwargs) -> None:
    _delete_after_commit(instance.berkas.storage, instance.berkas.name)


@receiver(pre_save, sender=BuktiRealisasi)
def _delete_replaced_file(sender, instance: BuktiRealisasi, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    stored = BuktiRealisasi.objects.filter(pk=instance.pk).values_list("berkas", flat=True).first()
    if stored and stored != instance.berkas.name:
        _delete_after_commit(instance.berkas.storage, stored)


def _delete_after_commit(storage, name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))
