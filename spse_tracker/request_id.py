"""One id per request: taken from the load balancer or made here, returned as X-Request-ID,
written into every log line and shown on the error page so a user can quote it to IT.

The id lives in a context variable as well as on the request, so log records written by
code that never sees the request (selectors, services, Django's own django.request logger)
carry it too.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# Outside a request (management commands, the worker) log lines show this instead.
NO_REQUEST = "-"
# What a load balancer sends (nginx's $request_id, a UUID, a trace id) fits here; anything else,
# spaces and newlines above all, could forge or break log lines, so it is replaced.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def get_request_id() -> str:
    """The id of the request being served in this thread or task, or "-" outside one."""
    return _current.get()


def _choose(incoming: str | None) -> str:
    if incoming and _SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that everything after it, errors included, logs with the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _choose(request.headers.get(HEADER))
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record the handler sees (for `%(request_id)s` in formats)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = get_request_id()
        return True
