"""Reminder digests (DESIGN §11 `kirim_pengingat`): one e-mail per OPD about what is left to record.

A digest tells an OPD's people, in Indonesian, what they should record now rather than in
December, so that input does not pile up at the end of the fiscal year:

- `belum_dicatat`: its counting RUP packages of `tahun` (non-tender penyedia and swakelola,
  DESIGN §5 `rup_paket`) not linked to any active pencatatan of the matching kind, **whose
  planned month is over**: ``tgl_awal_pemilihan < the first day of today's month``. A package
  planned for the current month is not due yet (procurement of that month is still under
  way; it is recorded afterwards); one planned for last month or earlier is overdue. A
  package without a planned month is never overdue. Oldest planned month first, then
  `kd_rup`.
- `draft_lama`: its records of `tahun` still in status Draft and created more than
  `PENGINGAT_DRAFT_HARI` (setting, default 14) days ago, counted in local calendar days:
  a draft created on ``today - 14 days`` (at any hour) is not included, one created on
  ``today - 15 days`` is. Oldest first. Batal records are never reminded about.
- `flags`: its open (not reviewed) red flags of `tahun`, stored (`dashboards.ringkasan.stored_flags`).
- `belum_di_spse`: its records of `tahun` that are in the app but not yet in SPSE
  (`Pencatatan.objects.missing_from_spse()`: active, no SPSE code), oldest first (`tgl_buat_paket`,
  then pk), each with its age in days (`Digest.umur`: the digest's day − `tgl_buat_paket`). ITKP is
  scored on SPSE, so this is where its points are lost (DESIGN §12).
- `persen_opd` / `persen_kota`: §5 `persen_tercatat` of the OPD and of the city (None when
  there is no RUP pagu).
- `penerima`: the OPD's active users of roles operator, PPTK and PPK that have an e-mail
  address. Pengawas and admin belong to no OPD and receive none.

Only active OPDs (`Opd.aktif`) get a digest. A digest with nothing in the four lists is
empty (`ada_isi` False): no e-mail is sent; nor when the OPD has no recipient.

Scope: this runs from cron, with no person logged in. The metrics and red-flag reads take
a `user` to scope by, so `system_user()` is an unsaved `User(peran="admin", is_active=True)`:
`visible_to` admits it (any `User` instance is authenticated) and an admin sees every OPD.
It is never saved and never logs in.

Queries: a fixed number for the whole city, whatever the number of OPDs and records
(§5 table, red flags, recipients, packages, drafts, records not in SPSE), each keyed by OPD in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from opd.models import OPD_ROLES, Opd, Peran, User
from pengadaan.dashboards import ringkasan
from pengadaan.dashboards import selectors as dashboards
from pengadaan.models import PaketRup, Pencatatan, Status

if TYPE_CHECKING:
    from pengadaan.dashboards.tanda_bahaya import Flag

MAX_ITEMS = 20  # per list in the e-mail; the rest is summed up as "dan N lainnya"
DEFAULT_SITE_URL = "http://127.0.0.1:8000"
DEFAULT_DRAFT_HARI = 14


def system_user() -> User:
    """The scope of reads made on behalf of no one (see the module docstring). Never saved."""
    return User(username="sistem-pengingat", peran=Peran.ADMIN, is_active=True)


@dataclass
class Digest:
    """What one OPD is reminded of for fiscal year `tahun`."""

    opd: Opd
    tahun: int
    penerima: list[User]
    belum_dicatat: list[PaketRup]
    draft_lama: list[Pencatatan]
    flags: list[Flag]
    persen_opd: Decimal | None
    persen_kota: Decimal | None
    tanggal: dt.date = field(default_factory=timezone.localdate)
    draft_hari: int = DEFAULT_DRAFT_HARI
    belum_di_spse: list[Pencatatan] = field(default_factory=list)
    nama_paket: dict[int, str] = field(default_factory=dict)  # package names of the flagged records shown

    @property
    def ada_isi(self) -> bool:
        """There is something to remind the OPD of: a record not yet in SPSE is one (it costs ITKP points)."""
        return bool(self.belum_dicatat or self.draft_lama or self.flags or self.belum_di_spse)

    def umur(self, pencatatan: Pencatatan) -> int:
        """Days since the record was made in the app, on the digest's day."""
        return (self.tanggal - pencatatan.tgl_buat_paket).days

    @property
    def alamat(self) -> list[str]:
        return [user.email for user in self.penerima]


def draft_hari() -> int:
    return int(getattr(settings, "PENGINGAT_DRAFT_HARI", DEFAULT_DRAFT_HARI))


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", DEFAULT_SITE_URL)).rstrip("/")


def _by_opd(items, key) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped


def build_digests(*, tahun: int, today: dt.date | None = None, opd_ids: list[int] | None = None) -> list[Digest]:
    """The digest of every active OPD (or of those in `opd_ids`), by OPD name, empty ones included.

    `today` (default `timezone.localdate()`) sets which planned months are over and which drafts
    are old; the red flags are the stored ones the dashboard shows (rule 7 counted from the real
    today). No side effects besides refreshing out-of-date summaries; a fixed number of queries
    whatever the number of OPDs and records.
    """
    today = today or timezone.localdate()
    hari = draft_hari()
    system = system_user()
    # An e-mail cannot say "sedang diperbarui" nor update itself: out-of-date summaries are recomputed
    # first (no person waits for the command; the preview page of a pengawas does)
    ringkasan.refresh_stale(tahun=tahun)
    # Every OPD, even when only some are wanted: the city percentage is over the whole city.
    rows, kota = dashboards.tabel(tahun=tahun, user=system)
    opds = [row.opd for row in rows if row.opd.aktif and (opd_ids is None or row.opd.pk in opd_ids)]
    if not opds:
        return []
    scope = [opd.pk for opd in opds]

    penerima = _by_opd(
        User.objects.visible_to(system)
        .filter(opd__in=scope, peran__in=OPD_ROLES, is_active=True)
        .exclude(email="")
        .order_by("username"),
        key=lambda u: u.opd_id,
    )
    month_start = today.replace(day=1)
    belum = _by_opd(
        dashboards.rup_belum_dicatat(tahun=tahun, user=system)
        .filter(opd__in=scope, tgl_awal_pemilihan__lt=month_start)
        .order_by("opd", "tgl_awal_pemilihan", "kd_rup"),
        key=lambda p: p.opd_id,
    )
    # Local midnight at the start of the day `hari` days ago: older means created before it.
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=hari), dt.time.min))
    drafts = _by_opd(
        Pencatatan.objects.visible_to(system)
        .filter(opd__in=scope, tahun_anggaran=tahun, status=Status.DRAFT, dibuat_pada__lt=cutoff)
        .order_by("opd", "dibuat_pada", "pk"),
        key=lambda p: p.opd_id,
    )
    # in the app, not yet in SPSE (DESIGN §12)
    belum_spse = _by_opd(
        Pencatatan.objects.visible_to(system)
        .missing_from_spse()
        .filter(opd__in=scope, tahun_anggaran=tahun)
        .order_by("opd", "tgl_buat_paket", "pk"),
        key=lambda p: p.opd_id,
    )
    # the open flags as the dashboard shows them: stored, current since `tabel` above (rule 7 counts from today)
    stored = ringkasan.stored_flags(tahun=tahun, opd_ids=scope).order_by("opd_id", "urutan", "id")
    flags = _by_opd((ringkasan.as_flag(f) for f in stored), key=lambda f: f.opd_id)
    # the e-mail names the flagged records by package: one query for the records it shows
    shown = {pk for items in flags.values() for f in items[:MAX_ITEMS] for pk in f.pencatatan_ids}
    nama = dict(Pencatatan.objects.visible_to(system).filter(pk__in=shown).values_list("pk", "nama_paket"))
    persen = {row.opd.pk: row.persen_tercatat for row in rows}
    return [
        Digest(
            opd=opd,
            tahun=tahun,
            penerima=penerima.get(opd.pk, []),
            belum_dicatat=belum.get(opd.pk, []),
            draft_lama=drafts.get(opd.pk, []),
            flags=flags.get(opd.pk, []),
            persen_opd=persen[opd.pk],
            persen_kota=kota.persen_tercatat,
            tanggal=today,
            draft_hari=hari,
            belum_di_spse=belum_spse.get(opd.pk, []),
            nama_paket=nama,
        )
        for opd in opds
    ]


def dashboard_url(digest: Digest) -> str:
    return f"{site_url()}{reverse('opd_dashboard', args=[digest.opd.pk])}?tahun={digest.tahun}"


def _context(digest: Digest) -> dict:
    base = site_url()

    def part(items: list) -> dict:
        return {"jumlah": len(items), "daftar": items[:MAX_ITEMS], "lainnya": max(0, len(items) - MAX_ITEMS)}

    return {
        "digest": digest,
        "opd": digest.opd,
        "tahun": digest.tahun,
        "nama_pemda": getattr(settings, "NAMA_PEMDA", ""),
        "persen_opd": digest.persen_opd,
        "persen_kota": digest.persen_kota,
        "belum": part(digest.belum_dicatat),
        "draft": part([(p, f"{base}{reverse('pencatatan_detail', args=[p.pk])}") for p in digest.draft_lama]),
        "belum_spse": part(
            [(p, digest.umur(p), f"{base}{reverse('pencatatan_detail', args=[p.pk])}") for p in digest.belum_di_spse]
        ),
        "flags": part(
            [
                (
                    # written again in the language of the e-mail: the digest's flags speak the reader's
                    # language, who may be previewing the e-mail in English
                    ringkasan.as_flag(f),
                    [
                        (digest.nama_paket.get(pk) or f"#{pk}", f"{base}{reverse('pencatatan_detail', args=[pk])}")
                        for pk in f.pencatatan_ids
                    ],
                )
                for f in digest.flags
            ]
        ),
        "draft_hari": digest.draft_hari,
        "dashboard_url": dashboard_url(digest),
    }


def render_digest(digest: Digest) -> tuple[str, str, str]:
    """(subject, plain-text body, HTML body) of `digest`'s e-mail, always in Indonesian.

    The HTML body is a fragment without styles or scripts, so that the browser preview can
    include it as it is. No queries, no side effects.
    """
    with translation.override("id"):
        context = _context(digest)
        subject = render_to_string("pengadaan/email/pengingat_subject.txt", context)
        text = render_to_string("pengadaan/email/pengingat.txt", context)
        html = render_to_string("pengadaan/email/pengingat.html", context)
    subject = " ".join(subject.split())  # a header must be one line
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.splitlines())).strip() + "\n"
    return subject, text, html


def send_digests(*, tahun: int, today: dt.date | None = None, dry_run: bool = False) -> list[tuple[Digest, int]]:
    """Send each active OPD with something to report one e-mail, addressed to all its recipients.

    Returns every digest with the number of recipients its e-mail went to (or, with `dry_run`,
    would go to): 0 when there is nothing to report or no one to send it to.
    Side effects: unless `dry_run`, the messages go out through Django's e-mail backend over one
    connection (`send_messages` once); a delivery error is raised, not swallowed.
    """
    hasil: list[tuple[Digest, int]] = []
    messages: list[EmailMultiAlternatives] = []
    for digest in build_digests(tahun=tahun, today=today):
        if not (digest.ada_isi and digest.penerima):
            hasil.append((digest, 0))
            continue
        subject, text, html = render_digest(digest)
        message = EmailMultiAlternatives(subject, text, to=digest.alamat)
        message.attach_alternative(html, "text/html")
        messages.append(message)
        hasil.append((digest, len(digest.penerima)))
    if messages and not dry_run:
        connection = get_connection()
        connection.send_messages(messages)
    return hasil
