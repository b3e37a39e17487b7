"""Tokens for the personas, and a GET with one."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from opd import tokens


def token_of(user) -> str | None:
    """A fresh token of `user` (None for anonymous: nobody to give one to)."""
    if not user.is_authenticated:
        return None
    return tokens.token_create(pengguna=user, nama="uji").kunci


def api_get(token: str | None, url: str, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(url, params, headers=headers)


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    # the rate limit counts in the cache: each test starts from zero
    cache.clear()
    yield
    cache.clear()
