"""What every request costs besides its page: templates parsed once, no session write, the user and their OPD
read once however many templates use them (issue 16, point 3)."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import connection
from django.template import RequestContext, engines
from django.template.loaders.cached import Loader as CachedLoader
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opd.backends import OpdModelBackend
from tests.conftest import client_for


def test_templates_are_parsed_once_per_process():
    loaders = engines["django"].engine.template_loaders
    assert [type(loader) for loader in loaders] == [CachedLoader]
    first = engines["django"].get_template("pengadaan/partials/status_ringkasan.html")
    again = engines["django"].get_template("pengadaan/partials/status_ringkasan.html")
    assert first.template is again.template  # the same parsed template, not read again


def test_a_page_view_does_not_write_the_session(operator_a):
    client = client_for(operator_a)
    session = Session.objects.get()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(reverse("tugas_saya")).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    assert writes == []
    assert Session.objects.get().expire_date == session.expire_date  # not saved again with a new expiry
    assert client.get(reverse("tugas_saya")).cookies.get("sessionid") is None  # no new cookie either


def render_includes(user, n: int) -> tuple[str, int]:
    """A page with `n` includes that each read the user's OPD and a rules predicate, as base.html does."""
    engine = engines["django"].engine
    inner = engine.from_string('{% load may %}[{{ user.opd.nama_satker }}{% if user|may:"see_all_opd" %}*{% endif %}]')
    outer = engine.from_string("{% for _ in n %}{% include inner %}{% endfor %}")
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        html = outer.render(RequestContext(request, {"inner": inner, "n": range(n)}))
    return html, len(queries)


def test_the_user_and_their_opd_are_read_once_whatever_the_includes(operator_a, opd_a):
    # as AuthenticationMiddleware loads them: the user with the OPD in one query (opd.backends)
    with CaptureQueriesContext(connection) as loading:
        user = OpdModelBackend().get_user(operator_a.pk)
    assert len(loading) == 1
    one, one_queries = render_includes(user, 1)
    ten, ten_queries = render_includes(user, 10)
    assert one == f"[{opd_a.nama_satker}]"
    assert ten == one * 10
    assert one_queries == ten_queries == 0
