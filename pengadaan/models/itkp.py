"""ITKP (Indeks Tata Kelola Pengadaan) as data (DESIGN §6): methodologies, indicators, bands, predicates
and the values an administrator enters per year.

LKPP changes the method often, so nothing about it is hard-coded: a methodology applies from its
`tahun_berlaku` until a later one starts (the methodology for year T is the one with the greatest
`tahun_berlaku` ≤ T). Two are seeded by migration `0003_itkp_seed`, editable in the admin afterwards.

Scoring of one indicator (computed in `pengadaan.itkp`):

- `manual` indicators take the points an administrator entered for the year in `NilaiManualItkp.poin`;
  a year without a value counts 0 and the projection lists the indicator as missing.
- `dihitung` indicators take a percentage: this app's `persen_tercatat` (DESIGN §5), unless an
  administrator entered `NilaiManualItkp.persen` for that year, which then replaces it. The
  percentage scores by the band with the greatest `persen_min` ≤ the percentage (0 when none
  matches); an indicator *without* bands scores proportionally: persen / 100 × `poin_maks`.

Why a percentage override: Kepka 74/2026's *Digitalisasi PBJ* is (e-tendering + e-purchasing + e-PL +
e-PnL + pencatatan non tender + pencatatan swakelola) / total RUP. This app knows only the pencatatan
part, so by default it projects with `persen_tercatat` as the measurable proxy; an administrator who
has the full figure (from SPSE/LKPP monitoring) enters it once per year as `persen` and the projection
uses it instead. One nullable field on the per-year value keeps that to one table and one admin page,
instead of a second model for the e-tendering/e-purchasing parts and their pagu shares.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TAHUN_WAJAR = Q(tahun_berlaku__gte=2000, tahun_berlaku__lte=2100)


class MetodologiItkpQuerySet(models.QuerySet):
    def untuk_tahun(self, tahun: int) -> MetodologiItkpQuerySet:
        """The methodologies already in force in `tahun`, the one that applies (latest start) first."""
        return self.filter(tahun_berlaku__lte=tahun).order_by("-tahun_berlaku")


class MetodologiItkp(models.Model):
    nama = models.CharField(
        _("nama"), max_length=100, unique=True, help_text=_("Dasar penilaian, misalnya “SE 5/2025”.")
    )
    tahun_berlaku = models.PositiveSmallIntegerField(
        _("berlaku mulai tahun"),
        unique=True,
        help_text=_(
            "Tahun pertama metodologi ini dipakai. Tahun T memakai metodologi dengan tahun berlaku terbesar "
            "yang tidak melebihi T."
        ),
    )
    keterangan = models.TextField(_("keterangan"), blank=True)

    objects = MetodologiItkpQuerySet.as_manager()

    class Meta:
        verbose_name = _("metodologi ITKP")
        verbose_name_plural = _("metodologi ITKP")
        ordering = ["-tahun_berlaku"]
        constraints = [
            models.CheckConstraint(
                condition=TAHUN_WAJAR,
                name="metodologiitkp_tahun_wajar",
                violation_error_message=_("Tahun harus antara 2000 dan 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.tahun_berlaku})"


class IndikatorItkp(models.Model):
    class Sumber(models.TextChoices):
        DIHITUNG = "dihitung", _("Dihitung dari pencatatan")
        MANUAL = "manual", _("Diisi admin")

    metodologi = models.ForeignKey(
        MetodologiItkp, verbose_name=_("metodologi"), on_delete=models.CASCADE, related_name="indikator"
    )
    kode = models.SlugField(_("kode"), max_length=50, help_text=_("Kode singkat, unik dalam satu metodologi."))
    nama = models.CharField(_("nama"), max_length=200)
    komponen = models.CharField(
        _("komponen"),
        max_length=100,
        help_text=_("Misalnya “Pemanfaatan Sistem Pengadaan”, “SDM”, “Kematangan UKPBJ”, “Integritas”."),
    )
    poin_maks = models.DecimalField(_("poin maksimal"), max_digits=6, decimal_places=2)
    sumber = models.CharField(
        _("sumber nilai"),
        max_length=10,
        choices=Sumber.choices,
        help_text=_(
            "Dihitung: dari persen pagu RUP non tender dan swakelola yang tercatat (bisa diganti persen yang "
            "diisi admin per tahun). Diisi admin: poinnya diisi per tahun."
        ),
    )
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("indikator ITKP")
        verbose_name_plural = _("indikator ITKP")
        ordering = ["metodologi", "urutan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["metodologi", "kode"], name="indikatoritkp_kode_unik_per_metodologi"),
            models.CheckConstraint(
                condition=Q(poin_maks__gt=0),
                name="indikatoritkp_poin_maks_positif",
                violation_error_message=_("Poin maksimal harus lebih dari 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metodologi.nama} — {self.nama}"


class BandSkorItkp(models.Model):
    indikator = models.ForeignKey(
        IndikatorItkp, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="band"
    )
    persen_min = models.DecimalField(
        _("persen minimal"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Batas bawah (termasuk). Persen indikator memakai band dengan batas bawah terbesar yang dicapai."),
    )
    poin = models.DecimalField(_("poin"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("band skor ITKP")
        verbose_name_plural = _("band skor ITKP")
        ordering = ["indikator", "-persen_min"]
        constraints = [
            models.UniqueConstraint(fields=["indikator", "persen_min"], name="bandskoritkp_persen_unik"),
            models.CheckConstraint(
                condition=Q(persen_min__gte=0, persen_min__lte=100),
                name="bandskoritkp_persen_0_100",
                violation_error_message=_("Persen minimal harus antara 0 dan 100."),
            ),
            models.CheckConstraint(
                condition=Q(poin__gte=0),
                name="bandskoritkp_poin_tidak_negatif",
                violation_error_message=_("Poin tidak boleh negatif."),
            ),
        ]

    def __str__(self) -> str:
        return f"≥ {self.persen_min}% → {self.poin}"

    def clean(self) -> None:
        if self.indikator_id is None or self.poin is None:
            return
        if self.poin > self.indikator.poin_maks:
            raise ValidationError(
                {
                    "poin": _("Poin band tidak boleh melebihi poin maksimal indikator (%(maks)s).")
                    % {"maks": self.indikator.poin_maks}
                }
            )


class PredikatItkp(models.Model):
    metodologi = models.ForeignKey(
        MetodologiItkp, verbose_name=_("metodologi"), on_delete=models.CASCADE, related_name="predikat"
    )
    nama = models.CharField(_("nama"), max_length=50)
    skor_min = models.DecimalField(
        _("skor minimal"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Batas bawah (termasuk). Skor memakai predikat dengan skor minimal terbesar yang dicapai."),
    )

    class Meta:
        verbose_name = _("predikat ITKP")
        verbose_name_plural = _("predikat ITKP")
        ordering = ["metodologi", "skor_min"]
        constraints = [
            models.UniqueConstraint(fields=["metodologi", "skor_min"], name="predikatitkp_skor_min_unik"),
            models.UniqueConstraint(fields=["metodologi", "nama"], name="predikatitkp_nama_unik"),
            models.CheckConstraint(
                condition=Q(skor_min__gte=0, skor_min__lte=100),
                name="predikatitkp_skor_0_100",
                violation_error_message=_("Skor minimal harus antara 0 dan 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} (≥ {self.skor_min})"


class NilaiManualItkp(models.Model):
    indikator = models.ForeignKey(
        IndikatorItkp, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="nilai_manual"
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"), help_text=_("Tahun anggaran yang dinilai."))
    poin = models.DecimalField(
        _("poin"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Untuk indikator yang diisi admin: poin yang diperoleh tahun ini, dari 0 sampai poin maksimal "
            "indikator (misalnya dari hasil penilaian mandiri atau verifikasi LKPP)."
        ),
    )
    persen = models.DecimalField(
        _("persen pengganti"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Untuk indikator yang dihitung: persen lengkap bila sudah diketahui (misalnya Digitalisasi PBJ = "
            "e-tendering + e-purchasing + e-PL + e-PnL + pencatatan, dibagi total RUP). Menggantikan persen "
            "tercatat aplikasi ini untuk tahun tersebut."
        ),
    )
    keterangan = models.TextField(_("keterangan"), blank=True, help_text=_("Sumber nilai, misalnya dokumen LKPP."))

    class Meta:
        verbose_name = _("nilai ITKP per tahun")
        verbose_name_plural = _("nilai ITKP per tahun")
        ordering = ["-tahun", "indikator"]
        constraints = [
            models.UniqueConstraint(fields=["indikator", "tahun"], name="nilaimanualitkp_indikator_tahun_unik"),
            models.CheckConstraint(
                condition=Q(poin__gte=0),
                name="nilaimanualitkp_poin_tidak_negatif",
                violation_error_message=_("Poin tidak boleh negatif."),
            ),
            models.CheckConstraint(
                condition=Q(persen__gte=0, persen__lte=100),
                name="nilaimanualitkp_persen_0_100",
                violation_error_message=_("Persen harus antara 0 dan 100."),
            ),
            # Exactly one of the two: points for a manual indicator, a percentage for a computed one.
            models.CheckConstraint(
                condition=Q(poin__isnull=False, persen__isnull=True) | Q(poin__isnull=True, persen__isnull=False),
                name="nilaimanualitkp_poin_atau_persen",
                violation_error_message=_(
                    "Isi salah satu saja: poin (indikator yang diisi admin) "
                    "atau persen pengganti (indikator yang dihitung)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tahun__gte=2000, tahun__lte=2100),
                name="nilaimanualitkp_tahun_wajar",
                violation_error_message=_("Tahun harus antara 2000 dan 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indikator} {self.tahun}"

    def clean(self) -> None:
        if self.indikator_id is None:
            return
        indikator = self.indikator
        errors: dict[str, str] = {}
        if indikator.sumber == IndikatorItkp.Sumber.MANUAL:
            if self.poin is None:
                errors["poin"] = _("Indikator ini diisi admin: isikan poinnya.")
            elif self.poin > indikator.poin_maks:
                errors["poin"] = _("Poin tidak boleh melebihi poin maksimal indikator (%(maks)s).") % {
                    "maks": indikator.poin_maks
                }
            if self.persen is not None:
                errors["persen"] = _("Persen pengganti hanya untuk indikator yang dihitung.")
        else:
            if self.persen is None:
                errors["persen"] = _("Indikator ini dihitung: isikan persen penggantinya.")
            if self.poin is not None:
                errors["poin"] = _("Poin indikator yang dihitung berasal dari band skornya; kosongkan.")
        if self.tahun is not None:
            berlaku = MetodologiItkp.objects.untuk_tahun(self.tahun).first()
            if berlaku is None or berlaku.pk != indikator.metodologi_id:
                errors["tahun"] = _(
                    "Tahun %(tahun)s tidak memakai metodologi %(metodologi)s, jadi nilai ini tidak akan terpakai."
                ) % {"tahun": self.tahun, "metodologi": indikator.metodologi.nama}
        if errors:
            raise ValidationError(errors)
