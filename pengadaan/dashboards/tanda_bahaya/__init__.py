"""Tanda bahaya, the red flags of DESIGN §7: nine rules that point a pengawas at records that look wrong.

Every rule is computed set-based in the database for a whole fiscal year, whatever the
number of records: rule 1 with one grouped query that returns its groups with their members,
rule 4 from each OPD's entries by lag (counted by the §5 numbers when it runs with them) and
one query for the latest entries, rule 6 with one query (a window over its groups), the six
per-record rules together with one query that groups each active record with its payments and
returns only the records that may be flagged; Python checks the conditions on the rows the
database returns and writes the reasons. `pengadaan.dashboards.ringkasan` keeps the flags of each OPD and year until
the data change, and the pages read them from there. A pengawas marks a
flag reviewed with a note (`pengadaan.services.tinjau_tanda_bahaya`); the review is stored in
`TinjauanTandaBahaya`, keyed by the flag's stable identity string `Flag.kode`, and kept in its history.

Modules: `registry` (the rules by number: title, priority, finder, reason), `group_rules` (1, 4, 6),
`record_rules` (2, 3, 5, 7–9), `reasons`, `thresholds`, `identity` (`kode`), `findings` (the types),
`reads` (flags computed on demand for a person).

Scope: only records `user` may see (`Pencatatan.objects.visible_to(user)`) of
`tahun_anggaran == tahun`. "Active" means status not Batal (DESIGN §5), and every rule
ignores Batal records: a cancelled record no longer counts anywhere, so flagging it would
only be noise. Rule by rule:

1. Kemungkinan pemecahan paket: ≥2 active non-tender records with method Pengadaan
   Langsung, in one OPD, of one `kategori_pengadaan`, with one supplier NPWP (a record's
   suppliers are the Penyedia of its realisasi; suppliers without NPWP are ignored), each
   with pagu at most the PL ceiling (i.e. lawful as a PL on its own), whose pagu together
   exceed the ceiling. One flag per (OPD, NPWP, kategori). A record with several suppliers
   may appear in several groups.
2. PL melebihi batas: an active PL record whose pagu is above the ceiling (exactly at the
   ceiling is lawful: "paling banyak").
3. Realisasi melebihi pagu: total realisasi of an active record above its pagu.
4. Kebiasaan terlambat mencatat: one flag per OPD and year when more than a share (default:
   half) of the realisasi entries of its active records were first recorded (`tgl_dicatat`)
   more than N days after their `tgl_realisasi` (exactly N days is not late; exactly half is
   not more than half). It names the count, the share and the latest entries (the records of
   the five entries recorded latest after payment). Lateness per entry is a dashboard figure,
   not a flag: per entry it would flag about two thirds of all real entries.
5. Selesai tanpa realisasi: status Selesai and no realisasi at all.
6. Kemungkinan input ganda: ≥2 active records of one OPD with the same non-empty `kd_rup`
   text (the `;`-joined RUP codes) and the same pagu. One flag per group.
7. Melewati tanggal selesai: status Berjalan and `tgl_selesai_paket` more than N days before
   today (`today=` or `timezone.localdate()`); a record without that date is not flagged.
8. PDN/UMK tidak wajar: `nilai_pdn_pct` or `nilai_umk_pct` above the total realisasi, or —
   when the record has no realisasi yet — above its pagu (the values are entered when the
   record is made, so without payments the pagu is the only bound); or exactly 100 on a
   record whose total realisasi is above Rp100.000 (a percentage typed into a Rupiah field).
   One flag per record, naming each implausible value.
9. Bukti tidak sesuai nilai (Perpres 16/2018 ps. 28): a bukti pembelian payment above
   Rp10 juta or a kuitansi payment above Rp50 juta (exactly at the limit is allowed). One
   flag per record. Applies to swakelola payments too: the proof limits do not depend on
   the kind of record.

Flag identity (`kode`, what a review is attached to):

- rules 2, 3, 5 and 7–9, one record: ``R<rule>:pencatatan:<pk>``;
- rule 1: ``R1:opd:<opd pk>:npwp:<npwp>:kategori:<kategori>:tahun:<tahun>``;
- rule 4: ``R4:opd:<opd pk>:tahun:<tahun>``;
- rule 6: ``R6:opd:<opd pk>:kd_rup:<kd_rup>:pagu:<pagu, 2 decimals>:tahun:<tahun>``
  (a `kd_rup` longer than 100 characters is replaced by ``sha256-<first 40 hex digits>``).

Thresholds (settings, all optional; read on every call, so an override applies at once):

======================================  ==============  ===========================================
setting                                 default         meaning
======================================  ==============  ===========================================
``REDFLAG_BATAS_PL_BARANG``             200000000       PL ceiling for Barang, also for Terintegrasi
``REDFLAG_BATAS_PL_JASA_LAINNYA``       200000000       PL ceiling for Jasa Lainnya
``REDFLAG_BATAS_PL_KONSTRUKSI``         400000000       PL ceiling for Pekerjaan Konstruksi
``REDFLAG_BATAS_PL_KONSULTANSI``        100000000       PL ceiling for Jasa Konsultansi
``REDFLAG_HARI_TERLAMBAT_CATAT``        30              rule 4: days between payment and recording
``REDFLAG_PORSI_TERLAMBAT_CATAT``       0.5             rule 4: share of an OPD's entries above which it is flagged
``REDFLAG_HARI_LEWAT_SELESAI``          30              rule 7: days past `tgl_selesai_paket`
``REDFLAG_PDN_UMK_NILAI_PERSEN``        100             rule 8: the value that looks like a percentage
``REDFLAG_PDN_UMK_MIN_REALISASI``       100000          rule 8: ... on a record whose realisasi is above this
``REDFLAG_BATAS_BUKTI_PEMBELIAN``       10000000        rule 9: largest payment a bukti pembelian may prove
``REDFLAG_BATAS_KUITANSI``              50000000        rule 9: largest payment a kuitansi may prove
======================================  ==============  ===========================================

Records of a kategori without a ceiling (none set) are never flagged by rules 1 and 2.
"""

from pengadaan.dashboards.tanda_bahaya.findings import Flag, Temuan
from pengadaan.dashboards.tanda_bahaya.identity import kode_pencatatan
from pengadaan.dashboards.tanda_bahaya.reads import flag_by_kode, flags_for, flags_for_opds, reviews_for
from pengadaan.dashboards.tanda_bahaya.registry import PRIORITY, RULES, TITLES, build_flag
from pengadaan.dashboards.tanda_bahaya.thresholds import thresholds

__all__ = [
    "PRIORITY",
    "RULES",
    "TITLES",
    "Flag",
    "Temuan",
    "build_flag",
    "flag_by_kode",
    "flags_for",
    "flags_for_opds",
    "kode_pencatatan",
    "reviews_for",
    "thresholds",
]
