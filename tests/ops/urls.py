"""Test-only URLs: the project's own, plus views that fail on purpose."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from spse_tracker.urls import handler500
from spse_tracker.urls import urlpatterns as project_urlpatterns

logger = logging.getLogger("tests.ops")


def boom(request: HttpRequest) -> HttpResponse:
    logger.warning("about to fail")
    raise RuntimeError("a bug in a view")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: Connection refused')


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    path("_uji/boom/", boom),
    path("_uji/database-down/", database_down),
    path("_uji/forbidden/", forbidden),
    *project_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
