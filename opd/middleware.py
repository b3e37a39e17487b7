"""Language choice: Indonesian unless the person picked another language in the footer."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class DefaultLanguageMiddleware:
    """Like LocaleMiddleware, but the browser's Accept-Language is ignored.

    Many office PCs run an English browser; the app must still open in Indonesian
    (DESIGN: Indonesian is the default). The language cookie set by the footer
    switch (Django's set_language view) is honoured.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            patch_vary_headers(response, ("Cookie",))
            response.headers.setdefault("Content-Language", language)
        return response
