"""RUP import: SiRUP's penyedia and swakelola packages, by kd_rup and year."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from opd.models import Opd
from pengadaan.imports import bulk, contracts
from pengadaan.imports.kinds.base import Context, Handler, as_int, assign, chunked, opd_not_found, years_of
from pengadaan.imports.kinds.choices import JENIS_PENGADAAN, JENIS_PENGADAAN_VALUES, choose
from pengadaan.imports.rows import Row, mark_duplicates
from pengadaan.models import PaketRup, TipePaket


class RupHandler(Handler):
    opd_lookup = "sirup"
    FIELDS = (*contracts.fields_of(contracts.RUP_PENYEDIA, contracts.RUP_SWAKELOLA), "tipe_paket")

    def __init__(self, contract: contracts.Contract, tipe: str) -> None:
        super().__init__()
        self.contract = contract
        self.tipe = tipe

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        for row in rows:
            if row.ok:
                row.data["kd_rup_int"] = as_int(row, "kd_rup")
        mark_duplicates(rows, ("kd_rup", "tahun_anggaran"), label=_("kd_rup dengan tahun yang sama"), seen=self.seen)
        keys = {(r.data["kd_rup_int"], r.data["tahun_anggaran"]) for r in rows if r.ok}
        existing = {
            (p.kd_rup, p.tahun_anggaran): p
            for p in chunked(PaketRup.objects.all(), "kd_rup", {k for k, _t in keys})
            if (p.kd_rup, p.tahun_anggaran) in keys
        }
        for row in rows:
            if not row.ok:
                continue
            d = row.data
            opd = ctx.opds.sirup(d.get("kd_satker"), d.get("kd_satker_str"))
            if opd is None:
                opd_not_found(row, d.get("kd_satker"), d.get("kd_satker_str"))
                continue
            values = self._values(row, opd)
            if not row.ok:
                continue
            paket = existing.get((d["kd_rup_int"], d["tahun_anggaran"]))
            if paket is None:
                row.target = PaketRup(kd_rup=d["kd_rup_int"], tahun_anggaran=d["tahun_anggaran"], **values)
                row.action = "create"
            elif paket.tipe_paket != self.tipe:
                row.error("kd_rup", _("Kode RUP ini sudah ada sebagai paket %(t)s.") % {"t": paket.tipe_paket})
            else:
                row.target, row.action = paket, ("update" if assign(paket, values) else "unchanged")

    def _values(self, row: Row, opd: Opd) -> dict[str, Any]:
        d = row.data
        bulan = d.get("tgl_awal_pemilihan") or d.get("tgl_awal_pelaksanaan_kontrak")
        jenis = ""
        if d.get("jenis_pengadaan"):
            jenis = choose(
                row, "jenis_pengadaan", d["jenis_pengadaan"], JENIS_PENGADAAN, choices=JENIS_PENGADAAN_VALUES
            )
        tipe_swakelola = d.get("tipe_swakelola")
        if tipe_swakelola is not None and tipe_swakelola not in (1, 2, 3, 4):
            row.error("tipe_swakelola", _("Tipe swakelola harus 1, 2, 3 atau 4."))
        per_kind = (
            {"metode_pengadaan": d.get("metode_pengadaan", ""), "jenis_pengadaan": jenis or ""}
            if self.tipe == TipePaket.PENYEDIA
            else {"tipe_swakelola": tipe_swakelola}
        )
        return {
            "opd": opd,
            "nama_paket": d["nama_paket"],
            "pagu": d["pagu"],
            "tipe_paket": self.tipe,
            **per_kind,
            "sumber_dana": d.get("sumber_dana") or "",
            "tgl_awal_pemilihan": bulan.replace(day=1) if bulan else None,
            "status_umumkan_rup": d.get("status_umumkan_rup") or "Terumumkan",
            "status_aktif_rup": True if d.get("status_aktif_rup") is None else d["status_aktif_rup"],
            "status_delete_rup": bool(d.get("status_delete_rup")),
            "nip_ppk": d.get("nip_ppk") or "",
            "nama_ppk": d.get("nama_ppk") or "",
        }

    def write(self, rows: list[Row], ctx: Context) -> None:
        updates = [r.target for r in rows if r.action == "update"]
        ctx.tahun_berubah |= years_of(PaketRup, [p.pk for p in updates])  # a package may move to another year
        ctx.tahun_berubah |= {r.target.tahun_anggaran for r in rows}
        bulk.create(PaketRup, [r.target for r in rows if r.action == "create"])
        bulk.update(PaketRup, updates, self.FIELDS)
