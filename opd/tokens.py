"""API tokens (DESIGN §11 `/api/v1/`): made, revoked and checked here, the one place that touches them.

A token is `spse_` followed by 43 URL-safe characters (32 random bytes). Only its SHA-256 is stored, with
its first `AWALAN` characters to show a person which of their tokens is which; the full token is shown
once, when it is made, and can never be read again.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from opd.models import TokenApi, User

PREFIX = "spse_"
AWALAN = 12  # "spse_" and 7 random characters: enough to tell a person's tokens apart, useless to guess
TOUCH_EVERY = dt.timedelta(minutes=1)  # "last used" is written at most once a minute per token


class Penolakan(enum.Enum):
    """Why a presented token opens nothing."""

    TIDAK_DIKENAL = "tidak_dikenal"
    DICABUT = "dicabut"
    KEDALUWARSA = "kedaluwarsa"
    PENGGUNA_NONAKTIF = "pengguna_nonaktif"


@dataclass(frozen=True)
class TokenBaru:
    """A token just made: its row and the token itself, to be shown once."""

    token: TokenApi
    kunci: str


def hash_kunci(kunci: str) -> str:
    return hashlib.sha256(kunci.encode()).hexdigest()


@transaction.atomic
def token_create(*, pengguna: User, nama: str, hari: int | None = None) -> TokenBaru:
    """Make a token for `pengguna`, valid `hari` days (None: until revoked). Writes one TokenApi row."""
    kunci = PREFIX + secrets.token_urlsafe(32)
    kedaluwarsa = timezone.now() + dt.timedelta(days=hari) if hari else None
    token = TokenApi.objects.create(
        pengguna=pengguna,
        nama=nama.strip(),
        awalan=kunci[:AWALAN],
        kunci_hash=hash_kunci(kunci),
        kedaluwarsa=kedaluwarsa,
    )
    return TokenBaru(token=token, kunci=kunci)


@transaction.atomic
def token_revoke(*, token: TokenApi) -> TokenApi:
    """Revoke `token` now (a token revoked already keeps its first revocation time). Writes its `dicabut`."""
    if token.dicabut is None:
        token.dicabut = timezone.now()
        token.save(update_fields=["dicabut"])
    return token


def own_token(*, pengguna: User, pk: int) -> TokenApi:
    """`pengguna`'s own token `pk`; anyone else's, even for an admin, is 404 (a person revokes only their own)."""
    try:
        return TokenApi.objects.get(pk=pk, pengguna=pengguna)
    except TokenApi.DoesNotExist as exc:
        raise Http404 from exc


def tokens_of(pengguna: User) -> list[TokenApi]:
    """`pengguna`'s tokens, newest first."""
    return list(TokenApi.objects.filter(pengguna=pengguna).order_by("-dibuat_pada", "-pk"))


def token_check(kunci: str) -> TokenApi | Penolakan:
    """The token row for `kunci` with its user, or why it opens nothing. One query; side effect: its
    `terakhir_dipakai` is written when older than `TOUCH_EVERY` (one more query)."""
    if not kunci.startswith(PREFIX):
        return Penolakan.TIDAK_DIKENAL
    token = TokenApi.objects.select_related("pengguna__opd").filter(kunci_hash=hash_kunci(kunci)).first()
    if token is None:
        return Penolakan.TIDAK_DIKENAL
    now = timezone.now()
    if token.dicabut is not None:
        return Penolakan.DICABUT
    if token.kedaluwarsa is not None and token.kedaluwarsa <= now:
        return Penolakan.KEDALUWARSA
    if not token.pengguna.is_active:
        return Penolakan.PENGGUNA_NONAKTIF
    if token.terakhir_dipakai is None or now - token.terakhir_dipakai >= TOUCH_EVERY:
        TokenApi.objects.filter(pk=token.pk).update(terakhir_dipakai=now)
        token.terakhir_dipakai = now
    return token
