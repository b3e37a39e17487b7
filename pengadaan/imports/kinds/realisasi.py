"""Realisasi import: payments of non tender and swakelola records, and their suppliers (PenyediaIndex)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from pengadaan.imports import contracts
from pengadaan.imports.kinds.base import BATCH, CHUNK, Context, Handler, as_int, assign, chunked, write_history
from pengadaan.imports.kinds.choices import JENIS_REALISASI, published_choice, published_npwp
from pengadaan.imports.rows import Row
from pengadaan.models import CatatanData, JenisPencatatan, JenisRealisasi, Pencatatan, Penyedia, Realisasi


class RealisasiHandler(Handler):
    notes_owner = "realisasi"
    FIELDS = contracts.fields_of(contracts.NONTENDER_REALISASI, contracts.SWAKELOLA_REALISASI)

    def __init__(self, contract: contracts.Contract, jenis: str) -> None:
        super().__init__()
        self.payments_seen: set[tuple] = set()
        self.contract = contract
        self.jenis = JenisPencatatan(jenis)
        self.parent_key = contract.key[0]
        # the supplier's (or executing party's) name and NPWP, in the contract's order
        self.nama_col, self.npwp_col = (c.name for c in contract.columns if c.field == "penyedia")

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        for row in rows:
            if not row.ok:
                continue
            d = row.data
            d["_parent"] = as_int(row, self.parent_key)
            d["_jenis"] = published_choice(
                row, "jenis_realisasi", d.get("jenis_realisasi") or "", JENIS_REALISASI, default=JenisRealisasi.LAINNYA
            )
            if not d["no_realisasi"]:
                row.note(CatatanData.Aturan.WAJIB_KOSONG, "no_realisasi")
            d["_npwp"] = published_npwp(row, self.npwp_col)
        good = [r for r in rows if r.ok]
        parents = {
            p.kd_pct: p
            for p in chunked(
                Pencatatan.objects.filter(jenis=self.jenis), self.parent_key, {r.data["_parent"] for r in good}
            )
        }
        existing: dict[tuple, Realisasi] = {}
        parent_ids = [p.pk for p in parents.values()]
        for start in range(0, len(parent_ids), CHUNK):
            for r in Realisasi.objects.filter(pencatatan_id__in=parent_ids[start : start + CHUNK]):
                existing.setdefault(
                    self._key(r.pencatatan_id, r.no_realisasi, r.tgl_realisasi, r.nilai_realisasi, r.jenis_realisasi), r
                )
        penyedia = PenyediaIndex([(r.data.get(self.nama_col) or "", r.data["_npwp"]) for r in good])
        seen = self.payments_seen
        for row in good:
            d = row.data
            parent = parents.get(d["_parent"])
            if parent is None:
                row.error(
                    self.parent_key,
                    _("Pencatatan %(k)s belum ada; impor data pencatatannya lebih dulu.") % {"k": d["_parent"]},
                )
                continue
            if d["tgl_realisasi"] > timezone.localdate():
                row.note(CatatanData.Aturan.TANGGAL_MASA_DEPAN, "tgl_realisasi", d["tgl_realisasi"].isoformat())
            key = self._key(parent.pk, d["no_realisasi"], d["tgl_realisasi"], d["nilai_realisasi"], d["_jenis"])
            if key in seen:
                row.action = "duplicate"  # LKPP repeats a payment once per RUP code of its parent (DESIGN §8)
                continue
            seen.add(key)
            values = {
                "dok_realisasi": d.get("dok_realisasi") or "",
                "ket_realisasi": d.get("ket_realisasi") or "",
                "penyedia": penyedia.get(d.get(self.nama_col) or "", d["_npwp"]),
            }
            current = existing.get(key)
            if current is None:
                row.target = Realisasi(
                    pencatatan=parent,
                    jenis_realisasi=d["_jenis"],
                    no_realisasi=d["no_realisasi"],
                    tgl_realisasi=d["tgl_realisasi"],
                    nilai_realisasi=d["nilai_realisasi"],
                    tgl_dicatat=parent.tgl_buat_paket,
                    dibuat_oleh=ctx.user,
                    **values,
                )
                row.action = "create"
            else:
                row.target, row.action = current, ("update" if assign(current, values) else "unchanged")
        self.penyedia = penyedia

    @staticmethod
    def _key(parent_id, no, tgl, nilai, jenis) -> tuple:
        return (parent_id, no, tgl, nilai.quantize(nilai.__class__("0.01")), jenis)

    def write(self, rows: list[Row], ctx: Context) -> None:
        self.penyedia.save()
        for row in rows:
            if row.action in ("create", "update") and row.target.penyedia is not None:
                row.target.penyedia = self.penyedia.saved(row.target.penyedia)
        creates = [r.target for r in rows if r.action == "create"]
        updates = [r.target for r in rows if r.action == "update"]
        ctx.tahun_berubah |= {p.pencatatan.tahun_anggaran for p in [*creates, *updates]}
        Realisasi.objects.bulk_create(creates, batch_size=BATCH)
        if any(payment.pk is None for payment in creates):  # a backend that returns no ids
            raise RuntimeError("the database returned no ids for new payments")
        Realisasi.objects.bulk_update(updates, list(self.FIELDS), batch_size=BATCH)
        write_history(Realisasi, [p.pk for p in creates], "+", ctx)
        write_history(Realisasi, [p.pk for p in updates], "~", ctx)


class PenyediaIndex:
    """Suppliers by NPWP (or by name when the file has none), created in bulk when new."""

    def __init__(self, pairs: list[tuple[str, str | None]]) -> None:
        npwps = {npwp for _nama, npwp in pairs if npwp}
        names = {nama for nama, npwp in pairs if nama and not npwp}
        self.by_npwp = {p.npwp: p for p in chunked(Penyedia.objects.all(), "npwp", npwps)}
        self.by_name = {p.nama: p for p in chunked(Penyedia.objects.filter(npwp__isnull=True), "nama", names)}

    def get(self, nama: str, npwp: str | None) -> Penyedia | None:
        if npwp:
            return self.by_npwp.setdefault(npwp, Penyedia(nama=nama or npwp, npwp=npwp))
        if nama:
            return self.by_name.setdefault(nama, Penyedia(nama=nama))
        return None

    def save(self) -> None:
        new = [p for p in [*self.by_npwp.values(), *self.by_name.values()] if p.pk is None]
        Penyedia.objects.bulk_create(new, batch_size=BATCH)
        if any(p.pk is None for p in new):
            self.by_npwp.update({p.npwp: p for p in chunked(Penyedia.objects.all(), "npwp", list(self.by_npwp))})
            self.by_name.update(
                {p.nama: p for p in chunked(Penyedia.objects.filter(npwp__isnull=True), "nama", list(self.by_name))}
            )

    def saved(self, penyedia: Penyedia) -> Penyedia:
        if penyedia.pk is not None:
            return penyedia
        return self.by_npwp[penyedia.npwp] if penyedia.npwp else self.by_name[penyedia.nama]
