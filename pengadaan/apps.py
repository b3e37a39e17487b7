from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PengadaanConfig(AppConfig):
    name = "pengadaan"
    verbose_name = _("Pengadaan")

    def ready(self) -> None:
        # the receivers that keep the stored dashboard numbers in step with every save and delete
        from pengadaan import ringkasan  # noqa: F401
