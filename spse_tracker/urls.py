from django.contrib import admin
from django.urls import include, path

from opd import views as opd_views
from pengadaan.api.app import urls as api_urls
from spse_tracker import views as project_views

urlpatterns = [
    path("", opd_views.beranda, name="beranda"),
    path("opd/", include("opd.urls")),
    path("akun/token/", opd_views.token_list, name="token_list"),
    path("akun/token/<int:pk>/cabut/", opd_views.token_cabut, name="token_cabut"),
    path("", include("pengadaan.urls")),
    # the read-only JSON API (DESIGN §11, §13): its URL names live in the "api" namespace
    path("api/v1/", api_urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", opd_views.healthz, name="healthz"),
    # unnamed: not a page, so not in the permission matrix; anyone (logged in or not) gets the icon
    path("favicon.ico", project_views.favicon),
]

# The 500 page quotes the request id ("Kode kejadian") and renders without the database.
handler500 = "spse_tracker.views.server_error"
