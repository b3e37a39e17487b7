"""The reason of a history entry (simple-history's `history_change_reason`) in the reader's language.

Writers store the reason as text, in the language of whoever wrote: a status change in
`pengadaan.services` ("Status: Berjalan"), an import (`pengadaan.imports.jobs`, "Impor #12: rup.xlsx"),
the demo data. Those known reasons are recognised here in every language of the site and said again in
the active one, so an entry written by an Indonesian office reads in English on an English page and
the other way round. Any other text is shown as it was stored.
"""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from pengadaan.models import Status

REOPENED = gettext_noop("Dibuka kembali")
STATUS = gettext_noop("Status: %(s)s")
IMPORT = gettext_noop("Impor #%(id)d: %(file)s")
DEMO = gettext_noop("Data demo")


@cache
def _known() -> tuple[dict[str, tuple[str, str | None]], tuple[re.Pattern, ...]]:
    """Every language's rendering of the fixed reasons → (msgid, status), and a pattern per language of
    the import reason. Computed once: the catalogues do not change while the process runs."""
    fixed: dict[str, tuple[str, str | None]] = {}
    imports: list[re.Pattern] = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            fixed[gettext(REOPENED)] = (REOPENED, None)
            fixed[gettext(DEMO)] = (DEMO, None)
            for status in Status:
                fixed[gettext(STATUS) % {"s": status.label}] = (STATUS, status.value)
            before, rest = gettext(IMPORT).split("%(id)d", 1)
            # the stored reason is cut at 100 characters (the history column): nothing after the file name counts
            between = rest.split("%(file)s", 1)[0]
            imports.append(re.compile(rf"{re.escape(before)}(?P<id>\d+){re.escape(between)}(?P<file>.*)"))
    return fixed, tuple(imports)


def alasan_tampil(stored: str | None) -> str:
    """`stored` said again in the active language when it is a reason the app writes; else as stored."""
    if not stored:
        return ""
    fixed, imports = _known()
    if stored in fixed:
        msgid, status = fixed[stored]
        return gettext(msgid) % {"s": Status(status).label} if status else gettext(msgid)
    for pattern in imports:
        if match := pattern.fullmatch(stored):
            return gettext(IMPORT) % {"id": int(match["id"]), "file": match["file"]}
    return stored
