"""The favicon: an SVG under static/, linked from every page, and /favicon.ico (which browsers ask for
anyway) redirects to it instead of answering 404."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import Client


def test_favicon_ico_redirects_to_the_svg_icon(db):
    response = Client().get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")


def test_favicon_svg_is_a_static_file_linked_from_the_pages(db):
    assert (Path(settings.BASE_DIR) / "static" / "favicon.svg").read_text().startswith("<svg ")
    content = Client().get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in content
