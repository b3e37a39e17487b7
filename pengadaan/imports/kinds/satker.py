"""Satker (OPD) import: work units by kd_satker, with their SiRUP, SPSE and string codes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from opd.models import Opd
from pengadaan.imports import contracts
from pengadaan.imports.kinds.base import BATCH, Context, Handler, assign
from pengadaan.imports.kinds.choices import JENIS_SATKER
from pengadaan.imports.rows import Row, mark_duplicates


class SatkerHandler(Handler):
    contract = contracts.SATKER
    FIELDS = contracts.SATKER.fields

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        mark_duplicates(rows, ("kd_satker",), label=_("kd_satker"), seen=self.seen)
        existing = {o.kd_satker: o for o in Opd.objects.all()}
        if not hasattr(self, "owner_str"):  # codes claimed by OPDs, across chunks of the file
            self.owner_str = {o.kd_satker_str: o.kd_satker for o in existing.values()}
            self.owner_spse = {o.kd_satker_spse: o.kd_satker for o in existing.values() if o.kd_satker_spse}
        owner_str, owner_spse = self.owner_str, self.owner_spse
        for row in rows:
            if not row.ok:
                continue
            d = row.data
            if not d["kd_satker"].isdigit():
                row.error("kd_satker", _("Harus berupa angka (tertulis '%(v)s').") % {"v": d["kd_satker"]})
                continue
            for column, owners in (("kd_satker_str", owner_str), ("kd_satker_spse", owner_spse)):
                value = d.get(column)
                if value and owners.get(value, d["kd_satker"]) != d["kd_satker"]:
                    row.error(column, _("Sudah dipakai OPD dengan kd_satker %(k)s.") % {"k": owners[value]})
                elif value:
                    owners[value] = d["kd_satker"]
            jenis = Opd.Jenis.LAINNYA
            if d.get("jenis_satker"):
                jenis = next((v for k, v in JENIS_SATKER if k in d["jenis_satker"].lower()), Opd.Jenis.LAINNYA)
            aktif = (d.get("status_satker") or "aktif").strip().lower() not in ("nonaktif", "tidak aktif", "non aktif")
            values = {
                "kd_satker_str": d["kd_satker_str"],
                "nama_satker": d["nama_satker"],
                "singkatan": d.get("singkatan") or "",
                "jenis": jenis,
                "kd_satker_spse": d.get("kd_satker_spse") or None,
                "aktif": aktif,
            }
            opd = existing.get(d["kd_satker"])
            if opd is None:
                row.target, row.action = Opd(kd_satker=d["kd_satker"], **values), "create"
            else:
                if values["kd_satker_spse"] is None:
                    values["kd_satker_spse"] = opd.kd_satker_spse  # an empty cell never erases a learned code
                row.target, row.action = opd, ("update" if assign(opd, values) else "unchanged")

    def write(self, rows: list[Row], ctx: Context) -> None:
        Opd.objects.bulk_create([r.target for r in rows if r.action == "create"], batch_size=BATCH)
        Opd.objects.bulk_update([r.target for r in rows if r.action == "update"], self.FIELDS, batch_size=BATCH)
