"""The read-only JSON API under /api/v1/ (DESIGN §11, §13), built on django-ninja.

- `app`: the NinjaAPI (title, docs, error answers in Indonesian) and its URLs.
- `routes`: the GET endpoints; each reads through the same selectors and scoping helper as the pages.
- `schemas`: what each endpoint answers, in LKPP's field names (DESIGN §4), and how a row becomes one.
- `auth`: `Authorization: Bearer TOKEN` (tokens live in `opd.tokens`) and the rate limit per token.
- `paging`: `?halaman=` / `?per_halaman=` and the year parameter.
"""
