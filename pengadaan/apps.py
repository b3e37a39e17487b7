from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PengadaanConfig(AppConfig):
    name = "pengadaan"
    verbose_name = _("Pengadaan")

    def ready(self) -> None:
        from pengadaan import checks  # noqa: F401 -- registers the system checks
        from pengadaan.dashboards import invalidation

        invalidation.connect_receivers()
