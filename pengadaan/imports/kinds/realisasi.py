"""Realisasi import: payments of non tender and swakelola records, and their suppliers (PenyediaIndex)."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext_lazy

from pengadaan.imports import bulk, contracts
from pengadaan.imports.kinds.base import BATCH, Context, Handler, as_int, assign, chunked, history
from pengadaan.imports.kinds.choices import JENIS_REALISASI, published_choice, published_npwp
from pengadaan.imports.padanan import kunci_longgar, pembayaran_sama
from pengadaan.imports.rows import Row
from pengadaan.models import CatatanData, JenisPencatatan, JenisRealisasi, Pencatatan, Penyedia, Realisasi, Sumber

PARENT_MISSING = gettext_lazy("Pencatatan %(k)s belum ada; impor data pencatatannya lebih dulu.")


class RealisasiHandler(Handler):
    notes_owner = "realisasi"
    FIELDS = contracts.fields_of(contracts.NONTENDER_REALISASI, contracts.SWAKELOLA_REALISASI)

    def __init__(self, contract: contracts.Contract, jenis: str) -> None:
        super().__init__()
        self.payments_seen: set[tuple] = set()
        self.claimed: set[int] = set()  # payments already matched by a row of this file
        self.contract = contract
        self.jenis = JenisPencatatan(jenis)
        self.parent_key = contract.key[0]
        # the supplier's (or executing party's) name and NPWP, in the contract's order
        self.nama_col, self.npwp_col = (c.name for c in contract.columns if c.field == "penyedia")

    def check_references(self, rows: list[Row], ctx: Context) -> None:
        """A row with a cell error still learns whether its record exists (every error of a row at once)."""
        keys = {
            int(value): row
            for row in rows
            if self.parent_key not in {c for c, _r in row.errors}
            and str(value := row.data.get(self.parent_key) or "").isdigit()
        }
        found = {p.kd_pct for p in chunked(Pencatatan.objects.filter(jenis=self.jenis), self.parent_key, keys)}
        for row in rows:
            value = str(row.data.get(self.parent_key) or "")
            if value.isdigit() and int(value) not in found and self.parent_key not in {c for c, _r in row.errors}:
                row.error(self.parent_key, PARENT_MISSING % {"k": int(value)})

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        self.now_in_spse: list[Realisasi] = []
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
        # payments entered in the app, by what DESIGN §12 compares: record, date, amount and kind
        entered: dict[tuple, list[Realisasi]] = defaultdict(list)
        parent_ids = [p.pk for p in parents.values()]
        for r in chunked(Realisasi.objects.order_by("pk"), "pencatatan_id", parent_ids):
            existing.setdefault(
                self._key(r.pencatatan_id, r.no_realisasi, r.tgl_realisasi, r.nilai_realisasi, r.jenis_realisasi), r
            )
            if r.sumber == Sumber.APLIKASI:
                entered[kunci_longgar(r.pencatatan_id, r.tgl_realisasi, r.nilai_realisasi, r.jenis_realisasi)].append(r)
        penyedia = PenyediaIndex([(r.data.get(self.nama_col) or "", r.data["_npwp"]) for r in good])
        seen = self.payments_seen
        loose: list[tuple[Row, Pencatatan, dict]] = []
        for row in good:
            d = row.data
            parent = parents.get(d["_parent"])
            if parent is None:
                row.error(self.parent_key, PARENT_MISSING % {"k": d["_parent"]})
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
            if current is not None and current.pk not in self.claimed:
                self._same(row, current, values, parent)
            else:
                loose.append((row, parent, values))
        # then, the payments already entered in the app with no number or another one (DESIGN §12)
        for row, parent, values in loose:
            d = row.data
            same = [
                r
                for r in entered.get(
                    kunci_longgar(parent.pk, d["tgl_realisasi"], d["nilai_realisasi"], d["_jenis"]), []
                )
                if r.pk not in self.claimed
            ]
            if same:
                self._same(row, same[0], values, parent)
                continue
            row.target = Realisasi(
                pencatatan=parent,
                jenis_realisasi=d["_jenis"],
                no_realisasi=d["no_realisasi"],
                tgl_realisasi=d["tgl_realisasi"],
                nilai_realisasi=d["nilai_realisasi"],
                tgl_dicatat=parent.tgl_buat_paket,
                sumber=Sumber.IMPOR,
                di_spse=True,
                dibuat_oleh=ctx.user,
                **values,
            )
            row.action = "create"
        self.penyedia = penyedia

    def _same(self, row: Row, current: Realisasi, values: dict, parent: Pencatatan) -> None:
        """`current` is the payment of `row`. One SPSE loaded keeps SPSE's values; one entered in the app
        keeps its own and takes what `padanan.pembayaran_sama` says."""
        self.claimed.add(current.pk)
        if current.sumber == Sumber.APLIKASI:
            changed = pembayaran_sama(
                current, no_realisasi=row.data["no_realisasi"], tgl_dicatat_spse=parent.tgl_buat_paket
            )
            if "di_spse" in changed:
                row.padanan = "cocok"
            if changed == ["di_spse"]:  # only known now to be in SPSE too: not a change of the payment
                self.now_in_spse.append(current)
                changed = []
        else:
            changed = assign(current, values)
        row.target, row.action = current, ("update" if changed else "unchanged")

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
        bulk.create(Realisasi, creates, history=history("+", ctx))
        fields = [*self.FIELDS, "di_spse", "no_realisasi", "tgl_dicatat"]
        bulk.update(Realisasi, updates, fields, history=history("~", ctx))
        bulk.update(Realisasi, self.now_in_spse, ["di_spse"])


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
