"""Data-quality notes of an import, written set-based in the import's own transaction (DESIGN §4).

Each import of a record (or payment) makes its notes what the file says now: a note that is
the same stays (with the import it first came in), a new one is added, one whose value SPSE
has since made normal is removed. A few `__in` queries per chunk, never one per row.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model

from pengadaan.imports.rows import Row
from pengadaan.models import CatatanData

CHUNK = 2000
BATCH = 1000


def sync(rows: Iterable[Row], *, owner: str, reason: str) -> None:
    """Make the notes of the rows' stored objects those of the rows.

    `owner` is "pencatatan" (the notes of a record's own fields: its payments' notes are left alone)
    or "realisasi" (the notes of each payment). Each row's stored object is `row.target` for payments
    and `row.target[0]` for records.
    """
    wanted: list[CatatanData] = []
    ids: list[int] = []
    for row in rows:
        if not row.ok or row.action == "duplicate":
            continue
        obj: Model = row.target[0] if owner == "pencatatan" else row.target
        ids.append(obj.pk)
        for aturan, kolom, nilai in row.notes:
            note = CatatanData(aturan=aturan, kolom=kolom, nilai=nilai, impor=reason[:255])
            if owner == "pencatatan":
                note.pencatatan_id = obj.pk
            else:
                note.pencatatan_id, note.realisasi_id = obj.pencatatan_id, obj.pk
            wanted.append(note)
    existing: dict[tuple, int] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        notes = (
            CatatanData.objects.filter(pencatatan_id__in=part, realisasi__isnull=True)
            if owner == "pencatatan"
            else CatatanData.objects.filter(realisasi_id__in=part)
        )
        existing.update({note.kunci: note.pk for note in notes.order_by()})
    wanted_by_key = {note.kunci: note for note in wanted}
    stale = [pk for key, pk in existing.items() if key not in wanted_by_key]
    for start in range(0, len(stale), CHUNK):
        CatatanData.objects.filter(pk__in=stale[start : start + CHUNK]).delete()
    CatatanData.objects.bulk_create(
        [note for key, note in wanted_by_key.items() if key not in existing], batch_size=BATCH
    )
