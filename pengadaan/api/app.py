"""The NinjaAPI of /api/v1/: its title and docs, its token and rate limit, and every error answered as
`{"detail": "…"}` in Indonesian (400 for a bad parameter, 401, 404, 405, 429 with Retry-After)."""

from __future__ import annotations

import functools
import json

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from pengadaan.api.auth import BearerToken, TokenRateThrottle
from pengadaan.api.paging import MAX_PER_HALAMAN
from pengadaan.api.routes import BadRequest, router

DESCRIPTION = """API JSON hanya-baca SPSE Tracker (DESIGN §11, §13).

**Token.** Kirim `Authorization: Bearer TOKEN`. Buat token di halaman *Token API* (menu pengguna) atau dengan
`python manage.py buat_token USERNAME`. Token membuka data yang boleh dilihat pemiliknya, tidak lebih: peran
OPD melihat OPD-nya saja (objek OPD lain: 404), pengawas dan administrator melihat semua OPD.

**Halaman.** Daftar memakai `?halaman=` (mulai 1) dan `?per_halaman=` (bawaan 100, paling banyak 1000);
jawabannya memuat `jumlah`, `halaman`, `per_halaman` dan `hasil`.

**Angka.** Uang, persen dan median ditulis sebagai string desimal (`"1450200.00"`), tanggal ISO 8601.

**Batas.** Setiap token paling banyak `API_RATE` permintaan (bawaan 600 per menit); lebih dari itu: 429
dengan kepala `Retry-After`. Hanya GET: metode lain 405.

Halaman ini dan skema OpenAPI-nya terbuka tanpa token; datanya tidak."""

api = NinjaAPI(
    title="SPSE Tracker API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=BearerToken(),
    throttle=[TokenRateThrottle()],
    # deepLinking off: its link inside each operation's button is a nested control (axe: nested-interactive)
    docs=Swagger(settings={"defaultModelsExpandDepth": 0, "deepLinking": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", router)


def _answer(request: HttpRequest, status: int, detail: str, **extra) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _answer(request, 401, exc.message)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return _answer(request, 429, _("Terlalu banyak permintaan dengan token ini. Coba lagi setelah Retry-After detik."))


@api.exception_handler(BadRequest)
def _bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
    return _answer(request, 400, exc.message, kesalahan=exc.kesalahan)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _answer(request, exc.status_code, exc.message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _answer(request, 404, _("Tidak ditemukan."))


def _pesan(parameter: str) -> str:
    match parameter:
        case "tahun":
            return _("tahun harus berupa angka tahun, mis. 2026.")
        case "per_halaman":
            return _("per_halaman harus angka 1 sampai %(max)s.") % {"max": MAX_PER_HALAMAN}
        case "halaman":
            return _("halaman harus angka 1 atau lebih.")
        case "rule":
            return _("rule harus angka aturan 1 sampai 9.")
        case "pk":
            return _("id harus berupa angka.")
    return _("nilai tidak sah.")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A parameter that is not what it should be: 400 (not ninja's 422), naming it."""
    names = list(dict.fromkeys(str(error["loc"][-1]) for error in exc.errors))
    kesalahan = [{"parameter": name, "pesan": _pesan(name)} for name in names]
    return _answer(request, 400, "; ".join(f"{k['parameter']}: {k['pesan']}" for k in kesalahan), kesalahan=kesalahan)


def _json_405(view):
    """ninja answers a method an endpoint lacks with a plain-text 405; ours says it in JSON like every error."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            response.content = json.dumps({"detail": _("Metode tidak diizinkan: API ini hanya-baca (GET).")})
            response["Content-Type"] = "application/json; charset=utf-8"
        return response

    return wrapper


urls = api.urls
for _pattern in urls[0]:
    _pattern.callback = _json_405(_pattern.callback)
