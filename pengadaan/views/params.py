"""Query parameters that several screens read the same way."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from pengadaan import selectors

_THIS_YEAR = object()


def tahun_param(
    request: HttpRequest,
    *,
    within: range | None = None,
    default: int | object | None = _THIS_YEAR,
    post: bool = False,
) -> int | None:
    """The budget year asked for in `?tahun=` (or the POSTed `tahun` when `post`).

    A value that is not a whole number, or lies outside `within` when given, counts as absent. Absent, it
    is `default`: this year (Asia/Jakarta) unless told otherwise, or None for "no year asked".
    """
    raw = (request.POST if post else request.GET).get("tahun") or ""
    try:
        tahun = int(raw)
    except ValueError:
        tahun = None
    if tahun is not None and (within is None or tahun in within):
        return tahun
    return timezone.localdate().year if default is _THIS_YEAR else default


def tahun_pilihan(user, tahun: int) -> list[int]:
    """The years a year picker offers: those with data `user` may see, the year shown and this year, newest first."""
    return sorted({*selectors.years_of(user=user), tahun, timezone.localdate().year}, reverse=True)
