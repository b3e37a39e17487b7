"""Every URL name × persona → expected status. A new URL without an entry here fails the suite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse
from django_tasks_db.models import DBTaskResult

from opd.models import Opd, User
from pengadaan.imports.jobs import jalankan_impor
from pengadaan.models import (
    BuktiRealisasi,
    ImportJob,
    IndikatorItkp,
    MetodologiItkp,
    NilaiManualItkp,
    PaketRup,
    Pencatatan,
    Penyedia,
    Realisasi,
    Status,
    TinjauanTandaBahaya,
)
from tests.conftest import PERSONAS, client_for
from tests.factories import BuktiRealisasiFactory, PencatatanFactory

ANON, OP_A, PPK_A, OP_B, PENGAWAS, ADMIN = PERSONAS


def all_url_names() -> set[str]:
    def walk(resolver, namespace=None):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern, ns)
            elif pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver()))


@dataclass
class Entry:
    expected: dict[str, int]
    kwargs: Callable[[dict], dict] = lambda objs: {}


def each(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def only_admin(admin_status: int = 200, others: int = 302) -> dict[str, int]:
    """The Django admin: the admin role reaches it; everyone else is sent to the admin login."""
    return {**each(others), ADMIN: admin_status}


LOGGED_IN_200 = {**each(200), ANON: 302}
OPD_A_READ = {ANON: 302, OP_A: 200, PPK_A: 200, OP_B: 404, PENGAWAS: 200, ADMIN: 200}
IMPOR_ONLY = {ANON: 302, OP_A: 403, PPK_A: 403, OP_B: 403, PENGAWAS: 403, ADMIN: 200}
OPD_A_WRITE = {ANON: 302, OP_A: 200, PPK_A: 200, OP_B: 404, PENGAWAS: 403, ADMIN: 200}

MATRIX: dict[str, Entry] = {
    "beranda": Entry({**each(302), ADMIN: 200}),
    "opd_list": Entry(LOGGED_IN_200),
    "opd_detail": Entry(
        {ANON: 302, OP_A: 200, PPK_A: 200, OP_B: 404, PENGAWAS: 200, ADMIN: 200}, lambda o: {"pk": o["opd_a"].pk}
    ),
    "healthz": Entry(each(200)),
    "login": Entry(each(200)),
    "logout": Entry(each(405)),  # logging out is a POST
    "password_change": Entry(LOGGED_IN_200),
    "password_change_done": Entry(LOGGED_IN_200),
    "password_reset": Entry(each(200)),
    "password_reset_done": Entry(each(200)),
    "password_reset_confirm": Entry(each(200), lambda o: {"uidb64": "MQ", "token": "tidak-sah"}),
    "password_reset_complete": Entry(each(200)),
    "set_language": Entry(each(302)),  # a GET only redirects back; the switch is a POST
    "admin:index": Entry(only_admin()),
    "admin:login": Entry({**each(200), ADMIN: 302}),
    "admin:logout": Entry(only_admin(405)),  # logging out is a POST
    "admin:password_change": Entry(only_admin()),
    "admin:password_change_done": Entry(only_admin()),
    "admin:autocomplete": Entry(only_admin(403)),  # without its parameters the admin refuses
    "admin:jsi18n": Entry(only_admin()),
    "admin:view_on_site": Entry(
        only_admin(302),
        lambda o: {"content_type_id": ContentType.objects.get_for_model(Opd).pk, "object_id": o["opd_a"].pk},
    ),
    "admin:app_list": Entry(only_admin(), lambda o: {"app_label": "opd"}),
    # pengadaan: other OPDs' objects are 404; pengawas reads but never writes (403)
    "pencatatan_list": Entry(LOGGED_IN_200),
    "pencatatan_create": Entry(
        {ANON: 302, OP_A: 200, PPK_A: 200, OP_B: 404, PENGAWAS: 403, ADMIN: 200},
        lambda o: {"opd_pk": o["opd_a"].pk, "jenis": "non_tender"},
    ),
    "rup_list": Entry(OPD_A_READ, lambda o: {"opd_pk": o["opd_a"].pk}),
    "pencatatan_detail": Entry(OPD_A_READ, lambda o: {"pk": o["pencatatan"].pk}),
    "pencatatan_update": Entry(OPD_A_WRITE, lambda o: {"pk": o["pencatatan"].pk}),
    "pencatatan_status": Entry(each(405), lambda o: {"pk": o["pencatatan"].pk}),  # POST only
    # deleting asks first: a GET shows the confirmation, to whoever may delete (only a Draft is ever deleted)
    "pencatatan_delete": Entry(OPD_A_WRITE, lambda o: {"pk": o["draft"].pk}),
    "realisasi_add": Entry(each(405), lambda o: {"pk": o["pencatatan"].pk}),
    "realisasi_update": Entry(OPD_A_WRITE, lambda o: {"pk": o["realisasi"].pk}),
    "realisasi_delete": Entry(OPD_A_WRITE, lambda o: {"pk": o["realisasi"].pk}),
    "bukti_add": Entry(each(405), lambda o: {"pk": o["realisasi"].pk}),
    "bukti_unduh": Entry(OPD_A_READ, lambda o: {"pk": o["bukti"].pk}),
    "bukti_delete": Entry(each(405), lambda o: {"pk": o["bukti"].pk}),
    "dashboard": Entry({**each(302), PENGAWAS: 200, ADMIN: 200}),  # OPD people go to their own dashboard
    "opd_dashboard": Entry(OPD_A_READ, lambda o: {"pk": o["opd_a"].pk}),
    "pengingat_preview": Entry(
        {ANON: 302, OP_A: 403, PPK_A: 403, OP_B: 403, PENGAWAS: 200, ADMIN: 200}, lambda o: {"pk": o["opd_a"].pk}
    ),
    "tanda_bahaya_list": Entry(LOGGED_IN_200),
    "tanda_bahaya_review": Entry(each(405)),  # POST only
    # bulk import: the administrator's permission; everyone else is refused (403)
    "impor_list": Entry(IMPOR_ONLY),
    "impor_detail": Entry(IMPOR_ONLY, lambda o: {"pk": o["job"].pk}),
    "impor_confirm": Entry(each(405), lambda o: {"pk": o["job"].pk}),  # POST only
    "impor_errors": Entry(IMPOR_ONLY, lambda o: {"pk": o["job"].pk}),
    "impor_template": Entry(IMPOR_ONLY, lambda o: {"kind": "nontender"}),
    "impor_export": Entry(IMPOR_ONLY, lambda o: {"kind": "nontender"}),
    "admin:auth_user_password_change": Entry(only_admin(), lambda o: {"id": o["operator_a"].pk}),
}

# The standard pages of every registered ModelAdmin: only the admin role, objects of OPD A.
# Models written by axes, by imports and by the task worker: the admin may look, not add (or delete tasks).
REFUSED_ADMIN_PAGES = {
    AccessAttempt: {"add"},
    AccessLog: {"add"},
    AccessFailureLog: {"add"},
    ImportJob: {"add"},
    DBTaskResult: {"add", "delete"},
}
for model in admin.site._registry:
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    refused = REFUSED_ADMIN_PAGES.get(model, set())
    MATRIX[f"{prefix}_changelist"] = Entry(only_admin())
    MATRIX[f"{prefix}_add"] = Entry(only_admin(403 if "add" in refused else 200))
    for page in ("change", "history", "delete"):
        MATRIX[f"{prefix}_{page}"] = Entry(
            only_admin(403 if page in refused else 200), lambda o, m=model: {"object_id": o[m._meta.label].pk}
        )


# django-simple-history's admin page of one historical version
for model in (Pencatatan, Realisasi, BuktiRealisasi, TinjauanTandaBahaya):
    MATRIX[f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history"] = Entry(
        only_admin(),
        lambda o, m=model: [  # this pattern takes positional arguments
            o[m._meta.label].pk,
            m.history.filter(id=o[m._meta.label].pk).values_list("history_id", flat=True).first(),
        ],
    )


def test_matrix_covers_every_url_name():
    assert set(MATRIX) == all_url_names()


@pytest.fixture
def objects(personas, opd_a):
    attempt = AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    log = AccessLog.objects.create(username="x", ip_address="10.0.0.1")
    failure = AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1")
    pencatatan = PencatatanFactory(opd=opd_a)
    bukti = BuktiRealisasiFactory(realisasi__pencatatan=pencatatan)
    draft = PencatatanFactory(opd=opd_a, status=Status.DRAFT)
    job = ImportJob.objects.create(
        jenis="users",
        nama_berkas="p.csv",
        isi_berkas=b"username,nama,peran\nx,X,operator\n",
        jumlah_baris=1,
        status=ImportJob.Status.SIAP,
        kesalahan=[[2, "peran", "x"]],
        ringkasan={"kesalahan": 1},
    )
    jalankan_impor.enqueue(job.pk, "periksa")  # the database backend keeps a task row (no worker runs here)
    metodologi = MetodologiItkp.objects.get(nama="Kepka 74/2026")  # seeded by 0005_itkp_seed
    nilai_itkp = NilaiManualItkp.objects.create(indikator=metodologi.indikator.get(kode="sdm"), tahun=2026, poin=20)
    review = TinjauanTandaBahaya.objects.create(
        kode=f"R5:pencatatan:{pencatatan.pk}",
        rule=5,
        tahun=2026,
        opd=opd_a,
        catatan="cek",
        ditinjau_oleh=personas[ADMIN],
    )
    return {
        MetodologiItkp._meta.label: metodologi,
        IndikatorItkp._meta.label: nilai_itkp.indikator,
        NilaiManualItkp._meta.label: nilai_itkp,
        TinjauanTandaBahaya._meta.label: review,
        DBTaskResult._meta.label: DBTaskResult.objects.get(),
        "job": job,
        ImportJob._meta.label: job,
        "pencatatan": pencatatan,
        "draft": draft,
        "realisasi": bukti.realisasi,
        "bukti": bukti,
        PaketRup._meta.label: pencatatan.paket_rup.first(),
        Pencatatan._meta.label: pencatatan,
        Realisasi._meta.label: bukti.realisasi,
        BuktiRealisasi._meta.label: bukti,
        Penyedia._meta.label: bukti.realisasi.penyedia,
        "opd_a": opd_a,
        "operator_a": personas[OP_A],
        Opd._meta.label: opd_a,
        User._meta.label: personas[OP_A],
        AccessAttempt._meta.label: attempt,
        AccessLog._meta.label: log,
        AccessFailureLog._meta.label: failure,
    }


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_matrix(url_name, personas, objects):
    entry = MATRIX[url_name]
    params = entry.kwargs(objects)
    url = reverse(url_name, args=params) if isinstance(params, list) else reverse(url_name, kwargs=params)
    got = {persona: client_for(user).get(url).status_code for persona, user in personas.items()}
    assert got == entry.expected
