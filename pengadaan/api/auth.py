"""Who is asking (a Bearer token, `opd.tokens`) and how often they may ask (`API_RATE` per token)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from opd import tokens


def _message(reason: tokens.Penolakan | None) -> str:
    match reason:
        case tokens.Penolakan.DICABUT:
            return _("Token sudah dicabut. Buat token baru di halaman Token API.")
        case tokens.Penolakan.KEDALUWARSA:
            return _("Token sudah kedaluwarsa. Buat token baru di halaman Token API.")
        case tokens.Penolakan.PENGGUNA_NONAKTIF:
            return _("Akun pemilik token nonaktif.")
        case tokens.Penolakan.TIDAK_DIKENAL:
            return _("Token tidak sah.")
    return _("Token diperlukan: kirim kepala Authorization: Bearer TOKEN.")


class BearerToken(HttpBearer):
    """`Authorization: Bearer TOKEN`. The request's user becomes the token's owner, so that every read is
    scoped exactly as the pages scope that person (`visible_to`). Anything else answers 401 and says why."""

    def __call__(self, request: HttpRequest) -> Any:
        value = request.headers.get(self.header, "")
        scheme, _sep, kunci = value.partition(" ")
        if not value or scheme.lower() != self.openapi_scheme or not kunci.strip():
            raise AuthenticationError(message=_message(None))
        return self.authenticate(request, kunci.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = tokens.token_check(token)
        if isinstance(found, tokens.Penolakan):
            raise AuthenticationError(message=_message(found))
        request.user = found.pengguna
        return found


class TokenRateThrottle(SimpleRateThrottle):
    """At most `settings.API_RATE` requests per token (e.g. "600/m"), counted in Django's cache: with several
    processes, a shared cache (`CACHE_URL`) makes it one count. The rate is read on every request, so that a
    changed setting applies at once."""

    scope = "token"

    def __init__(self) -> None:
        self.rate = settings.API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
