"""Browser preview of the reminder e-mail an OPD receives (pengawas and admin)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opd.access import get_object_for_user
from opd.models import Opd
from pengadaan import pengingat, rules
from pengadaan.views.params import tahun_param


@login_required
def pengingat_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Exactly the e-mail `kirim_pengingat` would send the OPD today. Only city roles: others 403."""
    if not rules.can_send_reminders(request.user):
        raise PermissionDenied
    opd = get_object_for_user(Opd.objects, request.user, pk=pk)
    tahun = tahun_param(request)
    digests = pengingat.build_digests(tahun=tahun, opd_ids=[opd.pk])
    digest = digests[0] if digests else None  # None: an inactive OPD, which gets no reminder
    subject = html = ""
    if digest is not None:
        subject, _text, html = pengingat.render_digest(digest)
    context = {
        "opd": opd,
        "tahun": tahun,
        "digest": digest,
        "akan_dikirim": bool(digest and digest.ada_isi and digest.penerima),
        "subject": subject,
        "html_body": html,  # our own autoescaped template output (a SafeString)
    }
    return render(request, "pengadaan/pengingat_preview.html", context)
