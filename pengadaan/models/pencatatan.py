"""Pencatatan: the record of a non-tender or swakelola package (SPSE-PencatatanNonTender / -Swakelola).

Both kinds live in one table, told apart by `jenis`, so that lists, dashboards,
red flags and history treat them alike; the fields only one kind has are
constrained to stay empty on the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opd.access import ScopedQuerySet
from opd.models import Opd
from pengadaan import rules
from pengadaan.choices import (
    ACTIVE_STATUSES,
    EDITABLE_STATUSES,
    BuktiPembayaran,
    JenisPencatatan,
    JenisPengadaan,
    MetodePemilihan,
    Status,
    Sumber,
    TipeSwakelola,
)
from pengadaan.models.base import ChangedAudit, CreatedAudit, RowRulesMixin
from pengadaan.models.rup import PaketRup
from spse_tracker.formats import format_rupiah


class PencatatanQuerySet(ScopedQuerySet):
    def active(self) -> PencatatanQuerySet:
        """Records that count: every status but Batal (DESIGN §5)."""
        return self.exclude(status=Status.BATAL)

    def missing_from_spse(self) -> PencatatanQuerySet:
        """Active records that have no SPSE code yet."""
        return self.active().filter(kd_nontender_pct__isnull=True, kd_swakelola_pct__isnull=True)

    def in_spse(self) -> PencatatanQuerySet:
        """Records SPSE knows: they have its code (DESIGN §5 `tercatat_spse_*`, §12)."""
        return self.exclude(kd_nontender_pct__isnull=True, kd_swakelola_pct__isnull=True)


class Pencatatan(RowRulesMixin, CreatedAudit, ChangedAudit, models.Model):
    opd = models.ForeignKey(Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="pencatatan")
    jenis = models.CharField(_("jenis pencatatan"), max_length=12, choices=JenisPencatatan.choices)
    tahun_anggaran = models.PositiveSmallIntegerField(_("tahun anggaran"))
    paket_rup = models.ManyToManyField(
        PaketRup,
        through="PencatatanRup",
        related_name="pencatatan",
        verbose_name=_("paket RUP"),
        blank=True,
    )
    kd_rup = models.CharField(
        _("kode RUP"),
        max_length=1000,
        blank=True,
        editable=False,
        help_text=_("Kode paket RUP yang ditautkan, dipisah ';' seperti di data LKPP."),
    )
    kd_nontender_pct = models.BigIntegerField(
        _("kode pencatatan non tender SPSE"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Isi setelah paket dicatat di SPSE."),
    )
    kd_swakelola_pct = models.BigIntegerField(
        _("kode pencatatan swakelola SPSE"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Isi setelah paket dicatat di SPSE."),
    )
    nama_paket = models.CharField(_("nama paket"), max_length=1000)
    pagu = models.DecimalField(
        _("pagu"),
        max_digits=18,
        decimal_places=2,
        help_text=_("Dalam Rupiah. Bila dikosongkan, diisi jumlah pagu paket RUP yang dipilih."),
    )
    nilai_pdn_pct = models.DecimalField(
        _("nilai PDN (Rp)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Nilai produk dalam negeri dalam Rupiah, bukan persen."),
    )
    nilai_umk_pct = models.DecimalField(
        _("nilai UMK (Rp)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Nilai belanja kepada usaha mikro dan kecil dalam Rupiah, bukan persen."),
    )
    sumber_dana = models.CharField(_("sumber dana"), max_length=100, blank=True)
    uraian_pekerjaan = models.TextField(_("uraian pekerjaan"), blank=True)
    informasi_lainnya = models.TextField(_("informasi lainnya"), blank=True)
    kategori_pengadaan = models.CharField(
        _("kategori pengadaan"), max_length=30, choices=JenisPengadaan.choices, blank=True
    )
    mtd_pemilihan = models.CharField(_("metode pemilihan"), max_length=30, choices=MetodePemilihan.choices, blank=True)
    bukti_pembayaran = models.CharField(
        _("bukti pembayaran"), max_length=10, choices=BuktiPembayaran.choices, blank=True
    )
    tipe_swakelola = models.PositiveSmallIntegerField(
        _("tipe swakelola"), choices=TipeSwakelola.choices, null=True, blank=True
    )
    pelaksana_swakelola = models.CharField(
        _("pelaksana swakelola"),
        max_length=255,
        blank=True,
        help_text=_("Instansi, Ormas atau Kelompok Masyarakat yang melaksanakan (tipe II–IV)."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    alasan_pembatalan = models.TextField(_("alasan pembatalan"), blank=True)
    ppk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("PPK"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("PPK pemilik paket; NIP dan namanya disalin ke pencatatan."),
    )
    pptk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("PPTK"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    nip_ppk = models.CharField(_("NIP PPK"), max_length=18, blank=True)
    nama_ppk = models.CharField(_("nama PPK"), max_length=150, blank=True)
    tgl_buat_paket = models.DateField(_("tanggal dicatat"), help_text=_("Tanggal paket pertama kali dicatat."))
    tgl_mulai_paket = models.DateField(_("tanggal mulai"), null=True, blank=True)
    tgl_selesai_paket = models.DateField(
        _("tanggal selesai kontrak"),
        null=True,
        blank=True,
        help_text=_("Akhir kontrak/pelaksanaan; boleh sebelum tanggal dicatat."),
    )
    sumber = models.CharField(_("sumber data"), max_length=10, choices=Sumber.choices, default=Sumber.APLIKASI)
    # SPSE's values as last imported, for the reconciliation (DESIGN §12): what differs after a person's edit
    nilai_spse = models.JSONField(
        _("nilai di SPSE"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Pagu, status dan PPK seperti terakhir diterbitkan SPSE."),
    )
    versi = models.PositiveIntegerField(_("versi"), default=1, editable=False)
    # dibuat_oleh, dibuat_pada: CreatedAudit; diubah_pada: ChangedAudit

    opd_lookup = "opd"
    row_rule_fields = ("ppk", "pptk", "pagu")
    published_fields = ("pagu", "tgl_mulai_paket", "tgl_selesai_paket")
    objects = PencatatanQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["diubah_pada"], cascade_delete_history=False)

    class Meta:
        verbose_name = _("pencatatan")
        verbose_name_plural = _("pencatatan")
        ordering = ["-tgl_buat_paket", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pagu__gte=0),
                name="pencatatan_pagu_tidak_negatif",
                violation_error_message=_("Pagu tidak boleh negatif."),
            ),
            models.CheckConstraint(
                condition=Q(nilai_pdn_pct__isnull=True) | Q(nilai_pdn_pct__gte=0),
                name="pencatatan_pdn_tidak_negatif",
                violation_error_message=_("Nilai PDN tidak boleh negatif."),
            ),
            models.CheckConstraint(
                condition=Q(nilai_umk_pct__isnull=True) | Q(nilai_umk_pct__gte=0),
                name="pencatatan_umk_tidak_negatif",
                violation_error_message=_("Nilai UMK tidak boleh negatif."),
            ),
            models.CheckConstraint(
                condition=Q(tahun_anggaran__gte=2000, tahun_anggaran__lte=2100),
                name="pencatatan_tahun_wajar",
                violation_error_message=_("Tahun anggaran harus antara 2000 dan 2100."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="pencatatan_status_valid",
                violation_error_message=_("Status tidak dikenal."),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.BATAL) | ~Q(alasan_pembatalan=""),
                name="pencatatan_batal_beralasan",
                violation_error_message=_("Pembatalan wajib disertai alasan."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(jenis=JenisPencatatan.NON_TENDER, kd_swakelola_pct__isnull=True, tipe_swakelola__isnull=True)
                    & (Q(mtd_pemilihan__in=MetodePemilihan.values) | Q(mtd_pemilihan=""))
                )
                | Q(
                    jenis=JenisPencatatan.SWAKELOLA,
                    kd_nontender_pct__isnull=True,
                    mtd_pemilihan="",
                    kategori_pengadaan="",
                    bukti_pembayaran="",
                ),
                name="pencatatan_kolom_sesuai_jenis",
                violation_error_message=_("Kolom non tender dan swakelola tidak boleh tercampur."),
            ),
        ]
        indexes = [
            # an OPD's records of a year: the §5 counts, and its list filtered by status and sorted by pagu
            models.Index(fields=["opd", "tahun_anggaran", "status", "pagu"], name="pencatatan_opd_tahun_stat_pagu"),
            # the record list filtered by year and status and sorted by pagu reads its first page from this index
            models.Index(fields=["tahun_anggaran", "status", "pagu"], name="pencatatan_tahun_status_pagu"),
        ]

    def __str__(self) -> str:
        return self.nama_paket

    def get_absolute_url(self) -> str:
        return reverse("pencatatan_detail", args=[self.pk])

    def clean(self) -> None:
        """The rule on two fields at once, which a form may not both have: check_dates_in_order."""
        if (message := self.check_dates_in_order()) is not None:
            raise ValidationError({"tgl_selesai_paket": message})

    def check_dates_in_order(self):
        """Dates a person enters: the contract ends on or after it starts, compared as dates (DESIGN §4).

        SPSE publishes ends before starts (57% of real records): such a record, imported, keeps them with a
        catatan data, and a person may still edit its other fields without being told to correct SPSE.
        """
        mulai, selesai = self.tgl_mulai_paket, self.tgl_selesai_paket
        entered = self.entered("tgl_mulai_paket") or self.entered("tgl_selesai_paket")
        if mulai and selesai and selesai < mulai and entered:
            return _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        return None

    def row_errors(self, fields: set[str]) -> dict[str, list[str]]:
        """The entry rules of a record that read other rows (DESIGN §2, §4), each in its own check."""
        return self.run_checks(
            fields,
            ppk=self.check_ppk_holds_role,
            pptk=self.check_pptk_holds_role,
            pagu=self.check_pagu_covers_realisasi,
        )

    def check_ppk_holds_role(self):
        """The PPK named on a record is a PPK of its OPD (rules.can_be_ppk_of). Reads the user."""
        if self.ppk_id is not None and not rules.can_be_ppk_of(self.ppk, self.opd_id):
            return _("PPK harus pengguna berperan PPK di OPD ini.")
        return None

    def check_pptk_holds_role(self):
        """The PPTK named on a record is a PPTK of its OPD (rules.can_be_pptk_of). Reads the user."""
        if self.pptk_id is not None and not rules.can_be_pptk_of(self.pptk, self.opd_id):
            return _("PPTK harus pengguna berperan PPTK di OPD ini.")
        return None

    def check_pagu_covers_realisasi(self):
        """A pagu a person enters is not below the record's total realisasi (the other side of
        Realisasi.check_within_pagu). Queries the sum of the payments."""
        if self.pk is not None and self.pagu is not None and self.entered("pagu"):
            total = self.realisasi.aggregate(s=Sum("nilai_realisasi"))["s"] or Decimal("0")
            if total > self.pagu:
                return _("Pagu tidak boleh di bawah total realisasi %(total)s.") % {"total": format_rupiah(total)}
        return None

    def check_rup_same_opd_year_kind(self, paket: Iterable[PaketRup], *, field: str = "paket_rup") -> None:
        """A record links only RUP packages of its own OPD, year and kind (DESIGN §4); raises ValidationError."""
        if self.jenis not in JenisPencatatan.values or self.tahun_anggaran is None:
            return  # the kind or year itself is missing or wrong; its own field says so
        tipe = JenisPencatatan(self.jenis).tipe_paket
        wrong = [
            p
            for p in paket
            if p.opd_id != self.opd_id or p.tahun_anggaran != self.tahun_anggaran or p.tipe_paket != tipe
        ]
        if wrong:
            raise ValidationError(
                {
                    field: _("Paket RUP %(kode)s bukan paket %(tipe)s tahun %(tahun)d milik OPD ini.")
                    % {"kode": ", ".join(str(p.kd_rup) for p in wrong), "tipe": tipe, "tahun": self.tahun_anggaran}
                }
            )

    @property
    def kd_pct(self) -> int | None:
        """SPSE's key of this record, whichever kind it is."""
        return self.kd_nontender_pct if self.jenis == JenisPencatatan.NON_TENDER else self.kd_swakelola_pct

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def kd_rup_gabungan(self) -> str:
        """RUP codes joined with `;`, as LKPP publishes them (uses the prefetched packages, in their order)."""
        return gabung_kd_rup((p.kd_rup for p in self.paket_rup.all()), sort=False)


def gabung_kd_rup(codes: Iterable[int], *, sort: bool = True) -> str:
    """RUP codes joined with `;` as LKPP publishes a record's kd_rup, in ascending order unless `sort` is False."""
    return ";".join(str(code) for code in (sorted(codes) if sort else codes))


class PencatatanRup(models.Model):
    """One RUP package linked to one pencatatan (a record may link several, DESIGN §4)."""

    pencatatan = models.ForeignKey(
        Pencatatan, verbose_name=_("pencatatan"), on_delete=models.CASCADE, related_name="tautan_rup"
    )
    paket = models.ForeignKey(
        PaketRup, verbose_name=_("paket RUP"), on_delete=models.PROTECT, related_name="tautan_pencatatan"
    )

    class Meta:
        verbose_name = _("tautan paket RUP")
        verbose_name_plural = _("tautan paket RUP")
        constraints = [
            models.UniqueConstraint(fields=["pencatatan", "paket"], name="pencatatanrup_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.pencatatan_id} ↔ {self.paket_id}"

    def clean(self) -> None:
        # in the admin's inline the record may be new (no id yet) but is already attached
        if self.paket_id is not None and (self.pencatatan_id or PencatatanRup.pencatatan.is_cached(self)):
            self.pencatatan.check_rup_same_opd_year_kind([self.paket], field="paket")
