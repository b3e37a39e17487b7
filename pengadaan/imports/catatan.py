"""Data-quality notes of an import, written set-based in the import's own transaction (DESIGN §4).

Each import of a record (or payment) makes its notes what the file says now: a note that is
the same stays (with the import it first came in), a new one is added, one whose value SPSE
has since made normal is removed. A few `__in` queries per chunk, never one per row.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model

from pengadaan.imports import bulk
from pengadaan.imports.rows import Row
from pengadaan.models import CatatanData

NAMES = ("pencatatan_id", "realisasi_id", "aturan", "kolom", "nilai", "impor")


def sync(rows: Iterable[Row], *, owner: str, reason: str) -> None:
    """Make the notes of the rows' stored objects those of the rows.

    `owner` is "pencatatan" (the notes of a record's own fields: its payments' notes are left alone)
    or "realisasi" (the notes of each payment). Each row's stored object is `row.target` for payments
    and `row.target[0]` for records. An object this import created has no notes yet: only the others'
    are looked up. New notes are written with `bulk.create_rows` (COPY on PostgreSQL).
    """
    impor = reason[:255]
    wanted: dict[tuple, tuple] = {}  # kunci -> the note's values (NAMES)
    ids: list[int] = []
    for row in rows:
        if not row.ok or row.action == "duplicate":
            continue
        obj: Model = row.target[0] if owner == "pencatatan" else row.target
        if row.action != "create":
            ids.append(obj.pk)
        if not row.notes:
            continue
        parent, payment = (obj.pk, None) if owner == "pencatatan" else (obj.pencatatan_id, obj.pk)
        for aturan, kolom, nilai in row.notes:
            wanted.setdefault((parent, payment, aturan, kolom, nilai), (parent, payment, aturan, kolom, nilai, impor))
    notes = CatatanData.objects.filter(realisasi__isnull=True) if owner == "pencatatan" else CatatanData.objects
    existing = {note.kunci: note.pk for note in bulk.in_values(notes.order_by(), f"{owner}_id", ids)}
    stale = [pk for key, pk in existing.items() if key not in wanted]
    for start in range(0, len(stale), bulk.CHUNK):
        CatatanData.objects.filter(pk__in=stale[start : start + bulk.CHUNK]).delete()
    bulk.create_rows(CatatanData, NAMES, [values for key, values in wanted.items() if key not in existing])
