"""Django admin for procurement data, scoped by the one access helper; history through simple-history."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from opd.admin import ImporButtonMixin, ScopedAdminMixin
from pengadaan import (
    itkp_admin,  # noqa: F401 -- registers the ITKP settings pages
    rules,
    services,
)
from pengadaan.itkp_admin import polos
from pengadaan.models import (
    BuktiRealisasi,
    CatatanData,
    ImportJob,
    PaketRup,
    Pencatatan,
    PencatatanRup,
    Penyedia,
    Realisasi,
    TinjauanTandaBahaya,
)
from pengadaan.models.pencatatan import gabung_kd_rup


@admin.register(PaketRup)
class PaketRupAdmin(ImporButtonMixin, ScopedAdminMixin, admin.ModelAdmin):
    impor_kinds = (("rup-penyedia", _("Impor RUP penyedia")), ("rup-swakelola", _("Impor RUP swakelola")))
    list_display = (
        polos(PaketRup, "kd_rup"),
        "nama_paket",
        "opd",
        polos(PaketRup, "tahun_anggaran"),
        "tipe_paket",
        "metode_pengadaan",
        "pagu",
    )
    list_filter = ("tahun_anggaran", "tipe_paket", "metode_pengadaan", "status_aktif_rup", "opd")
    search_fields = ("kd_rup", "nama_paket", "nama_ppk")
    list_select_related = ("opd",)
    autocomplete_fields = ("opd",)


class PencatatanRupInline(admin.TabularInline):
    model = PencatatanRup
    autocomplete_fields = ("paket",)
    extra = 0


class RealisasiInline(admin.TabularInline):
    """The record's payments, to read or delete; each is added and changed on its own page, where its rules
    (Realisasi.check_not_in_future, .check_within_pagu) are checked one payment at a time."""

    model = Realisasi
    fields = ("jenis_realisasi", "no_realisasi", "tgl_realisasi", "nilai_realisasi", "penyedia", "tgl_dicatat")
    readonly_fields = fields
    show_change_link = True
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class CatatanDataInline(admin.TabularInline):
    """Values SPSE published against the entry rules (DESIGN §4): written by imports only, read here."""

    model = CatatanData
    fields = ("kolom", "aturan", "nilai", "realisasi", "impor", "dibuat_pada")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PencatatanAdminForm(forms.ModelForm):
    """The admin's record form, with the same optimistic lock as the record page (DESIGN §4)."""

    # no Meta: the admin builds the form for its model and fieldsets
    versi_dimuat = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # the version saved now, also on a history page that shows an older version to revert to
            self.fields["versi_dimuat"].initial = (
                Pencatatan.objects.filter(pk=self.instance.pk).values_list("versi", flat=True).first()
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            # the admin's change page runs in one transaction: the lock holds until the save
            current = Pencatatan.objects.select_for_update().get(pk=self.instance.pk)
            try:
                services.check_versi(current, cleaned.get("versi_dimuat"))
            except services.ConcurrentEditError as exc:
                raise ValidationError(_conflict_message(exc)) from exc
        return cleaned


def _conflict_message(exc: services.ConcurrentEditError) -> str:
    fields = ", ".join(str(c.label) for c in exc.changes)
    if exc.by and fields:
        message = gettext("%(by)s menyimpan pencatatan ini setelah Anda membukanya (mengubah: %(fields)s).") % {
            "by": exc.by,
            "fields": fields,
        }
    else:
        message = gettext("Pencatatan ini disimpan orang lain setelah Anda membukanya.")
    return message + " " + gettext("Buka ulang halaman ini untuk melihat data terbaru, lalu ulangi perubahan Anda.")


@admin.register(Pencatatan)
class PencatatanAdmin(ImporButtonMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    impor_kinds = (("nontender", _("Impor non tender")), ("swakelola", _("Impor swakelola")))
    list_display = (
        "nama_paket",
        "opd",
        "jenis",
        polos(Pencatatan, "tahun_anggaran"),
        "status",
        "pagu",
        "kd_rup",
        "tgl_buat_paket",
    )
    list_filter = ("tahun_anggaran", "jenis", "status", "mtd_pemilihan", "kategori_pengadaan", "sumber", "opd")
    search_fields = ("nama_paket", "kd_rup", "kd_nontender_pct", "kd_swakelola_pct", "nama_ppk", "nip_ppk")
    list_select_related = ("opd",)
    autocomplete_fields = ("opd", "ppk", "pptk")
    readonly_fields = ("kd_rup", "versi", "dibuat_oleh", "dibuat_pada", "diubah_pada")
    inlines = (PencatatanRupInline, RealisasiInline, CatatanDataInline)
    date_hierarchy = "tgl_buat_paket"
    form = PencatatanAdminForm

    def save_model(self, request, obj, form, change):
        if change:
            obj.versi = form.cleaned_data["versi_dimuat"] + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # RUP links edited in the inline are saved after the record, and links have no history of their own:
        # keep kd_rup (which the history copies) in step with the links, so that the change is in the history.
        obj = form.instance
        kd_rup = gabung_kd_rup(obj.paket_rup.values_list("kd_rup", flat=True))
        if kd_rup != obj.kd_rup:
            obj.kd_rup = kd_rup
            obj.save(update_fields=["kd_rup"])


@admin.register(Realisasi)
class RealisasiAdmin(ImporButtonMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    impor_kinds = (
        ("nontender-realisasi", _("Impor realisasi non tender")),
        ("swakelola-realisasi", _("Impor realisasi swakelola")),
    )
    list_display = ("no_realisasi", "pencatatan", "jenis_realisasi", "tgl_realisasi", "nilai_realisasi", "tgl_dicatat")
    list_filter = ("jenis_realisasi", "pencatatan__tahun_anggaran", "pencatatan__opd")
    search_fields = ("no_realisasi", "pencatatan__nama_paket", "penyedia__nama", "penyedia__npwp")
    list_select_related = ("pencatatan", "penyedia")
    autocomplete_fields = ("pencatatan", "penyedia")


class BuktiRealisasiAdminForm(forms.ModelForm):
    """A proof file uploaded in the admin passes the same checks as on the record page (type by content, size)."""

    class Meta:
        model = BuktiRealisasi
        fields = ("realisasi", "berkas", "nama_asli")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nama_asli"].required = False
        self.fields["nama_asli"].help_text = _("Kosongkan untuk memakai nama berkas yang diunggah.")
        self.content_type = None

    def clean_berkas(self):
        upload = self.cleaned_data["berkas"]
        if isinstance(upload, UploadedFile):  # a new file, not the one already stored
            try:
                self.content_type = services.check_bukti(upload)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["berkas"]) from exc
        return upload


@admin.register(BuktiRealisasi)
class BuktiRealisasiAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = BuktiRealisasiAdminForm
    list_display = ("nama_asli", "realisasi", "tipe_konten", "ukuran", "diunggah_oleh", "diunggah_pada")
    list_filter = ("tipe_konten",)
    search_fields = ("nama_asli", "realisasi__no_realisasi")
    list_select_related = ("realisasi", "diunggah_oleh")
    raw_id_fields = ("realisasi",)
    readonly_fields = ("tipe_konten", "ukuran", "diunggah_oleh", "diunggah_pada")

    def save_model(self, request, obj, form, change):
        # what the file is comes from the file itself, never from the form (a replaced file's old copy
        # is deleted after the save commits: the receiver in pengadaan.models.realisasi)
        upload = form.cleaned_data.get("berkas")
        if form.content_type is not None:
            obj.tipe_konten, obj.ukuran = form.content_type, upload.size
            if not obj.nama_asli:
                obj.nama_asli = services.original_name(upload)
            if not change:
                obj.diunggah_oleh = request.user
        super().save_model(request, obj, form, change)


@admin.register(Penyedia)
class PenyediaAdmin(admin.ModelAdmin):
    # Suppliers are shared by every OPD (one NPWP, one supplier), so they are not scoped.
    list_display = ("nama", "npwp")
    search_fields = ("nama", "npwp")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only record of every bulk import (who, what file, outcome)."""

    list_display = ("pk", "jenis", "nama_berkas", "status", "jumlah_baris", "dibuat_oleh", "dibuat_pada")
    list_filter = ("jenis", "status")
    search_fields = ("nama_berkas",)
    exclude = ("isi_berkas", "ringkasan", "kesalahan")
    readonly_fields = [
        *(f.name for f in ImportJob._meta.fields if f.name not in ("isi_berkas", "ringkasan", "kesalahan")),
        "hasil",
        "daftar_kesalahan",
    ]

    @admin.display(description=_("hasil"))
    def hasil(self, job: ImportJob) -> str:
        counts = job.ringkasan or {}
        if not counts:
            return "–"
        labels = (
            ("total", _("baris")),
            ("dibuat", _("dibuat")),
            ("diperbarui", _("diperbarui")),
            ("tidak_berubah", _("tidak berubah")),
            ("dilewati", _("dilewati")),
        )
        parts = [f"{label} {counts[key]}" for key, label in labels if key in counts]
        if counts.get("dengan_catatan"):
            parts.append(_("dengan catatan data %(n)d") % {"n": counts["dengan_catatan"]})
        if counts.get("cocok") or counts.get("perlu_konfirmasi"):
            parts.append(
                _("%(n)d cocok dengan catatan aplikasi, %(m)d perlu dikonfirmasi")
                % {"n": counts.get("cocok", 0), "m": counts.get("perlu_konfirmasi", 0)}
            )
        written = _("ditulis") if counts.get("ditulis") else _("belum/tidak ditulis")
        return ", ".join(parts) + f" ({written})"

    @admin.display(description=_("kesalahan"))
    def daftar_kesalahan(self, job: ImportJob) -> str:
        if not job.kesalahan:
            return "–"
        return format_html(
            '{} <a href="{}">{}</a>',
            ngettext("%(n)d kesalahan", "%(n)d kesalahan", len(job.kesalahan)) % {"n": len(job.kesalahan)},
            reverse("impor_detail", args=[job.pk]),
            _("lihat baris, kolom dan alasannya"),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).defer("isi_berkas")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TinjauanTandaBahaya)
class TinjauanTandaBahayaAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Reviews of red flags by pengawas (who, when, note); written from the red flag page."""

    list_display = ("kode", "rule", polos(TinjauanTandaBahaya, "tahun"), "opd", "ditinjau_oleh", "ditinjau_pada")
    list_filter = ("rule", "tahun", "opd")
    search_fields = ("kode", "catatan")
    list_select_related = ("opd", "ditinjau_oleh")
    readonly_fields = ("ditinjau_oleh", "ditinjau_pada")

    def has_add_permission(self, request) -> bool:
        return rules.can_review_tanda_bahaya(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return rules.can_review_tanda_bahaya(request.user) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # The reviewer is read-only here and required: whoever writes the note is its reviewer, as on the
        # red flag page (without this, adding a review in the admin failed on the empty reviewer).
        obj.ditinjau_oleh = request.user
        if change:
            obj.ditinjau_pada = timezone.now()
        super().save_model(request, obj, form, change)
