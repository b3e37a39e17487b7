from django.contrib import admin
from django.urls import include, path

from opd import views as opd_views

urlpatterns = [
    path("", opd_views.beranda, name="beranda"),
    path("opd/", include("opd.urls")),
    path("", include("pengadaan.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", opd_views.healthz, name="healthz"),
]

# The 500 page quotes the request id ("Kode kejadian") and renders without the database.
handler500 = "spse_tracker.views.server_error"
