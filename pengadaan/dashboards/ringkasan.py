"""Stored dashboard numbers per OPD and fiscal year: read when current, recomputed by the worker when not.

A year of a large pemda is a million records; recomputing the §5 table and nine red-flag
rules on every page view takes seconds. So the numbers of each (OPD, year) are computed
set-based (`compute.hitung`, `tanda_bahaya.flags_for_opds`) once and kept in `RingkasanOpd` and
`TandaBahaya`, and pages read those rows.

They are never shown silently out of date, and no page waits for them to be recomputed. Every
write that can change them raises the `generasi` of its (OPD, year) inside the writer's
transaction: the receivers for saves and deletes (forms, services, admin), `mark_years` for bulk
imports (both in `pengadaan.dashboards.invalidation`), which also queue the background worker (the
task `segarkan_ringkasan` below). A stored summary is current when it was computed at the current
`generasi`, today (red flag rule 7 counts days from today) and with the current thresholds and
format (`fingerprint`). A reader (`probe`) that finds one out of date shows its last stored numbers
with the time they were computed and a "sedang diperbarui" badge, and makes sure the worker is
asked to recompute (`request_refresh`, at most once per year per `QUEUE_SECONDS` and cache); the
page polls `views.dashboard.ringkasan_status` and reloads itself once they are current. Only a
summary that cannot be shown at all is computed in the request: one never computed (a first view),
or one stored with other thresholds or another `SUMMARY_FORMAT` (after a deploy that changed them;
`manage.py segarkan_ringkasan` recomputes them ahead). With `TASKS_BACKEND` set to django-tasks'
immediate backend (no worker), the request that queues the task runs it and waits for it.

Writers raise `generasi` with an upsert, so a summary row exists for every (OPD, year)
that was ever written to; a recomputation takes the `generasi` first, computes,
and stores under a row lock only if nobody stored a newer one meanwhile. A write that
commits while it computes leaves the stored summary one generation behind, and the
write's own task recomputes it. With a read replica, the recomputation reads the replica when it
already shows the generations the primary counts (`replica_has`); the result is stored on the primary.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone
from django_tasks import task

from opd.models import Opd
from pengadaan.dashboards import compute, tanda_bahaya
from pengadaan.models import (
    PaketRup,
    Pencatatan,
    RingkasanOpd,
    TandaBahaya,
    TinjauanTandaBahaya,
)
from spse_tracker.db_router import REPLICA, use_replica

logger = logging.getLogger(__name__)

BATCH = 5000


# --- reads -------------------------------------------------------------------------------------


# Raise when what a summary stores changes (the keys `compute.hitung` returns, what a stored flag holds):
# it is part of `fingerprint`, so every summary stored before is out of date and recomputed by its
# next reader (or the worker, or `manage.py segarkan_ringkasan`), never read without its new numbers.
# 2: tercatat_spse_paket and tercatat_spse_pagu (DESIGN §5).
SUMMARY_FORMAT = "2"


def fingerprint() -> str:
    """What the stored numbers and flags depend on besides the data: the red-flag thresholds in
    settings and the shape of what is stored (`SUMMARY_FORMAT`)."""
    sidik = {"thresholds": tanda_bahaya.thresholds(), "format": SUMMARY_FORMAT}
    return hashlib.sha256(json.dumps(sidik, sort_keys=True).encode()).hexdigest()


def _is_current(row: RingkasanOpd, *, today: date, sidik: str) -> bool:
    # data_generasi is set only together with data (refresh): a row never computed has None
    return row.data_generasi == row.generasi and row.dihitung_tanggal == today and row.sidik == sidik


def _is_shown(row: RingkasanOpd, *, sidik: str) -> bool:
    # stored numbers that may be shown, out of date or not: computed (data_generasi is set only together
    # with data) with today's thresholds and format, so that they have the keys and meaning pages expect
    return row.data_generasi is not None and row.sidik == sidik


def _stored(*, tahun: int, opd_ids: list[int], probed: Probe) -> dict[int, RingkasanOpd]:
    """The stored summary of each OPD in `opd_ids` for `tahun`, current or not; those that cannot be
    shown (`probed.missing`: never computed, or with other thresholds or format) computed first.

    One query when every summary can be shown; otherwise a fixed number more (see `refresh`), whatever
    the number of OPDs. Callers scope `opd_ids` with `visible_to` first.
    """
    sidik = fingerprint()
    missing = set(probed.missing)
    wanted = [pk for pk in opd_ids if pk not in missing]
    rows = {}
    if wanted:
        rows = {row.opd_id: row for row in RingkasanOpd.objects.filter(tahun=tahun, opd_id__in=wanted)}
    # one the probe could show may have been changed since (a deploy's new thresholds): checked again
    unshown = [pk for pk in opd_ids if pk not in rows or not _is_shown(rows[pk], sidik=sidik)]
    if unshown:
        rows.update(refresh(tahun=tahun, opd_ids=unshown))
    return rows


def _version(generasi: int | None, dihitung_pada) -> str:
    # the generasi, and when these numbers were stored: every refresh stores a new time, so the
    # version names one stored computation even if an OPD's row were ever deleted and made anew
    return f"{generasi}@{dihitung_pada.isoformat() if dihitung_pada else ''}"


@dataclass(frozen=True)
class Probe:
    """Which summaries of some OPDs are current, and at which version, without their numbers."""

    versions: dict[int, str]  # OPD pk → version (generasi, and when its numbers were stored), current ones only
    stale: list[int]  # OPDs whose summary is missing or out of date
    # of `stale`, those whose last stored numbers are shown meanwhile → the version of those numbers
    shown: dict[int, str] = field(default_factory=dict)
    since: datetime | None = None  # when the oldest numbers of `shown` were computed
    # OPD pk → its generasi now, current or not: raised by every write to its data (`live_key`)
    generasi: dict[int, int] = field(default_factory=dict)

    @property
    def all_current(self) -> bool:
        return not self.stale

    @property
    def missing(self) -> list[int]:
        """The OPDs whose numbers cannot be shown before they are computed (never computed, or with
        other thresholds or format)."""
        return [pk for pk in self.stale if pk not in self.shown]

    @property
    def seen(self) -> dict[int, str]:
        """The version of the numbers a reader shows of each OPD that has them: current or `shown`."""
        return {**self.versions, **self.shown}


def probe(*, tahun: int, opd_ids: list[int]) -> Probe:
    """The version of the summary of each OPD in `opd_ids` for `tahun` that is current, the OPDs
    whose summary is missing or out of date, and of those the ones whose last numbers can be shown
    meanwhile (with when they were computed). One query, which leaves the stored numbers (the JSON)
    unread.

    What is computed from current summaries can be cached under their versions
    (`generation_key`): any write to an OPD's data raises its generasi in the writer's
    transaction, so a key made of the versions a reader sees never finds numbers older than
    what that reader would have read from the summaries themselves. A version names one stored
    computation, so what is computed from out-of-date numbers shown is cached under theirs.
    """
    today, sidik = timezone.localdate(), fingerprint()
    versions: dict[int, str] = {}
    shown: dict[int, str] = {}
    counters: dict[int, int] = {}
    since = None
    rows = RingkasanOpd.objects.filter(tahun=tahun, opd_id__in=opd_ids).values_list(
        "opd_id", "generasi", "data_generasi", "dihitung_tanggal", "sidik", "dihitung_pada"
    )
    for opd_id, generasi, data_generasi, tanggal, row_sidik, pada in rows:
        counters[opd_id] = generasi
        # as _is_current and _is_shown: data_generasi is set only together with data
        if data_generasi == generasi and tanggal == today and row_sidik == sidik:
            versions[opd_id] = _version(generasi, pada)
        elif data_generasi is not None and row_sidik == sidik:
            shown[opd_id] = _version(data_generasi, pada)
            since = pada if since is None or (pada is not None and pada < since) else since
    return Probe(
        versions=versions,
        stale=[pk for pk in dict.fromkeys(opd_ids) if pk not in versions],
        shown=shown,
        since=since,
        generasi=counters,
    )


def computed_at(summaries: dict[int, RingkasanOpd]) -> dict[int, str]:
    """The version of each of `summaries` (as `current` returns them): the generasi its numbers
    were computed at, and when they were stored. After a concurrent refresh these may name a
    version no reader will find current; a value cached under it is then never read."""
    return {pk: _version(row.data_generasi, row.dihitung_pada) for pk, row in summaries.items()}


# Raise when the shape of a cached value changes (selectors.DashboardRow, a model's fields), so that a cache
# shared across a deploy (CACHE_URL=rediscache://…) never hands the new code an old object.
CACHE_FORMAT = "2"


def generation_key(kind: str, *, tahun: int, generasi: dict[int, str], extra: tuple = ()) -> str:
    """A cache key for `kind` computed from the summaries of `tahun` at the versions `generasi`
    (OPD pk → version, from `probe` or `computed_at`): it names the OPDs and their versions,
    today (red flag rule 7) and the thresholds (`fingerprint`), and `extra` (anything else the
    cached value depends on)."""
    parts = [CACHE_FORMAT, kind, str(tahun), timezone.localdate().isoformat(), fingerprint()]
    parts += [f"{pk}.{generasi[pk]}" for pk in sorted(generasi)]
    parts += [repr(item) for item in extra]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return f"ringkasan:{kind}:{tahun}:{digest}"


def live_key(kind: str, *, tahun: int, opd_id: int, probed: Probe, extra: tuple = ()) -> str | None:
    """A cache key for `kind`, read live from `opd_id`'s data of `tahun` (not from its summary): its
    generasi now (`probed.generasi`), which every write to that data raises in the writer's transaction,
    so a write is seen at once, whether the summary is current or not. None when the OPD-year has no
    summary row yet (nothing to key on: the caller reads without the cache)."""
    if opd_id not in probed.generasi:
        return None
    return generation_key(f"live-{kind}", tahun=tahun, generasi={opd_id: str(probed.generasi[opd_id])}, extra=extra)


# Numbers computed from summaries stay in the cache at most this long; a write or a new day makes
# their key unused anyway (the cache drops unused keys when full).
CACHE_SECONDS = 24 * 60 * 60


def current_data(*, tahun: int, opd_ids: list[int], probed: Probe) -> tuple[dict[int, dict], dict[int, str]]:
    """The stored numbers (`RingkasanOpd.data`) of each OPD in `opd_ids` for `tahun`, and the
    version each comes from; `probed` is this `probe` of them. Out-of-date numbers are returned as
    stored (`probed.shown`; the caller asks the worker for new ones: `request_refresh`); only those
    that cannot be shown (`probed.missing`) are computed here (`refresh`).

    The numbers of a summary that can be shown are taken from the cache under its version when
    there, else read from the database (one query for them all). So this makes no more queries than
    `_stored` does, and none when every summary is cached. Side effect: the numbers read or computed
    are cached under their versions (a version names one stored computation: see `probe`).
    """
    keys = {pk: generation_key("data", tahun=tahun, generasi={pk: v}) for pk, v in probed.seen.items()}
    cached = cache.get_many(list(keys.values())) if keys else {}
    datas = {pk: cached[key] for pk, key in keys.items() if key in cached}
    versions = {pk: probed.seen[pk] for pk in datas}
    rest = [pk for pk in opd_ids if pk not in datas]
    if rest:
        rest_probed = Probe(versions={}, stale=[pk for pk in probed.missing if pk in rest])
        summaries = _stored(tahun=tahun, opd_ids=rest, probed=rest_probed)
        fresh = computed_at(summaries)
        for pk, row in summaries.items():
            datas[pk], versions[pk] = row.data, fresh[pk]
        cache.set_many(
            {generation_key("data", tahun=tahun, generasi={pk: fresh[pk]}): row.data for pk, row in summaries.items()},
            CACHE_SECONDS,
        )
    return datas, versions


def ensure_stored(*, tahun: int, opd_ids: list[int]) -> Probe:
    """Make sure every summary (and its stored flags) of `opd_ids` for `tahun` can be read, for a page
    that reads the stored flags but not the numbers: those that cannot be shown are computed now, those
    out of date are left to the worker (`request_refresh`). Returns the `probe` taken first (its
    `shown` and `since` say what is out of date). One query when every summary is current; unlike
    `current_data`, the stored numbers (the JSON) are not read."""
    probed = probe(tahun=tahun, opd_ids=opd_ids)
    if probed.missing:
        refresh(tahun=tahun, opd_ids=probed.missing)
    if probed.shown:
        request_refresh(tahun=tahun)
    return probed


# A reader that finds out-of-date summaries of a year asks the worker at most once this often (per
# cache: each process's own with the default per-process cache); each write queues its own task anyway.
QUEUE_SECONDS = 60


def request_refresh(*, tahun: int) -> bool:
    """Ask the worker to recompute the out-of-date summaries of `tahun` (`segarkan_ringkasan`),
    unless this was asked less than `QUEUE_SECONDS` ago: fifty readers of a stale page queue one
    task, not fifty. True when this call queued it. With the immediate tasks backend (no worker)
    the task runs here, in the caller's request."""
    key = f"ringkasan:antri:{tahun}"
    if not cache.add(key, True, QUEUE_SECONDS):
        return False
    try:
        segarkan_ringkasan.enqueue(tahun=tahun)
    except Exception:  # the page still shows the stored numbers; the next reader asks again
        cache.delete(key)
        logger.exception("could not queue the summary refresh of %s", tahun)
        return False
    return True


def open_flag_counts(*, tahun: int, jumlah_flags: dict[int, int]) -> dict[int, int]:
    """Open (not reviewed) red flags per OPD of `jumlah_flags` (OPD pk → its stored flags, from current
    summaries). One query: reviews are read every time, they do not raise the generasi."""
    counts = dict(jumlah_flags)
    reviewed = (
        TinjauanTandaBahaya.objects.filter(tahun=tahun, opd_id__in=list(counts))
        .filter(Exists(TandaBahaya.objects.filter(tahun=tahun, kode=OuterRef("kode"))))
        .values("opd")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in reviewed:
        counts[r["opd"]] -= r["n"]
    return {pk: n for pk, n in counts.items() if n}


def record_count(*, tahun: int, opd_ids: list[int], status: str | None = None) -> int | None:
    """How many records of `tahun` (of one status) the OPDs `opd_ids` have, from their summaries;
    None when one of them is not current (the caller counts in the database then). One query."""
    today, sidik = timezone.localdate(), fingerprint()
    # only the counts are read out of the JSON, not each OPD's whole summary
    rows = list(
        RingkasanOpd.objects.filter(tahun=tahun, opd_id__in=opd_ids)
        .only("generasi", "data_generasi", "dihitung_tanggal", "sidik")
        .annotate(per_status=F("data__per_status"))
    )
    if len(rows) != len(set(opd_ids)) or not all(_is_current(row, today=today, sidik=sidik) for row in rows):
        return None
    if any(row.per_status is None for row in rows):  # computed before the counts were kept
        return None
    return sum(row.per_status.get(status, 0) if status else sum(row.per_status.values()) for row in rows)


def stored_flags(*, tahun: int, opd_ids: list[int], status: str = "open", rule: int | None = None):
    """The stored flags of `opd_ids` (whose summaries must be current) as a queryset, each with
    `reviewed`; `status` is "open", "reviewed" or "all"."""
    flags = (
        TandaBahaya.objects.filter(tahun=tahun, opd_id__in=opd_ids)
        .annotate(reviewed=Exists(TinjauanTandaBahaya.objects.filter(kode=OuterRef("kode"))))
        .order_by("rule", "opd_id", "id")
    )
    if rule is not None:
        flags = flags.filter(rule=rule)
    if status == "open":
        flags = flags.filter(reviewed=False)
    elif status == "reviewed":
        flags = flags.filter(reviewed=True)
    return flags


def as_flag(stored: TandaBahaya) -> tanda_bahaya.Flag:
    """A stored flag as `tanda_bahaya.Flag`, its reason written in the active language."""
    return tanda_bahaya.build_flag(
        rule=stored.rule, kode=stored.kode, opd_id=stored.opd_id, pencatatan_ids=stored.pencatatan_ids, data=stored.data
    )


# --- recomputing -------------------------------------------------------------------------------


def refresh(*, tahun: int, opd_ids: Iterable[int]) -> dict[int, RingkasanOpd]:
    """Recompute and store the summaries and flags of `opd_ids` for `tahun`; returns them.

    Side effects: RingkasanOpd rows created if missing, their data replaced and their
    TandaBahaya rows replaced, unless another process stored a newer computation first.
    About twenty queries whatever the number of OPDs, plus one per 5,000 flags.
    """
    opd_ids = sorted(set(opd_ids))
    if not opd_ids:
        return {}
    today, sidik = timezone.localdate(), fingerprint()
    RingkasanOpd.objects.bulk_create(
        [RingkasanOpd(opd_id=pk, tahun=tahun) for pk in opd_ids], ignore_conflicts=True, batch_size=BATCH
    )
    generasi = dict(RingkasanOpd.objects.filter(tahun=tahun, opd_id__in=opd_ids).values_list("opd_id", "generasi"))
    # the heavy reads on the read replica when it already holds every write these generations count
    with use_replica() if replica_has(tahun=tahun, generasi=generasi) else nullcontext():
        data = compute.hitung(tahun=tahun, opd_ids=opd_ids)
        # red flag rule 4 reads the same entries by lag that the §5 median is computed from
        lags = {pk: {int(days): n for days, n in data[pk]["lags"].items()} for pk in opd_ids}
        flags = tanda_bahaya.flags_for_opds(tahun=tahun, opd_ids=opd_ids, today=today, lags=lags)
    by_opd: dict[int, list[tanda_bahaya.Temuan]] = {pk: [] for pk in opd_ids}
    for flag in flags:
        by_opd[flag.opd_id].append(flag)
    for pk, own in by_opd.items():
        data[pk]["jumlah_flags"] = len(own)
    now = timezone.now()
    with transaction.atomic():
        rows = {
            row.opd_id: row
            for row in RingkasanOpd.objects.select_for_update().filter(tahun=tahun, opd_id__in=opd_ids).order_by("pk")
        }
        # a concurrent refresh may have stored the same or a newer generation meanwhile
        mine = [
            pk
            for pk in opd_ids
            if not (
                rows[pk].data is not None
                and rows[pk].data_generasi is not None
                and rows[pk].data_generasi >= generasi[pk]
                and rows[pk].dihitung_tanggal == today
                and rows[pk].sidik == sidik
            )
        ]
        if mine:
            _store_flags(tahun, mine, [flag for pk in mine for flag in by_opd[pk]])
            for pk in mine:
                row = rows[pk]
                row.data, row.data_generasi, row.dihitung_pada = data[pk], generasi[pk], now
                row.dihitung_tanggal, row.sidik = today, sidik
            RingkasanOpd.objects.bulk_update(
                [rows[pk] for pk in mine],
                ["data", "data_generasi", "dihitung_pada", "dihitung_tanggal", "sidik"],
                batch_size=BATCH,
            )
    for pk in opd_ids:  # what this caller computed, even where a concurrent refresh stored first
        row = rows[pk]
        row.data, row.data_generasi, row.dihitung_tanggal, row.sidik = data[pk], generasi[pk], today, sidik
    return rows


def replica_has(*, tahun: int, generasi: dict[int, int]) -> bool:
    """True when a read replica is configured and has applied every write counted in `generasi`
    (OPD pk → generasi, read on the primary). One query on the replica.

    Every write raises its OPD's generasi in the write's own transaction, and a replica applies
    transactions in commit order: a replica showing these generations holds those writes, so
    numbers computed there are the primary's. A replica that lags, or cannot be reached, is not used.
    """
    if REPLICA not in connections.settings or not generasi:
        return False
    try:
        seen = dict(
            RingkasanOpd.objects.using(REPLICA)
            .filter(tahun=tahun, opd_id__in=list(generasi))
            .values_list("opd_id", "generasi")
        )
    except DatabaseError:
        logger.warning("read replica unreachable; summaries are computed on the primary", exc_info=True)
        return False
    return all(seen.get(pk, -1) >= g for pk, g in generasi.items())


_FLAG_COLUMNS = ("opd_id", "tahun", "rule", "urutan", "kode", "pencatatan_ids", "data")


def _store_flags(tahun: int, opd_ids: list[int], found: list[tanda_bahaya.Temuan]) -> None:
    """Make the stored flags of `opd_ids` those `found`, touching only the ones that changed.

    After one save most of an OPD's flags are as they were; rewriting all of them (tens of
    thousands in a large OPD) on every save would leave the table full of dead rows.
    """
    new = {t.kode: t for t in found}
    gone: list[int] = []
    same: set[str] = set()
    stored = TandaBahaya.objects.filter(tahun=tahun, opd_id__in=opd_ids).values_list(
        "id", "kode", "opd_id", "pencatatan_ids", "data"
    )
    for pk, kode, opd_id, ids, data in stored.iterator(chunk_size=BATCH):
        t = new.get(kode)
        if t is not None and (opd_id, ids, data) == (t.opd_id, list(t.pencatatan_ids), t.data):
            same.add(kode)
        else:
            gone.append(pk)
    added = [t for t in found if t.kode not in same]
    for start in range(0, len(gone), BATCH):
        TandaBahaya.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    # a record moved to another OPD may still have its flag under the old OPD, whose own
    # summary is out of date too: the flag's identity is unique per year
    kodes = [t.kode for t in added]
    for start in range(0, len(kodes), BATCH):
        TandaBahaya.objects.filter(tahun=tahun, kode__in=kodes[start : start + BATCH]).delete()
    _insert_flags(tahun, added)


def _insert_flags(tahun: int, found: list[tanda_bahaya.Temuan]) -> None:
    """Write the flags: with COPY on PostgreSQL (a large year has some 100,000; COPY writes them
    several times faster than INSERT), bulk_create elsewhere."""
    if not found:
        return
    rows = (
        (t.opd_id, tahun, t.rule, tanda_bahaya.PRIORITY[t.rule], t.kode, list(t.pencatatan_ids), t.data) for t in found
    )
    if connection.vendor != "postgresql":
        TandaBahaya.objects.bulk_create(
            [TandaBahaya(**dict(zip(_FLAG_COLUMNS, row, strict=True))) for row in rows], batch_size=BATCH
        )
        return
    statement = f"COPY {TandaBahaya._meta.db_table} ({', '.join(_FLAG_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for opd_id, year, rule, urutan, kode, ids, data in rows:
            ids_json = "[" + ",".join(map(str, ids)) + "]"  # a list of ints: json.dumps is much slower
            copy.write_row((opd_id, year, rule, urutan, kode, ids_json, json.dumps(data)))


def refresh_stale(*, tahun: int | None = None, all_years: bool = False) -> int:
    """Recompute the stored summaries that are out of date; returns how many OPD-years.

    By default only those that exist (a write creates its row), which is what the worker
    does after changes. `all_years` also computes every OPD of every year with data (or of
    `tahun`), which the nightly command does so that the first reader of the day finds
    rule 7 counted from today.
    """
    today, sidik = timezone.localdate(), fingerprint()
    stored = RingkasanOpd.objects.all() if tahun is None else RingkasanOpd.objects.filter(tahun=tahun)
    wanted: dict[int, set[int]] = {}
    for row in stored.defer("data").iterator():
        if not _is_current(row, today=today, sidik=sidik):
            wanted.setdefault(row.tahun, set()).add(row.opd_id)
    if all_years:
        years = {tahun} if tahun is not None else set(RingkasanOpd.objects.values_list("tahun", flat=True))
        if tahun is None:
            years |= set(PaketRup.objects.order_by().values_list("tahun_anggaran", flat=True).distinct())
            years |= set(Pencatatan.objects.order_by().values_list("tahun_anggaran", flat=True).distinct())
        have = set(stored.values_list("tahun", "opd_id"))
        for year in years:
            for pk in Opd.objects.values_list("pk", flat=True):
                if (year, pk) not in have:
                    wanted.setdefault(year, set()).add(pk)
    for year, opd_ids in sorted(wanted.items()):
        refresh(tahun=year, opd_ids=opd_ids)
    return sum(len(ids) for ids in wanted.values())


@task()
def segarkan_ringkasan(tahun: int | None = None) -> None:
    """Recompute the summaries that writes made out of date (queued by `invalidation` after each change),
    or those of `tahun` (queued by a reader that found them out of date: `request_refresh`)."""
    refresh_stale(tahun=tahun)
