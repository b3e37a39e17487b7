"""System checks of the app's own settings, run by every `manage.py` command and at startup."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext as _

# An ocid prefix as the Open Contracting Partnership assigns them: `ocds-` and six letters or digits.
OCID_PREFIX = re.compile(r"ocds-[a-z0-9]{6}")


@register()
def check_ocds_ocid_prefix(app_configs, **kwargs) -> list[Error]:
    """OCDS_OCID_PREFIX has the shape of a registered prefix (DESIGN §11), or every ocid would be wrong."""
    prefix = getattr(settings, "OCDS_OCID_PREFIX", "")
    if isinstance(prefix, str) and OCID_PREFIX.fullmatch(prefix):
        return []
    return [
        Error(
            _("OCDS_OCID_PREFIX %(prefix)r bukan prefiks ocid.") % {"prefix": prefix},
            hint=_(
                "Isi 'ocds-' diikuti enam huruf kecil atau angka, misalnya ocds-tgrkot (prefiks yang "
                "didaftarkan pemda ini di Open Contracting Partnership)."
            ),
            id="pengadaan.E001",
        )
    ]
