"""No Indonesian on English pages, and no English on Indonesian ones (issue: complete English translation).

tests/test_translations.py proves every catalogue entry is translated; this proves every string reaches the
catalogue. The app is crawled in English as each persona (operator, PPTK and PPK of one OPD, pengawas,
admin, and anonymous for the sign-in pages): every link and htmx fetch it shows, every URL of the URL conf,
the error pages, forms sent back with their validation errors, the import upload (a file refused, a file
checked with row errors) and the Django admin of our models. Whatever a person can read, text and the
attributes a browser shows (title, placeholder, aria-label, alt, a button's value, htmx's confirm dialog,
chart labels), is searched for distinctive Indonesian words.

The data's own texts are language-neutral ("Q17 Laptop", "Budi Q"), so every Indonesian word found is
the app's. Summaries, red flags and history are written in Indonesian before the English crawl, as an
Indonesian office would write them, so that texts kept in the database are caught too. What a page marks
as written in another language (`lang="id"`: the reminder e-mail's preview, which is always Indonesian)
is checked against that language instead.

The other way round, lightly: Indonesian pages must not show common English UI words, Django admin's
own texts included (Django translates them; where it does not, ALLOWED_IN_INDONESIAN says so).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from opd import tokens
from opd.models import Opd, Peran, TokenApi, User
from pengadaan import services
from pengadaan.dashboards import tanda_bahaya
from pengadaan.models import (
    BuktiRealisasi,
    ImportJob,
    IndikatorItkp,
    JenisPencatatan,
    MetodologiItkp,
    NilaiManualItkp,
    PadananSpse,
    PaketRup,
    Pencatatan,
    PredikatItkp,
    Realisasi,
    Status,
    Sumber,
    TinjauanTandaBahaya,
    TipePaket,
)
from pengadaan.riwayat import alasan_tampil
from spse_tracker.views import server_error
from tests.conftest import client_for
from tests.factories import PDF_BYTES, PaketRupFactory, PencatatanFactory, UserFactory
from tests.security.test_crawl_isolation import LINK, same_site
from tests.test_permission_matrix import MATRIX

TAHUN = 2026
VARIANTS_PER_PATH = 2  # query strings fetched per path: sort orders and filters render the same texts
MAX_PAGES = 400  # far above what one persona's crawl fetches; a runaway crawl fails instead of hanging

# --- what a person reads -----------------------------------------------------------------------------

# Attributes whose text a browser shows: tooltips, placeholders, screen readers, missing images, htmx's
# confirm dialog, and the chart legends dashboard.js reads from data-label*.
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "hx-confirm")


class VisibleText(HTMLParser):
    """The text of an HTML page in `language` as a person meets it, by language: `texts[language]`, and
    `texts[other]` for what the page marks as written in another language with `lang` (the language
    switch's names, the preview of the Indonesian e-mail). `lang` is the <html> element's.

    Left out: <script> and <style> (code), except json_script data, whose strings are chart labels; and
    <code>, which shows identifiers the person types or finds elsewhere (kd_satker_str, a file's column
    names such as `nama_paket`), the same in every language.
    """

    SKIPPED = {"script", "style", "code"}

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.lang: str | None = None
        self.parts: dict[str, list[str]] = {language: []}
        self.skipping: list[str] = []
        self.json = False
        self.foreign: tuple[str, int, str] | None = None  # (tag, depth, language) of an element in another
        self.texts: dict[str, str] = {}  # the parts joined, once the page is read

    @property
    def current(self) -> list[str]:
        return self.parts.setdefault(self.foreign[2] if self.foreign else self.language, [])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif self.foreign is not None:
            if tag == self.foreign[0]:
                self.foreign = (tag, self.foreign[1] + 1, self.foreign[2])
        elif (lang := (attributes.get("lang") or self.language).split("-")[0]) != self.language:
            self.foreign = (tag, 1, lang)
        self._attributes(tag, attributes)
        if tag in self.SKIPPED:
            self.skipping.append(tag)
            self.json = tag == "script" and attributes.get("type") == "application/json"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
            self.json = False
        if self.foreign is not None and tag == self.foreign[0]:
            tag, depth, lang = self.foreign
            self.foreign = (tag, depth - 1, lang) if depth > 1 else None

    def handle_data(self, data: str) -> None:
        if self.json:
            self.current.extend(_strings(json.loads(data)))
        elif not self.skipping:
            self.current.append(data)

    def _attributes(self, tag: str, attrs: dict[str, str | None]) -> None:
        shown = [name for name in attrs if name in SHOWN_ATTRIBUTES or name.startswith("data-label")]
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            shown.append("value")
        self.current.extend(f" {attrs[name]} " for name in shown if attrs.get(name))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def read(html: str, language: str) -> VisibleText:
    """`html`, a page in `language`, read as a person reads it."""
    parser = VisibleText(language)
    parser.feed(html)
    parser.close()
    parser.texts = {lang: re.sub(r"\s+", " ", " ".join(parts)).strip() for lang, parts in parser.parts.items()}
    return parser


def visible_text(html: str, language: str) -> str:
    return read(html, language).texts[language]


# --- the words ---------------------------------------------------------------------------------------

# Distinctive Indonesian words that no English sentence of this UI contains. Grammar words first, then the
# UI's verbs and nouns, the status and role words, and the month names Django's Indonesian formats print.
INDONESIAN = """
    yang dan tidak belum sudah dengan untuk dari pada ini itu atau harus akan bila jika oleh tanpa sebagai
    lebih setiap masih hanya dapat boleh wajib perlu lagi juga saja sampai hingga terhadap karena agar
    lalu dalam di ke anda silakan sebelum setelah baru
    simpan hapus batal batalkan tambah tambahkan ubah cari unduh unggah kirim pilih tampilkan terapkan
    kembali keluar masuk ganti lihat buka tutup tandai catat dicatat tercatat tulis periksa kelola impor
    ekspor
    tanggal keterangan halaman sebelumnya berikutnya semua baris kolom berkas tahun bulan hari pengguna
    nama jenis jumlah nilai ringkasan kesalahan alasan tinjauan riwayat catatan rincian daftar beranda
    dasbor pencatatan realisasi pembayaran bukti penyedia pelaksana paket anggaran pekerjaan uraian kode
    nomor peran sandi akun tautan pengingat aturan bahaya templat pejabat kota bahasa
    berjalan selesai gagal menunggu dibatalkan diperbarui dibuat diubah dihapus aktif nonaktif ditinjau
    pengawas
    januari februari maret mei juni juli agustus oktober desember agu okt des
""".split()  # noqa: SIM905 -- a paragraph of words reads better than 150 quoted items

# Not in INDONESIAN, because the English UI keeps them as the proper nouns of Indonesian procurement (see
# locale/en/LC_MESSAGES/django.po): OPD, RUP, SPSE, SiRUP, LKPP, ITKP, PPK, PPTK, PBJ, UKPBJ, NIP, NPWP,
# SPK, PDN, UMK, APBD, RSUD/BLUD, Sekda, Ormas, Pokmas, satker, pagu, Swakelola (LKPP's category beside
# Penyedia), Kecamatan and "Rp" (amounts keep the Indonesian digit grouping, "Rp 1.450.200"). LKPP's
# field names (kd_rup, nama_paket, …) are one word with their underscores and never match a listed word.

# Text that contains a listed word and stays Indonesian on English pages on purpose, by what it matches
# (a regular expression, on pages whose key matches the first one); each is masked before the scan.
ALLOWED_IN_ENGLISH = {
    (r"", re.escape(settings.NAMA_PEMDA)): "the local government's name (setting NAMA_PEMDA), a proper noun",
    (r"", r"\bR\d:(pencatatan|opd):[\w:.-]+"): "a red flag's code (R5:pencatatan:12), an identifier",
    (r"", r"Nomor Induk Pegawai"): "the English help text of NIP spells out the Indonesian term",
    (r"^admin ", r"\bbukti/\d{4}/\d{2}/\w+\.\w+"): "a proof file's storage path, in the admin's file widget",
    (r"", r"operator, pptk, ppk, pengawas(,| or) admin"): "the codes to type in an import file's peran column",
}

# Indonesian left on English pages by files that another change is editing while this test was written
# (pengadaan/models/**, pengadaan/admin.py): listed here with their source, not hidden. Strict: an entry
# that no page shows any more fails the test, so that it is removed once its source is fixed.
PENDING_IN_ENGLISH: dict[tuple[str, str], str] = {}

# Common English UI words that an Indonesian page must not show.
ENGLISH = """
    save delete cancel search next previous download upload submit loading edit add close back login
    logout password username page date the and with from this please required optional yes none unknown
    export import dashboard
""".split()  # noqa: SIM905 -- as INDONESIAN

ALLOWED_IN_INDONESIAN = {
    (r"^admin (POST )?/impor/", r"\bdjango-import-export\b"): (
        "a library's name: the import page says our pipeline is not its Import button, and how much faster"
    ),
    (r"^admin (POST )?/admin/", r"\bSearch(?= Cari\b)"): (
        "Django's admin/search_form.html hard-codes the search icon's alt text, untranslatable"
    ),
}


def _pattern(words: list[str], *also: str) -> re.Pattern:
    return re.compile("|".join([r"\b(" + "|".join(map(re.escape, words)) + r")\b", *also]), re.IGNORECASE)


# Django's message for a database constraint without a message of its own names the constraint, whose
# name is Indonesian (pencatatan_pagu_tidak_negatif): a leak the words alone miss inside the identifier.
INDONESIAN_WORD = _pattern(INDONESIAN, r"Constraint “\w+” is violated")
ENGLISH_WORD = _pattern(ENGLISH)


def offending(text: str, pattern: re.Pattern, masks: list[str] = ()) -> list[str]:
    """Each listed word in `text` with 40 characters either side, once the `masks` (expressions) are masked."""
    for mask in masks:
        text = re.sub(mask, lambda match: "·" * len(match.group(0)), text)
    return [
        f"{match.group(0)!r} in …{text[max(match.start() - 40, 0) : match.end() + 40]}…"
        for match in pattern.finditer(text)
    ]


def report(pages: dict[str, VisibleText], language: str, pattern: re.Pattern, *masks: dict) -> tuple[list[str], set]:
    """Every listed word in the `language` parts of `pages` (as `read`) as "page: snippet", and the masks
    that hid something."""
    leaks: list[str] = []
    used: set = set()
    for key, page in sorted(pages.items()):
        text = page.texts.get(language, "")
        applying = [(where, mask) for table in masks for where, mask in table if re.search(where, key)]
        used |= {entry for entry in applying if re.search(entry[1], text)}
        leaks += [f"{key}: {snippet}" for snippet in offending(text, pattern, [mask for _p, mask in applying])]
    return leaks, used


# --- data with language-neutral texts ----------------------------------------------------------------


@pytest.fixture
def world(opd_a, operator_a, ppk_a, pengawas, admin):
    opd_a.nama_satker, opd_a.singkatan, opd_a.kd_satker_spse = "Satker Q1", "Q1", "26299991"
    opd_a.save()
    for user, nama in ((operator_a, "Budi Q"), (ppk_a, "Dewi Q"), (pengawas, "Agus Q"), (admin, "Rina Q")):
        user.nama = nama
        # the persona's user name "pengawas" is an Indonesian word, shown on the admin's list of people
        user.username = user.username.replace("pengawas", "agus_q")
        user.email = f"{user.username}@example.go.id"
        user.save(update_fields=["nama", "username", "email"])
    pptk = UserFactory(username="pptk_a", nama="Sari Q", peran=Peran.PPTK, opd=opd_a)
    # the seeded ITKP methodology is data an administrator edits; its Indonesian names are not the UI's
    for metodologi in MetodologiItkp.objects.all():
        metodologi.keterangan = f"Q-{metodologi.pk}"
        metodologi.save(update_fields=["keterangan"])
    for indikator in IndikatorItkp.objects.all():
        indikator.nama, indikator.komponen = f"Q-{indikator.kode}", "Q"
        indikator.save(update_fields=["nama", "komponen"])
    for predikat in PredikatItkp.objects.all():
        predikat.nama = f"Q{predikat.pk}"
        predikat.save(update_fields=["nama"])

    def rup(kode: int, nama: str, **extra) -> PaketRup:
        fields = {"metode_pengadaan": "", "sumber_dana": "APBD", "tahun_anggaran": TAHUN, **extra}
        return PaketRupFactory(opd=opd_a, kd_rup=kode, nama_paket=nama, nama_ppk="Dewi Q", **fields)

    laptop = rup(91_000_001, "Q17 Laptop")
    rup(91_000_002, "Q20 Chairs", tgl_awal_pemilihan=dt.date(TAHUN, 1, 1))  # never recorded: a red flag
    swakelola = rup(91_000_003, "Q18 Workshop", tipe_paket=TipePaket.SWAKELOLA, tipe_swakelola=1)
    cancelled = rup(91_000_004, "Q21 Desk")
    # through the services, as people record them (history names the person)
    record = services.pencatatan_create(
        user=operator_a,
        opd=opd_a,
        jenis=JenisPencatatan.NON_TENDER,
        tahun_anggaran=TAHUN,
        data={
            "nama_paket": "Q17 Laptop",
            "pagu": Decimal("90000000"),
            "mtd_pemilihan": "Pengadaan Langsung",
            "kategori_pengadaan": "Barang",
            "uraian_pekerjaan": "Q-17",
            "ppk": ppk_a,
            "pptk": pptk,
            "tgl_mulai_paket": dt.date(TAHUN, 3, 2),
            "tgl_selesai_paket": dt.date(TAHUN, 8, 31),
        },
        paket=[laptop],
    )
    services.pencatatan_set_status(user=operator_a, pencatatan=record, status=Status.BERJALAN)
    payment = services.realisasi_add(
        user=operator_a,
        pencatatan=record,
        data={
            "jenis_realisasi": "kuitansi",
            "no_realisasi": "KW-Q-001",
            "tgl_realisasi": dt.date(TAHUN, 5, 10),
            "nilai_realisasi": Decimal("25000000"),
            "ket_realisasi": "Q-1",
        },
        nama_penyedia="CV Q9",
        npwp_penyedia="019999999999000",
    )
    services.bukti_add(
        user=operator_a, realisasi=payment, upload=SimpleUploadedFile("q9.pdf", PDF_BYTES, "application/pdf")
    )
    services.pencatatan_update(
        user=operator_a,
        pencatatan=Pencatatan.objects.get(pk=record.pk),
        versi=Pencatatan.objects.get(pk=record.pk).versi,
        data={"kd_nontender_pct": 91_000_011, "sumber_dana": "APBD"},
        paket=[laptop],
    )
    services.pencatatan_create(
        user=operator_a,
        opd=opd_a,
        jenis=JenisPencatatan.SWAKELOLA,
        tahun_anggaran=TAHUN,
        data={"nama_paket": "Q18 Workshop", "tipe_swakelola": 1, "pelaksana_swakelola": "Q Team"},
        paket=[swakelola],
    )
    desk = services.pencatatan_create(
        user=operator_a,
        opd=opd_a,
        jenis=JenisPencatatan.NON_TENDER,
        tahun_anggaran=TAHUN,
        data={"nama_paket": "Q21 Desk", "mtd_pemilihan": "Pengadaan Langsung", "kategori_pengadaan": "Barang"},
        paket=[cancelled],
    )
    services.pencatatan_set_status(user=operator_a, pencatatan=desk, status=Status.BERJALAN)
    services.pencatatan_set_status(user=ppk_a, pencatatan=desk, status=Status.BATAL, alasan="Q-21")
    services.pencatatan_set_status(user=ppk_a, pencatatan=desk, status=Status.BERJALAN)  # reopened
    services.pencatatan_set_status(user=ppk_a, pencatatan=desk, status=Status.BATAL, alasan="Q-21")
    selesai = PencatatanFactory(
        opd=opd_a,
        nama_paket="Q19 Printer",
        status=Status.SELESAI,
        kd_nontender_pct=91_000_012,
        nama_ppk="Dewi Q",
        tgl_buat_paket=dt.date(TAHUN, 2, 1),
        paket=[rup(91_000_005, "Q19 Printer")],
    )
    review = services.tinjau_tanda_bahaya(
        user=pengawas, tahun=TAHUN, kode=tanda_bahaya.kode_pencatatan(5, selesai.pk), catatan="Q-5"
    )
    job = ImportJob.objects.create(
        jenis="users",
        nama_berkas="q.csv",
        isi_berkas=b"-",
        jumlah_baris=2,
        status=ImportJob.Status.SIAP,
        kesalahan=[[2, "peran", "Q"]],
        ringkasan={"dibuat": 1, "diperbarui": 0, "tidak_berubah": 0, "dilewati": 1, "kesalahan": 1, "baris_salah": 1},
        dibuat_oleh=admin,
    )
    # enough records for the record list to have more than one page
    for n in range(26):
        PencatatanFactory(
            opd=opd_a,
            nama_paket=f"Q{100 + n} Item",
            status=Status.SELESAI,
            kd_nontender_pct=91_100_000 + n,
            paket=[rup(91_100_000 + n, f"Q{100 + n} Item")],
        )
    nilai = NilaiManualItkp.objects.create(
        indikator=IndikatorItkp.objects.filter(sumber="manual").first(), tahun=TAHUN, poin=5
    )
    # DESIGN §12: a record of the app, SPSE's copy of its package with another pagu, and their pending pair
    genset = rup(91_000_009, "Q22 Genset")
    lokal = PencatatanFactory(opd=opd_a, nama_paket="Q22 Genset", paket=[genset], pagu=Decimal("60000000"))
    spse = PencatatanFactory(
        opd=opd_a, nama_paket="Q23 Genset", paket=[genset], kd_nontender_pct=91_000_009, sumber=Sumber.IMPOR
    )
    padanan = PadananSpse.objects.create(
        lokal=lokal, spse=spse, kode_spse=91_000_009, alasan=PadananSpse.Alasan.PAGU_BERBEDA
    )
    token = tokens.token_create(pengguna=operator_a, nama="Q24 script", hari=30).token
    return SimpleNamespace(
        token=token,
        padanan=padanan,
        opd=opd_a,
        pptk=pptk,
        pencatatan=record,
        swakelola=Pencatatan.objects.get(nama_paket="Q18 Workshop"),
        realisasi=payment,
        bukti=BuktiRealisasi.objects.get(realisasi=payment),
        review=review,
        job=job,
        nilai=nilai,
    )


def matrix_objects(world, user: User) -> dict:
    """What the permission matrix builds URL arguments from, taken from `world`."""
    return {
        "opd_a": world.opd,
        "operator_a": user,
        "pencatatan": world.pencatatan,
        "draft": world.swakelola,  # a Draft: its delete confirmation
        "realisasi": world.realisasi,
        "bukti": world.bukti,
        "job": world.job,
        "padanan": world.padanan,
        Opd._meta.label: world.opd,
        User._meta.label: world.pptk,
        PaketRup._meta.label: world.pencatatan.paket_rup.first(),
        Pencatatan._meta.label: world.pencatatan,
        Realisasi._meta.label: world.realisasi,
        BuktiRealisasi._meta.label: world.bukti,
        "pengadaan.Penyedia": world.realisasi.penyedia,
        ImportJob._meta.label: world.job,
        TinjauanTandaBahaya._meta.label: world.review,
        MetodologiItkp._meta.label: MetodologiItkp.objects.first(),
        IndikatorItkp._meta.label: world.nilai.indikator,
        NilaiManualItkp._meta.label: world.nilai,
        TokenApi._meta.label: world.token,
    }


def matrix_urls(world, user: User, *, admin: bool) -> list[str]:
    """Every URL of the URL conf; the Django admin's only for the admin, and only of our own apps."""
    objects = matrix_objects(world, user)
    urls = []
    for name, entry in MATRIX.items():
        if name.startswith("admin:"):
            ours = name.startswith(("admin:opd_", "admin:pengadaan_")) or name in (
                "admin:index",
                "admin:app_list",
                "admin:password_change",
                "admin:password_change_done",
            )
            if not (admin and ours):
                continue
        params = entry.kwargs(objects)
        urls.append(reverse(name, args=params) if isinstance(params, list) else reverse(name, kwargs=params))
    return urls


# --- fetching ----------------------------------------------------------------------------------------

NOT_PAGES = ("/static/", "/media/", "/bukti/", "/impor/templat/", "/impor/ekspor/", "/i18n/")


def is_page(url: str) -> bool:
    """Downloads (exports, proof files, templates) are not pages; nor is the language switch."""
    parts = urlsplit(url)
    return (
        not parts.path.startswith(NOT_PAGES)
        and not parts.path.endswith(".xlsx")
        and "_export=" not in parts.query
        and "format=" not in parts.query
    )


class Crawler:
    """Breadth-first GETs of the start URLs and every same-site href and hx-get found on the way; the
    HTML of each page by URL (an htmx fetch as `url [htmx]`). The Django admin's links are not followed:
    the admin's pages of our models are start URLs, and its sort orders and filters only repeat them."""

    def __init__(self, client) -> None:
        self.client = client
        self.pages: dict[str, str] = {}
        self.statuses: dict[str, int] = {}
        self.variants: dict[tuple[str, bool], set[str]] = {}

    def crawl(self, start: list[str], htmx: list[str] = ()) -> None:
        queue = deque([*((url, False) for url in start), *((url, True) for url in htmx)])
        while queue:
            url, as_htmx = queue.popleft()
            key = f"{url} [htmx]" if as_htmx else url
            seen = self.variants.setdefault((urlsplit(url).path, as_htmx), set())
            if key in self.statuses or not is_page(url) or (url not in start and len(seen) >= VARIANTS_PER_PATH):
                continue
            assert len(self.statuses) < MAX_PAGES, "the crawl does not end"
            seen.add(url)
            response = self.client.get(url, headers={"HX-Request": "true"} if as_htmx else {})
            self.statuses[key] = response.status_code
            if response.status_code in (301, 302):
                target = same_site(url, response["Location"])
                if target:
                    queue.append((target, False))
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            self.pages[key] = html
            if url.startswith("/admin/"):
                continue
            for attribute, href in LINK.findall(html):
                if (target := same_site(url, href)) and not target.startswith("/admin/"):
                    queue.append((target, attribute == "hx-get"))

    def post(self, url: str, data: dict, *, htmx: bool = False, label: str = "") -> int:
        """POST a form and keep the page it answers with (or, after a redirect, the page it leads to)."""
        response = self.client.post(url, data, headers={"HX-Request": "true"} if htmx else {}, follow=True)
        key = f"POST {url}{' [htmx]' if htmx else ''}{label}"
        self.statuses[key] = response.status_code
        if "text/html" in response.get("Content-Type", ""):
            self.pages[key] = response.content.decode()
        return response.status_code


def in_language(user: User | None, language: str) -> Client:
    """A client of `user` (None: nobody logged in) who chose `language` with the footer's switch."""
    client = client_for(user) if user is not None else Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def start_urls(world, user, *, admin: bool) -> list[str]:
    client = in_language(user, "en")
    nav = [item["url"] for item in client.get("/", follow=True).context["nav_items"]]
    opd = world.opd.pk
    return [
        "/",
        *nav,
        *matrix_urls(world, user, admin=admin),
        f"{reverse('pencatatan_list')}?q=Q17",
        f"{reverse('pencatatan_list')}?page=2",
        f"{reverse('pencatatan_list')}?status=batal&jenis=non_tender",
        f"{reverse('tanda_bahaya_list')}?status=all&tahun={TAHUN}",
        f"{reverse('tanda_bahaya_list')}?status=reviewed&tahun={TAHUN}",
        f"{reverse('dashboard')}?tahun={TAHUN}",
        f"{reverse('opd_dashboard', args=[opd])}?tahun={TAHUN}",
        f"{reverse('rup_list', args=[opd])}?tahun={TAHUN}",
        f"{reverse('rup_list', args=[opd])}?tahun=2011",  # no packages: the empty state
        f"{reverse('pengingat_preview', args=[opd])}?tahun={TAHUN}",
        f"{reverse('pencatatan_create', args=[opd, 'non_tender'])}?tahun={TAHUN}",
        f"{reverse('pencatatan_create', args=[opd, 'swakelola'])}?tahun={TAHUN}",
        reverse("pencatatan_detail", args=[world.swakelola.pk]),
        reverse("pencatatan_detail", args=[Pencatatan.objects.get(nama_paket="Q21 Desk").pk]),
        reverse("pencatatan_detail", args=[Pencatatan.objects.get(nama_paket="Q19 Printer").pk]),
        "/tidak-ada/",  # 404
    ]


def forms_with_errors(crawler: Crawler, world, user) -> None:
    """Send each form back empty or wrong, so that its validation messages show."""
    opd, record, payment = world.opd.pk, world.pencatatan, world.realisasi
    crawler.post(reverse("pencatatan_create", args=[opd, "non_tender"]), {})
    crawler.post(reverse("pencatatan_create", args=[opd, "swakelola"]), {"nilai_pdn_pct": "-5", "nilai_umk_pct": "x"})
    crawler.post(reverse("pencatatan_update", args=[record.pk]), {"pagu": "-1", "tgl_mulai_paket": "kemarin"})
    # a stale version: someone else saved in between (409, the conflict notice)
    crawler.post(
        reverse("pencatatan_update", args=[record.pk]),
        {
            "nama_paket": "Q17 Laptop",
            "paket_rup": [p.pk for p in record.paket_rup.all()],
            "mtd_pemilihan": "Pengadaan Langsung",
            "kategori_pengadaan": "Barang",
            "versi": 0,
        },
        label=" (stale)",
    )
    crawler.post(reverse("realisasi_add", args=[record.pk]), {"nilai_realisasi": "abc"})
    crawler.post(reverse("realisasi_add", args=[record.pk]), {"nilai_realisasi": "-1"}, htmx=True)
    too_much = {
        "jenis_realisasi": "kuitansi",
        "no_realisasi": "KW-Q-002",
        "tgl_realisasi": f"{TAHUN}-05-11",
        "nilai_realisasi": "999999999",
    }
    crawler.post(reverse("realisasi_add", args=[record.pk]), too_much, htmx=True, label=" (over pagu)")
    crawler.post(reverse("realisasi_update", args=[payment.pk]), {"tgl_realisasi": "2999-01-01"})
    crawler.post(reverse("realisasi_update", args=[payment.pk]), {"tgl_realisasi": "2999-01-01"}, htmx=True)
    crawler.post(reverse("bukti_add", args=[payment.pk]), {})
    crawler.post(
        reverse("bukti_add", args=[payment.pk]),
        {"berkas": SimpleUploadedFile("q.exe", b"MZ\x90\x00", "application/octet-stream")},
        htmx=True,
    )
    crawler.post(reverse("pencatatan_status", args=[record.pk]), {"status": "batal"})  # no reason
    crawler.post(reverse("pencatatan_status", args=[record.pk]), {"status": "tidak-ada"})


def users_with_errors(world) -> dict:
    """The import form with a file of people whose rows are wrong in several ways."""
    rows = (
        "username,nama,peran,kd_satker,email,nip\n"
        f"q_a,Q A,ppk,{world.opd.kd_satker},qa@example.go.id,12\n"
        "q_b,Q B,q,99999,q-mail,\n"
        f"q_c,Q C,operator,{world.opd.kd_satker},qc@example.go.id,\n"
        f"q_c,Q C,operator,{world.opd.kd_satker},qc@example.go.id,\n"
    )
    return {"jenis": "users", "berkas": SimpleUploadedFile("q-rows.csv", rows.encode()), "tahun": ""}


def admin_forms_with_errors(crawler: Crawler, world) -> None:
    crawler.post(reverse("impor_list"), {})
    crawler.post(
        reverse("impor_list"),
        {"jenis": "users", "berkas": SimpleUploadedFile("q.xlsx", b"not a workbook")},
        label=" (unreadable)",
    )
    crawler.post(
        reverse("impor_list"),
        {"jenis": "nontender", "berkas": SimpleUploadedFile("q.csv", b"q1,q2\n1,2\n")},
        label=" (columns)",
    )
    crawler.post(reverse("impor_list"), users_with_errors(world), label=" (row errors)")
    crawler.post(reverse("impor_confirm", args=[world.job.pk]), {})  # errors left and not "valid only"
    crawler.post(reverse("admin:opd_opd_add"), {"kd_satker": "x"})
    crawler.post(reverse("admin:opd_user_add"), {"username": ""})
    crawler.post(reverse("admin:pengadaan_tinjauantandabahaya_add"), {"rule": "12"})


def anonymous_pages(crawler: Crawler) -> None:
    crawler.crawl(
        [
            reverse("login"),
            reverse("password_reset"),
            reverse("password_reset_done"),
            reverse("password_reset_complete"),
            reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "q"}),
            reverse("admin:login"),
        ]
    )
    crawler.post(reverse("password_reset"), {"email": "x"})
    for attempt in range(settings.AXES_FAILURE_LIMIT):  # the last one is locked out
        crawler.post(reverse("login"), {"username": "q_nobody", "password": "q"}, label=f" #{attempt}")


def error_pages(language: str) -> dict[str, str]:
    """The 400 and 500 pages, rendered by their handlers (the test client raises instead of showing them)."""
    request = RequestFactory().get("/")
    with translation.override(language):
        return {
            "400 page": defaults.bad_request(request, Exception("q")).content.decode(),
            "500 page": server_error(request).content.decode(),
        }


def crawl_everything(world, personas: dict[str, User | None], language: str) -> SimpleNamespace:
    """Every page in `language` as each of `personas`: `pages` (HTML) and `statuses`, by "persona url"."""
    pages: dict[str, str] = {}
    statuses: dict[str, int] = {}
    for name, user in personas.items():
        crawler = Crawler(in_language(user, language))
        if user is None:
            anonymous_pages(crawler)
        else:
            partials = [reverse("realisasi_update", args=[world.realisasi.pk]), world.job.get_absolute_url()]
            crawler.crawl(start_urls(world, user, admin=user.is_admin_role), htmx=partials)
            if user.peran == Peran.OPERATOR or user.is_admin_role:
                forms_with_errors(crawler, world, user)
            if user.is_admin_role:
                admin_forms_with_errors(crawler, world)
            crawler.post(reverse("password_change"), {"old_password": "q"})
            if user.is_pengawas:  # a review without its note
                kode = tanda_bahaya.kode_pencatatan(5, Pencatatan.objects.get(nama_paket="Q100 Item").pk)
                crawler.post(reverse("tanda_bahaya_review"), {"tahun": TAHUN, "kode": kode, "catatan": " "})
        pages |= {f"{name} {url}": html for url, html in crawler.pages.items()}
        statuses |= {f"{name} {url}": status for url, status in crawler.statuses.items()}
    pages |= error_pages(language)
    return SimpleNamespace(pages=pages, statuses=statuses)


@pytest.fixture
def people(world, operator_a, ppk_a, pengawas, admin):
    return {
        "anonymous": None,
        "operator": operator_a,
        "pptk": world.pptk,
        "ppk": ppk_a,
        "pengawas": pengawas,
        "admin": admin,
    }


def warm_up(world, people, language: str) -> None:
    """The dashboards and red flags computed, and kept, while someone reads them in `language`."""
    client = in_language(people["pengawas"], language)
    for url in (reverse("dashboard"), reverse("tanda_bahaya_list"), reverse("opd_dashboard", args=[world.opd.pk])):
        assert client.get(f"{url}?tahun={TAHUN}").status_code == 200


# --- the tests -----------------------------------------------------------------------------------------


def pages_not_in(language: str, pages: dict[str, VisibleText]) -> list[str]:
    """Whole pages whose <html lang> is not `language` (htmx partials have no <html>)."""
    return [key for key, page in pages.items() if page.lang not in (None, language)]


def test_english_pages_show_no_indonesian(world, people):
    warm_up(world, people, "id")
    result = crawl_everything(world, people, "en")

    assert [key for key, status in result.statuses.items() if status >= 500] == []
    # the crawl reached every kind of page: the data, each error page, forms with errors, the admin
    assert len(result.pages) >= 250
    refused = f"pengawas {reverse('pencatatan_create', args=[world.opd.pk, 'non_tender'])}"  # 403
    assert {"400 page", "500 page", "operator /tidak-ada/", refused} <= set(result.pages)
    assert {200, 403, 404, 409, 422} <= set(result.statuses.values())
    texts = " ".join(result.pages.values())
    for mark in ("Q17 Laptop", "Q19 Printer", "CV Q9", "KW-Q-001", "Sari Q", "Q-5", "q.csv"):
        assert mark in texts
    pages = {key: read(html, "en") for key, html in result.pages.items()}
    assert pages_not_in("en", pages) == []

    leaks, used = report(pages, "en", INDONESIAN_WORD, ALLOWED_IN_ENGLISH, PENDING_IN_ENGLISH)
    assert leaks == [], f"{len(leaks)} Indonesian words on English pages:\n" + "\n".join(leaks)
    fixed = [PENDING_IN_ENGLISH[entry] for entry in PENDING_IN_ENGLISH if entry not in used]
    assert fixed == [], "no page shows these any more: remove them from PENDING_IN_ENGLISH"
    # what an English page marks as Indonesian (the reminder e-mail's preview, the language's own name) is
    # read as Indonesian: no English in it
    assert any("id" in page.texts for page in pages.values())
    leaks, _used = report(pages, "id", ENGLISH_WORD, ALLOWED_IN_INDONESIAN)
    assert leaks == [], f"{len(leaks)} English words in Indonesian parts of English pages:\n" + "\n".join(leaks)


def test_indonesian_pages_show_no_english(world, people):
    warm_up(world, people, "en")
    # lightly: PPTK and PPK see the operator's pages
    result = crawl_everything(world, {key: people[key] for key in ("anonymous", "operator", "pengawas", "admin")}, "id")

    assert [key for key, status in result.statuses.items() if status >= 500] == []
    assert len(result.pages) >= 250
    assert "Masuk ke SPSE Tracker" in " ".join(result.pages.values())
    pages = {key: read(html, "id") for key, html in result.pages.items()}
    assert pages_not_in("id", pages) == []
    # the words are found where they are: Indonesian pages are full of the Indonesian ones
    assert len(report(pages, "id", INDONESIAN_WORD)[0]) > 5000

    leaks, _used = report(pages, "id", ENGLISH_WORD, ALLOWED_IN_INDONESIAN)
    assert leaks == [], f"{len(leaks)} English words on Indonesian pages:\n" + "\n".join(leaks)


def test_an_import_checked_by_the_worker_writes_in_the_uploaders_language(
    world, admin, settings, django_capture_on_commit_callbacks
):
    """A large file is checked by the task worker, which has no request and so runs in the site's language
    (Indonesian); the row errors it stores are still in the language of the person who uploaded it."""
    settings.IMPORT_BACKGROUND_ROWS = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks() as queued:
        response = in_language(admin, "en").post(reverse("impor_list"), users_with_errors(world))
    job = ImportJob.objects.get(nama_berkas="q-rows.csv")
    assert (response.status_code, job.status, len(queued)) == (302, ImportJob.Status.MENUNGGU, 1)
    with translation.override("id"):  # the worker
        queued[0]()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SIAP
    reasons = " ".join(reason for _row, _column, reason in job.kesalahan)
    assert len(job.kesalahan) >= 3
    assert offending(reasons, INDONESIAN_WORD, [r"operator, pptk, ppk, pengawas(,| or) admin"]) == []


@pytest.mark.parametrize(
    ("stored", "english", "indonesian"),
    [
        ("Status: Berjalan", "Status: In progress", "Status: Berjalan"),
        ("Status: Cancelled", "Status: Cancelled", "Status: Batal"),
        ("Dibuka kembali", "Reopened", "Dibuka kembali"),
        ("Reopened", "Reopened", "Dibuka kembali"),
        ("Impor #12: rup 2026.xlsx", "Import #12: rup 2026.xlsx", "Impor #12: rup 2026.xlsx"),
        ("Import #7: q.csv", "Import #7: q.csv", "Impor #7: q.csv"),
        ("Data demo", "Demo data", "Data demo"),
        ("Q typed by a person", "Q typed by a person", "Q typed by a person"),
        (None, "", ""),
    ],
)
def test_history_reasons_are_shown_in_the_readers_language(stored, english, indonesian):
    """A reason is stored in its writer's language (pengadaan.services, imports) and read in the reader's."""
    with translation.override("en"):
        assert alasan_tampil(stored) == english
    with translation.override("id"):
        assert alasan_tampil(stored) == indonesian


def test_visible_text_reads_attributes_and_chart_labels_but_not_code_or_other_languages():
    html = (
        '<html lang="en"><head><title>Q page</title><script>var simpan = 1;</script><style>.hapus{}</style>'
        '</head><body><p>One <b>two</b></p><input type="submit" value="Kirim"><input type="text" value="tulis">'
        '<button aria-label="Tutup" hx-confirm="Hapus ini?">×</button><img alt="Grafik" src="x.png">'
        '<canvas data-label-target="Target bulan"></canvas><code>nama_paket baris</code>'
        '<script type="application/json" id="d">{"bulan": ["Mei", "Jun"], "n": [1, 2]}</script>'
        '<select><option lang="id">Bahasa Indonesia</option><option lang="en-GB">English</option></select>'
        '<section lang="id"><section>yang</section><img alt="sudah"> dan</section><p>Q end</p></body></html>'
    )
    page = read(html, "en")
    found = sorted({match.group(0) for match in INDONESIAN_WORD.finditer(page.texts["en"])})
    assert found == ["Hapus", "Kirim", "Mei", "Tutup", "bulan", "ini"]
    assert page.texts == {
        "en": "Q page One two Kirim Tutup Hapus ini? × Grafik Target bulan Mei Jun English Q end",
        "id": "Bahasa Indonesia yang sudah dan",
    }
    assert page.lang == "en"
    assert offending("Simpan data Kota Tangerang", INDONESIAN_WORD, [r"Kota Tangerang"]) == [
        "'Simpan' in …Simpan data ··············…"
    ]
