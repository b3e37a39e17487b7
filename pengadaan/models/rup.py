"""Paket RUP: the announced annual procurement plan (SiRUP)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opd.access import ScopedQuerySet
from opd.models import Opd
from pengadaan.choices import NON_TENDER_METHODS, JenisPengadaan, TipePaket, TipeSwakelola


class PaketRupQuerySet(ScopedQuerySet):
    def counting(self) -> PaketRupQuerySet:
        """Packages that count: announced (Terumumkan), active and not deleted (DESIGN §4)."""
        return self.filter(status_umumkan_rup__iexact="Terumumkan", status_aktif_rup=True, status_delete_rup=False)

    def for_pencatatan(self) -> PaketRupQuerySet:
        """Swakelola packages and penyedia packages with a non-tender method (DESIGN §5 `rup_paket`)."""
        non_tender = Q()
        for method in NON_TENDER_METHODS:
            non_tender |= Q(metode_pengadaan__iexact=method)
        return self.filter(Q(tipe_paket=TipePaket.SWAKELOLA) | (Q(tipe_paket=TipePaket.PENYEDIA) & non_tender))


class PaketRup(models.Model):
    opd = models.ForeignKey(Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="paket_rup")
    kd_rup = models.BigIntegerField(_("kode RUP"), help_text=_("Kode paket di SiRUP. Paket revisi mendapat kode baru."))
    tahun_anggaran = models.PositiveSmallIntegerField(_("tahun anggaran"))
    nama_paket = models.CharField(_("nama paket"), max_length=1000)
    pagu = models.DecimalField(_("pagu"), max_digits=18, decimal_places=2)
    tipe_paket = models.CharField(_("tipe paket"), max_length=10, choices=TipePaket.choices)
    metode_pengadaan = models.CharField(
        _("metode pengadaan"), max_length=50, blank=True, help_text=_("Untuk paket penyedia, seperti di SiRUP.")
    )
    jenis_pengadaan = models.CharField(_("jenis pengadaan"), max_length=30, choices=JenisPengadaan.choices, blank=True)
    tipe_swakelola = models.PositiveSmallIntegerField(
        _("tipe swakelola"), choices=TipeSwakelola.choices, null=True, blank=True
    )
    sumber_dana = models.CharField(_("sumber dana"), max_length=100, blank=True)
    tgl_awal_pemilihan = models.DateField(
        _("bulan awal pemilihan/pelaksanaan"),
        null=True,
        blank=True,
        help_text=_(
            "Bulan rencana pemilihan (penyedia) atau awal pelaksanaan (swakelola); disimpan sebagai tanggal 1."
        ),
    )
    status_umumkan_rup = models.CharField(_("status umumkan"), max_length=30, default="Terumumkan")
    status_aktif_rup = models.BooleanField(_("aktif"), default=True)
    status_delete_rup = models.BooleanField(_("dihapus"), default=False)
    nip_ppk = models.CharField(_("NIP PPK"), max_length=18, blank=True)
    nama_ppk = models.CharField(_("nama PPK"), max_length=150, blank=True)

    opd_lookup = "opd"
    objects = PaketRupQuerySet.as_manager()

    class Meta:
        verbose_name = _("paket RUP")
        verbose_name_plural = _("paket RUP")
        ordering = ["tahun_anggaran", "tgl_awal_pemilihan", "kd_rup"]
        constraints = [
            models.UniqueConstraint(fields=["kd_rup", "tahun_anggaran"], name="paketrup_kd_rup_tahun_unik"),
            models.CheckConstraint(
                condition=Q(pagu__gte=0),
                name="paketrup_pagu_tidak_negatif",
                violation_error_message=_("Pagu tidak boleh negatif."),
            ),
            models.CheckConstraint(
                condition=Q(tahun_anggaran__gte=2000, tahun_anggaran__lte=2100),
                name="paketrup_tahun_wajar",
                violation_error_message=_("Tahun anggaran harus antara 2000 dan 2100."),
            ),
        ]
        indexes = [
            models.Index(fields=["opd", "tahun_anggaran", "tipe_paket"], name="paketrup_opd_tahun_tipe"),
            # a year's first and last (year pickers), and an OPD's packages not yet recorded, oldest
            # planned month first (its dashboard). PostgreSQL also keeps statistics on the upper-cased
            # status and method the counting filters compare (migration 0007): without them it
            # guesses that a handful of packages count and sorts all of them first.
            models.Index(
                fields=["tahun_anggaran", "opd", "tgl_awal_pemilihan", "kd_rup"], name="paketrup_tahun_opd_bulan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kd_rup} — {self.nama_paket}"

    def clean(self) -> None:
        # a linked package keeps the OPD, year and kind of the records linking it (DESIGN §4), also in the admin
        if self.pk is None:
            return
        for record in self.pencatatan.all():
            try:
                record.check_rup_same_opd_year_kind([self])
            except ValidationError:
                raise ValidationError(
                    _(
                        "Paket ini ditautkan ke pencatatan “%(nama)s”; OPD, tahun anggaran dan tipe paketnya "
                        "harus tetap sama dengan pencatatan itu."
                    )
                    % {"nama": record.nama_paket}
                ) from None

    @property
    def is_non_tender(self) -> bool:
        return self.tipe_paket == TipePaket.PENYEDIA and self.metode_pengadaan.lower() in NON_TENDER_METHODS
