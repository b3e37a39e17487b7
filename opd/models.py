"""Work units (OPD / satker), people and their roles (DESIGN §2, §4)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.access import ScopedQuerySet

digits_only = RegexValidator(r"^\d+$", _("Hanya boleh berisi angka."))
nip_validator = RegexValidator(r"^\d{18}$", _("NIP terdiri atas 18 angka."))


class Opd(models.Model):
    """An OPD (satker): one work unit of the pemda, as listed in SiRUP's RUP-MasterSatker."""

    class Jenis(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        BADAN = "badan", _("Badan")
        DINAS = "dinas", _("Dinas")
        KANTOR = "kantor", _("Kantor")
        SATUAN = "satuan", _("Satuan")
        KECAMATAN = "kecamatan", _("Kecamatan")
        RSUD = "rsud", _("RSUD/BLUD")
        LAINNYA = "lainnya", _("Lainnya")

    kd_satker = models.CharField(
        _("kode satker SiRUP"),
        max_length=20,
        unique=True,
        validators=[digits_only],
        help_text=_("Kode satker di SiRUP (kd_satker), misalnya 60412."),
    )
    kd_satker_str = models.CharField(
        _("kode satker (string)"),
        max_length=40,
        unique=True,
        help_text=_("kd_satker_str, sama di SiRUP dan SPSE, misalnya 4.01.0.00.0.00.24.0000."),
    )
    kd_satker_spse = models.CharField(
        _("kode satker SPSE"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        validators=[digits_only],
        help_text=_("Kode satker di data pencatatan SPSE (berbeda dari kode SiRUP), misalnya 16203093."),
    )
    nama_satker = models.CharField(_("nama satker"), max_length=255)
    singkatan = models.CharField(_("singkatan"), max_length=50, blank=True)
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices, default=Jenis.LAINNYA)
    aktif = models.BooleanField(
        _("aktif"), default=True, help_text=_("OPD nonaktif tidak muncul di dasbor tahun berjalan.")
    )

    opd_lookup = "pk"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        ordering = ["nama_satker"]

    def __str__(self) -> str:
        return self.singkatan or self.nama_satker

    def get_absolute_url(self) -> str:
        return reverse("opd_detail", args=[self.pk])


class Peran(models.TextChoices):
    OPERATOR = "operator", _("Admin OPD / Operator")
    PPTK = "pptk", _("PPTK")
    PPK = "ppk", _("PPK")
    PENGAWAS = "pengawas", _("Pengawas (Sekda, Bagian PBJ, Inspektorat)")
    ADMIN = "admin", _("Administrator sistem")


OPD_ROLES = (Peran.OPERATOR, Peran.PPTK, Peran.PPK)
CITY_ROLES = (Peran.PENGAWAS, Peran.ADMIN)


class UserQuerySet(ScopedQuerySet):
    pass


class SpseUserManager(UserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("peran", Peran.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. OPD roles belong to exactly one OPD; pengawas and admin to none."""

    nama = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[nip_validator],
        help_text=_("Nomor Induk Pegawai, 18 angka tanpa spasi."),
    )
    peran = models.CharField(_("peran"), max_length=20, choices=Peran.choices, default=Peran.OPERATOR)
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pengguna",
        help_text=_("Wajib untuk Admin OPD, PPTK dan PPK; kosong untuk pengawas dan administrator."),
    )

    opd_lookup = "opd"
    objects = SpseUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(peran__in=OPD_ROLES) & Q(opd__isnull=False))
                | (Q(peran__in=CITY_ROLES) & Q(opd__isnull=True)),
                name="pengguna_peran_opd_sesuai",
                violation_error_message=_(
                    "Admin OPD, PPTK dan PPK wajib memiliki OPD; pengawas dan administrator tidak memiliki OPD."
                ),
            ),
            models.CheckConstraint(
                condition=Q(peran__in=Peran.values),
                name="pengguna_peran_valid",
                violation_error_message=_("Peran tidak dikenal: pilih salah satu peran yang tersedia."),
            ),
        ]

    def __str__(self) -> str:
        return self.nama or self.username

    def save(self, *args, **kwargs) -> None:
        # The role is the single source of truth for access to the Django admin.
        self.is_staff = self.is_superuser = self.peran == Peran.ADMIN
        super().save(*args, **kwargs)

    @property
    def sees_all_opd(self) -> bool:
        return self.peran in CITY_ROLES

    @property
    def is_opd_role(self) -> bool:
        return self.peran in OPD_ROLES

    @property
    def is_pengawas(self) -> bool:
        return self.peran == Peran.PENGAWAS

    @property
    def is_admin_role(self) -> bool:
        return self.peran == Peran.ADMIN


class TokenApiQuerySet(ScopedQuerySet):
    pass


class TokenApi(models.Model):
    """A key to the read-only JSON API (/api/v1/, DESIGN §11): a person's own, shown once when made.

    Only the SHA-256 of the key is stored (the key carries 256 random bits, so a plain hash is enough: no
    salt or slow hash is needed against guessing), with its first characters (`awalan`) to tell keys apart.
    """

    pengguna = models.ForeignKey(User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="token_api")
    nama = models.CharField(_("nama"), max_length=100, help_text=_("Untuk apa token ini, misalnya “skrip laporan”."))
    awalan = models.CharField(_("awalan"), max_length=12, unique=True, editable=False)
    kunci_hash = models.CharField(_("hash kunci"), max_length=64, unique=True, editable=False)
    dibuat_pada = models.DateTimeField(_("dibuat"), auto_now_add=True)
    kedaluwarsa = models.DateTimeField(
        _("berlaku sampai"), null=True, blank=True, help_text=_("Kosong: berlaku sampai dicabut.")
    )
    dicabut = models.DateTimeField(_("dicabut"), null=True, blank=True, editable=False)
    terakhir_dipakai = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)

    opd_lookup = "pengguna__opd"
    objects = TokenApiQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-dibuat_pada", "-pk"]

    def __str__(self) -> str:
        return f"{self.awalan}… ({self.nama})"

    @property
    def status(self) -> str:
        """'dicabut', 'kedaluwarsa' or 'aktif' (now)."""
        if self.dicabut is not None:
            return "dicabut"
        if self.kedaluwarsa is not None and self.kedaluwarsa <= timezone.now():
            return "kedaluwarsa"
        return "aktif"
