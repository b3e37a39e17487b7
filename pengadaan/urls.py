from django.urls import path, register_converter
from django.views.generic import RedirectView

from pengadaan.views import (
    dashboard,
    impor,
    ocds,
    pencatatan,
    pengingat,
    realisasi,
    rekonsiliasi,
    rup,
    tanda_bahaya,
    tugas,
)


class JenisConverter:
    """Only the two kinds of pencatatan; anything else is a plain 404."""

    regex = "non_tender|swakelola"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(JenisConverter, "jenis")

urlpatterns = [
    path("pencatatan/", pencatatan.pencatatan_list, name="pencatatan_list"),
    path("opd/<int:opd_pk>/pencatatan/baru/<jenis:jenis>/", pencatatan.pencatatan_create, name="pencatatan_create"),
    path("opd/<int:opd_pk>/rup/", rup.rup_list, name="rup_list"),
    path("pencatatan/<int:pk>/", pencatatan.pencatatan_detail, name="pencatatan_detail"),
    path("pencatatan/<int:pk>/ubah/", pencatatan.pencatatan_update, name="pencatatan_update"),
    path("pencatatan/<int:pk>/status/", pencatatan.pencatatan_status, name="pencatatan_status"),
    path("pencatatan/<int:pk>/selesai/", pencatatan.pencatatan_selesai, name="pencatatan_selesai"),
    path("pencatatan/<int:pk>/hapus/", pencatatan.pencatatan_delete, name="pencatatan_delete"),
    path("pencatatan/<int:pk>/realisasi/", realisasi.realisasi_add, name="realisasi_add"),
    path("realisasi/<int:pk>/ubah/", realisasi.realisasi_update, name="realisasi_update"),
    path("realisasi/<int:pk>/hapus/", realisasi.realisasi_delete, name="realisasi_delete"),
    path("realisasi/<int:pk>/bukti/", realisasi.bukti_add, name="bukti_add"),
    path("bukti/<int:pk>/", realisasi.bukti_download, name="bukti_unduh"),
    path("bukti/<int:pk>/hapus/", realisasi.bukti_delete, name="bukti_delete"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("opd/<int:pk>/dashboard/", dashboard.opd_dashboard, name="opd_dashboard"),
    path("ringkasan/status/", dashboard.ringkasan_status, name="ringkasan_status"),
    # the address before the dashboards had one name; bookmarks and e-mailed links keep working
    path("opd/<int:pk>/dasbor/", RedirectView.as_view(pattern_name="opd_dashboard", permanent=True, query_string=True)),
    path("opd/<int:pk>/pengingat/", pengingat.pengingat_preview, name="pengingat_preview"),
    path("tanda-bahaya/", tanda_bahaya.tanda_bahaya_list, name="tanda_bahaya_list"),
    path("tanda-bahaya/tinjau/", tanda_bahaya.tanda_bahaya_review, name="tanda_bahaya_review"),
    path("rekonsiliasi/", rekonsiliasi.rekonsiliasi, name="rekonsiliasi"),
    path("opd/<int:pk>/rekonsiliasi/", rekonsiliasi.opd_rekonsiliasi, name="opd_rekonsiliasi"),
    path("padanan/<int:pk>/konfirmasi/", rekonsiliasi.padanan_konfirmasi, name="padanan_konfirmasi"),
    path("padanan/<int:pk>/tolak/", rekonsiliasi.padanan_tolak, name="padanan_tolak"),
    path("impor/", impor.impor_list, name="impor_list"),
    path("impor/<int:pk>/", impor.impor_detail, name="impor_detail"),
    path("impor/<int:pk>/tulis/", impor.impor_confirm, name="impor_confirm"),
    path("impor/<int:pk>/kesalahan.xlsx", impor.impor_errors, name="impor_errors"),
    path("impor/templat/<str:kind>.xlsx", impor.impor_template, name="impor_template"),
    path("impor/ekspor/<str:kind>/", impor.impor_export, name="impor_export"),
    path("tugas/", tugas.tugas_saya, name="tugas_saya"),
    path("ocds/rilis.json", ocds.ocds_rilis, name="ocds_rilis"),
]
