"""Navigation that shows each role only what it may use."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Beranda"), reverse("beranda")), (_("Pencatatan"), reverse("pencatatan_list"))]
    if user.sees_all_opd:
        items.append((_("Dasbor"), reverse("dashboard")))
        items.append((_("Daftar OPD"), reverse("opd_list")))
    elif user.opd_id:
        items.append((_("Dasbor"), reverse("opd_dashboard", args=[user.opd_id])))
        items.append((_("OPD saya"), reverse("opd_detail", args=[user.opd_id])))
    if user.is_admin_role:
        # Only the admin role holds the import permission (it is a superuser); checking the role
        # here spares every other page two permission queries.
        items.append((_("Impor"), reverse("impor_list")))
        items.append((_("Admin"), reverse("admin:index")))
    path = request.path
    # the item whose URL is the longest prefix of the page is the active one
    prefixes = [url for _label, url in items if path == url or (url != "/" and path.startswith(url))]
    current = max(prefixes, key=len, default=None)
    return {"nav_items": [{"label": label, "url": url, "active": url == current} for label, url in items]}
