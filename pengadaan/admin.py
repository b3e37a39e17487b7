"""Django admin for procurement data, scoped by the one access helper; history through simple-history."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from opd.admin import ImporButtonMixin, ScopedAdminMixin
from pengadaan import itkp_admin  # noqa: F401 -- registers the ITKP settings pages
from pengadaan.models import (
    BuktiRealisasi,
    ImportJob,
    PaketRup,
    Pencatatan,
    PencatatanRup,
    Penyedia,
    Realisasi,
    RedFlagReview,
)


@admin.register(PaketRup)
class PaketRupAdmin(ImporButtonMixin, ScopedAdminMixin, admin.ModelAdmin):
    impor_kinds = (("rup-penyedia", _("Impor RUP penyedia")), ("rup-swakelola", _("Impor RUP swakelola")))
    list_display = ("kd_rup", "nama_paket", "opd", "tahun_anggaran", "tipe_paket", "metode_pengadaan", "pagu")
    list_filter = ("tahun_anggaran", "tipe_paket", "metode_pengadaan", "status_aktif_rup", "opd")
    search_fields = ("kd_rup", "nama_paket", "nama_ppk")
    list_select_related = ("opd",)
    autocomplete_fields = ("opd",)


class PencatatanRupInline(admin.TabularInline):
    model = PencatatanRup
    autocomplete_fields = ("paket",)
    extra = 0


class RealisasiInline(admin.TabularInline):
    model = Realisasi
    fields = ("jenis_realisasi", "no_realisasi", "tgl_realisasi", "nilai_realisasi", "penyedia", "tgl_dicatat")
    autocomplete_fields = ("penyedia",)
    extra = 0


@admin.register(Pencatatan)
class PencatatanAdmin(ImporButtonMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    impor_kinds = (("nontender", _("Impor non tender")), ("swakelola", _("Impor swakelola")))
    list_display = ("nama_paket", "opd", "jenis", "tahun_anggaran", "status", "pagu", "kd_rup", "tgl_buat_paket")
    list_filter = ("tahun_anggaran", "jenis", "status", "mtd_pemilihan", "kategori_pengadaan", "sumber", "opd")
    search_fields = ("nama_paket", "kd_rup", "kd_nontender_pct", "kd_swakelola_pct", "nama_ppk", "nip_ppk")
    list_select_related = ("opd",)
    autocomplete_fields = ("opd", "ppk", "pptk")
    readonly_fields = ("kd_rup", "versi", "dibuat_oleh", "dibuat_pada", "diubah_pada")
    inlines = (PencatatanRupInline, RealisasiInline)
    date_hierarchy = "tgl_buat_paket"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # RUP links edited in the inline are saved after the record, and links have no history of their own:
        # keep kd_rup (which the history copies) in step with the links, so that the change is in the history.
        obj = form.instance
        kd_rup = ";".join(str(k) for k in sorted(obj.paket_rup.values_list("kd_rup", flat=True)))
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


@admin.register(BuktiRealisasi)
class BuktiRealisasiAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("nama_asli", "realisasi", "tipe_konten", "ukuran", "diunggah_oleh", "diunggah_pada")
    list_filter = ("tipe_konten",)
    search_fields = ("nama_asli", "realisasi__no_realisasi")
    list_select_related = ("realisasi", "diunggah_oleh")
    raw_id_fields = ("realisasi",)


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
    exclude = ("isi_berkas",)
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "isi_berkas"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).defer("isi_berkas")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RedFlagReview)
class RedFlagReviewAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Reviews of red flags by pengawas (who, when, note); written from the red flag page."""

    list_display = ("kode", "rule", "tahun", "opd", "ditinjau_oleh", "ditinjau_pada")
    list_filter = ("rule", "tahun", "opd")
    search_fields = ("kode", "catatan")
    list_select_related = ("opd", "ditinjau_oleh")
    readonly_fields = ("ditinjau_oleh", "ditinjau_pada")

    def save_model(self, request, obj, form, change):
        # The reviewer is read-only here and required: whoever writes the note is its reviewer, as on the
        # red flag page (without this, adding a review in the admin failed on the empty reviewer).
        obj.ditinjau_oleh = request.user
        if change:
            obj.ditinjau_pada = timezone.now()
        super().save_model(request, obj, form, change)
