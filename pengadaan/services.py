"""Writes of pencatatan, realisasi and proof files.

Each function is atomic, checks the caller's rights through `pengadaan.rules`, runs the entry rules of
DESIGN §4 under the record's lock, and leaves a history entry (django-simple-history) naming the user.
The entry rules themselves live on the models, one `check_<rule>` method each: run by `full_clean`
(`Pencatatan.check_dates_in_order`, `.check_ppk_holds_role`, `.check_pptk_holds_role`,
`.check_pagu_covers_realisasi`; `Realisasi.check_not_in_future`, `.check_within_pagu`;
`Penyedia.check_npwp_format`) or called here (`Pencatatan.check_rup_same_opd_year_kind`,
`BuktiRealisasi.check_size_within_limit`, `.check_type_by_content`); and in the database constraints
(money ≥ 0, a reason for Batal).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pengadaan import rules
from pengadaan.cleaning import html_to_text, normalize_npwp
from pengadaan.dashboards import tanda_bahaya
from pengadaan.models import (
    BuktiRealisasi,
    PaketRup,
    Pencatatan,
    PencatatanRup,
    Penyedia,
    Realisasi,
    Status,
    TinjauanTandaBahaya,
)
from pengadaan.models.pencatatan import gabung_kd_rup

if TYPE_CHECKING:
    from opd.models import Opd, User

# Fields a person edits on a record, in the order the form shows them (forms.PencatatanForm takes
# them from here); everything else is set by the services.
PENCATATAN_FIELDS = (
    "nama_paket",
    "pagu",
    "mtd_pemilihan",
    "kategori_pengadaan",
    "bukti_pembayaran",
    "tipe_swakelola",
    "pelaksana_swakelola",
    "sumber_dana",
    "nilai_pdn_pct",
    "nilai_umk_pct",
    "ppk",
    "pptk",
    "tgl_mulai_paket",
    "tgl_selesai_paket",
    "uraian_pekerjaan",
    "informasi_lainnya",
    "kd_nontender_pct",
    "kd_swakelola_pct",
)
# Fields a person edits on a payment (forms.RealisasiForm takes them from here)
REALISASI_FIELDS = (
    "jenis_realisasi",
    "no_realisasi",
    "tgl_realisasi",
    "nilai_realisasi",
    "dok_realisasi",
    "ket_realisasi",
)


@dataclass(frozen=True)
class Perubahan:
    field: str
    label: str
    old: Any
    new: Any


class ConcurrentEditError(Exception):
    """Somebody saved the record after the caller loaded it; `changes` says what they changed."""

    def __init__(self, current: Pencatatan, changes: list[Perubahan], by: str) -> None:
        super().__init__("concurrent edit")
        self.current = current
        self.changes = changes
        self.by = by


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _apply(pencatatan: Pencatatan, data: dict[str, Any], paket: Sequence[PaketRup]) -> None:
    for field in PENCATATAN_FIELDS:
        if field in data:
            setattr(pencatatan, field, data[field])
    pencatatan.uraian_pekerjaan = html_to_text(pencatatan.uraian_pekerjaan)
    if pencatatan.pagu is None:
        pencatatan.pagu = sum((p.pagu for p in paket), Decimal("0"))
    if pencatatan.ppk is not None:  # whether the PPK may be, Pencatatan.check_ppk_holds_role says
        pencatatan.nip_ppk, pencatatan.nama_ppk = pencatatan.ppk.nip, str(pencatatan.ppk)
    pencatatan.kd_rup = gabung_kd_rup(p.kd_rup for p in paket)


def _link(pencatatan: Pencatatan, paket: Sequence[PaketRup]) -> None:
    wanted = {p.pk for p in paket}
    PencatatanRup.objects.filter(pencatatan=pencatatan).exclude(paket_id__in=wanted).delete()
    existing = set(PencatatanRup.objects.filter(pencatatan=pencatatan).values_list("paket_id", flat=True))
    PencatatanRup.objects.bulk_create([PencatatanRup(pencatatan=pencatatan, paket_id=pk) for pk in wanted - existing])


@transaction.atomic
def pencatatan_create(
    *, user: User, opd: Opd, jenis: str, tahun_anggaran: int, data: dict[str, Any], paket: Sequence[PaketRup]
) -> Pencatatan:
    """Create a Draft record of `opd` linking `paket`; its pagu defaults to their sum.

    Side effects: one Pencatatan, its RUP links, one history entry by `user`.
    """
    _require(rules.can_record_in(user, opd))
    pencatatan = Pencatatan(
        opd=opd,
        jenis=jenis,
        tahun_anggaran=tahun_anggaran,
        status=Status.DRAFT,
        tgl_buat_paket=timezone.localdate(),
        dibuat_oleh=user,
    )
    pencatatan.check_rup_same_opd_year_kind(paket)
    _apply(pencatatan, data, paket)
    pencatatan.full_clean()
    pencatatan._history_user = user
    pencatatan.save()
    _link(pencatatan, paket)
    return pencatatan


def check_versi(current: Pencatatan, versi: int | None) -> None:
    """Raise ConcurrentEditError when `current` (locked by the caller) was saved after the caller loaded `versi`."""
    if current.versi != versi:
        changes, by = _changes_since(current, versi)
        raise ConcurrentEditError(current, changes, by)


def _changes_since(pencatatan: Pencatatan, versi: int) -> tuple[list[Perubahan], str]:
    seen = pencatatan.history.filter(versi=versi).order_by("history_date").last()
    latest = pencatatan.history.order_by("-history_date").select_related("history_user").first()
    if seen is None or latest is None:
        return [], ""
    delta = latest.diff_against(seen, excluded_fields=["versi"])
    changes = [
        Perubahan(c.field, str(Pencatatan._meta.get_field(c.field).verbose_name), c.old, c.new) for c in delta.changes
    ]
    return changes, str(latest.history_user or "")


@transaction.atomic
def pencatatan_update(
    *, user: User, pencatatan: Pencatatan, versi: int, data: dict[str, Any], paket: Sequence[PaketRup]
) -> Pencatatan:
    """Save `data` over the record the caller loaded at `versi`.

    Raises ConcurrentEditError, saving nothing, when somebody saved in between.
    Side effects: the record, its RUP links, one history entry by `user`.
    """
    current = Pencatatan.objects.select_for_update().get(pk=pencatatan.pk)
    _require(rules.can_edit(user, current))
    check_versi(current, versi)
    current.check_rup_same_opd_year_kind(paket)
    _apply(current, data, paket)
    current.full_clean()  # the PPK/PPTK hold their roles, a pagu that still covers the payments, dates in order
    current.versi += 1
    current._history_user = user
    current.save()
    _link(current, paket)
    return current


@transaction.atomic
def pencatatan_set_status(*, user: User, pencatatan: Pencatatan, status: str, alasan: str = "") -> Pencatatan:
    """Move a record along Draft → Berjalan → Selesai, cancel it (Batal, with a reason) or reopen it.

    Side effects: the record's status (and reason), one history entry by `user` naming the action.
    """
    current = Pencatatan.objects.select_for_update().get(pk=pencatatan.pk)
    _require(rules.can_transition(user, current, status))
    reopening = current.status in (Status.SELESAI, Status.BATAL) and status == Status.BERJALAN
    if status == Status.BATAL:
        alasan = (alasan or "").strip()
        if not alasan:
            raise ValidationError({"alasan_pembatalan": _("Tuliskan alasan pembatalan.")})
        current.alasan_pembatalan = alasan
    elif reopening:
        current.alasan_pembatalan = ""
    current.status = status
    current.versi += 1
    current._history_user = user
    current._change_reason = _("Dibuka kembali") if reopening else _("Status: %(s)s") % {"s": Status(status).label}
    current.save()
    return current


@transaction.atomic
def pencatatan_delete(*, user: User, pencatatan: Pencatatan) -> None:
    """Delete a Draft record with its payments and proof. Side effects: history entries of the deletions."""
    current = Pencatatan.objects.select_for_update().get(pk=pencatatan.pk)
    _require(rules.can_delete(user, current))
    for realisasi in current.realisasi.all():
        realisasi_delete(user=user, realisasi=realisasi)
    current._history_user = user
    current.delete()


def _penyedia(nama: str, npwp: str | None, *, current: Penyedia | None = None) -> Penyedia | None:
    """The supplier named by a person. An NPWP that SPSE published with other than 15/16 digits (kept by
    the import, DESIGN §4) stays as long as the person leaves it as it was; a new one must be valid."""
    nama = (nama or "").strip()
    if current is not None and current.npwp and re.sub(r"\D", "", npwp or "") == current.npwp:
        return current
    npwp = normalize_npwp(npwp)
    if not nama and not npwp:
        return None
    if npwp:
        penyedia, created = Penyedia.objects.get_or_create(npwp=npwp, defaults={"nama": nama or npwp})
        if not created and nama and penyedia.nama != nama:
            penyedia.nama = nama
            penyedia.save(update_fields=["nama"])
        return penyedia
    return Penyedia.objects.filter(npwp__isnull=True, nama=nama).first() or Penyedia.objects.create(nama=nama)


@transaction.atomic
def realisasi_add(
    *, user: User, pencatatan: Pencatatan, data: dict[str, Any], nama_penyedia: str = "", npwp_penyedia: str = ""
) -> Realisasi:
    """Record one payment; the record's total may not exceed its pagu.

    Side effects: a Realisasi (and a Penyedia when new), one history entry by `user`.
    """
    parent = Pencatatan.objects.select_for_update().get(pk=pencatatan.pk)
    _require(rules.can_edit(user, parent))
    realisasi = Realisasi(pencatatan=parent, tgl_dicatat=timezone.localdate(), dibuat_oleh=user)
    for field in REALISASI_FIELDS:
        if field in data:
            setattr(realisasi, field, data[field])
    try:
        realisasi.penyedia = _penyedia(nama_penyedia, npwp_penyedia)
    except ValidationError as exc:
        raise ValidationError({"npwp_penyedia": exc.messages}) from exc
    realisasi.full_clean()  # Realisasi.check_not_in_future, .check_within_pagu (run by clean_fields)
    realisasi._history_user = user
    realisasi.save()
    return realisasi


@transaction.atomic
def realisasi_update(
    *, user: User, realisasi: Realisasi, data: dict[str, Any], nama_penyedia: str = "", npwp_penyedia: str = ""
) -> Realisasi:
    """Change one payment. Side effects: the Realisasi, one history entry by `user`."""
    parent = Pencatatan.objects.select_for_update().get(pk=realisasi.pencatatan_id)
    _require(rules.can_edit(user, parent))
    current = Realisasi.objects.get(pk=realisasi.pk)
    current.pencatatan = parent
    for field in REALISASI_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    try:
        current.penyedia = _penyedia(nama_penyedia, npwp_penyedia, current=current.penyedia)
    except ValidationError as exc:
        raise ValidationError({"npwp_penyedia": exc.messages}) from exc
    current.full_clean()
    current._history_user = user
    current.save()
    return current


@transaction.atomic
def realisasi_delete(*, user: User, realisasi: Realisasi) -> None:
    """Remove one payment and its proof files. Side effects: history entries, files deleted after commit."""
    parent = Pencatatan.objects.select_for_update().get(pk=realisasi.pencatatan_id)
    _require(rules.can_remove_realisasi(user, parent))
    for bukti in realisasi.bukti.all():
        bukti_delete(user=user, bukti=bukti)
    realisasi._history_user = user
    realisasi.delete()


def check_bukti(upload: UploadedFile) -> str:
    """The content type of an acceptable proof file: BuktiRealisasi.check_size_within_limit, then
    BuktiRealisasi.check_type_by_content. Raises ValidationError on the `berkas` field otherwise.
    No side effects.
    """
    BuktiRealisasi.check_size_within_limit(upload)
    return BuktiRealisasi.check_type_by_content(upload)


def original_name(upload: UploadedFile) -> str:
    """The uploaded file's own name without any path the browser sent, for showing (never for storing)."""
    return (upload.name or "bukti").replace("\\", "/").rsplit("/", 1)[-1][:255]


@transaction.atomic
def bukti_add(*, user: User, realisasi: Realisasi, upload: UploadedFile) -> BuktiRealisasi:
    """Store a proof file (pdf/jpg/png by content, at most BUKTI_MAX_BYTES) under a random name.

    Side effects: a file under MEDIA_ROOT/bukti/, a BuktiRealisasi, one history entry by `user`.
    """
    parent = Pencatatan.objects.select_for_update().get(pk=realisasi.pencatatan_id)
    _require(rules.can_edit(user, parent))
    content_type = check_bukti(upload)
    original = original_name(upload)
    bukti = BuktiRealisasi(
        realisasi=realisasi, nama_asli=original, tipe_konten=content_type, ukuran=upload.size, diunggah_oleh=user
    )
    bukti.berkas.save(original, upload, save=False)
    bukti._history_user = user
    try:
        bukti.save()
    except Exception:
        bukti.berkas.delete(save=False)
        raise
    return bukti


@transaction.atomic
def bukti_delete(*, user: User, bukti: BuktiRealisasi) -> None:
    """Remove a proof file. Side effects: a history entry; the file goes once the transaction commits
    (the receiver in pengadaan.models.realisasi, which also covers the admin and cascades)."""
    parent = Pencatatan.objects.select_for_update().get(pk=bukti.realisasi.pencatatan_id)
    _require(rules.can_remove_realisasi(user, parent))
    bukti._history_user = user
    bukti.delete()


@transaction.atomic
def tinjau_tanda_bahaya(*, user: User, tahun: int, kode: str, catatan: str) -> TinjauanTandaBahaya:
    """Mark the current red flag `kode` of `tahun` reviewed with `catatan`; reviewing it again replaces the note.

    Raises PermissionDenied for anyone but pengawas and admin (`rules.can_review_tanda_bahaya`),
    ValidationError for an empty note or a kode that is not a current flag visible to `user`.
    Side effects: one TinjauanTandaBahaya created or updated (reviewer and time set to this
    review), one history entry by `user`.
    """
    if not rules.can_review_tanda_bahaya(user):
        raise PermissionDenied
    catatan = (catatan or "").strip()
    if not catatan:
        raise ValidationError({"catatan": _("Tuliskan catatan hasil tinjauan.")})
    flag = tanda_bahaya.flag_by_kode(tahun=tahun, user=user, kode=kode)
    if flag is None:
        raise ValidationError(
            {"kode": _("Tanda bahaya %(kode)s tidak ada pada tahun %(tahun)s.") % {"kode": kode, "tahun": tahun}}
        )
    review = TinjauanTandaBahaya.objects.select_for_update().filter(kode=kode).first()
    if review is None:
        review = TinjauanTandaBahaya(kode=kode, rule=flag.rule, tahun=tahun, opd_id=flag.opd_id)
    else:
        review.ditinjau_pada = timezone.now()
    review.catatan = catatan
    review.ditinjau_oleh = user
    review._history_user = user
    review.save()
    return review
