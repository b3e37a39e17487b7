"""Pencatatan import: SPSE's non tender and swakelola records, their status and their RUP links."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from opd.models import Opd
from pengadaan.imports import bulk, contracts, padanan
from pengadaan.imports.kinds.base import Context, Handler, as_int, assign, chunked, history, opd_not_found, years_of
from pengadaan.imports.kinds.choices import (
    BUKTI_PEMBAYARAN,
    JENIS_PENGADAAN,
    METODE,
    STATUS_KET,
    STATUS_SAJA,
    STATUS_SPSE,
    TIPE_SWAKELOLA,
    published_choice,
)
from pengadaan.imports.rows import Row, mark_duplicates
from pengadaan.models import (
    CatatanData,
    JenisPencatatan,
    PadananSpse,
    PaketRup,
    Pencatatan,
    PencatatanRup,
    Status,
    Sumber,
)
from pengadaan.models.pencatatan import gabung_kd_rup


class Paket(NamedTuple):
    """What resolving needs of a linked RUP package."""

    pk: int
    opd_id: int
    tipe_paket: str


class Baru:
    """A record this import creates, without a model instance (a 100,000-row file would build as many):
    its values (`PencatatanHandler._values`), its pk once written."""

    __slots__ = ("pk", "values")
    versi = 1

    def __init__(self, values: dict[str, Any]) -> None:
        self.pk: int | None = None
        self.values = values


class PencatatanHandler(Handler):
    notes_owner = "pencatatan"
    opd_lookup = "spse"
    # both kinds' fields: `_values` sets the other kind's empty, and an update writes them all
    FIELDS = contracts.fields_of(contracts.NONTENDER, contracts.SWAKELOLA)

    def __init__(self, contract: contracts.Contract, jenis: str) -> None:
        super().__init__()
        self.contract = contract
        self.jenis = JenisPencatatan(jenis)
        self.key = contract.key[0]
        # SPSE's two status columns, in the contract's order: the status, then its description
        self.status_columns = tuple(c.name for c in contract.columns if c.field == "status")
        # what a cell (or a pair of status cells) already gave without a note or an error: thousands of
        # rows of a file share a handful of wordings
        self.known_status: dict[tuple, str] = {}
        self.known_choices: dict[tuple[str, str], str] = {}

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        for row in rows:
            if row.ok:
                row.data["_key"] = as_int(row, self.key)
        mark_duplicates(rows, (self.key,), label=self.key, seen=self.seen)
        good = [r for r in rows if r.ok]
        self.snapshots: list[Pencatatan] = []
        self.late_pairs: list[PadananSpse] = []
        new: list[Row] = []
        late: list[Row] = []  # SPSE records the app knows only from SPSE
        existing = {
            p.kd_pct: p
            for p in chunked(
                Pencatatan.objects.filter(jenis=self.jenis).prefetch_related("paket_rup"),
                self.key,
                {r.data["_key"] for r in good},
            )
        }
        for row in good:
            row.data["_codes"] = self._rup_codes(row)
        wanted = {c for row in good for c in row.data["_codes"]}
        # plain tuples, not model instances: a 100,000-row file links as many packages
        packages = PaketRup.objects.values_list("kd_rup", "tahun_anggaran", "id", "opd_id", "tipe_paket").order_by()
        rup = {(kd, tahun): Paket(*rest) for kd, tahun, *rest in chunked(packages, "kd_rup", wanted)}
        tipe = self.jenis.tipe_paket
        for row in good:
            if not row.ok:
                continue
            d = row.data
            opd = ctx.opds.spse(d.get("kd_satker"), d.get("kd_satker_str"))
            if opd is None:
                opd_not_found(row, d.get("kd_satker"), d.get("kd_satker_str"))
                continue
            links = []
            for code in d["_codes"]:
                paket = rup.get((code, d["tahun_anggaran"]))
                if paket is None:
                    # not (yet) imported from SiRUP: the code is kept in kd_rup, the link comes later; the
                    # preview warns, so that the person imports the RUP data first
                    row.rup_unknown = True
                    continue
                if paket.opd_id != opd.pk or paket.tipe_paket != tipe:
                    # SPSE linked it; a record here links only its own OPD's packages of its kind (DESIGN §4)
                    row.note(CatatanData.Aturan.RUP_BUKAN_MILIK, "kd_rup", code)
                    continue
                links.append(paket)
            values = self._values(row, opd, d["_codes"])
            if not row.ok:
                continue
            values["nilai_spse"] = padanan.nilai_spse(values)
            d["_links"], d["_values"] = links, values
            record = existing.get(d["_key"])
            if record is None:
                new.append(row)
            else:
                if record.sumber == Sumber.IMPOR:
                    late.append(row)
                # what SPSE says now is kept beside the record (the reconciliation compares it); on its own
                # it changes nothing of the record: no new version, no history entry
                before = record.nilai_spse
                changed = [name for name in assign(record, values) if name != "nilai_spse"]
                same_links = {p.pk for p in record.paket_rup.all()} == {p.pk for p in links}
                row.action = "update" if changed or not same_links else "unchanged"
                row.target = (record, links)
                if row.action == "unchanged" and before != values["nilai_spse"]:
                    self.snapshots.append(record)
        self._match(new, late, ctx)

    def _match(self, rows: list[Row], late: list[Row], ctx: Context) -> None:
        """SPSE records new to the app: each becomes the local record it certainly is (DESIGN §12), or is
        stored as published, with the pairs the OPD must confirm when the match is not certain. SPSE records
        the app had only from SPSE (`late`): a local record entered since for their packages is listed."""
        calon = padanan.calon_lokal(self.jenis, {p.pk for row in [*rows, *late] for p in row.data["_links"]})

        def decide(row: Row) -> tuple:
            d = row.data
            paket = frozenset(p.pk for p in d["_links"])
            found = {
                c.pk: c
                for pk in paket
                for c in calon.get(pk, [])
                if c.opd_id == d["_values"]["opd_id"] and c.tahun == d["_values"]["tahun_anggaran"]
            }
            return (row, list(found.values()), *padanan.putuskan(list(found.values()), paket=paket, pagu=d["pagu"]))

        # no local record links any of these packages (the usual case): nothing to decide per row
        decisions = [decide(row) for row in rows] if calon else [(row, [], None, None) for row in rows]
        claims: dict[int, int] = defaultdict(int)
        for _row, _found, certain, _alasan in decisions:
            if certain is not None:
                claims[certain.pk] += 1
        matched = {pk for pk, n in claims.items() if n == 1}
        local = {p.pk: p for p in Pencatatan.objects.filter(pk__in=matched).select_related("ppk")}
        for row, found, certain, alasan in decisions:
            d = row.data
            if certain is not None and claims[certain.pk] > 1:  # two SPSE records for one local record
                certain, alasan = None, PadananSpse.Alasan.DUA_CALON
            if certain is not None:
                record = local[certain.pk]
                assign(record, {**d["_values"], self.key: d["_key"]})
                if record.ppk is not None and record.ppk.nip != record.nip_ppk:
                    record.ppk = None  # SPSE names another PPK: the app's link would contradict it
                row.action, row.padanan, row.target = "update", "cocok", (record, d["_links"])
                continue
            row.action, row.target = "create", (Baru(d["_values"]), d["_links"])
            # a local record this import matched has SPSE's code now: it is no longer a candidate
            pairs = [(c.pk, alasan) for c in found if c.pk not in matched]
            if alasan is not None and pairs:
                row.padanan = "konfirmasi"
                d["_pairs"] = pairs
        self._list_late([decide(row) for row in late] if calon else [], matched)

    def _list_late(self, decisions: list[tuple], matched: set[int]) -> None:
        """A local record entered after SPSE's record of its package was imported is listed with it, never
        merged by itself (SPSE's copy has its own payments), and never listed again once decided."""
        wanted = [
            (row, c, PadananSpse.Alasan.SPSE_LEBIH_DULU if certain is not None else alasan)
            for row, found, certain, alasan in decisions
            for c in found
            if c.pk not in matched
        ]
        if not wanted:
            return
        listed = set(
            PadananSpse.objects.filter(
                lokal_id__in={c.pk for _row, c, _a in wanted},
                kode_spse__in={row.data["_key"] for row, _c, _a in wanted},
            ).values_list("lokal_id", "kode_spse")
        )
        for row, c, alasan in wanted:
            if (c.pk, row.data["_key"]) not in listed:
                listed.add((c.pk, row.data["_key"]))
                self.late_pairs.append(
                    PadananSpse(lokal_id=c.pk, spse_id=row.target[0].pk, kode_spse=row.data["_key"], alasan=alasan)
                )
                row.padanan = "konfirmasi"

    def _rup_codes(self, row: Row) -> list[int]:
        text = row.data.get("kd_rup") or ""
        if text.isdecimal():  # one code, the common case
            return [int(text)]
        codes = []
        for part in text.replace(",", ";").split(";"):
            part = part.strip()
            if part.endswith(".0"):
                part = part[:-2]
            if not part:
                continue
            if not part.isdigit():
                row.note(CatatanData.Aturan.KODE_RUP_BUKAN_ANGKA, "kd_rup", part)
                continue
            codes.append(int(part))
        return sorted(set(codes))

    def _values(self, row: Row, opd: Opd, codes: list[int]) -> dict[str, Any]:
        d = row.data
        status = self._status(row)
        alasan = d.get("alasan_pembatalan") or ""
        if status == Status.BATAL and not alasan:
            row.note(CatatanData.Aturan.WAJIB_KOSONG, "alasan_pembatalan")
            alasan = _("Dibatalkan di SPSE (alasan tidak diisi).")
        # SPSE's start is the moment the record was made, its end the contract's last day at midnight:
        # compared as dates, an end before the start is kept as published, with a note (DESIGN §4)
        mulai, selesai = d.get("tgl_mulai_paket"), d.get("tgl_selesai_paket")
        if mulai and selesai and selesai < mulai:
            row.note(
                CatatanData.Aturan.SELESAI_SEBELUM_MULAI,
                "tgl_selesai_paket",
                f"{selesai.isoformat()} < {mulai.isoformat()}",
            )
        values: dict[str, Any] = {
            "opd_id": opd.pk,
            "tahun_anggaran": d["tahun_anggaran"],
            "kd_rup": gabung_kd_rup(codes),
            "nama_paket": d["nama_paket"],
            "pagu": d["pagu"],
            "nilai_pdn_pct": d.get("nilai_pdn_pct"),
            "nilai_umk_pct": d.get("nilai_umk_pct"),
            "sumber_dana": d.get("sumber_dana") or "",
            "uraian_pekerjaan": d.get("uraian_pekerjaan") or "",
            "informasi_lainnya": d.get("informasi_lainnya") or "",
            "status": status,
            "alasan_pembatalan": alasan if status == Status.BATAL else "",
            "nip_ppk": (d.get("nip_ppk") or "")[:18],
            "nama_ppk": d.get("nama_ppk") or "",
            "tgl_buat_paket": d["tgl_buat_paket"],
            "tgl_mulai_paket": mulai,
            "tgl_selesai_paket": selesai,
            "kategori_pengadaan": "",
            "mtd_pemilihan": "",
            "bukti_pembayaran": "",
            "tipe_swakelola": None,
            "pelaksana_swakelola": "",
        }
        if self.jenis == JenisPencatatan.NON_TENDER:
            values["mtd_pemilihan"] = self._choice(row, "mtd_pemilihan", d.get("mtd_pemilihan") or "", METODE)
            values["kategori_pengadaan"] = self._choice(
                row, "kategori_pengadaan", d.get("kategori_pengadaan") or "", JENIS_PENGADAAN
            )
            if d.get("bukti_pembayaran"):  # optional for a person too
                values["bukti_pembayaran"] = self._choice(
                    row, "bukti_pembayaran", d["bukti_pembayaran"], BUKTI_PEMBAYARAN
                )
        else:
            values["tipe_swakelola"] = self._tipe_swakelola(row)
            values["pelaksana_swakelola"] = d.get("nama_pelaksana") or ""
        return values

    def _choice(self, row: Row, column: str, text: str, table) -> str:
        """`published_choice`, remembering the wordings that gave a value without a note."""
        value = self.known_choices.get((column, text))
        if value is None:
            notes = len(row.notes)
            value = published_choice(row, column, text, table)
            if len(row.notes) == notes:
                self.known_choices[(column, text)] = value
        return value

    def _status(self, row: Row) -> str | None:
        """SPSE's two status fields (DESIGN §4); a pair other than the three known ones is read and noted."""
        cells = tuple(row.data.get(c) for c in self.status_columns)
        status = self.known_status.get(cells)
        if status is not None:
            return status
        a, b = (" ".join((cell or "").lower().split()) for cell in cells)
        status = STATUS_SPSE.get((a, b))
        if status is not None:
            self.known_status[cells] = status
        else:
            status = next((value for word, value in STATUS_KET if word in b), None) if b else STATUS_SAJA.get(a)
            if status is None:
                row.error(
                    self.status_columns[1],
                    _(
                        "Kombinasi status '%(a)s' + '%(b)s' tidak dikenal; yang dikenal: Aktif + Paket Sedang "
                        "Berjalan, Aktif + Paket Selesai, Ditutup + Paket Dibatalkan."
                    )
                    % dict(zip("ab", (row.data.get(c) or "" for c in self.status_columns), strict=True)),
                )
                return None
            shown = " + ".join(row.data.get(c) or "" for c in self.status_columns)
            row.note(CatatanData.Aturan.STATUS_TIDAK_BAKU, self.status_columns[1], shown)
        return status

    @staticmethod
    def _tipe_swakelola(row: Row) -> int | None:
        """1–4 from tipe_swakelola, else from tipe_swakelola_nama ("Tipe II"); SPSE leaves both empty in most
        records, which is kept as published with a note (DESIGN §4)."""
        for column in ("tipe_swakelola", "tipe_swakelola_nama"):
            text = (row.data.get(column) or "").lower().replace("tipe", "").replace("swakelola", "").strip()
            if text:
                tipe = TIPE_SWAKELOLA.get(text)
                if tipe is None:
                    row.note(CatatanData.Aturan.TIDAK_DIKENAL, column, row.data[column])
                return tipe
        row.note(CatatanData.Aturan.WAJIB_KOSONG, "tipe_swakelola")
        return None

    def write(self, rows: list[Row], ctx: Context) -> None:
        creates: list[tuple[Row, Baru]] = [(r, r.target[0]) for r in rows if r.action == "create"]
        updates = [r.target[0] for r in rows if r.action == "update" and r.padanan != "cocok"]
        matched = [r.target[0] for r in rows if r.padanan == "cocok"]
        for record in [*updates, *matched]:
            record.versi += 1
        # a record may move to another year
        ctx.tahun_berubah |= years_of(Pencatatan, [p.pk for p in [*updates, *matched]])
        ctx.tahun_berubah |= {p.tahun_anggaran for p in [*updates, *matched]}
        ctx.tahun_berubah |= {new.values["tahun_anggaran"] for _r, new in creates}
        if creates:
            # every record's values have the keys of `_values`, in its order
            names = (self.key, *creates[0][1].values)
            common = {"jenis": self.jenis, "sumber": Sumber.IMPOR, "dibuat_oleh_id": history("+", ctx).user_id}
            ids = bulk.create_rows(
                Pencatatan,
                names,
                [(r.data["_key"], *new.values.values()) for r, new in creates],
                common=common,
                history=history("+", ctx),
            )
            for (_r, new), pk in zip(creates, ids, strict=True):
                new.pk = pk
        names = [*self.FIELDS, "versi", "nilai_spse", "ppk", self.key]
        bulk.update(Pencatatan, updates, names, history=history("~", ctx))
        # the history of a matched record shows what SPSE changed: app values → SPSE's (DESIGN §12)
        matched_history = history("~", ctx, reason=_("Dicocokkan dengan SPSE: nilai SPSE dipakai"))
        bulk.update(Pencatatan, matched, names, history=matched_history)
        # unchanged records whose snapshot of SPSE's values is new (records made before it was kept)
        bulk.update(Pencatatan, self.snapshots, ["nilai_spse"])
        pairs = [
            PadananSpse(lokal_id=lokal, spse_id=r.target[0].pk, kode_spse=r.data["_key"], alasan=alasan)
            for r in rows
            if r.action == "create"
            for lokal, alasan in r.data.get("_pairs", [])
        ]
        pairs += self.late_pairs
        bulk.create(PadananSpse, pairs, history=history("+", ctx))
        self._sync_links([r.target for r in rows if r.action in ("create", "update")])
        ctx.opds.save_learned()

    @staticmethod
    def _sync_links(targets: list[tuple[Pencatatan | Baru, list[Paket]]]) -> None:
        wanted = {(record.pk, p.pk) for record, links in targets for p in links}
        # records created by this import have no links yet: only updated ones are looked up
        ids = [record.pk for record, _links in targets if record.versi > 1]
        links = PencatatanRup.objects.order_by().values_list("pencatatan_id", "paket_id")
        current = set(bulk.in_values(links, "pencatatan_id", ids))
        stale = current - wanted
        by_record: dict[int, list[int]] = defaultdict(list)
        for record_id, paket_id in stale:
            by_record[record_id].append(paket_id)
        for record_id, paket_ids in by_record.items():
            PencatatanRup.objects.filter(pencatatan_id=record_id, paket_id__in=paket_ids).delete()
        bulk.create_rows(PencatatanRup, ("pencatatan_id", "paket_id"), sorted(wanted - current), pks=False)
