"""Reminder digests (`pengadaan.pengingat`, `kirim_pengingat`, the browser preview).

The reference day is 15 June 2026 unless the test says otherwise: packages planned for
May or earlier are overdue, June's are not yet due; drafts created before 1 June 2026
(local time) are more than 14 days old.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opd.models import Peran
from pengadaan import pengingat, services
from pengadaan.models import JenisPencatatan, Pencatatan, Status
from tests.conftest import client_for
from tests.factories import OpdFactory, PaketRupFactory, PencatatanFactory, UserFactory

TODAY = dt.date(2026, 6, 15)
JUTA = Decimal("1000000")
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _created(record: Pencatatan, local: dt.datetime) -> Pencatatan:
    """Backdate `dibuat_pada` (auto_now_add) to a local date and time."""
    Pencatatan.objects.filter(pk=record.pk).update(dibuat_pada=timezone.make_aware(local))
    record.refresh_from_db()
    return record


def _paket(opd, nama, bulan, pagu=10, **kwargs):
    return PaketRupFactory(
        opd=opd,
        nama_paket=nama,
        tgl_awal_pemilihan=dt.date(2026, bulan, 1) if bulan else None,
        pagu=pagu * JUTA,
        **kwargs,
    )


@pytest.fixture
def opd_c(db):
    return OpdFactory(nama_satker="Dinas Perhubungan Uji", singkatan="Dishub-C")


@pytest.fixture
def kota(opd_a, opd_b, opd_c, operator_a, ppk_a, operator_b, pengawas, admin):
    """OPD A with a bit of everything, B with one overdue package, C up to date, D inactive."""
    a = {
        "jan": _paket(opd_a, "Belanja Kertas Januari", 1),
        "feb": _paket(opd_a, "Belanja Tinta Februari", 2),  # its only record is Batal: still not recorded
        "mei": _paket(opd_a, "Belanja Meja Mei", 5),  # last month: overdue
        "jun": _paket(opd_a, "Belanja Kursi Juni", 6),  # this month: not yet due
        "jul": _paket(opd_a, "Belanja Lemari Juli", 7),
        "tanpa": _paket(opd_a, "Belanja Tanpa Bulan", None),  # no planned month: never overdue
        "mar": _paket(opd_a, "Belanja Laptop Maret", 3, pagu=30),
        "apr": _paket(opd_a, "Belanja Printer April", 4, pagu=20),
    }
    _paket(opd_a, "Pembangunan Gedung Tender", 2, metode_pengadaan="Tender")  # not a non-tender package
    PaketRupFactory(
        opd=opd_a, nama_paket="Belanja Tahun Lalu", tahun_anggaran=2025, tgl_awal_pemilihan=dt.date(2025, 5, 1)
    )
    batal = PencatatanFactory(opd=opd_a, paket=[a["feb"]], status=Status.BATAL, alasan_pembatalan="Input ganda")
    _created(batal, dt.datetime(2026, 1, 10, 9, 0))
    selesai = PencatatanFactory(
        opd=opd_a, paket=[a["mar"]], status=Status.SELESAI, nama_paket="Laptop Selesai", kd_nontender_pct=71_000_001
    )
    # recorded in the app on 1 April, not (yet) in SPSE
    ditinjau = PencatatanFactory(opd=opd_a, paket=[a["apr"]], status=Status.SELESAI, nama_paket="Printer Selesai")
    services.tinjau_tanda_bahaya(user=pengawas, tahun=2026, kode=f"R5:pencatatan:{ditinjau.pk}", catatan="Sudah dicek")
    draft_15 = _created(
        PencatatanFactory(
            opd=opd_a,
            paket=[],
            status=Status.DRAFT,
            nama_paket="Draft Lima Belas Hari",
            tgl_buat_paket=dt.date(2026, 5, 31),
        ),
        dt.datetime(2026, 5, 31, 23, 59, 59),
    )
    draft_14 = _created(
        PencatatanFactory(
            opd=opd_a,
            paket=[],
            status=Status.DRAFT,
            nama_paket="Draft Empat Belas Hari",
            tgl_buat_paket=dt.date(2026, 6, 1),
        ),
        dt.datetime(2026, 6, 1, 0, 0, 0),
    )
    # in the app, not in SPSE: made last, but the oldest; and one made the same day as Printer Selesai
    tenda = PencatatanFactory(
        opd=opd_a,
        paket=[],
        status=Status.BERJALAN,
        nama_paket="Sewa Tenda Belum di SPSE",
        pagu=7_500_000,
        tgl_buat_paket=dt.date(2026, 3, 2),
    )
    servis = PencatatanFactory(
        opd=opd_a,
        paket=[],
        status=Status.BERJALAN,
        nama_paket="Servis AC Belum di SPSE",
        pagu=12_500_000,
        tgl_buat_paket=dt.date(2026, 4, 1),
    )
    # in SPSE (swakelola code), or cancelled: not reminded of
    PencatatanFactory(
        opd=opd_a,
        paket=[],
        jenis=JenisPencatatan.SWAKELOLA,
        mtd_pemilihan="",
        kategori_pengadaan="",
        tipe_swakelola=1,
        status=Status.BERJALAN,
        nama_paket="Swakelola di SPSE",
        kd_swakelola_pct=72_000_001,
    )
    _created(
        PencatatanFactory(opd=opd_a, paket=[], status=Status.DRAFT, nama_paket="Draft Tahun Lalu", tahun_anggaran=2025),
        dt.datetime(2026, 1, 10, 9, 0),
    )
    pptk_a = UserFactory(username="pptk_a", peran=Peran.PPTK, opd=opd_a)
    UserFactory(username="ppk_a_pensiun", peran=Peran.PPK, opd=opd_a, is_active=False)
    UserFactory(username="operator_a_tanpa_email", peran=Peran.OPERATOR, opd=opd_a, email="")

    b_recorded = _paket(opd_b, "Obat Februari", 2, pagu=60)
    PencatatanFactory(opd=opd_b, paket=[b_recorded], status=Status.BERJALAN, kd_nontender_pct=71_000_002)
    _paket(opd_b, "Vaksin April", 4, pagu=30)

    PencatatanFactory(opd=opd_c, pagu=40 * JUTA, kd_nontender_pct=71_000_003)  # its package (March) is recorded
    UserFactory(username="operator_c", peran=Peran.OPERATOR, opd=opd_c)

    opd_d = OpdFactory(nama_satker="Dinas Lama Uji", singkatan="Dilam-D", aktif=False)
    _paket(opd_d, "Belanja OPD Nonaktif", 1)
    UserFactory(username="operator_d", peran=Peran.OPERATOR, opd=opd_d)
    return {
        **a,
        "selesai": selesai,
        "ditinjau": ditinjau,
        "draft_15": draft_15,
        "draft_14": draft_14,
        "tenda": tenda,
        "servis": servis,
        "pptk_a": pptk_a,
        "opd_c": opd_c,
        "opd_d": opd_d,
    }


def _digest(digests, opd):
    return next(d for d in digests if d.opd == opd)


def test_build_digests_covers_active_opds_by_name(kota, opd_a, opd_b, opd_c):
    digests = pengingat.build_digests(tahun=2026, today=TODAY)
    assert [d.opd for d in digests] == [opd_b, opd_a, opd_c]  # D is inactive
    assert [d.ada_isi for d in digests] == [True, True, False]


def test_digest_lists_packages_whose_planned_month_is_over(kota, opd_a):
    digest = _digest(pengingat.build_digests(tahun=2026, today=TODAY), opd_a)
    assert [p.nama_paket for p in digest.belum_dicatat] == [
        "Belanja Kertas Januari",
        "Belanja Tinta Februari",
        "Belanja Meja Mei",
    ]


def test_digest_on_the_first_of_the_month_makes_last_month_due(kota, opd_a):
    digest = _digest(pengingat.build_digests(tahun=2026, today=dt.date(2026, 7, 1)), opd_a)
    assert [p.nama_paket for p in digest.belum_dicatat] == [
        "Belanja Kertas Januari",
        "Belanja Tinta Februari",
        "Belanja Meja Mei",
        "Belanja Kursi Juni",
    ]


def test_digest_old_drafts_are_more_than_14_days(kota, opd_a):
    digest = _digest(pengingat.build_digests(tahun=2026, today=TODAY), opd_a)
    assert [p.nama_paket for p in digest.draft_lama] == ["Draft Lima Belas Hari"]
    assert digest.draft_hari == 14


def test_digest_draft_days_is_a_setting(kota, opd_a, settings):
    settings.PENGINGAT_DRAFT_HARI = 13
    digest = _digest(pengingat.build_digests(tahun=2026, today=TODAY), opd_a)
    assert [p.nama_paket for p in digest.draft_lama] == ["Draft Lima Belas Hari", "Draft Empat Belas Hari"]


def test_digest_flags_are_the_open_ones(kota, opd_a, opd_b):
    digests = pengingat.build_digests(tahun=2026, today=TODAY)
    assert [f.kode for f in _digest(digests, opd_a).flags] == [f"R5:pencatatan:{kota['selesai'].pk}"]
    assert _digest(digests, opd_b).flags == []


def test_digest_lists_records_in_the_app_not_yet_in_spse_oldest_first(kota, opd_a, opd_b, opd_c):
    digests = pengingat.build_digests(tahun=2026, today=TODAY)
    digest = _digest(digests, opd_a)
    # active, no SPSE code, of 2026: by tgl_buat_paket, then pk; the age in days on 15 June 2026
    assert [(p.nama_paket, p.tgl_buat_paket, digest.umur(p)) for p in digest.belum_di_spse] == [
        ("Sewa Tenda Belum di SPSE", dt.date(2026, 3, 2), 105),  # 29 + 30 + 31 + 15
        ("Printer Selesai", dt.date(2026, 4, 1), 75),  # 29 + 31 + 15
        ("Servis AC Belum di SPSE", dt.date(2026, 4, 1), 75),  # same day, made after Printer Selesai
        ("Draft Lima Belas Hari", dt.date(2026, 5, 31), 15),
        ("Draft Empat Belas Hari", dt.date(2026, 6, 1), 14),
    ]
    # made after the drafts, yet listed first: the order is by tgl_buat_paket, not by creation
    assert kota["ditinjau"].pk < kota["draft_14"].pk < kota["tenda"].pk < kota["servis"].pk
    # Laptop Selesai and Swakelola di SPSE have SPSE codes, the Batal one and last year's draft do not count
    assert _digest(digests, opd_b).belum_di_spse == []
    assert _digest(digests, opd_c).belum_di_spse == []


def test_digest_with_only_records_not_in_spse_has_something_to_say(opd_a, operator_a):
    PencatatanFactory(opd=opd_a, status=Status.BERJALAN, nama_paket="Hanya di Aplikasi", tgl_buat_paket=TODAY)
    (digest,) = pengingat.build_digests(tahun=2026, today=TODAY)
    assert (digest.belum_dicatat, digest.draft_lama, digest.flags) == ([], [], [])
    assert [(p.nama_paket, digest.umur(p)) for p in digest.belum_di_spse] == [("Hanya di Aplikasi", 0)]
    assert digest.ada_isi is True
    _subject, text, _html = pengingat.render_digest(digest)
    assert "\n- Hanya di Aplikasi (dicatat 15 Juni 2026, 0 hari lalu) http://127.0.0.1:8000/pencatatan/" in text


def test_digest_percentages_of_the_opd_and_the_city(kota, opd_a, opd_b, opd_c):
    digests = pengingat.build_digests(tahun=2026, today=TODAY)
    # A: 50 of 110 juta recorded; B: 60 of 90; C: 40 of 40; city (D included): 150 of 250.
    assert [(d.opd, d.persen_opd, d.persen_kota) for d in digests] == [
        (opd_b, Decimal("66.67"), Decimal("60.00")),
        (opd_a, Decimal("45.45"), Decimal("60.00")),
        (opd_c, Decimal("100.00"), Decimal("60.00")),
    ]


def test_digest_recipients_are_the_opds_active_people_with_email(kota, opd_a, opd_b, operator_a, ppk_a, operator_b):
    digests = pengingat.build_digests(tahun=2026, today=TODAY)
    assert _digest(digests, opd_a).penerima == [operator_a, ppk_a, kota["pptk_a"]]
    assert _digest(digests, opd_b).penerima == [operator_b]


def test_send_digests_mails_only_opds_with_something_to_report(kota, opd_a, opd_b, opd_c, settings):
    settings.EMAIL_BACKEND = LOCMEM
    hasil = pengingat.send_digests(tahun=2026, today=TODAY)
    assert [(d.opd, n) for d, n in hasil] == [(opd_b, 1), (opd_a, 3), (opd_c, 0)]
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("[SPSE Tracker] Pengingat pencatatan Dinkes-B TA 2026", ["operator_b@example.go.id"]),
        (
            "[SPSE Tracker] Pengingat pencatatan Disdik-A TA 2026",
            ["operator_a@example.go.id", "ppk_a@example.go.id", "pptk_a@example.go.id"],
        ),
    ]
    assert [m.alternatives[0].mimetype for m in mail.outbox] == ["text/html", "text/html"]


def test_send_digests_dry_run_sends_nothing(kota, settings):
    settings.EMAIL_BACKEND = LOCMEM
    hasil = pengingat.send_digests(tahun=2026, today=TODAY, dry_run=True)
    assert [n for _d, n in hasil] == [1, 3, 0]
    assert mail.outbox == []


def test_render_digest_text_body(kota, opd_a):
    digest = _digest(pengingat.build_digests(tahun=2026, today=TODAY), opd_a)
    subject, text, html = pengingat.render_digest(digest)
    selesai, draft, flag = kota["selesai"].pk, kota["draft_15"].pk, digest.flags[0]
    url = {name: f"http://127.0.0.1:8000/pencatatan/{kota[name].pk}/" for name in ("tenda", "ditinjau", "servis")}
    assert subject == "[SPSE Tracker] Pengingat pencatatan Disdik-A TA 2026"
    assert text == (
        "Yth. Bapak/Ibu pengelola pengadaan Dinas Pendidikan Uji,\n"
        "\n"
        "Berikut ringkasan pencatatan pengadaan non tender dan swakelola tahun anggaran 2026 "
        "yang perlu ditindaklanjuti.\n"
        "\n"
        "Paket RUP yang sudah dicatat (menurut pagu):\n"
        "- Disdik-A: 45,45%\n"
        "- Seluruh Kota Tangerang: 60,00%\n"
        "\n"
        "Paket RUP yang bulan rencananya sudah lewat tetapi belum dicatat: 3\n"
        f"- Belanja Kertas Januari (RUP {kota['jan'].kd_rup}, Rp 10.000.000, rencana Januari 2026)\n"
        f"- Belanja Tinta Februari (RUP {kota['feb'].kd_rup}, Rp 10.000.000, rencana Februari 2026)\n"
        f"- Belanja Meja Mei (RUP {kota['mei'].kd_rup}, Rp 10.000.000, rencana Mei 2026)\n"
        "\n"
        "Pencatatan berstatus Draft lebih dari 14 hari: 1\n"
        f"- Draft Lima Belas Hari (dibuat 31 Mei 2026) http://127.0.0.1:8000/pencatatan/{draft}/\n"
        "\n"
        "Pencatatan di aplikasi yang belum ada di SPSE (ITKP dihitung dari SPSE): 5\n"
        f"- Sewa Tenda Belum di SPSE (dicatat 2 Maret 2026, 105 hari lalu) {url['tenda']}\n"
        f"- Printer Selesai (dicatat 1 April 2026, 75 hari lalu) {url['ditinjau']}\n"
        f"- Servis AC Belum di SPSE (dicatat 1 April 2026, 75 hari lalu) {url['servis']}\n"
        f"- Draft Lima Belas Hari (dicatat 31 Mei 2026, 15 hari lalu) http://127.0.0.1:8000/pencatatan/{draft}/\n"
        f"- Draft Empat Belas Hari (dicatat 1 Juni 2026, 14 hari lalu) "
        f"http://127.0.0.1:8000/pencatatan/{kota['draft_14'].pk}/\n"
        "\n"
        "Tanda bahaya yang belum ditinjau: 1\n"
        f"- Selesai tanpa realisasi: {flag.alasan}\n"
        f"  Laptop Selesai http://127.0.0.1:8000/pencatatan/{selesai}/\n"  # by package name, not #pk
        "\n"
        f"Selengkapnya di dasbor OPD: http://127.0.0.1:8000/opd/{opd_a.pk}/dashboard/?tahun=2026\n"
        "\n"
        "Mohon paket-paket tersebut segera dicatat dan draft diselesaikan, "
        "agar input tidak menumpuk di akhir tahun anggaran.\n"
        "\n"
        "Pesan ini dikirim otomatis oleh SPSE Tracker Kota Tangerang.\n"
    )
    assert "Belanja Kursi Juni" not in html
    assert f'<a href="http://127.0.0.1:8000/pencatatan/{selesai}/">Laptop Selesai</a></li>' in html
    assert f'<a href="http://127.0.0.1:8000/opd/{opd_a.pk}/dashboard/?tahun=2026">' in html
    assert "<td>Belanja Meja Mei</td>" in html
    assert (
        f'<tr><td>2 Maret 2026</td><td>105 hari</td><td><a href="{url["tenda"]}">Sewa Tenda Belum di SPSE</a></td>'
        "<td>Rp 7.500.000</td></tr>"
    ) in html


def test_render_digest_uses_site_url(kota, opd_b, settings):
    settings.SITE_URL = "https://spse.example.go.id/"
    digest = _digest(pengingat.build_digests(tahun=2026, today=TODAY), opd_b)
    _subject, text, _html = pengingat.render_digest(digest)
    assert f"Selengkapnya di dasbor OPD: https://spse.example.go.id/opd/{opd_b.pk}/dashboard/?tahun=2026\n" in text


def test_render_digest_shows_at_most_20_items(opd_a, operator_a):
    for n in range(22):
        _paket(opd_a, f"Paket Nomor {n:02d}", 1)
    digest = pengingat.build_digests(tahun=2026, today=TODAY)[0]
    _subject, text, html = pengingat.render_digest(digest)
    assert len(digest.belum_dicatat) == 22
    assert "belum dicatat: 22\n" in text
    assert [line[2:16] for line in text.splitlines() if line.startswith("- Paket Nomor")] == [
        f"Paket Nomor {n:02d}" for n in range(20)
    ]
    assert "\n... dan 2 lainnya\n" in text
    assert html.count("<td>Paket Nomor") == 20
    assert "<p>... dan 2 lainnya</p>" in html


def test_render_digest_shows_at_most_20_records_not_in_spse(opd_a, operator_a):
    for n in range(23):
        PencatatanFactory(
            opd=opd_a, paket=[], nama_paket=f"Catatan Nomor {n:02d}", tgl_buat_paket=dt.date(2026, 5, 1 + n)
        )
    (digest,) = pengingat.build_digests(tahun=2026, today=TODAY)
    _subject, text, html = pengingat.render_digest(digest)
    assert "belum ada di SPSE (ITKP dihitung dari SPSE): 23\n" in text
    lines = [line for line in text.splitlines() if line.startswith("- Catatan Nomor")]
    assert [line[2:18] for line in lines] == [f"Catatan Nomor {n:02d}" for n in range(20)]
    assert lines[0].startswith("- Catatan Nomor 00 (dicatat 1 Mei 2026, 45 hari lalu) ")
    assert lines[19].startswith("- Catatan Nomor 19 (dicatat 20 Mei 2026, 26 hari lalu) ")
    assert "Catatan Nomor 19 (dicatat 20 Mei 2026, 26 hari lalu) http://127.0.0.1:8000/pencatatan/" in text
    assert text.count("\n... dan 3 lainnya\n") == 1
    assert html.count(">Catatan Nomor") == 20
    assert "<p>... dan 3 lainnya</p>" in html


def test_build_digests_query_count_does_not_grow_with_opds(db, django_assert_num_queries):
    def opd_with_everything(i: int) -> None:
        opd = OpdFactory()
        UserFactory(opd=opd, peran=Peran.PPK)
        _paket(opd, f"Belum {i}", 1)
        PencatatanFactory(opd=opd, status=Status.SELESAI)  # an open red flag (rule 5)
        _created(PencatatanFactory(opd=opd, paket=[], status=Status.DRAFT), dt.datetime(2026, 1, 5, 8, 0))

    opd_with_everything(0)
    with CaptureQueriesContext(connection) as one:
        digests = pengingat.build_digests(tahun=2026, today=TODAY)
    assert [
        (len(d.penerima), len(d.belum_dicatat), len(d.draft_lama), len(d.flags), len(d.belum_di_spse)) for d in digests
    ] == [(1, 1, 1, 1, 2)]
    opd_with_everything(1)
    opd_with_everything(2)
    with django_assert_num_queries(len(one)):
        digests = pengingat.build_digests(tahun=2026, today=TODAY)
    assert len(digests) == 3


def test_command_dry_run_prints_and_sends_nothing(kota, settings):
    settings.EMAIL_BACKEND = LOCMEM
    out = io.StringIO()
    call_command("kirim_pengingat", "--dry-run", "--tahun", "2026", stdout=out)
    # Run on the real date (after June 2026): every 2026 month is over and both drafts are old.
    assert out.getvalue().splitlines() == [
        "Dinkes-B: 1 penerima, 1 paket belum dicatat, 0 draft lama, 0 tanda bahaya, 0 belum di SPSE",
        "Disdik-A: 3 penerima, 5 paket belum dicatat, 2 draft lama, 1 tanda bahaya, 5 belum di SPSE",
        "Dishub-C: tidak ada yang perlu diingatkan",
        "Uji coba TA 2026: 2 e-mail akan dikirim ke 4 penerima, 1 OPD tanpa pengingat; tidak ada e-mail yang dikirim.",
    ]
    assert mail.outbox == []


def test_command_sends_one_message_per_opd_with_something_to_report(kota, settings):
    settings.EMAIL_BACKEND = LOCMEM
    out = io.StringIO()
    call_command("kirim_pengingat", "--tahun", "2026", stdout=out)
    assert [m.subject for m in mail.outbox] == [
        "[SPSE Tracker] Pengingat pencatatan Dinkes-B TA 2026",
        "[SPSE Tracker] Pengingat pencatatan Disdik-A TA 2026",
    ]
    assert out.getvalue().splitlines()[-1] == (
        "TA 2026: 2 e-mail pengingat dikirim ke 4 penerima, 1 OPD tanpa pengingat."
    )


def test_command_reports_an_opd_without_recipients(opd_b, settings):
    settings.EMAIL_BACKEND = LOCMEM
    _paket(opd_b, "Vaksin April", 4)
    out = io.StringIO()
    call_command("kirim_pengingat", "--tahun", "2026", stdout=out)
    assert out.getvalue().splitlines() == [
        "Dinkes-B: 0 penerima, 1 paket belum dicatat, 0 draft lama, 0 tanda bahaya, 0 belum di SPSE "
        "(tidak dikirim: tidak ada penerima dengan alamat e-mail)",
        "TA 2026: 0 e-mail pengingat dikirim ke 0 penerima, 0 OPD tanpa pengingat.",
    ]
    assert mail.outbox == []


def test_preview_shows_the_email_to_pengawas(kota, opd_a, pengawas):
    response = client_for(pengawas).get(reverse("pengingat_preview", args=[opd_a.pk]), {"tahun": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["subject"] == "[SPSE Tracker] Pengingat pencatatan Disdik-A TA 2026"
    assert response.context["akan_dikirim"] is True
    assert (response.context["digest"].persen_opd, response.context["digest"].persen_kota) == (
        Decimal("45.45"),
        Decimal("60.00"),  # the whole city's, not only this OPD's
    )
    assert "<td>Belanja Kertas Januari</td>" in html
    # the records not yet in SPSE, aged on the real today (the preview is the e-mail sent today)
    tenda = kota["tenda"]
    umur = (timezone.localdate() - dt.date(2026, 3, 2)).days
    assert "Pencatatan di aplikasi yang belum ada di SPSE (ITKP dihitung dari SPSE): 5</h2>" in html
    assert (
        f"<tr><td>2 Maret 2026</td><td>{umur} hari</td>"
        f'<td><a href="http://127.0.0.1:8000/pencatatan/{tenda.pk}/">Sewa Tenda Belum di SPSE</a></td>'
    ) in html
    assert "&lt;pptk_a@example.go.id&gt;" in html
    assert "kirim_pengingat" in html


def test_preview_of_an_opd_with_nothing_to_report(kota, opd_c, admin):
    response = client_for(admin).get(reverse("pengingat_preview", args=[opd_c.pk]), {"tahun": 2026})
    assert response.status_code == 200
    assert response.context["akan_dikirim"] is False
    assert "Tidak ada yang perlu diingatkan" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("operator_a", 403), ("ppk_a", 403), ("operator_b", 403), ("pengawas", 200), ("admin", 200)],
)
def test_preview_is_for_city_roles_only(personas, opd_a, persona, status):
    response = client_for(personas[persona]).get(reverse("pengingat_preview", args=[opd_a.pk]))
    assert response.status_code == status


def test_preview_of_an_unknown_opd_is_404(pengawas, opd_a):
    response = client_for(pengawas).get(reverse("pengingat_preview", args=[opd_a.pk + 1000]))
    assert response.status_code == 404


def test_preview_of_an_inactive_opd_says_it_gets_no_reminder(kota, pengawas):
    response = client_for(pengawas).get(reverse("pengingat_preview", args=[kota["opd_d"].pk]), {"tahun": 2026})
    assert response.status_code == 200
    assert response.context["digest"] is None
    assert "OPD ini nonaktif" in response.content.decode()
