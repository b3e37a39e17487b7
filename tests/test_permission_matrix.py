"""Every URL name × persona → expected status. A new URL without an entry here fails the suite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.urls import URLResolver, get_resolver, reverse
from django_tasks_db.models import DBTaskResult

from opd import tokens
from opd.models import Opd, Peran, TokenApi, User
from pengadaan import rules
from pengadaan.imports.jobs import jalankan_impor
from pengadaan.models import (
    BuktiRealisasi,
    ImportJob,
    IndikatorItkp,
    MetodologiItkp,
    NilaiManualItkp,
    PadananSpse,
    PaketRup,
    Pencatatan,
    Penyedia,
    Realisasi,
    Status,
    TinjauanTandaBahaya,
)
from tests.conftest import PERSONAS, client_for
from tests.factories import BuktiRealisasiFactory, PencatatanFactory, UserFactory

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
    # finishing asks first (a GET that writes nothing), to whoever may finish it: Berjalan → Selesai is the PPK's
    "pencatatan_selesai": Entry(
        {ANON: 302, OP_A: 403, PPK_A: 200, OP_B: 404, PENGAWAS: 403, ADMIN: 200}, lambda o: {"pk": o["pencatatan"].pk}
    ),
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
    # whether the stored numbers a page shows are current yet: every OPD the person may see (?opd= scoped:
    # another OPD is 404, tests/pengadaan/test_basi.py)
    "ringkasan_status": Entry(LOGGED_IN_200),
    "pengingat_preview": Entry(
        {ANON: 302, OP_A: 403, PPK_A: 403, OP_B: 403, PENGAWAS: 200, ADMIN: 200}, lambda o: {"pk": o["opd_a"].pk}
    ),
    "tanda_bahaya_list": Entry(LOGGED_IN_200),
    # reconciliation with SPSE: the city page for supervisors (an OPD's people are sent to their own)
    "rekonsiliasi": Entry({ANON: 302, OP_A: 302, PPK_A: 302, OP_B: 302, PENGAWAS: 200, ADMIN: 200}),
    "opd_rekonsiliasi": Entry(OPD_A_READ, lambda o: {"pk": o["opd_a"].pk}),
    "padanan_konfirmasi": Entry(each(405), lambda o: {"pk": o["padanan"].pk}),  # POST only
    "padanan_tolak": Entry(each(405), lambda o: {"pk": o["padanan"].pk}),  # POST only
    "tanda_bahaya_review": Entry(each(405)),  # POST only
    # bulk import: the administrator's permission; everyone else is refused (403)
    "impor_list": Entry(IMPOR_ONLY),
    "impor_detail": Entry(IMPOR_ONLY, lambda o: {"pk": o["job"].pk}),
    "impor_confirm": Entry(each(405), lambda o: {"pk": o["job"].pk}),  # POST only
    "impor_errors": Entry(IMPOR_ONLY, lambda o: {"pk": o["job"].pk}),
    "impor_template": Entry(IMPOR_ONLY, lambda o: {"kind": "nontender"}),
    "impor_export": Entry(IMPOR_ONLY, lambda o: {"kind": "nontender"}),
    # "Tugas saya": each OPD person's own OPD (no OPD in the URL); pengawas and admin are sent to their home
    "tugas_saya": Entry({ANON: 302, OP_A: 200, PPK_A: 200, OP_B: 200, PENGAWAS: 302, ADMIN: 302}),
    "admin:auth_user_password_change": Entry(only_admin(), lambda o: {"id": o["operator_a"].pk}),
    # a person's own API tokens (any logged-in person); revoking is a POST (another person's token: 404,
    # tests/api/test_tokens.py)
    "token_list": Entry(LOGGED_IN_200),
    "token_cabut": Entry(each(405), lambda o: {"pk": o[TokenApi._meta.label].pk}),
    # the JSON API asks for a Bearer token: a session is none, so every persona here gets 401 (the same URLs
    # with each persona's token: tests/api/test_endpoints.py). Its schema and docs are open; its root is not a page.
    "api:api-root": Entry(each(404)),
    "api:openapi-json": Entry(each(200)),
    "api:openapi-view": Entry(each(200)),
    "api:opd_list": Entry(each(401)),
    "api:opd_detail": Entry(each(401), lambda o: {"kd_satker": o["opd_a"].kd_satker}),
    "api:rup_list": Entry(each(401)),
    "api:pencatatan_list": Entry(each(401)),
    "api:pencatatan_detail": Entry(each(401), lambda o: {"pk": o["pencatatan"].pk}),
    "api:dashboard": Entry(each(401)),
    "api:tanda_bahaya": Entry(each(401)),
    "api:rekonsiliasi": Entry(each(401)),
    # open data (OCDS): pengawas and admin; anyone only when OCDS_PUBLIK is on (tests/pengadaan/test_ocds.py)
    "ocds_rilis": Entry({ANON: 302, OP_A: 403, PPK_A: 403, OP_B: 403, PENGAWAS: 200, ADMIN: 200}),
}

# The standard pages of every registered ModelAdmin: only the admin role, objects of OPD A.
# Models written by axes, by imports and by the task worker: the admin may look, not add (or delete tasks).
REFUSED_ADMIN_PAGES = {
    AccessAttempt: {"add"},
    AccessLog: {"add"},
    AccessFailureLog: {"add"},
    ImportJob: {"add"},
    TokenApi: {"add"},  # a token is made by its owner (page or command), shown once; the admin only revokes
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
    padanan = PadananSpse.objects.create(
        lokal=draft, spse=pencatatan, kode_spse=77001, alasan=PadananSpse.Alasan.PAGU_BERBEDA
    )
    token = tokens.token_create(pengguna=personas[OP_A], nama="matriks").token
    return {
        TokenApi._meta.label: token,
        "padanan": padanan,
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


# --- pengadaan.rules: every predicate × role, written out by hand from DESIGN §2 ---------------------------
# "own OPD" is OPD A, the OPD of the record or OPD asked about; "other OPD" is OPD B.

ROLES = ("anonymous", "admin", "pengawas", "operator_a", "ppk_a", "pptk_a", "operator_b", "ppk_b", "pptk_b")
T, F = True, False

#                     anon admin pengawas op_a ppk_a pptk_a op_b ppk_b pptk_b
USER_RULES = {
    "can_see_all_opd": (F, T, T, F, F, F, F, F, F),
    "can_read_ocds": (F, T, T, F, F, F, F, F, F),  # OCDS_PUBLIK off, the default; on: everyone (test_ocds.py)
    "can_send_reminders": (F, T, T, F, F, F, F, F, F),
    "can_review_tanda_bahaya": (F, T, T, F, F, F, F, F, F),
    "can_import": (F, T, F, F, F, F, F, F, F),
    "can_see_import_page": (F, T, F, F, F, F, F, F, F),
    "can_manage_itkp": (F, T, F, F, F, F, F, F, F),
    "can_use_django_admin": (F, T, F, F, F, F, F, F, F),
    "can_record_in_own_opd": (F, F, F, T, T, T, T, T, T),
}

# rule(user, OPD A) or rule(person, OPD A's id)
#                     anon admin pengawas op_a ppk_a pptk_a op_b ppk_b pptk_b
OPD_RULES = {
    "can_record_in": (F, T, F, T, T, T, F, F, F),
    "can_be_ppk_of": (F, F, F, F, T, F, F, F, F),
    "can_be_pptk_of": (F, F, F, F, F, T, F, F, F),
}

# rule(user, a record of OPD A with this status)
#                                     anon admin pengawas op_a ppk_a pptk_a op_b ppk_b pptk_b
RECORD_RULES = {
    ("can_edit", Status.DRAFT): (F, T, F, T, T, T, F, F, F),
    ("can_edit", Status.BERJALAN): (F, T, F, T, T, T, F, F, F),
    ("can_edit", Status.SELESAI): (F, F, F, F, F, F, F, F, F),
    ("can_edit", Status.BATAL): (F, F, F, F, F, F, F, F, F),
    ("can_delete", Status.DRAFT): (F, T, F, T, T, T, F, F, F),
    ("can_delete", Status.BERJALAN): (F, F, F, F, F, F, F, F, F),
    ("can_delete", Status.SELESAI): (F, F, F, F, F, F, F, F, F),
    ("can_delete", Status.BATAL): (F, F, F, F, F, F, F, F, F),
    ("can_remove_realisasi", Status.DRAFT): (F, T, F, T, T, T, F, F, F),
    ("can_remove_realisasi", Status.BERJALAN): (F, T, F, T, T, T, F, F, F),
    ("can_remove_realisasi", Status.SELESAI): (F, F, F, F, F, F, F, F, F),
    ("can_remove_realisasi", Status.BATAL): (F, F, F, F, F, F, F, F, F),
    ("can_decide_padanan", Status.DRAFT): (F, T, F, T, T, T, F, F, F),
    ("can_decide_padanan", Status.BERJALAN): (F, T, F, T, T, T, F, F, F),
    ("can_decide_padanan", Status.SELESAI): (F, T, F, T, T, T, F, F, F),
    ("can_decide_padanan", Status.BATAL): (F, T, F, T, T, T, F, F, F),
    ("can_act_as_ppk", Status.DRAFT): (F, T, F, F, T, F, F, F, F),
    ("can_act_as_ppk", Status.BERJALAN): (F, T, F, F, T, F, F, F, F),
    ("can_act_as_ppk", Status.SELESAI): (F, T, F, F, T, F, F, F, F),
    ("can_act_as_ppk", Status.BATAL): (F, T, F, F, T, F, F, F, F),
}

# can_transition(user, a record of OPD A in `from`, `to`); pairs not listed in rules.TRANSITIONS: nobody
#                                                      anon admin pengawas op_a ppk_a pptk_a op_b ppk_b pptk_b
TRANSITION_RULES = {
    (Status.DRAFT, Status.BERJALAN): (F, T, F, T, T, T, F, F, F),
    (Status.BERJALAN, Status.SELESAI): (F, T, F, F, T, F, F, F, F),
    (Status.DRAFT, Status.BATAL): (F, T, F, F, T, F, F, F, F),
    (Status.BERJALAN, Status.BATAL): (F, T, F, F, T, F, F, F, F),
    (Status.SELESAI, Status.BATAL): (F, T, F, F, T, F, F, F, F),
    (Status.SELESAI, Status.BERJALAN): (F, T, F, F, T, F, F, F, F),  # reopen
    (Status.BATAL, Status.BERJALAN): (F, T, F, F, T, F, F, F, F),  # reopen
    (Status.DRAFT, Status.SELESAI): (F, F, F, F, F, F, F, F, F),
    (Status.BERJALAN, Status.DRAFT): (F, F, F, F, F, F, F, F, F),
    (Status.SELESAI, Status.DRAFT): (F, F, F, F, F, F, F, F, F),
    (Status.BATAL, Status.SELESAI): (F, F, F, F, F, F, F, F, F),
    (Status.BATAL, Status.DRAFT): (F, F, F, F, F, F, F, F, F),
    (Status.BERJALAN, Status.BERJALAN): (F, F, F, F, F, F, F, F, F),
}

D, B, S, X = Status.DRAFT, Status.BERJALAN, Status.SELESAI, Status.BATAL
# allowed_transitions(user, a record of OPD A in this status), in rules.TRANSITIONS' order
ALLOWED = {
    Status.DRAFT: {"admin": [B, X], "operator_a": [B], "ppk_a": [B, X], "pptk_a": [B]},
    Status.BERJALAN: {"admin": [S, X], "ppk_a": [S, X]},
    Status.SELESAI: {"admin": [X, B], "ppk_a": [X, B]},
    Status.BATAL: {"admin": [B], "ppk_a": [B]},
}


@pytest.fixture
def roles(personas, opd_a, opd_b):
    return {
        **personas,
        "pptk_a": UserFactory(username="pptk_a", peran=Peran.PPTK, opd=opd_a),
        "ppk_b": UserFactory(username="ppk_b", peran=Peran.PPK, opd=opd_b),
        "pptk_b": UserFactory(username="pptk_b", peran=Peran.PPTK, opd=opd_b),
    }


def _record(opd, status: str) -> Pencatatan:
    alasan = "paket tercatat ganda" if status == Status.BATAL else ""
    return PencatatanFactory(opd=opd, status=status, alasan_pembatalan=alasan)


def _expected(row: tuple[bool, ...]) -> dict[str, bool]:
    assert len(row) == len(ROLES)
    return dict(zip(ROLES, row, strict=True))


def test_rules_tables_name_every_predicate():
    predicates = {name for name in dir(rules) if name.startswith("can_")}
    tested = {*USER_RULES, *OPD_RULES, *(name for name, _status in RECORD_RULES), "can_transition"}
    assert predicates == tested


@pytest.mark.parametrize("rule", sorted(USER_RULES))
def test_rules_user_predicate(rule, roles):
    got = {role: getattr(rules, rule)(roles[role]) for role in ROLES}
    assert got == _expected(USER_RULES[rule])


@pytest.mark.parametrize("rule", sorted(OPD_RULES))
def test_rules_opd_predicate(rule, roles, opd_a):
    about = opd_a if rule == "can_record_in" else opd_a.pk
    got = {role: getattr(rules, rule)(roles[role], about) for role in ROLES}
    assert got == _expected(OPD_RULES[rule])


@pytest.mark.parametrize(("rule", "status"), sorted(RECORD_RULES))
def test_rules_record_predicate(rule, status, roles, opd_a):
    record = _record(opd_a, status)
    got = {role: getattr(rules, rule)(roles[role], record) for role in ROLES}
    assert got == _expected(RECORD_RULES[(rule, status)])


@pytest.mark.parametrize(("frm", "to"), sorted(TRANSITION_RULES))
def test_rules_can_transition(frm, to, roles, opd_a):
    record = _record(opd_a, frm)
    got = {role: rules.can_transition(roles[role], record, to) for role in ROLES}
    assert got == _expected(TRANSITION_RULES[(frm, to)])


@pytest.mark.parametrize("status", sorted(ALLOWED))
def test_rules_allowed_transitions(status, roles, opd_a):
    record = _record(opd_a, status)
    got = {role: rules.allowed_transitions(roles[role], record) for role in ROLES}
    assert got == {role: ALLOWED[status].get(role, []) for role in ROLES}


def test_rules_refuse_inactive_accounts(roles, opd_a):
    record = _record(opd_a, Status.BERJALAN)
    for role in ("admin", "pengawas", "operator_a", "ppk_a"):
        roles[role].is_active = False
    assert [rules.can_see_all_opd(roles[r]) for r in ("admin", "pengawas")] == [False, False]
    assert [rules.can_review_tanda_bahaya(roles[r]) for r in ("admin", "pengawas")] == [False, False]
    assert [rules.can_record_in(roles[r], opd_a) for r in ("admin", "operator_a", "ppk_a")] == [False] * 3
    assert rules.can_import(roles["admin"]) is False
    # as before the rules moved here: a PPK action asks the role, not whether the account is active
    assert [rules.can_act_as_ppk(roles[r], record) for r in ("admin", "ppk_a")] == [True, True]


def test_rules_import_follows_the_django_permission_not_the_role(roles):
    operator = roles["operator_a"]
    operator.user_permissions.add(Permission.objects.get(codename="impor_data", content_type__app_label="pengadaan"))
    operator = User.objects.get(pk=operator.pk)  # a fresh object: Django caches permissions per object
    assert rules.can_import(operator) is True
    assert rules.can_see_import_page(operator) is False  # the menu item asks the role


def test_rules_reach_templates_through_the_may_filter(roles, opd_a):
    template = Template('{% load may %}{{ user|may:"see_all_opd" }} {{ user|may_record_in:opd }}')
    got = {role: template.render(Context({"user": roles[role], "opd": opd_a})) for role in ("admin", "pptk_b")}
    assert got == {"admin": "True True", "pptk_b": "False False"}
    assert Template('{% load may %}{{ nobody|may:"see_all_opd" }}').render(Context({})) == "False"
    with pytest.raises(KeyError):
        Template('{% load may %}{{ user|may:"see_everything" }}').render(Context({"user": roles["admin"]}))
