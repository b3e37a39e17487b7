"""The nine red-flag rules of DESIGN §7 by number: title, priority, how each is found and its reason.

`RULES[n]` is the one place a rule is named. A group rule (1, 4, 6) is a function of the year's
records; a record rule (2, 3, 5, 7–9) a function of one record row (`record_rules.record_rows`), all
of them evaluated over one query. `compute` runs the rules asked for.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from pengadaan.dashboards.tanda_bahaya import group_rules, reasons, record_rules
from pengadaan.dashboards.tanda_bahaya.findings import Flag, Temuan, temuan
from pengadaan.dashboards.tanda_bahaya.identity import kode_pencatatan
from pengadaan.dashboards.tanda_bahaya.thresholds import Batas
from pengadaan.models import Pencatatan

GroupRule = Callable[[group_rules.Year], list[Temuan]]


@dataclass(frozen=True)
class Rule:
    judul: Promise
    # which flags a supervisor should see first: possible fraud and money errors before lateness
    prioritas: int
    alasan: Callable[[dict], str]
    group: GroupRule | None = None  # rules 1, 4, 6: findings from the year's records
    record: record_rules.RecordCheck | None = None  # the others: a flag's data from one record row, or None
    # ... and which rows it may flag, evaluated in the database (more than it flags, never fewer)
    candidates: record_rules.RecordCandidates | None = None


RULES: dict[int, Rule] = {
    1: Rule(
        gettext_lazy("Kemungkinan pemecahan paket"), 0, reasons.alasan_pemecahan, group=group_rules.pemecahan_paket
    ),
    2: Rule(
        gettext_lazy("Pengadaan Langsung melebihi batas"),
        1,
        reasons.alasan_pl,
        record=record_rules.pl_melebihi_batas,
        candidates=record_rules.pl_melebihi_batas_candidates,
    ),
    3: Rule(
        gettext_lazy("Realisasi melebihi pagu"),
        2,
        reasons.alasan_melebihi_pagu,
        record=record_rules.realisasi_melebihi_pagu,
        candidates=record_rules.realisasi_melebihi_pagu_candidates,
    ),
    4: Rule(
        gettext_lazy("Kebiasaan terlambat mencatat"), 8, reasons.alasan_terlambat, group=group_rules.terlambat_dicatat
    ),
    5: Rule(
        gettext_lazy("Selesai tanpa realisasi"),
        6,
        reasons.alasan_selesai,
        record=record_rules.selesai_tanpa_realisasi,
        candidates=record_rules.selesai_tanpa_realisasi_candidates,
    ),
    6: Rule(gettext_lazy("Kemungkinan input ganda"), 3, reasons.alasan_ganda, group=group_rules.input_ganda),
    7: Rule(
        gettext_lazy("Melewati tanggal selesai"),
        7,
        reasons.alasan_lewat_selesai,
        record=record_rules.melewati_tanggal_selesai,
        candidates=record_rules.melewati_tanggal_selesai_candidates,
    ),
    8: Rule(
        gettext_lazy("Nilai PDN/UMK tidak wajar"),
        4,
        reasons.alasan_pdn_umk,
        record=record_rules.pdn_umk_tidak_wajar,
        candidates=record_rules.pdn_umk_tidak_wajar_candidates,
    ),
    9: Rule(
        gettext_lazy("Bukti tidak sesuai nilai"),
        5,
        reasons.alasan_bukti,
        record=record_rules.bukti_tidak_sesuai_nilai,
        candidates=record_rules.bukti_tidak_sesuai_nilai_candidates,
    ),
}
TITLES: dict[int, Promise] = {n: rule.judul for n, rule in RULES.items()}
PRIORITY: dict[int, int] = {n: rule.prioritas for n, rule in RULES.items()}
PER_RECORD_RULES = frozenset(n for n, rule in RULES.items() if rule.record is not None)


def compute(
    records: QuerySet[Pencatatan],
    *,
    tahun: int,
    rules: Iterable[int],
    today: date | None,
    lags: group_rules.LagCounts | None = None,
) -> list[Temuan]:
    """The findings of `rules` on `records` (the records of `tahun`), sorted by rule, OPD and records.
    At most two queries per group rule and one for all record rules, whatever the number of records;
    `lags`: see `group_rules.Year`."""
    batas = Batas.from_settings(today)
    wanted = set(rules)
    year = group_rules.Year(records=records, batas=batas, tahun=tahun, lags=lags)
    found = [t for n in sorted(wanted) if RULES[n].group for t in RULES[n].group(year)]
    checks = [(n, RULES[n].record) for n in sorted(wanted & PER_RECORD_RULES)]
    if checks:
        candidates = reduce(operator.or_, (RULES[n].candidates(batas) for n, _check in checks))
        for row in record_rules.record_rows(records, batas, candidates):
            for n, check in checks:
                data = check(row, batas)
                if data is not None:
                    found.append(temuan(n, kode_pencatatan(n, row.pk), row.opd_id, [row.pk], data))
    return sorted(found, key=lambda f: (f.rule, f.opd_id, f.pencatatan_ids, f.kode))


def build_flag(*, rule: int, kode: str, opd_id: int, pencatatan_ids: Iterable[int], data: dict) -> Flag:
    """A flag with its title and reason written in the active language from `data`."""
    return Flag(
        rule=rule,
        kode=kode,
        opd_id=opd_id,
        pencatatan_ids=tuple(pencatatan_ids),
        judul=str(RULES[rule].judul),
        alasan=RULES[rule].alasan(data),
        data=data,
    )
