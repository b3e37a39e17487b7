"""Open data (DESIGN §11, §13): the OCDS release package of a year over HTTP."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from pengadaan import rules
from pengadaan.choices import TAHUN_WAJAR
from pengadaan.exports.ocds.paket import PaketRilis, tahun_dari

CONTENT_TYPE = "application/json"


def nama_berkas(tahun: int) -> str:
    return f"ocds-spse-tracker-{tahun}.json"


def ocds_rilis(request: HttpRequest) -> HttpResponse:
    """`/ocds/rilis.json?tahun=T`: the package streamed, to whoever `rules.can_read_ocds` lets read it; a
    person not signed in is sent to the login page (unless it is public), an OPD's people get 403."""
    if not rules.can_read_ocds(request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    raw = request.GET.get("tahun", "").strip()
    tahun = tahun_dari(raw) if raw else timezone.localdate().year
    if tahun is None:
        message = _("Parameter tahun harus tahun anggaran antara %(awal)d dan %(akhir)d, misalnya ?tahun=%(contoh)d.")
        return HttpResponseBadRequest(
            message % {"awal": TAHUN_WAJAR.start, "akhir": TAHUN_WAJAR.stop - 1, "contoh": timezone.localdate().year},
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(PaketRilis(tahun=tahun), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, nama_berkas(tahun))
    return response
