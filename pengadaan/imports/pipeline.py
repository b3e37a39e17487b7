"""One import from start to end: read the file, parse every cell, check every row, then write.

Nothing is written when any row is bad unless the person chose to write only the
good rows; writing happens in one transaction, so a failure (or a killed worker)
leaves nothing half-written.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from pengadaan.dashboards import invalidation
from pengadaan.imports.contracts import CONTRACTS
from pengadaan.imports.files import ImportFileError, read_table
from pengadaan.imports.kinds import HANDLERS, Context
from pengadaan.imports.rows import Row, missing_columns, parse_rows

KINDS = tuple(CONTRACTS)
CHUNK_ROWS = 5000

Progress = Callable[[int, int], None]  # (rows done, rows in all)


@dataclass
class Outcome:
    kind: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, reason)
    noted: int = 0  # stored rows whose values SPSE published against an entry rule (DESIGN §4)
    matched: int = 0  # rows that are a record or payment already entered in the app (DESIGN §12)
    to_confirm: int = 0  # SPSE records stored beside a local record that may be the same, for the OPD to say
    rup_unknown: int = 0  # good rows with a RUP code not (yet) among the imported RUP packages: kept, not linked
    written: bool = False

    @property
    def bad_rows(self) -> int:
        return len({baris for baris, _kolom, _alasan in self.errors})

    def summary(self) -> str:
        text = _("%(kind)s: dibuat %(c)d, diperbarui %(u)d, tidak berubah %(n)d, dilewati %(s)d") % {
            "kind": self.kind,
            "c": self.created,
            "u": self.updated,
            "n": self.unchanged,
            "s": self.skipped,
        }
        if self.matched or self.to_confirm:
            text = f"{text}; {self.padanan_summary()}"
        if self.rup_unknown:
            text = f"{text}; {self.rup_unknown_summary()}"
        return f"{text}; {self.noted_summary()}" if self.noted else text

    def rup_unknown_summary(self) -> str:
        """E.g. "3 baris dengan kode RUP yang belum ada di data RUP"."""
        return _("%(n)d baris dengan kode RUP yang belum ada di data RUP") % {"n": self.rup_unknown}

    def padanan_summary(self) -> str:
        """E.g. "12 cocok dengan catatan aplikasi, 2 perlu dikonfirmasi"."""
        return _("%(n)d cocok dengan catatan aplikasi, %(m)d perlu dikonfirmasi") % {
            "n": self.matched,
            "m": self.to_confirm,
        }

    def noted_summary(self) -> str:
        """E.g. "383 baris; 217 dengan catatan data, disimpan sebagaimana diterbitkan SPSE"."""
        return _("%(total)d baris; %(noted)d dengan catatan data, disimpan sebagaimana diterbitkan SPSE") % {
            "total": self.total,
            "noted": self.noted,
        }

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "dibuat": self.created,
            "diperbarui": self.updated,
            "tidak_berubah": self.unchanged,
            "dilewati": self.skipped,
            "kesalahan": len(self.errors),
            "baris_salah": self.bad_rows,
            "dengan_catatan": self.noted,
            "cocok": self.matched,
            "perlu_konfirmasi": self.to_confirm,
            "rup_belum_ada": self.rup_unknown,
            "ditulis": self.written,
        }


def check_columns(kind: str, headers: list[str], *, tahun: int | None) -> None:
    missing = missing_columns(CONTRACTS[kind], headers, tahun=tahun)
    if missing:
        raise ImportFileError(
            _("Kolom wajib tidak ada: %(kolom)s. Unduh templat %(kind)s untuk melihat semua kolom.")
            % {"kolom": ", ".join(missing), "kind": kind}
        )


def run(
    kind: str,
    data: bytes,
    filename: str,
    *,
    user=None,
    tahun: int | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
    reason: str | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Import `data` as `kind`. Raises ImportFileError for a file that cannot be read at all.

    Side effects (unless dry_run, and unless a row is bad and not valid_only): the kind's
    rows are created or updated in one transaction, with history entries by `user`
    carrying `reason`.
    """
    table = read_table(data, filename)
    check_columns(kind, table.headers, tahun=tahun)
    reason = reason or _("Impor %(kind)s dari %(file)s") % {"kind": kind, "file": filename}
    outcome = Outcome(kind=kind)
    actions: Counter[str] = Counter()
    bad_rows = 0
    # Rows go through in chunks so that memory stays flat for 100,000-row files; every chunk is
    # written inside the one transaction, which is rolled back at the end if any row was bad
    # and the person did not choose to write only the good rows.
    with transaction.atomic(), _young_collections_only() as collect:
        ctx = Context(user=user, tahun=tahun, reason=reason)
        handler = HANDLERS[kind]()
        for chunk in _chunks(parse_rows(CONTRACTS[kind], table.headers, table.rows, tahun=tahun)):
            handler.resolve(chunk, ctx)
            handler.check_references([r for r in chunk if not r.ok], ctx)
            good = [r for r in chunk if r.ok]
            outcome.errors.extend((r.baris, kolom, alasan) for r in chunk for kolom, alasan in r.errors)
            bad_rows += len(chunk) - len(good)
            actions.update(r.action for r in good)
            outcome.noted += sum(r.noted for r in good)
            outcome.rup_unknown += sum(r.rup_unknown and r.action != "duplicate" for r in good)
            outcome.matched += sum(r.padanan == "cocok" for r in good)
            outcome.to_confirm += sum(r.padanan == "konfirmasi" for r in good)
            outcome.total += len(chunk)
            if not dry_run and (valid_only or not outcome.errors):
                handler.write([r for r in good if r.action in ("create", "update")], ctx)
                handler.write_notes(good, ctx)
            if progress:
                progress(outcome.total, table.total_rows)
            del chunk, good  # the chunk's rows are freed now: the collection sees only what outlives them
            collect()
        outcome.created, outcome.updated = actions["create"], actions["update"]
        outcome.unchanged = actions["unchanged"]
        outcome.skipped = actions["duplicate"] + bad_rows
        if dry_run or (outcome.errors and not valid_only):
            transaction.set_rollback(True)  # nothing of this file is kept, not even OPD codes learned on the way
        else:
            outcome.written = True
            invalidation.mark_years(ctx.tahun_berubah)  # bulk writes send no signals
    return outcome


@contextmanager
def _young_collections_only() -> Iterator[Callable[[], None]]:
    """Python's cyclic garbage collector paused for the import, with a collection of the young generations
    after each chunk (the function yielded).

    A 100,000-row import allocates millions of objects that mostly live until their chunk is written;
    the automatic collector kept running full collections over everything alive (2 s of a 15 s import,
    issue 16). Collecting the young generations once per chunk, after its rows are freed, still frees any
    reference cycle a chunk leaves, at a cost proportional to what outlives the chunk, and the survivors are
    never traversed again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield lambda: gc.collect(1)
    finally:
        if enabled:
            gc.enable()


def _chunks(rows: Iterator[Row]) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
