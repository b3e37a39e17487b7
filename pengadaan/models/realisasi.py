"""Realisasi: each payment on a pencatatan, its supplier and its proof files."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Q, Sum
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opd.access import ScopedQuerySet
from pengadaan.choices import JenisRealisasi, Sumber
from pengadaan.models.base import CreatedAudit, RowRulesMixin
from pengadaan.models.pencatatan import Pencatatan
from spse_tracker.formats import format_npwp, format_rupiah

__all__ = ["BuktiRealisasi", "Penyedia", "Realisasi", "format_npwp"]  # format_npwp: its old home, until callers move


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
        return self.run_checks(fields, npwp=self.check_npwp_format)

    def check_npwp_format(self):
        """An NPWP a person enters is kept normalised: digits only, 15 or 16 of them (DESIGN §4)."""
        normal = self.npwp and self.npwp.isdigit() and len(self.npwp) in (15, 16)
        if self.npwp and not normal and self.entered("npwp"):
            return _("NPWP terdiri atas 15 atau 16 angka.")
        return None

    @property
    def npwp_tampil(self) -> str:
        return format_npwp(self.npwp or "")


class RealisasiQuerySet(ScopedQuerySet):
    pass


class Realisasi(RowRulesMixin, CreatedAudit, models.Model):
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
    sumber = models.CharField(_("sumber data"), max_length=10, choices=Sumber.choices, default=Sumber.APLIKASI)
    di_spse = models.BooleanField(
        _("ada di SPSE"),
        default=False,
        editable=False,
        help_text=_("SPSE menerbitkan pembayaran ini (dari impor, atau dicocokkan dengan catatan aplikasi)."),
    )
    # dibuat_oleh, dibuat_pada: CreatedAudit

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
        """The entry rules of a payment (DESIGN §4), each in its own check.

        An imported payment that SPSE published against these rules keeps its values (DESIGN §4) and may
        still be edited in its other fields: each check judges only a value a person enters.
        """
        return self.run_checks(fields, tgl_realisasi=self.check_not_in_future, nilai_realisasi=self.check_within_pagu)

    def check_not_in_future(self):
        """A payment a person enters is not dated in the future (`tgl_realisasi` ≤ today, Asia/Jakarta)."""
        future = self.tgl_realisasi and self.tgl_realisasi > timezone.localdate()
        if future and self.entered("tgl_realisasi"):
            return _("Tanggal realisasi tidak boleh di masa depan.")
        return None

    def check_within_pagu(self):
        """The record's total realisasi, with this payment, does not exceed its pagu (SPSE refuses it too).

        Queries the record's other payments.
        """
        if self.pencatatan_id is None or self.nilai_realisasi is None or not self.entered("nilai_realisasi"):
            return None
        others = Realisasi.objects.filter(pencatatan_id=self.pencatatan_id)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        before = others.aggregate(s=Sum("nilai_realisasi"))["s"] or Decimal("0")
        total, pagu = before + self.nilai_realisasi, self.pencatatan.pagu
        if total > pagu:
            return _("Total realisasi %(total)s melebihi pagu %(pagu)s. Sisa pagu: %(sisa)s.") % {
                "total": format_rupiah(total),
                "pagu": format_rupiah(pagu),
                "sisa": format_rupiah(max(pagu - before, Decimal("0"))),
            }
        return None


def bukti_upload_to(instance: BuktiRealisasi, filename: str) -> str:
    """A fresh random name under bukti/YYYY/MM/: names never collide and never carry a path from the user."""
    ext = PurePosixPath(filename).suffix.lower()
    today = timezone.localdate()
    return f"bukti/{today:%Y/%m}/{uuid.uuid4().hex}{ext}"


class BuktiRealisasiQuerySet(ScopedQuerySet):
    pass


# First bytes of the only kinds of proof accepted (checked by content, never by name).
BUKTI_SIGNATURES = {
    b"%PDF-": ("application/pdf", {".pdf"}),
    b"\x89PNG\r\n\x1a\n": ("image/png", {".png"}),
    b"\xff\xd8\xff": ("image/jpeg", {".jpg", ".jpeg"}),
}


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

    @staticmethod
    def check_size_within_limit(upload: UploadedFile) -> None:
        """A proof file is at most BUKTI_MAX_BYTES; raises ValidationError on `berkas` otherwise."""
        limit = settings.BUKTI_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                {
                    "berkas": gettext("Berkas terlalu besar (%(mb).1f MB); batasnya %(max).0f MB.")
                    % {"mb": upload.size / 1024 / 1024, "max": limit / 1024 / 1024}
                }
            )

    @staticmethod
    def check_type_by_content(upload: UploadedFile) -> str:
        """A proof file is a PDF, JPG or PNG by its first bytes, and its name says the same: returns the
        content type, raises ValidationError on `berkas` otherwise (the name is never trusted alone)."""
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        for magic, (content_type, extensions) in BUKTI_SIGNATURES.items():
            if head.startswith(magic):
                name = (upload.name or "").lower()
                if not any(name.endswith(ext) for ext in extensions):
                    raise ValidationError(
                        {
                            "berkas": gettext("Isi berkas (%(tipe)s) tidak sesuai dengan nama berkasnya.")
                            % {"tipe": content_type}
                        }
                    )
                return content_type
        raise ValidationError({"berkas": gettext("Bukti harus berupa PDF, JPG atau PNG (diperiksa dari isi berkas).")})


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
