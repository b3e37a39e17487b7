"""The 500 page: Indonesian, with the request id for IT, and safe when the database is down; the favicon."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.utils.html import escape
from django.views.decorators.csrf import requires_csrf_token

from spse_tracker.request_id import NO_REQUEST, get_request_id


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponseServerError:
    """Render 500.html with a plain context: no context processors, so no session, user or query.

    If even that fails (a broken template, a missing translation catalogue), answer a bare page
    rather than raise from the error handler.
    """
    request_id = getattr(request, "request_id", None) or get_request_id()
    if request_id == NO_REQUEST:
        request_id = ""
    try:
        html = loader.get_template(template_name).render({"request_id": request_id})
    except Exception:  # the last resort must not raise
        html = (
            # both languages: without the catalogue the reader's language cannot be known
            "<!doctype html><html lang='id'><title>Kesalahan server / Server error</title>"
            f"<h1>Kesalahan server</h1><p>Kode kejadian: {escape(request_id)}</p>"
            f"<p lang='en'>Server error. Incident code: {escape(request_id)}</p></html>"
        )
    return HttpResponseServerError(html)


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page says; they get the SVG icon base.html links to."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
