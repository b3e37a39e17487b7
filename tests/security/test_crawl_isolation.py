"""Cross-OPD isolation by crawling (issue 6, DESIGN §2 and §9): logged in as one OPD's person, follow every
link the app shows, fetch every export and htmx partial it offers and every URL of the URL conf built from
the other OPD's objects, and find none of the other OPD's names, codes or files anywhere.

Both OPDs hold the same kinds of data under distinctive words ("Anggrek" for OPD A, "Zamrud" for OPD B):
RUP packages (recorded and not), a non-tender record with a payment and its proof file, a swakelola
Draft, a Selesai record without payments (red flag rule 5) reviewed by the pengawas, people, and an
import job. A's words must show up in the crawl (so the crawl really reached the data pages); B's never,
not even B's name: the list of OPDs shows an OPD person their own OPD only (pengawas and admin see all).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections import deque
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opd import tokens
from opd.models import Opd, Peran, TokenApi, User
from pengadaan import services
from pengadaan.dashboards import tanda_bahaya
from pengadaan.models import (
    BuktiRealisasi,
    ImportJob,
    JenisPencatatan,
    PadananSpse,
    PaketRup,
    Pencatatan,
    Realisasi,
    Status,
    TinjauanTandaBahaya,
    TipePaket,
)
from spse_tracker.formats import format_npwp
from tests.conftest import client_for
from tests.factories import PDF_BYTES, PaketRupFactory, PencatatanFactory, UserFactory
from tests.test_permission_matrix import MATRIX, OP_B

TAHUN = 2026
LINK = re.compile(r"""\b(href|hx-get)\s*=\s*["']([^"']*)["']""")
MAX_PAGES = 600  # far above what the app offers; a runaway crawl fails instead of hanging


def opd_data(*, opd: Opd, word: str, kode: int, staff: User, ppk: User, pengawas: User, admin: User) -> list[str]:
    """Create one OPD's data, every visible text carrying `word`; return the texts that identify the OPD."""
    ppk.nama = f"Ppk {word}"
    ppk.save(update_fields=["nama"])
    staff.nama = f"Staf {word}"
    staff.save(update_fields=["nama"])
    linked = PaketRupFactory(opd=opd, kd_rup=kode + 1, nama_paket=f"RUP Penyedia {word}", tahun_anggaran=TAHUN)
    PaketRupFactory(
        opd=opd,
        kd_rup=kode + 2,
        nama_paket=f"RUP Belum Dicatat {word}",
        tahun_anggaran=TAHUN,
        tgl_awal_pemilihan=dt.date(TAHUN, 1, 1),
    )
    swakelola_rup = PaketRupFactory(
        opd=opd,
        kd_rup=kode + 3,
        nama_paket=f"RUP Swakelola {word}",
        tahun_anggaran=TAHUN,
        tipe_paket=TipePaket.SWAKELOLA,
        metode_pengadaan="",
        tipe_swakelola=1,
    )
    # through the services, as people record them (history names the person)
    record = services.pencatatan_create(
        user=staff,
        opd=opd,
        jenis=JenisPencatatan.NON_TENDER,
        tahun_anggaran=TAHUN,
        data={
            "nama_paket": f"Pengadaan Laptop {word}",
            "pagu": Decimal("90000000"),
            "mtd_pemilihan": "Pengadaan Langsung",
            "kategori_pengadaan": "Barang",
            "uraian_pekerjaan": f"Uraian pekerjaan {word}",
            "ppk": ppk,
            "kd_nontender_pct": kode + 11,
        },
        paket=[linked],
    )
    services.pencatatan_set_status(user=staff, pencatatan=record, status=Status.BERJALAN)
    payment = services.realisasi_add(
        user=staff,
        pencatatan=record,
        data={
            "jenis_realisasi": "kuitansi",
            "no_realisasi": f"KW-{word}-001",
            "tgl_realisasi": dt.date(TAHUN, 5, 10),
            "nilai_realisasi": Decimal("25000000"),
            "ket_realisasi": f"Termin satu {word}",
        },
        nama_penyedia=f"CV {word} Sejahtera",
        npwp_penyedia=f"{kode:015d}",
    )
    services.bukti_add(
        user=staff, realisasi=payment, upload=SimpleUploadedFile(f"kuitansi-{word}.pdf", PDF_BYTES, "application/pdf")
    )
    services.pencatatan_create(
        user=staff,
        opd=opd,
        jenis=JenisPencatatan.SWAKELOLA,
        tahun_anggaran=TAHUN,
        data={
            "nama_paket": f"Swakelola Kerja Bakti {word}",
            "tipe_swakelola": 3,
            "pelaksana_swakelola": f"Ormas {word}",
        },
        paket=[swakelola_rup],
    )
    selesai = PencatatanFactory(
        opd=opd,
        nama_paket=f"Selesai Tanpa Bayar {word}",
        status=Status.SELESAI,
        kd_nontender_pct=kode + 12,
        nama_ppk=f"Ppk {word}",
        tgl_buat_paket=dt.date(TAHUN, 2, 1),
    )
    review = services.tinjau_tanda_bahaya(
        user=pengawas, tahun=TAHUN, kode=tanda_bahaya.kode_pencatatan(5, selesai.pk), catatan=f"Tinjauan {word}"
    )
    assert review.opd_id == opd.pk
    ImportJob.objects.create(
        jenis="nontender",
        nama_berkas=f"impor-{word}.xlsx",
        isi_berkas=b"-",
        status=ImportJob.Status.SELESAI,
        dibuat_oleh=admin,
    )
    return [
        word,
        opd.nama_satker,
        opd.singkatan,
        opd.kd_satker_str,
        str(kode + 1),  # RUP codes, SPSE codes and the NPWP carry the OPD's own digits
        str(kode + 11),
        str(kode + 12),
        format_npwp(f"{kode:015d}"),  # pages show an NPWP formatted, the payment edit form too
        ppk.username,
        staff.username,
    ]


@pytest.fixture
def two_opds(opd_a, opd_b, operator_a, ppk_a, operator_b, pengawas, admin):
    for opd, kd in ((opd_a, "61111"), (opd_b, "62222")):
        opd.kd_satker = kd
        opd.save(update_fields=["kd_satker"])
    ppk_b = UserFactory(username="ppk_zamrud", peran=Peran.PPK, opd=opd_b, nip="198101012006011002")
    marks_a = opd_data(
        opd=opd_a, word="Anggrek", kode=81_110_000, staff=operator_a, ppk=ppk_a, pengawas=pengawas, admin=admin
    )
    marks_b = opd_data(
        opd=opd_b, word="Zamrud", kode=82_220_000, staff=operator_b, ppk=ppk_b, pengawas=pengawas, admin=admin
    )
    return SimpleNamespace(marks_a=marks_a, marks_b=marks_b, ppk_b=ppk_b)


# --- fetching and reading every kind of response --------------------------------------------------


def body_text(response) -> str:
    """Everything a person could read in a response: HTML, CSV, every cell of an XLSX, a file's bytes."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return body.decode("utf-8", errors="replace")


def same_site(base: str, href: str) -> str | None:
    """The path and query of a link to this site, or None for another site, an anchor or static files."""
    href = html.unescape(href).strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith("/static/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start: list[str], htmx: list[str] = ()) -> dict[tuple[str, bool], tuple[int, str]]:
    """Breadth-first GET of `start`, `htmx` (as htmx asks) and every same-site href (plainly) and hx-get
    (as htmx) found on the way, following redirects. Returns {(url, as_htmx): (status, text)}.

    A redirect to a page already fetched with another query string is not fetched again: those are the
    login pages, whose query is only where to go next (?next=).
    """
    seen: dict[tuple[str, bool], tuple[int, str]] = {}
    redirected_to: set[str] = set()
    queue = deque([*((url, False) for url in start), *((url, True) for url in htmx)])
    while queue:
        key = queue.popleft()
        if key in seen:
            continue
        assert len(seen) < MAX_PAGES, "the crawl does not end"
        url, as_htmx = key
        response = client.get(url, headers={"HX-Request": "true"} if as_htmx else {})
        text = body_text(response)
        seen[key] = (response.status_code, text)
        target = same_site(url, response["Location"]) if response.status_code in (301, 302) else None
        if target and target.split("?", 1)[0] not in redirected_to:
            redirected_to.add(target.split("?", 1)[0])
            queue.append((target, False))
        if "text/html" in response.get("Content-Type", ""):
            for attribute, href in LINK.findall(text):
                if target := same_site(url, href):
                    queue.append((target, attribute == "hx-get"))
    return seen


def leaks(pages: dict, marks: list[str]) -> list[tuple[str, str]]:
    return [(url, mark) for (url, _htmx), (_status, text) in pages.items() for mark in marks if mark in text]


# --- the URL conf with the other OPD's objects ----------------------------------------------------


class Objects(dict):
    """OPD B's objects by the permission matrix's keys; remembers which keys a URL's arguments used.

    Objects no OPD owns (ITKP settings, axes, tasks, import jobs) stand in with a pk: an OPD person
    is sent to the admin login (or refused) before any of them is looked up.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.used: set[str] = set()

    def __getitem__(self, key: str):
        self.used.add(key)
        return self.get(key, SimpleNamespace(pk=1))


def objects_of_b(opd_b: Opd, operator_b: User) -> Objects:
    """What the permission matrix builds URL arguments from, taken from OPD B."""
    pencatatan = Pencatatan.objects.get(opd=opd_b, jenis=JenisPencatatan.NON_TENDER, realisasi__isnull=False)
    realisasi = Realisasi.objects.get(pencatatan=pencatatan)
    bukti = BuktiRealisasi.objects.get(realisasi=realisasi)
    # a pair of B's an import could not be sure of (DESIGN §12)
    padanan, _created = PadananSpse.objects.get_or_create(
        lokal=pencatatan, kode_spse=99001, defaults={"alasan": PadananSpse.Alasan.PAGU_BERBEDA}
    )
    return Objects(
        {
            "opd_a": opd_b,
            "operator_a": operator_b,
            "pencatatan": pencatatan,
            "draft": pencatatan,  # scoping answers first: any record of B is 404, whatever its status
            "realisasi": realisasi,
            "bukti": bukti,
            "padanan": padanan,
            Opd._meta.label: opd_b,
            User._meta.label: operator_b,
            PaketRup._meta.label: PaketRup.objects.filter(opd=opd_b).first(),
            Pencatatan._meta.label: pencatatan,
            Realisasi._meta.label: realisasi,
            BuktiRealisasi._meta.label: bukti,
            TinjauanTandaBahaya._meta.label: TinjauanTandaBahaya.objects.get(opd=opd_b),
            TokenApi._meta.label: TokenApi.objects.filter(pengguna=operator_b).first()
            or tokens.token_create(pengguna=operator_b, nama="token B").token,
        }
    )


def reversed_urls(objects: Objects) -> tuple[dict[str, str], set[str]]:
    """Every URL name of the URL conf reversed with `objects`, and the names whose arguments are B's."""
    urls, of_b = {}, set()
    for name, entry in MATRIX.items():
        objects.used.clear()
        params = entry.kwargs(objects)
        urls[name] = reverse(name, args=params) if isinstance(params, list) else reverse(name, kwargs=params)
        if objects.used & set(dict.keys(objects)):
            of_b.add(name)
    return urls, of_b


# Views behind require_POST answer a GET with 405 before any lookup; a POST to them with B's object is 404.
POST_ONLY = (
    "pencatatan_status",
    "realisasi_add",
    "bukti_add",
    "bukti_delete",
    "padanan_konfirmasi",
    "padanan_tolak",
    "token_cabut",
)


@pytest.mark.parametrize("persona", ["operator_a", "ppk_a"])
def test_crawl_as_opd_a_never_shows_opd_b(persona, request, two_opds, opd_a, opd_b, operator_b):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    urls_b, names_of_b = reversed_urls(objects_of_b(opd_b, operator_b))
    paket_b = PaketRup.objects.filter(opd=opd_b).first()
    start = [
        "/",
        *(item["url"] for item in client.get("/", follow=True).context["nav_items"]),
        # every URL of the URL conf, with OPD B's objects where it takes one
        *urls_b.values(),
        # OPD B named in query strings: filters, searches, a picker's preselection
        f"{reverse('pencatatan_list')}?opd={opd_b.pk}",
        # a search matching both OPDs' records ("Pengadaan Laptop Anggrek" and "… Zamrud")
        f"{reverse('pencatatan_list')}?q=Laptop",
        f"{reverse('pencatatan_list')}?q=Laptop&_export=csv",
        f"{reverse('pencatatan_list')}?opd={opd_b.pk}&_export=xlsx",
        f"{reverse('tanda_bahaya_list')}?status=all&opd={opd_b.pk}",
        f"{reverse('ringkasan_status')}?tahun={TAHUN}&opd={opd_b.pk}",
        f"{reverse('pencatatan_create', args=[opd_a.pk, 'non_tender'])}?paket={paket_b.pk}",
        f"{reverse('opd_dashboard', args=[opd_a.pk])}?tahun={TAHUN}",
        f"{reverse('rup_list', args=[opd_a.pk])}?tahun={TAHUN}",
    ]
    pages = crawl(client, start)
    # every page once more as htmx asks for it (a view may answer htmx with a partial): once per path
    paths = {url.split("?", 1)[0] for (url, htmx), (status, _t) in pages.items() if not htmx and status == 200}
    pages |= crawl(client, [], htmx=[*paths, urls_b["realisasi_update"], urls_b["impor_detail"]])

    ok = {url for (url, _htmx), (status, _text) in pages.items() if status == 200}
    # measured for either persona: 355 responses, 209 distinct URLs answering 200 in 23 distinct paths
    # besides the admin login (the rest are sort orders, filters, exports and htmx fetches of those paths)
    assert len(pages) >= 340
    assert len(ok) >= 200
    assert len({url.split("?", 1)[0] for url in ok if not url.startswith("/admin/login/")}) >= 20
    assert [key for key, (status, _t) in pages.items() if status >= 500] == []
    assert leaks(pages, two_opds.marks_b) == []
    # the crawl reached A's data: every one of A's words, codes and people appears somewhere
    seen_marks = {mark for _url, mark in leaks(pages, two_opds.marks_a)}
    assert set(two_opds.marks_a) - seen_marks == set()
    # exports were fetched and read (CSV and XLSX), and so were A's proof file and an htmx partial
    assert any("_export=csv" in url for url in ok) and any("_export=xlsx" in url for url in ok)
    assert any(url.startswith("/bukti/") for url in ok)
    assert any(htmx and status == 200 for (url, htmx), (status, _t) in pages.items())

    # every URL of the URL conf built from B's objects answers as the permission matrix says operator_b is
    # answered for A's objects (OPD roles are symmetric)
    got = {name: pages[(url, False)][0] for name, url in urls_b.items()}
    assert got == {name: MATRIX[name].expected[OP_B] for name in urls_b}
    # outside the Django admin (where an OPD person only ever meets the admin login), each of them is 404
    assert {name: got[name] for name in names_of_b if not name.startswith("admin:")} == {
        "opd_detail": 404,
        "opd_dashboard": 404,
        "opd_rekonsiliasi": 404,
        "rup_list": 404,
        "pencatatan_create": 404,
        "pencatatan_detail": 404,
        "pencatatan_update": 404,
        "realisasi_update": 404,
        "bukti_unduh": 404,
        # deleting asks first (a GET shows the confirmation): B's draft or payment is not found
        "pencatatan_delete": 404,
        "realisasi_delete": 404,
        # finishing asks first too: B's record is not found
        "pencatatan_selesai": 404,
        # require_POST answers a GET before any lookup; the POSTs are the next test
        **dict.fromkeys(POST_ONLY, 405),
        # a pengawas tool: every OPD role gets 403 for its own OPD too, before the OPD is looked up
        "pengingat_preview": 403,
        # the JSON API asks for a token before anything else (a session is none); with A's token, B's objects
        # are 404 there too (tests/api/test_endpoints.py)
        "api:opd_detail": 401,
        "api:pencatatan_detail": 401,
    }
    assert pages[(urls_b["realisasi_update"], True)][0] == 404  # the htmx partial of B's payment too
    # the list of OPDs shows an OPD person their own OPD only (pengawas and admin see all)
    assert list(client.get(reverse("opd_list")).context["opd_list"]) == [opd_a]


@pytest.mark.parametrize("persona", ["operator_a", "ppk_a"])
def test_writes_to_opd_b_objects_answer_404_and_change_nothing(persona, request, two_opds, opd_b, operator_b):
    client = client_for(request.getfixturevalue(persona))
    objects = objects_of_b(opd_b, operator_b)
    urls, _names_of_b = reversed_urls(objects)
    before = (
        list(Pencatatan.objects.filter(opd=opd_b).values()),
        list(Realisasi.objects.filter(pencatatan__opd=opd_b).values()),
        list(BuktiRealisasi.objects.filter(realisasi__pencatatan__opd=opd_b).values()),
        Pencatatan.history.count() + Realisasi.history.count() + BuktiRealisasi.history.count(),
    )
    bodies = {
        "pencatatan_status": {"status": Status.SELESAI},
        "pencatatan_delete": {},
        "realisasi_add": {
            "jenis_realisasi": "kuitansi",
            "no_realisasi": "X-1",
            "tgl_realisasi": "2026-05-01",
            "nilai_realisasi": "1000",
        },
        "realisasi_update": {
            "jenis_realisasi": "kuitansi",
            "no_realisasi": "X-2",
            "tgl_realisasi": "2026-05-01",
            "nilai_realisasi": "1000",
        },
        "realisasi_delete": {},
        "bukti_add": {"berkas": SimpleUploadedFile("x.pdf", PDF_BYTES, "application/pdf")},
        "bukti_delete": {},
        "pencatatan_update": {"nama_paket": "Diubah dari OPD A", "versi": objects["pencatatan"].versi},
        "pencatatan_create": {"nama_paket": "Dibuat untuk OPD B", "mtd_pemilihan": "Pengadaan Langsung"},
        "padanan_konfirmasi": {},
        "padanan_tolak": {},
        "token_cabut": {},  # B's own API token
    }
    got = {name: client.post(urls[name], body).status_code for name, body in bodies.items()}
    assert got == dict.fromkeys(bodies, 404)
    assert TokenApi.objects.get(pengguna=operator_b).dicabut is None
    after = (
        list(Pencatatan.objects.filter(opd=opd_b).values()),
        list(Realisasi.objects.filter(pencatatan__opd=opd_b).values()),
        list(BuktiRealisasi.objects.filter(realisasi__pencatatan__opd=opd_b).values()),
        Pencatatan.history.count() + Realisasi.history.count() + BuktiRealisasi.history.count(),
    )
    assert after == before
    # the pengawas's review of B's flag cannot be made from OPD A either (403: reviewing is a pengawas's right)
    flag_b = TinjauanTandaBahaya.objects.get(opd=opd_b)
    response = client.post(reverse("tanda_bahaya_review"), {"kode": flag_b.kode, "tahun": TAHUN, "catatan": "dari A"})
    assert (response.status_code, TinjauanTandaBahaya.objects.get(pk=flag_b.pk).catatan) == (403, "Tinjauan Zamrud")
