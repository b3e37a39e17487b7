"""Where the app's records meet SPSE's (DESIGN §12): the rules that decide when a local record and an
SPSE record are one package, and the OPD's decision on the pairs an import could not be sure of.

- `calon_lokal` finds, set-based, the local records (no SPSE code yet) an SPSE record may be;
  `putuskan` says whether the match is certain or must be confirmed, and why.
- `konfirmasi` makes a confirmed pair one record: the local record takes SPSE's code and values
  (SPSE's win), its links, notes and payments (a payment entered in both places counted once,
  keeping its proof); SPSE's copy is deleted. `tolak` keeps them two.
- `pembayaran_sama` is the payment rule: same record, `tgl_realisasi`, `nilai_realisasi` and
  `jenis_realisasi`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pengadaan import rules
from pengadaan.imports import bulk, contracts
from pengadaan.models import (
    BuktiRealisasi,
    CatatanData,
    JenisPencatatan,
    PadananSpse,
    Pencatatan,
    PencatatanRup,
    Realisasi,
    Status,
    Sumber,
)

if TYPE_CHECKING:
    from opd.models import User

# SPSE's fields of a record: what an import writes, and what SPSE's copy brings to a confirmed pair
SPSE_FIELDS = contracts.fields_of(contracts.NONTENDER, contracts.SWAKELOLA)


def selisih_pagu_maks() -> Decimal:
    """How far apart two pagu may be and still be one package, as a share of SPSE's (default 10%)."""
    return Decimal(str(getattr(settings, "PADANAN_SELISIH_PAGU", "0.10")))


def key_field(jenis: str) -> str:
    return "kd_nontender_pct" if jenis == JenisPencatatan.NON_TENDER else "kd_swakelola_pct"


def nilai_spse(values: Mapping[str, Any]) -> dict:
    """What SPSE published of the fields the reconciliation compares (JSON-safe), from a record's values."""
    return {
        "pagu": str(values["pagu"]),
        "status": values["status"],
        "nip_ppk": values["nip_ppk"],
        "nama_ppk": values["nama_ppk"],
    }


@dataclass(frozen=True)
class Calon:
    """A local record an SPSE record may be: its OPD, year, pagu and linked RUP packages."""

    pk: int
    opd_id: int
    tahun: int
    pagu: Decimal
    paket: frozenset[int]


def calon_lokal(jenis: str, paket_ids: Iterable[int]) -> dict[int, list[Calon]]:
    """Active local records of kind `jenis` without an SPSE code that link any of `paket_ids`, by package.

    Two queries (`bulk.in_values`), whatever the number of records: the links to those packages,
    then every link of the records found (a record's whole set of packages decides the match).
    """
    paket_ids = list(paket_ids)
    lokal = (
        PencatatanRup.objects.filter(pencatatan__jenis=jenis, **{f"pencatatan__{key_field(jenis)}__isnull": True})
        .exclude(pencatatan__status=Status.BATAL)
        .order_by()
    )
    rows: dict[int, tuple[int, int, Decimal]] = {}
    found = lokal.values_list("pencatatan_id", "pencatatan__opd_id", "pencatatan__tahun_anggaran", "pencatatan__pagu")
    for pk, opd_id, tahun, pagu in bulk.in_values(found, "paket_id", paket_ids):
        rows[pk] = (opd_id, tahun, pagu)
    links: dict[int, set[int]] = defaultdict(set)
    pairs = PencatatanRup.objects.order_by().values_list("pencatatan_id", "paket_id")
    for pk, paket_id in bulk.in_values(pairs, "pencatatan_id", list(rows)):
        links[pk].add(paket_id)
    by_paket: dict[int, list[Calon]] = defaultdict(list)
    for pk, (opd_id, tahun, pagu) in sorted(rows.items()):
        calon = Calon(pk, opd_id, tahun, pagu, frozenset(links[pk]))
        for paket_id in calon.paket:
            by_paket[paket_id].append(calon)
    return by_paket


def putuskan(calon: list[Calon], *, paket: frozenset[int], pagu: Decimal) -> tuple[Calon | None, str | None]:
    """The local record an SPSE record with `paket` and `pagu` certainly is, or the reason to ask the OPD.

    Certain: exactly one candidate, linking exactly the same packages, with a pagu no more than
    `selisih_pagu_maks()` of SPSE's away. Otherwise nothing is guessed: (None, alasan).
    """
    if not calon:
        return None, None
    if len(calon) > 1:
        return None, PadananSpse.Alasan.DUA_CALON
    only = calon[0]
    if only.paket != paket:
        return None, PadananSpse.Alasan.RUP_SEBAGIAN
    if abs(only.pagu - pagu) > abs(pagu) * selisih_pagu_maks():
        return None, PadananSpse.Alasan.PAGU_BERBEDA
    return only, None


def kunci_longgar(pencatatan_id: int, tgl, nilai: Decimal, jenis: str) -> tuple:
    """A payment as DESIGN §12 recognises it in both places: record, date, amount and kind (no number)."""
    return (pencatatan_id, tgl, nilai.quantize(Decimal("0.01")), jenis)


def pembayaran_sama(lokal: Realisasi, *, no_realisasi: str, tgl_dicatat_spse) -> list[str]:
    """A payment entered in the app that SPSE also publishes: counted once, it keeps its own values and
    proof, takes SPSE's number when it had none, and was first recorded at the earlier of the two dates
    (DESIGN §5 `median_lag_hari`). Returns the fields changed."""
    changed = []
    if not lokal.di_spse:
        lokal.di_spse = True
        changed.append("di_spse")
    if not lokal.no_realisasi and no_realisasi:
        lokal.no_realisasi = no_realisasi
        changed.append("no_realisasi")
    if tgl_dicatat_spse is not None and tgl_dicatat_spse < lokal.tgl_dicatat:
        lokal.tgl_dicatat = tgl_dicatat_spse
        changed.append("tgl_dicatat")
    return changed


def _decided(padanan: PadananSpse, user: User, status: str) -> None:
    padanan.status, padanan.diputuskan_oleh, padanan.diputuskan_pada = status, user, timezone.now()
    padanan._history_user = user
    padanan.save()


def _locked(user: User, padanan: PadananSpse) -> PadananSpse:
    # only the pair's row is locked: `spse` is nullable, and PostgreSQL refuses FOR UPDATE on the nullable
    # side of an outer join
    padanan = PadananSpse.objects.select_for_update(of=("self",)).select_related("lokal", "spse").get(pk=padanan.pk)
    if not rules.can_decide_padanan(user, padanan.lokal):
        raise PermissionDenied
    if padanan.status != PadananSpse.Status.MENUNGGU or padanan.spse is None:
        raise ValidationError(_("Pasangan ini sudah diputuskan."))
    return padanan


@transaction.atomic
def tolak(*, user: User, padanan: PadananSpse) -> PadananSpse:
    """The OPD says the two records are different packages: both stay. Side effects: the pair's status
    and its history entry by `user`."""
    padanan = _locked(user, padanan)
    _decided(padanan, user, PadananSpse.Status.DITOLAK)
    return padanan


@transaction.atomic
def konfirmasi(*, user: User, padanan: PadananSpse) -> Pencatatan:
    """The OPD says the two records are one package: the local record becomes SPSE's.

    Raises PermissionDenied for anyone but the OPD's own people and the administrator, ValidationError
    when the pair was decided already or the local record got an SPSE code meanwhile. Side effects: the
    local record takes SPSE's code, values, links and catatan data (its history says so); SPSE's payments
    move to it, except one entered in both places (`pembayaran_sama`), whose proof moves to the local
    payment; SPSE's copy is deleted; the other pending pairs of either record are rejected.
    """
    padanan = _locked(user, padanan)
    lokal = Pencatatan.objects.select_for_update().get(pk=padanan.lokal_id)
    spse = Pencatatan.objects.select_for_update().get(pk=padanan.spse_id)
    key = key_field(lokal.jenis)
    if lokal.kd_pct is not None:
        raise ValidationError(_("Pencatatan aplikasi ini sudah memiliki kode SPSE."))
    reason = _("Dicocokkan dengan pencatatan SPSE %(kode)s: nilai SPSE dipakai") % {"kode": spse.kd_pct}

    Pencatatan.objects.filter(pk=spse.pk).update(**{key: None})  # the code is unique: free it first
    for name in SPSE_FIELDS:
        setattr(lokal, name, getattr(spse, name))
    setattr(lokal, key, padanan.kode_spse)
    lokal.nilai_spse, lokal.versi = spse.nilai_spse, lokal.versi + 1
    if lokal.ppk is not None and lokal.ppk.nip != lokal.nip_ppk:
        lokal.ppk = None  # SPSE names another PPK: the app's link would contradict it
    lokal._history_user, lokal._change_reason = user, reason[:100]
    lokal.save()

    spse_links = set(PencatatanRup.objects.filter(pencatatan=spse).values_list("paket_id", flat=True))
    if spse_links:  # SPSE's links win; a record SPSE linked to nothing we know keeps its own
        PencatatanRup.objects.filter(pencatatan=lokal).exclude(paket_id__in=spse_links).delete()
        have = set(PencatatanRup.objects.filter(pencatatan=lokal).values_list("paket_id", flat=True))
        PencatatanRup.objects.bulk_create([PencatatanRup(pencatatan=lokal, paket_id=p) for p in spse_links - have])

    own: dict[tuple, list[Realisasi]] = defaultdict(list)
    for payment in Realisasi.objects.filter(pencatatan=lokal, sumber=Sumber.APLIKASI, di_spse=False):
        own[kunci_longgar(lokal.pk, payment.tgl_realisasi, payment.nilai_realisasi, payment.jenis_realisasi)].append(
            payment
        )
    for payment in Realisasi.objects.filter(pencatatan=spse).order_by("pk"):
        same = own.get(kunci_longgar(lokal.pk, payment.tgl_realisasi, payment.nilai_realisasi, payment.jenis_realisasi))
        if same:
            mine = same.pop(0)
            pembayaran_sama(mine, no_realisasi=payment.no_realisasi, tgl_dicatat_spse=payment.tgl_dicatat)
            mine._history_user, mine._change_reason = user, reason[:100]
            mine.save()
            BuktiRealisasi.objects.filter(realisasi=payment).update(realisasi=mine)
            CatatanData.objects.filter(realisasi=payment).update(realisasi=mine, pencatatan=lokal)
            payment._history_user = user
            payment.delete()
        else:
            payment.pencatatan = lokal
            payment._history_user, payment._change_reason = user, reason[:100]
            payment.save()
    CatatanData.objects.filter(pencatatan=spse).update(pencatatan=lokal)

    # SPSE's copy is deleted below: the pairs that named it keep its code (kode_spse), saved in their history
    padanan.spse = None
    _decided(padanan, user, PadananSpse.Status.DIKONFIRMASI)
    others = PadananSpse.objects.filter(status=PadananSpse.Status.MENUNGGU).exclude(pk=padanan.pk)
    for other in others.filter(lokal=lokal) | others.filter(spse=spse):
        if other.spse_id == spse.pk:
            other.spse = None
        _decided(other, user, PadananSpse.Status.DITOLAK)
    spse._history_user, spse._change_reason = user, (_("Digabung ke pencatatan #%(pk)d") % {"pk": lokal.pk})[:100]
    spse.delete()
    return lokal
