"""Navigation that shows each role only what it may use (`pengadaan.rules` decides).

It lives in `pengadaan`, not `opd`, because most of its items and every decision in it are the procurement
app's, and `opd` must not import `pengadaan`.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pengadaan import rules


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if rules.can_record_in_own_opd(user):  # an OPD's people: their home is "Tugas saya"
        items = [(_("Tugas saya"), reverse("tugas_saya"))]
    else:
        items = [(_("Beranda"), reverse("beranda"))]
    items.append((_("Pencatatan"), reverse("pencatatan_list")))
    if rules.can_see_all_opd(user):
        items.append((_("Dasbor"), reverse("dashboard")))
        items.append((_("Rekonsiliasi SPSE"), reverse("rekonsiliasi")))
        items.append((_("Daftar OPD"), reverse("opd_list")))
    elif user.opd_id:
        items.append((_("Dasbor"), reverse("opd_dashboard", args=[user.opd_id])))
        items.append((_("Rekonsiliasi SPSE"), reverse("opd_rekonsiliasi", args=[user.opd_id])))
        items.append((_("OPD saya"), reverse("opd_detail", args=[user.opd_id])))
    if rules.can_see_import_page(user):
        items.append((_("Impor"), reverse("impor_list")))
    if rules.can_use_django_admin(user):
        items.append((_("Admin"), reverse("admin:index")))
    path = request.path
    # the item whose URL is the longest prefix of the page is the active one
    prefixes = [url for _label, url in items if path == url or (url != "/" and path.startswith(url))]
    current = max(prefixes, key=len, default=None)
    return {"nav_items": [{"label": label, "url": url, "active": url == current} for label, url in items]}
