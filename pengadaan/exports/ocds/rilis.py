"""One pencatatan as one OCDS 1.1 release (DESIGN §13): the mapping, on a record whose payments and RUP
links are already loaded (`paket.records` prefetches them per chunk). Queries nothing.

The text of the data is Indonesian whatever the reader's language (`language` "id"), like the CSV
words of `exports.base`: the same package reads the same for everyone.

What is never published: NIP and names of officials (the record's PPK and PPTK are not even loaded),
`uraian_pekerjaan` and `informasi_lainnya` (free text that may name people), and an NPWP that is not a
company's (see `npwp_badan`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from pengadaan.choices import JenisPencatatan, JenisPengadaan, MetodePemilihan, Status, TipeSwakelola
from pengadaan.models import Pencatatan, Penyedia, Realisasi
from spse_tracker.formats import money

CURRENCY = "IDR"
TAG = ["tender", "award", "contract", "implementation"]  # each release carries every stage a record has

# No org-id.guide list holds a pemda's work units (ID-COA lists central government bodies only), so the
# OPD is identified by kd_satker_str (shared by SiRUP and SPSE) under a scheme named here, not registered.
OPD_SCHEME = "ID-SATKER"
# Indonesia's tax register, registered on org-id.guide as ID-NPWP.
NPWP_SCHEME = "ID-NPWP"

# Non-tender methods → the closed `method` codelist: contests invite anyone, the others pick one supplier.
METHOD = {
    MetodePemilihan.PENGADAAN_LANGSUNG: "direct",
    MetodePemilihan.PENUNJUKAN_LANGSUNG: "direct",
    MetodePemilihan.DARURAT: "direct",
    MetodePemilihan.DIKECUALIKAN: "direct",
    MetodePemilihan.KONTES: "open",
    MetodePemilihan.SAYEMBARA: "open",
}
# Kinds of procurement → the closed `procurementCategory` codelist; Terintegrasi has no single one.
CATEGORY = {
    JenisPengadaan.BARANG: "goods",
    JenisPengadaan.KONSTRUKSI: "works",
    JenisPengadaan.KONSULTANSI: "services",
    JenisPengadaan.JASA_LAINNYA: "services",
}
# Our status → the closed tenderStatus / awardStatus / contractStatus codelists (OCDS 1.1). A record in
# SPSE has chosen its supplier: the tender stage is complete and the award stands while it runs; a
# finished contract has come to its close ("terminated" in 1.1); Batal cancels all three.
TENDER_STATUS = {Status.BERJALAN: "complete", Status.SELESAI: "complete", Status.BATAL: "cancelled"}
AWARD_STATUS = {Status.BERJALAN: "active", Status.SELESAI: "active", Status.BATAL: "cancelled"}
CONTRACT_STATUS = {Status.BERJALAN: "active", Status.SELESAI: "terminated", Status.BATAL: "cancelled"}
# SPSE's own words for the status (imports/contracts.STATUS_TO_SPSE), as statusDetails
STATUS_DETAILS = {
    Status.BERJALAN: "Paket Sedang Berjalan",
    Status.SELESAI: "Paket Selesai",
    Status.BATAL: "Paket Dibatalkan",
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# Swakelola whose executing party is another body than the OPD (DESIGN §4: types II–IV)
BY_OTHERS = {TipeSwakelola.TIPE_2, TipeSwakelola.TIPE_3, TipeSwakelola.TIPE_4}
# An NPWP's first two digits (15-digit form) say who holds it: a second digit 1–3 a company or other body
# (01–03, and the later series 21–23, 31–33, …), 00 a government treasurer; 4–9 persons (in business,
# employed, others). Only bodies' numbers are published; when in doubt, none.
NPWP_BADAN = frozenset("123")


def kode(record: Pencatatan) -> str:
    """The record's SPSE code, marked with its kind: SPSE numbers non-tender and swakelola records in two
    separate sequences, so the same number may name one of each."""
    if record.jenis == JenisPencatatan.NON_TENDER:
        return f"NT-{record.kd_nontender_pct}"
    return f"SW-{record.kd_swakelola_pct}"


def amount_text(value: Decimal) -> str:
    """A Rupiah amount as the exact text of a JSON number: whole Rupiah without decimals, else two."""
    rounded = money(value)
    return str(int(rounded)) if rounded == rounded.to_integral_value() else f"{rounded:f}"


def nilai(value: Decimal) -> dict:
    """An OCDS Value. The amount is a string here; `paket.dumps` writes it as a JSON number."""
    return {"amount": amount_text(value), "currency": CURRENCY}


def waktu(moment: dt.datetime) -> str:
    """A timestamp in ISO 8601 with its offset, in the app's time zone."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def tanggal(day: dt.date) -> str:
    """A date as the start of that day in the app's time zone (OCDS dates are date-times)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_default_timezone()).isoformat()


def npwp_badan(npwp: str | None) -> str | None:
    """The NPWP when it is a company's, another body's or a government treasurer's; None for a person's (a
    16-digit NPWP that is not `0` + the 15 digits is a NIK, the citizen number) and for a malformed one."""
    if not npwp or not npwp.isdigit():
        return None
    core = npwp[1:] if len(npwp) == 16 and npwp.startswith("0") else npwp
    if len(core) != 15:
        return None
    return npwp if core[1] in NPWP_BADAN or core.startswith("00") else None


def opd_party(record: Pencatatan) -> dict:
    opd = record.opd
    return {
        "id": f"{OPD_SCHEME}-{opd.kd_satker_str}",
        "name": opd.nama_satker,
        "identifier": {"scheme": OPD_SCHEME, "id": opd.kd_satker_str, "legalName": opd.nama_satker},
        # the buyer also runs the process and pays: "buyer" and "payer" (partyRole says a buyer that is
        # its own procuring entity takes "buyer", not "procuringEntity")
        "roles": ["buyer", "payer"],
    }


def penyedia_party(penyedia: Penyedia) -> dict:
    """A supplier or executing party by its NPWP when that is a company's, else by our own id for it."""
    npwp = npwp_badan(penyedia.npwp)
    if npwp is None:
        return {"id": f"penyedia-{penyedia.pk}", "name": penyedia.nama}
    return {
        "id": f"{NPWP_SCHEME}-{npwp}",
        "name": penyedia.nama,
        "identifier": {"scheme": NPWP_SCHEME, "id": npwp, "legalName": penyedia.nama},
    }


def payees_published(record: Pencatatan) -> bool:
    """Whether the party paid is published: a non-tender supplier always; for swakelola only the executing
    party of types II–IV (type I is the OPD itself: whoever it pays may be a person, never a supplier)."""
    return record.jenis == JenisPencatatan.NON_TENDER or record.tipe_swakelola in BY_OTHERS


def suppliers(record: Pencatatan, payments: Iterable[Realisasi]) -> tuple[list[dict], dict[int, dict]]:
    """(the supplier parties in order, the party of each payment by its id).

    Non-tender: the suppliers of its payments. Swakelola types II–IV: the executing party named on the
    record and the ones paid; with its type unpublished (88% of real records) only a named executing
    party, which implies a type other than I. Type I and the rest: none, never an invented one.
    """
    parties: dict[str, dict] = {}
    by_payment: dict[int, dict] = {}
    if payees_published(record):
        for payment in payments:
            if payment.penyedia is not None:
                party = penyedia_party(payment.penyedia)
                by_payment[payment.pk] = parties.setdefault(party["id"], party)
    named = record.pelaksana_swakelola.strip() if record.jenis == JenisPencatatan.SWAKELOLA else ""
    executing = named and (record.tipe_swakelola in BY_OTHERS or record.tipe_swakelola is None)
    if executing and all(p["name"].strip().casefold() != named.casefold() for p in parties.values()):
        parties["pelaksana"] = {"id": "pelaksana", "name": named}
    paid = {party["id"] for party in by_payment.values()}
    for party in parties.values():
        party["roles"] = ["supplier", "payee"] if party["id"] in paid else ["supplier"]
    return list(parties.values()), by_payment


def method_details(record: Pencatatan) -> str:
    if record.jenis == JenisPencatatan.NON_TENDER:
        return record.mtd_pemilihan or "Non tender"
    if record.tipe_swakelola:
        return f"Swakelola tipe {ROMAN[record.tipe_swakelola]}"
    return "Swakelola (tipe tidak diumumkan)"


def reference(party: dict) -> dict:
    return {"id": party["id"], "name": party["name"]}


def planning(record: Pencatatan) -> dict | None:
    """The budget from the linked RUP packages: their pagu summed, their codes and names."""
    paket = [link.paket for link in record.tautan_rup.all()]
    sumber = record.sumber_dana or ", ".join(dict.fromkeys(p.sumber_dana for p in paket if p.sumber_dana))
    budget: dict = {}
    if paket:
        budget["id"] = ";".join(str(p.kd_rup) for p in paket)
    if sumber:
        budget["description"] = sumber
    if paket:
        budget["amount"] = nilai(sum((p.pagu for p in paket), Decimal(0)))
        budget["project"] = "; ".join(p.nama_paket for p in paket)
    return {"budget": budget} if budget else None


def release(record: Pencatatan, *, ocid_prefix: str) -> dict:
    """The release of one record (Berjalan, Selesai or Batal, with its SPSE code)."""
    payments = list(record.realisasi.all())
    buyer = opd_party(record)
    parties, by_payment = suppliers(record, payments)
    code = kode(record)
    changed = max([record.diubah_pada, *(p.dibuat_pada for p in payments)])

    tender = {
        "id": code,
        "title": record.nama_paket,
        "status": TENDER_STATUS[record.status],
        "statusDetails": STATUS_DETAILS[record.status],
        "value": nilai(record.pagu),
        "procurementMethod": METHOD.get(record.mtd_pemilihan, "direct"),
        "procurementMethodDetails": method_details(record),
    }
    if category := CATEGORY.get(record.kategori_pengadaan):
        tender["mainProcurementCategory"] = category

    award = {"id": code, "title": record.nama_paket, "status": AWARD_STATUS[record.status], "value": nilai(record.pagu)}
    if record.tgl_mulai_paket:
        award["date"] = tanggal(record.tgl_mulai_paket)
    if parties:
        award["suppliers"] = [reference(p) for p in parties]

    contract = {
        "id": code,
        "awardID": code,
        "title": record.nama_paket,
        "status": CONTRACT_STATUS[record.status],
        "statusDetails": STATUS_DETAILS[record.status],
        "value": nilai(record.pagu),
    }
    period = {}
    if record.tgl_mulai_paket:
        period["startDate"] = tanggal(record.tgl_mulai_paket)
    if record.tgl_selesai_paket:  # kept as SPSE published it, even before the start (DESIGN §4)
        period["endDate"] = tanggal(record.tgl_selesai_paket)
    if period:
        contract["period"] = period
    if payments:
        contract["implementation"] = {"transactions": [transaction(p, buyer, by_payment.get(p.pk)) for p in payments]}

    result = {
        "ocid": f"{ocid_prefix}-{code}",
        "id": f"{code}-{timezone.localtime(changed):%Y%m%dT%H%M%S}",
        "date": waktu(changed),
        "tag": TAG,
        "initiationType": "tender",
        "language": "id",
        "parties": [buyer, *parties],
        "buyer": reference(buyer),
    }
    if (plan := planning(record)) is not None:
        result["planning"] = plan
    result |= {"tender": tender, "awards": [award], "contracts": [contract]}
    return result


def transaction(payment: Realisasi, buyer: dict, payee: dict | None) -> dict:
    entry = {
        "id": str(payment.pk),
        "date": tanggal(payment.tgl_realisasi),
        "value": nilai(payment.nilai_realisasi),
        "payer": reference(buyer),
    }
    if payee is not None:
        entry["payee"] = reference(payee)
    return entry
