"""The city dashboard's per-OPD table and "Perlu perhatian" lists are rendered once and then served from the
cache (issue 16): the key is the versions of the stored summaries, each OPD's names and open flag count, the
language, the sort and the columns shown. Each test starts with an empty cache (tests/conftest.py), renders
the page, changes one of those, and reads the table in the HTML a person gets."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test.signals import template_rendered
from django.urls import reverse

from pengadaan import services
from pengadaan.dashboards import ringkasan, tanda_bahaya
from tests.conftest import client_for
from tests.factories import PaketRupFactory, PencatatanFactory, RealisasiFactory

TAHUN = 2025
CELL = "pengadaan/partials/metrik_sel.html"


@pytest.fixture
def data_2025(opd_a, opd_b):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN, pagu=Decimal("1000000"))
    PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN, paket=[paket], pagu=Decimal("1000000"))
    return PaketRupFactory(opd=opd_b, tahun_anggaran=TAHUN, pagu=Decimal("500000"))


def page(client, **params) -> tuple[str, int]:
    """The per-OPD table's HTML, and how many table rows were rendered (not taken from the cache)."""
    rendered = []

    def count(sender, template, context, **kwargs):
        if template.name == CELL:
            rendered.append(template.name)

    template_rendered.connect(count)
    try:
        html = client.get(reverse("dashboard"), {"tahun": TAHUN, **params}).content.decode()
    finally:
        template_rendered.disconnect(count)
    table = re.search(r'<table[^>]*data-testid="tabel-opd".*?</table>', html, re.S)
    assert table is not None
    return table.group(0), len(rendered)


def row_of(table: str, singkatan: str) -> str:
    found = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*>{re.escape(singkatan)}</a>.*?</tr>", table, re.S)
    assert found is not None, singkatan
    return found.group(0)


def cell(row: str, column: str) -> str:
    return re.search(rf'data-kolom="{column}">([^<]*)<', row).group(1)


def test_the_second_request_takes_the_table_from_the_cache(pengawas, data_2025):
    client = client_for(pengawas)
    first, rendered = page(client)
    assert rendered == 3  # two OPDs and the city row
    second, rendered = page(client)
    assert rendered == 0
    assert second == first
    # another supervisor, another session: the same key
    assert page(client_for(pengawas))[1] == 0


def test_new_numbers_are_shown_once_the_worker_stored_them(pengawas, opd_b, data_2025):
    client = client_for(pengawas)
    table, _n = page(client)
    assert cell(row_of(table, "Dinkes-B"), "persen_tercatat") == "0,00%"
    PencatatanFactory(opd=opd_b, tahun_anggaran=TAHUN, paket=[data_2025], pagu=Decimal("500000"))
    table, rendered = page(client)
    assert rendered == 0  # out of date, shown as last stored (test_basi.py)
    assert cell(row_of(table, "Dinkes-B"), "persen_tercatat") == "0,00%"
    ringkasan.segarkan_ringkasan.call()
    table, rendered = page(client)
    assert rendered == 3
    assert cell(row_of(table, "Dinkes-B"), "persen_tercatat") == "100,00%"


def test_a_renamed_opd_is_shown_at_once(pengawas, opd_a, data_2025):
    client = client_for(pengawas)
    page(client)
    opd_a.singkatan = "Disdik-Baru"
    opd_a.save()
    table, rendered = page(client)
    assert rendered == 3
    assert "Disdik-Baru" in table
    assert ">Disdik-A<" not in table


def test_a_reviewed_flag_lowers_the_count_at_once(pengawas, opd_a):
    PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN, pagu=Decimal("1000000"))
    record = PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN)
    # paid on 2 January, recorded on 30 June: rule 2 (late entry), one flag
    RealisasiFactory(pencatatan=record, tgl_realisasi=dt.date(TAHUN, 1, 2), tgl_dicatat=dt.date(TAHUN, 6, 30))
    client = client_for(pengawas)
    table, _n = page(client)
    before = int(cell(row_of(table, "Disdik-A"), "red_flags"))
    assert before >= 1
    flag = tanda_bahaya.flags_for(tahun=TAHUN, user=pengawas)[0]
    services.tinjau_tanda_bahaya(user=pengawas, tahun=TAHUN, kode=flag.kode, catatan="Sudah dicek.")
    table, rendered = page(client)
    assert rendered > 0
    assert int(cell(row_of(table, "Disdik-A"), "red_flags")) == before - 1


def test_sort_columns_and_language_each_have_their_own_copy(pengawas, data_2025):
    client = client_for(pengawas)
    by_completion, _n = page(client)
    # lowest completion first: Dinkes-B (0 %) above Disdik-A (100 %)
    assert by_completion.index("Dinkes-B") < by_completion.index("Disdik-A")
    # by full name: "Dinas Pendidikan Uji" (Disdik-A) after "Dinas Kesehatan Uji" (Dinkes-B)
    by_name, rendered = page(client, urut="nama_satker", arah="desc")
    assert rendered == 3
    assert by_name.index("Disdik-A") < by_name.index("Dinkes-B")
    by_name_up, rendered = page(client, urut="nama_satker", arah="asc")
    assert rendered == 3
    assert by_name_up.index("Dinkes-B") < by_name_up.index("Disdik-A")
    every_column, rendered = page(client, kolom="semua")
    assert rendered == 3
    assert 'data-kolom="realisasi_nilai"' in every_column
    assert 'data-kolom="realisasi_nilai"' not in by_completion
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, rendered = page(client)
    assert rendered == 3
    assert "% recorded" in english
    assert "% tercatat" in by_completion
    assert "% recorded" not in by_completion
