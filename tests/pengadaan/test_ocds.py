"""The OCDS 1.1 release package (DESIGN §11, §13): what the official schemas require, the mapping of our
records, what is never published, the streamed view, the command and the startup check.

The checks below are written by hand from the OCDS 1.1 `release-package-schema.json`,
`release-schema.json` and the closed codelists of open-contracting/standard (schema/, branch 1.1); the
schema files themselves are not copied here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from pengadaan import rules
from pengadaan.choices import JenisPencatatan, MetodePemilihan, Status, TipeSwakelola
from pengadaan.exports.ocds.paket import PaketRilis
from pengadaan.exports.ocds.rilis import npwp_badan
from tests.conftest import client_for
from tests.factories import (
    PaketRupFactory,
    PencatatanFactory,
    PenyediaFactory,
    RealisasiFactory,
)

TAHUN = 2026
PREFIX = "ocds-tgrkot"  # the settings' default

# --- what the schemas require ------------------------------------------------------------------------

# RFC 3339 date-time (JSON Schema "format": "date-time"): a date, a time and a zone
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
VERSION = re.compile(r"(\d+\.)(\d+)")  # release-package-schema: version "^(\d+\.)(\d+)$"
URI = re.compile(r"https?://\S+")
# closed codelists of OCDS 1.1 (the schema's enums), and the codes of the open ones we use
RELEASE_TAG = {
    "planning",
    "planningUpdate",
    "tender",
    "tenderAmendment",
    "tenderUpdate",
    "tenderCancellation",
    "award",
    "awardUpdate",
    "awardCancellation",
    "contract",
    "contractUpdate",
    "contractAmendment",
    "implementation",
    "implementationUpdate",
    "contractTermination",
    "compiled",
}
INITIATION_TYPE = {"tender"}
METHOD = {"open", "selective", "limited", "direct"}
TENDER_STATUS = {"planning", "planned", "active", "cancelled", "unsuccessful", "complete", "withdrawn"}
AWARD_STATUS = {"pending", "active", "cancelled", "unsuccessful"}
CONTRACT_STATUS = {"pending", "active", "cancelled", "terminated"}
PROCUREMENT_CATEGORY = {"goods", "services", "works"}
PARTY_ROLE = {
    "buyer",
    "procuringEntity",
    "supplier",
    "tenderer",
    "funder",
    "enquirer",
    "payer",
    "payee",
    "reviewBody",
    "interestedParty",
}


def _problems_value(value, where: str) -> list[str]:
    problems = []
    if not isinstance(value, dict):
        return [f"{where}: Value is not an object"]
    amount = value.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float, Decimal)):
        problems.append(f"{where}.amount is not a number: {amount!r}")
    if value.get("currency") != "IDR":  # IDR is in the closed currency codelist
        problems.append(f"{where}.currency {value.get('currency')!r}")
    return problems


def _problems_date(value, where: str) -> list[str]:
    return [] if isinstance(value, str) and DATE_TIME.fullmatch(value) else [f"{where} not a date-time: {value!r}"]


def _problems_id(value, where: str) -> list[str]:
    # ids are strings (integers are allowed but not recommended; we publish strings) of at least one character
    return [] if isinstance(value, str) and value else [f"{where} not a non-empty string: {value!r}"]


def _unique(items: list, where: str) -> list[str]:
    texts = [json.dumps(i, sort_keys=True, default=str) for i in items]
    return [] if len(set(texts)) == len(texts) else [f"{where} items not unique"]


def problems_of_release(release: dict, parties_by_id: dict) -> list[str]:
    p: list[str] = []
    for field in ("ocid", "id", "date", "tag", "initiationType"):  # release-schema "required"
        if field not in release:
            p.append(f"release lacks {field}")
    p += _problems_id(release.get("ocid"), "ocid") + _problems_id(release.get("id"), "id")
    if "#" in str(release.get("id")):
        p.append("release id contains #")
    p += _problems_date(release.get("date"), "date")
    tag = release.get("tag")
    if not (isinstance(tag, list) and len(tag) >= 1 and set(tag) <= RELEASE_TAG):
        p.append(f"tag {tag!r}")
    if release.get("initiationType") not in INITIATION_TYPE:
        p.append(f"initiationType {release.get('initiationType')!r}")

    def reference(ref, where):
        if not isinstance(ref, dict) or ref.get("id") not in parties_by_id:
            return [f"{where} does not name a party: {ref!r}"]
        if ref.get("name") != parties_by_id[ref["id"]]["name"]:
            return [f"{where} name differs from its party"]
        return []

    for i, party in enumerate(release.get("parties", [])):
        p += _problems_id(party.get("id"), f"parties[{i}].id")
        if not isinstance(party.get("name"), str):
            p.append(f"parties[{i}].name")
        if not set(party.get("roles", [])) <= PARTY_ROLE:
            p.append(f"parties[{i}].roles {party.get('roles')!r}")
        ident = party.get("identifier")
        if ident is not None and not (isinstance(ident.get("scheme"), str) and isinstance(ident.get("id"), str)):
            p.append(f"parties[{i}].identifier")
    p += _unique(release.get("parties", []), "parties")
    if "buyer" in release:
        p += reference(release["buyer"], "buyer")
    if "planning" in release and "amount" in release["planning"].get("budget", {}):
        p += _problems_value(release["planning"]["budget"]["amount"], "planning.budget.amount")
    tender = release.get("tender")
    if tender is not None:
        p += _problems_id(tender.get("id"), "tender.id")  # Tender "required": ["id"]
        if tender.get("status") not in TENDER_STATUS:
            p.append(f"tender.status {tender.get('status')!r}")
        if tender.get("procurementMethod") not in METHOD:
            p.append(f"tender.procurementMethod {tender.get('procurementMethod')!r}")
        if "mainProcurementCategory" in tender and tender["mainProcurementCategory"] not in PROCUREMENT_CATEGORY:
            p.append(f"tender.mainProcurementCategory {tender['mainProcurementCategory']!r}")
        if "value" in tender:
            p += _problems_value(tender["value"], "tender.value")
    awards = release.get("awards", [])
    for i, award in enumerate(awards):
        p += _problems_id(award.get("id"), f"awards[{i}].id")  # Award "required": ["id"]
        if award.get("status") not in AWARD_STATUS:
            p.append(f"awards[{i}].status {award.get('status')!r}")
        if "date" in award:
            p += _problems_date(award["date"], f"awards[{i}].date")
        if "value" in award:
            p += _problems_value(award["value"], f"awards[{i}].value")
        for j, supplier in enumerate(award.get("suppliers", [])):
            p += reference(supplier, f"awards[{i}].suppliers[{j}]")
        p += _unique(award.get("suppliers", []), f"awards[{i}].suppliers")
    p += _unique(awards, "awards")
    award_ids = {a.get("id") for a in awards}
    for i, contract in enumerate(release.get("contracts", [])):
        p += _problems_id(contract.get("id"), f"contracts[{i}].id")  # Contract "required": ["id", "awardID"]
        if contract.get("awardID") not in award_ids:
            p.append(f"contracts[{i}].awardID names no award")
        if contract.get("status") not in CONTRACT_STATUS:
            p.append(f"contracts[{i}].status {contract.get('status')!r}")
        if "value" in contract:
            p += _problems_value(contract["value"], f"contracts[{i}].value")
        for key, value in contract.get("period", {}).items():
            p += _problems_date(value, f"contracts[{i}].period.{key}")
        transactions = contract.get("implementation", {}).get("transactions", [])
        for j, tx in enumerate(transactions):
            where = f"contracts[{i}].transactions[{j}]"
            p += _problems_id(tx.get("id"), f"{where}.id")  # Transaction "required": ["id"]
            p += _problems_date(tx.get("date"), f"{where}.date")
            p += _problems_value(tx.get("value"), f"{where}.value")
            p += reference(tx.get("payer"), f"{where}.payer")
            if "payee" in tx:
                p += reference(tx["payee"], f"{where}.payee")
        p += _unique(transactions, f"contracts[{i}].transactions")
    p += _unique(release.get("contracts", []), "contracts")
    return p


def problems_of_package(package: dict) -> list[str]:
    """What the release package schema (and our §11 contract: uri, publishedDate, publisher) requires."""
    p = [f"package lacks {f}" for f in ("uri", "publishedDate", "publisher", "releases", "version") if f not in package]
    if not (isinstance(package.get("version"), str) and VERSION.fullmatch(package["version"])):
        p.append(f"version {package.get('version')!r}")
    if package.get("version") != "1.1":
        p.append("not OCDS 1.1")
    if not (isinstance(package.get("uri"), str) and URI.fullmatch(package["uri"])):
        p.append(f"uri {package.get('uri')!r}")
    p += _problems_date(package.get("publishedDate"), "publishedDate")
    if not isinstance(package.get("publisher", {}).get("name"), str):
        p.append("publisher.name")
    releases = package.get("releases")
    if not isinstance(releases, list):
        return [*p, "releases is not an array"]
    for release in releases:
        parties = {party["id"]: party for party in release.get("parties", []) if "id" in party}
        p += [f"{release.get('ocid')}: {problem}" for problem in problems_of_release(release, parties)]
    ocids = [r.get("ocid") for r in releases]
    if len(set(ocids)) != len(ocids):
        p.append("one ocid in two releases")
    return p


def test_validator_catches_what_the_schema_refuses():
    """The hand-written checks refuse what the schemas refuse (a check that never fails proves nothing)."""
    bad = {
        "version": "1.1.5",
        "releases": [
            {
                "ocid": "",
                "id": "a#b",
                "date": "2026-05-10",
                "tag": [],
                "initiationType": "direct",
                "parties": [{"id": "x", "name": "X", "roles": ["buyer"]}],
                "buyer": {"id": "y", "name": "Y"},
                "tender": {
                    "status": "closed",
                    "procurementMethod": "direct",
                    "value": {"amount": "5", "currency": "Rp"},
                },
                "awards": [{"id": "1", "status": "complete"}],
                "contracts": [{"id": "1", "awardID": "2", "status": "terminatedEarly"}],
            }
        ],
    }
    assert problems_of_package(bad) == [
        "package lacks uri",
        "package lacks publishedDate",
        "package lacks publisher",
        "version '1.1.5'",
        "not OCDS 1.1",
        "uri None",
        "publishedDate not a date-time: None",
        "publisher.name",
        ": ocid not a non-empty string: ''",
        ": release id contains #",
        ": date not a date-time: '2026-05-10'",
        ": tag []",
        ": initiationType 'direct'",
        ": buyer does not name a party: {'id': 'y', 'name': 'Y'}",
        ": tender.id not a non-empty string: None",
        ": tender.status 'closed'",
        ": tender.value.amount is not a number: '5'",
        ": tender.value.currency 'Rp'",
        ": awards[0].status 'complete'",
        ": contracts[0].awardID names no award",
        ": contracts[0].status 'terminatedEarly'",
    ]


# --- helpers -----------------------------------------------------------------------------------------


def package_text(tahun: int = TAHUN) -> str:
    return "".join(PaketRilis(tahun=tahun))


def package(tahun: int = TAHUN) -> dict:
    """The package parsed with its numbers as Decimals (exact, as written)."""
    return json.loads(package_text(tahun), parse_float=Decimal)


def by_ocid(data: dict) -> dict[str, dict]:
    return {r["ocid"]: r for r in data["releases"]}


def non_tender(opd, kode: int, **extra):
    return PencatatanFactory(opd=opd, kd_nontender_pct=kode, **extra)


def swakelola(opd, kode: int, **extra):
    extra.setdefault("mtd_pemilihan", "")
    extra.setdefault("kategori_pengadaan", "")
    return PencatatanFactory(opd=opd, jenis=JenisPencatatan.SWAKELOLA, kd_swakelola_pct=kode, **extra)


# --- the package -------------------------------------------------------------------------------------


def test_package_of_every_kind_keeps_the_schema(opd_a, opd_b):
    r1 = non_tender(opd_a, 101, mtd_pemilihan=MetodePemilihan.KONTES, kategori_pengadaan="Pekerjaan Konstruksi")
    RealisasiFactory(pencatatan=r1)
    non_tender(opd_b, 102, status=Status.SELESAI, kategori_pengadaan="Jasa Konsultansi")
    non_tender(opd_b, 103, status=Status.BATAL, alasan_pembatalan="ganda", kategori_pengadaan="Terintegrasi")
    sw = swakelola(opd_a, 101, tipe_swakelola=TipeSwakelola.TIPE_3, pelaksana_swakelola="Ormas Bakti")
    RealisasiFactory(pencatatan=sw, penyedia=PenyediaFactory(nama="Ormas Bakti"))
    swakelola(opd_a, 104)

    data = package()

    assert problems_of_package(data) == []
    assert data["version"] == "1.1"
    assert data["uri"] == "http://127.0.0.1:8000/ocds/rilis.json?tahun=2026"
    assert data["publisher"] == {"name": "Kota Tangerang"}
    # non-tender and swakelola codes are two sequences: the same number gives two distinct ocids
    assert sorted(by_ocid(data)) == [
        "ocds-tgrkot-NT-101",
        "ocds-tgrkot-NT-102",
        "ocds-tgrkot-NT-103",
        "ocds-tgrkot-SW-101",
        "ocds-tgrkot-SW-104",
    ]
    releases = by_ocid(data)
    contest = releases["ocds-tgrkot-NT-101"]
    assert (contest["tender"]["procurementMethod"], contest["tender"]["procurementMethodDetails"]) == ("open", "Kontes")
    assert contest["tender"]["mainProcurementCategory"] == "works"
    assert contest["initiationType"] == "tender"
    assert contest["language"] == "id"
    assert releases["ocds-tgrkot-NT-102"]["tender"]["mainProcurementCategory"] == "services"
    assert "mainProcurementCategory" not in releases["ocds-tgrkot-NT-103"]["tender"]  # Terintegrasi
    assert "mainProcurementCategory" not in releases["ocds-tgrkot-SW-104"]["tender"]
    assert releases["ocds-tgrkot-SW-104"]["tender"]["procurementMethod"] == "direct"


def test_status_maps_to_the_closed_codelists(opd_a):
    non_tender(opd_a, 1, status=Status.BERJALAN)
    non_tender(opd_a, 2, status=Status.SELESAI)
    non_tender(opd_a, 3, status=Status.BATAL, alasan_pembatalan="salah input")

    got = {
        ocid: (r["tender"]["status"], r["awards"][0]["status"], r["contracts"][0]["status"])
        for ocid, r in by_ocid(package()).items()
    }

    assert got == {
        "ocds-tgrkot-NT-1": ("complete", "active", "active"),
        "ocds-tgrkot-NT-2": ("complete", "active", "terminated"),
        "ocds-tgrkot-NT-3": ("cancelled", "cancelled", "cancelled"),
    }


def test_non_tender_two_payments_add_up_to_its_realisasi(opd_a):
    # pagu 50,000,000.00; paid 12,500,000.50 on 10 May and 7,250,000.25 on 2 June: realisasi 19,750,000.75
    record = non_tender(opd_a, 500, tgl_mulai_paket=dt.date(2026, 4, 2), tgl_selesai_paket=dt.date(2026, 6, 30))
    supplier = PenyediaFactory(nama="CV Sumber Rejeki", npwp="013456789012000")
    first = RealisasiFactory(
        pencatatan=record, penyedia=supplier, nilai_realisasi=Decimal("12500000.50"), tgl_realisasi=dt.date(2026, 5, 10)
    )
    second = RealisasiFactory(
        pencatatan=record, penyedia=supplier, nilai_realisasi=Decimal("7250000.25"), tgl_realisasi=dt.date(2026, 6, 2)
    )

    text = package_text()
    release = by_ocid(json.loads(text, parse_float=Decimal))["ocds-tgrkot-NT-500"]
    contract = release["contracts"][0]
    transactions = contract["implementation"]["transactions"]

    assert [t["id"] for t in transactions] == [str(first.pk), str(second.pk)]
    assert [t["value"] for t in transactions] == [
        {"amount": Decimal("12500000.50"), "currency": "IDR"},
        {"amount": Decimal("7250000.25"), "currency": "IDR"},
    ]
    assert sum(t["value"]["amount"] for t in transactions) == Decimal("19750000.75")
    assert [t["date"] for t in transactions] == ["2026-05-10T00:00:00+07:00", "2026-06-02T00:00:00+07:00"]
    assert '"amount":12500000.50,' in text  # a number written from its exact text, no float in between
    party = {
        "id": "ID-NPWP-013456789012000",
        "name": "CV Sumber Rejeki",
        "identifier": {"scheme": "ID-NPWP", "id": "013456789012000", "legalName": "CV Sumber Rejeki"},
        "roles": ["supplier", "payee"],
    }
    assert release["parties"][1:] == [party]
    buyer = {"id": f"ID-SATKER-{opd_a.kd_satker_str}", "name": opd_a.nama_satker}
    assert release["buyer"] == buyer
    assert release["parties"][0]["roles"] == ["buyer", "payer"]
    assert release["parties"][0]["identifier"] == {
        "scheme": "ID-SATKER",
        "id": opd_a.kd_satker_str,
        "legalName": opd_a.nama_satker,
    }
    assert {(t["payer"]["id"], t["payee"]["id"]) for t in transactions} == {(buyer["id"], party["id"])}
    assert release["awards"][0]["suppliers"] == [{"id": party["id"], "name": party["name"]}]
    assert contract["value"] == {"amount": 50000000, "currency": "IDR"}
    assert contract["period"] == {"startDate": "2026-04-02T00:00:00+07:00", "endDate": "2026-06-30T00:00:00+07:00"}
    assert release["awards"][0]["date"] == "2026-04-02T00:00:00+07:00"


def test_amounts_written_from_their_decimal_text(opd_a):
    # through a float the sen would lose their trailing zero (1450200.1); whole Rupiah have no decimals
    non_tender(opd_a, 7, pagu=Decimal("1450200.10"))
    non_tender(opd_a, 9, pagu=Decimal("1450200.00"))

    text = package_text()

    assert text.count('"value":{"amount":1450200.10,"currency":"IDR"}') == 3  # tender, award, contract
    assert text.count('"value":{"amount":1450200,"currency":"IDR"}') == 3


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite stores a decimal as a float: 16 digits at most")
def test_amounts_keep_all_eighteen_digits(opd_a):
    # the largest pagu the model holds (18 digits); through a float it would be written 1e16
    non_tender(opd_a, 10, pagu=Decimal("9999999999999999.99"))

    assert '"value":{"amount":9999999999999999.99,"currency":"IDR"}' in package_text()


def test_budget_from_the_linked_rup_packages(opd_a):
    p1 = PaketRupFactory(
        opd=opd_a, kd_rup=41000002, pagu=Decimal("30000000.00"), nama_paket="Cetak Buku", sumber_dana="APBD"
    )
    p2 = PaketRupFactory(
        opd=opd_a, kd_rup=41000001, pagu=Decimal("25000000.50"), nama_paket="Jilid Buku", sumber_dana="APBD"
    )
    non_tender(opd_a, 8, paket=[p1, p2], pagu=Decimal("55000000.50"), sumber_dana="")

    release = by_ocid(package())["ocds-tgrkot-NT-8"]

    assert release["planning"] == {
        "budget": {
            "id": "41000001;41000002",
            "description": "APBD",
            "amount": {"amount": Decimal("55000000.50"), "currency": "IDR"},
            "project": "Jilid Buku; Cetak Buku",
        }
    }


def test_swakelola_type_i_has_no_supplier(opd_a):
    record = swakelola(opd_a, 11, tipe_swakelola=TipeSwakelola.TIPE_1)
    RealisasiFactory(pencatatan=record, penyedia=PenyediaFactory(nama="Tukang Harian Uji"))

    release = by_ocid(package())["ocds-tgrkot-SW-11"]

    assert [p["roles"] for p in release["parties"]] == [["buyer", "payer"]]
    assert "suppliers" not in release["awards"][0]
    assert [set(t) for t in release["contracts"][0]["implementation"]["transactions"]] == [
        {"id", "date", "value", "payer"}
    ]
    assert release["tender"]["procurementMethodDetails"] == "Swakelola tipe I"
    assert "Tukang Harian Uji" not in json.dumps(release)


def test_swakelola_type_iii_has_its_executing_party(opd_a):
    record = swakelola(opd_a, 12, tipe_swakelola=TipeSwakelola.TIPE_3, pelaksana_swakelola="Ormas Karya Bakti")
    ormas = PenyediaFactory(nama="Ormas Karya Bakti", npwp="023456789012000")
    RealisasiFactory(pencatatan=record, penyedia=ormas)

    release = by_ocid(package())["ocds-tgrkot-SW-12"]

    party = {
        "id": "ID-NPWP-023456789012000",
        "name": "Ormas Karya Bakti",
        "identifier": {"scheme": "ID-NPWP", "id": "023456789012000", "legalName": "Ormas Karya Bakti"},
        "roles": ["supplier", "payee"],
    }
    assert release["parties"][1:] == [party]
    assert release["awards"][0]["suppliers"] == [{"id": party["id"], "name": "Ormas Karya Bakti"}]
    assert release["tender"]["procurementMethodDetails"] == "Swakelola tipe III"


def test_swakelola_named_executing_party_without_payments(opd_a):
    swakelola(opd_a, 13, tipe_swakelola=TipeSwakelola.TIPE_4, pelaksana_swakelola="Pokmas Sejahtera")

    release = by_ocid(package())["ocds-tgrkot-SW-13"]

    assert release["parties"][1:] == [{"id": "pelaksana", "name": "Pokmas Sejahtera", "roles": ["supplier"]}]
    assert release["awards"][0]["suppliers"] == [{"id": "pelaksana", "name": "Pokmas Sejahtera"}]
    assert "implementation" not in release["contracts"][0]


def test_swakelola_without_type_says_so_and_names_no_one_unknown(opd_a):
    record = swakelola(opd_a, 14, tipe_swakelola=None)
    RealisasiFactory(pencatatan=record, penyedia=PenyediaFactory(nama="Penerima Tidak Jelas"))

    release = by_ocid(package())["ocds-tgrkot-SW-14"]

    assert release["tender"]["procurementMethodDetails"] == "Swakelola (tipe tidak diumumkan)"
    assert len(release["parties"]) == 1
    assert "suppliers" not in release["awards"][0]
    assert "Penerima Tidak Jelas" not in json.dumps(release)


def test_no_personal_data_is_published(opd_a, ppk_a):
    record = non_tender(
        opd_a,
        21,
        ppk=ppk_a,
        nip_ppk="198001012005011001",
        nama_ppk="Budi Santoso Pejabat",
        uraian_pekerjaan="Diserahkan kepada Ibu Rina Wulandari",
        informasi_lainnya="Hubungi Pak Joko 0812-1111-2222",
    )
    # a person supplying as themself: their NPWP is their NIK (16 digits)
    RealisasiFactory(pencatatan=record, penyedia=PenyediaFactory(nama="Toko Sari", npwp="3671014501800002"))
    person = PenyediaFactory(nama="Usaha Ahmad", npwp="071234567411000")  # 15 digits, a person's (07)
    RealisasiFactory(pencatatan=record, penyedia=person)

    text = package_text()

    for secret in (
        "198001012005011001",
        "Budi Santoso",
        "Rina Wulandari",
        "Joko",
        "3671014501800002",
        "071234567411000",
        ppk_a.nama,
        ppk_a.username,
    ):
        assert secret not in text
    release = by_ocid(json.loads(text))["ocds-tgrkot-NT-21"]
    assert [(p["name"], "identifier" in p) for p in release["parties"][1:]] == [
        ("Toko Sari", False),
        ("Usaha Ahmad", False),
    ]


@pytest.mark.parametrize(
    ("npwp", "published"),
    [
        ("013456789012000", "013456789012000"),  # 01: a company
        ("213456789012000", "213456789012000"),  # a later company series
        ("0013456789012000", "0013456789012000"),  # the 16-digit form of a company's: 0 + the 15 digits
        ("001973971411000", "001973971411000"),  # 00: a government treasurer
        ("071234567411000", None),  # 07: a person
        ("541234567411000", None),  # 54: a person in business
        ("3671014501800002", None),  # a NIK
        ("12345", None),
        ("", None),
        (None, None),
    ],
)
def test_npwp_published_only_for_bodies(npwp, published):
    assert npwp_badan(npwp) == published


def test_drafts_records_not_in_spse_and_other_years_are_left_out(opd_a):
    non_tender(opd_a, 31)
    non_tender(opd_a, 32, status=Status.DRAFT)
    PencatatanFactory(opd=opd_a)  # not in SPSE yet
    non_tender(opd_a, 33, tahun_anggaran=2025)

    assert list(by_ocid(package())) == ["ocds-tgrkot-NT-31"]
    assert list(by_ocid(package(2025))) == ["ocds-tgrkot-NT-33"]
    assert package(2024)["releases"] == []


def test_empty_year_is_a_valid_package(db):
    data = package(2030)

    assert data["releases"] == []
    assert problems_of_package(data) == []


def _records_with_payments(opd, n: int, start: int) -> None:
    for kode in range(start, start + n):
        RealisasiFactory.create_batch(2, pencatatan=non_tender(opd, kode))
        swakelola(opd, kode, tipe_swakelola=TipeSwakelola.TIPE_2, pelaksana_swakelola="Dinas Lain")


@pytest.mark.parametrize("n", [1, 2])
def test_query_count_does_not_grow_with_records(opd_a, django_assert_num_queries, n):
    _records_with_payments(opd_a, n, 1)
    paket = PaketRilis(tahun=TAHUN)

    # the records; per chunk (here one) their payments with suppliers, their RUP links with packages
    with django_assert_num_queries(3):
        text = "".join(paket)

    assert paket.jumlah == 2 * n
    assert len(json.loads(text)["releases"]) == 2 * n


def test_query_count_grows_by_chunk_not_by_record(opd_a, django_assert_num_queries):
    _records_with_payments(opd_a, 3, 1)  # 6 records in chunks of 2: the records' query, two more per chunk

    with django_assert_num_queries(1 + 3 * 2):
        assert len(json.loads("".join(PaketRilis(tahun=TAHUN, chunk_size=2)))["releases"]) == 6


# --- the view ----------------------------------------------------------------------------------------

URL = reverse("ocds_rilis")


def _read(response) -> dict:
    return json.loads(b"".join(response.streaming_content), parse_float=Decimal)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("operator_a", 403), ("ppk_a", 403), ("operator_b", 403), ("pengawas", 200), ("admin", 200)],
)
def test_view_readers(personas, persona, status, opd_a):
    non_tender(opd_a, 41)

    response = client_for(personas[persona]).get(f"{URL}?tahun={TAHUN}")

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == f"/accounts/login/?next=/ocds/rilis.json%3Ftahun%3D{TAHUN}"
    if status == 200:
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"] == 'attachment; filename="ocds-spse-tracker-2026.json"'
        assert list(by_ocid(_read(response))) == ["ocds-tgrkot-NT-41"]


@override_settings(OCDS_PUBLIK=True)
@pytest.mark.parametrize("persona", ["anonymous", "operator_a", "pengawas"])
def test_view_public_when_the_pemda_publishes(personas, persona, opd_a):
    non_tender(opd_a, 42)

    response = client_for(personas[persona]).get(f"{URL}?tahun={TAHUN}")

    assert response.status_code == 200
    data = _read(response)
    assert problems_of_package(data) == []
    assert list(by_ocid(data)) == ["ocds-tgrkot-NT-42"]


@pytest.mark.parametrize("tahun", ["abc", "1999", "2101", "20x6", "-2026", "2026.0"])
def test_view_bad_year_is_400(pengawas, tahun):
    response = client_for(pengawas).get(URL, {"tahun": tahun})

    assert response.status_code == 400
    assert response.content.decode() == (
        "Parameter tahun harus tahun anggaran antara 2000 dan 2100, misalnya ?tahun="
        f"{timezone.localdate().year}."  # this year, as the example
    )


def test_view_without_year_is_this_year(pengawas, opd_a):
    this_year = timezone.localdate().year
    non_tender(opd_a, 43, tahun_anggaran=this_year)

    response = client_for(pengawas).get(URL)

    assert response["Content-Disposition"] == f'attachment; filename="ocds-spse-tracker-{this_year}.json"'
    assert list(by_ocid(_read(response))) == ["ocds-tgrkot-NT-43"]


@override_settings(OCDS_OCID_PREFIX="ocds-abc123")
def test_ocid_prefix_from_settings(pengawas, opd_a):
    non_tender(opd_a, 44)

    assert list(by_ocid(_read(client_for(pengawas).get(URL, {"tahun": TAHUN})))) == ["ocds-abc123-NT-44"]


def test_supervisor_dashboard_links_the_package(pengawas, opd_a):
    non_tender(opd_a, 61)  # the table and its exports show once there are RUP packages

    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": TAHUN})

    assert f'href="/ocds/rilis.json?tahun={TAHUN}" data-testid="ekspor-ocds">Unduh OCDS (JSON)</a>' in (
        response.content.decode()
    )


# --- the command ---------------------------------------------------------------------------------------


def _without_date(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "publishedDate"}


def test_command_writes_what_the_view_serves(pengawas, opd_a):
    RealisasiFactory(pencatatan=non_tender(opd_a, 51))
    swakelola(opd_a, 52, tipe_swakelola=TipeSwakelola.TIPE_2, pelaksana_swakelola="Dinas Tetangga")
    out, err = io.StringIO(), io.StringIO()

    call_command("ekspor_ocds", "--tahun", str(TAHUN), stdout=out, stderr=err)

    served = _read(client_for(pengawas).get(URL, {"tahun": TAHUN}))
    written = json.loads(out.getvalue(), parse_float=Decimal)
    assert _without_date(written) == _without_date(served)
    assert len(written["releases"]) == 2
    assert err.getvalue() == "ekspor_ocds: 2 rilis tahun 2026.\n"


def test_command_output_file(opd_a, tmp_path):
    non_tender(opd_a, 53)
    target = tmp_path / "ocds.json"
    out, err = io.StringIO(), io.StringIO()

    call_command("ekspor_ocds", "--tahun", "2026", "--output", str(target), stdout=out, stderr=err)

    assert out.getvalue() == ""
    assert list(by_ocid(json.loads(target.read_text(encoding="utf-8")))) == ["ocds-tgrkot-NT-53"]
    assert err.getvalue() == f"ekspor_ocds: 1 rilis tahun 2026 ke {target}.\n"


@pytest.mark.parametrize(("args", "given"), [(["--tahun", "dua ribu"], "dua ribu"), ([], "tidak ada")])
def test_command_bad_year(db, args, given):
    with pytest.raises(CommandError) as error:
        call_command("ekspor_ocds", *args, stdout=io.StringIO(), stderr=io.StringIO())

    assert str(error.value) == (
        f"--tahun harus tahun anggaran antara 2000 dan 2100, misalnya --tahun 2026 (diberikan: {given})."
    )


# --- the startup check -------------------------------------------------------------------------------


def _prefix_errors() -> list[str]:
    return [message.id for message in run_checks() if message.id == "pengadaan.E001"]


def test_default_ocid_prefix_passes_the_check():
    assert _prefix_errors() == []


@pytest.mark.parametrize("prefix", ["ocds-abc", "ocds-ABCDEF", "ocid-abcdef", "ocds-abcdefg", "", "ocds-abc-12"])
def test_malformed_ocid_prefix_fails_the_check(prefix):
    with override_settings(OCDS_OCID_PREFIX=prefix):
        assert _prefix_errors() == ["pengadaan.E001"]


# --- who may read it ---------------------------------------------------------------------------------


def test_rule_can_read_ocds(personas):
    readers = {name: rules.can_read_ocds(user) for name, user in personas.items()}
    with override_settings(OCDS_PUBLIK=True):
        public = {name: rules.can_read_ocds(user) for name, user in personas.items()}

    assert readers == {
        "anonymous": False,
        "operator_a": False,
        "ppk_a": False,
        "operator_b": False,
        "pengawas": True,
        "admin": True,
    }
    assert public == dict.fromkeys(personas, True)
