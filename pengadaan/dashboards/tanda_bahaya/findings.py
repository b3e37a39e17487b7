"""What a rule finds (`Temuan`, stored by `pengadaan.dashboards.ringkasan`) and what a page shows (`Flag`,
the finding with its title and reason written in the reader's language)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple


class Temuan(NamedTuple):
    """A flag as a rule finds it, before its reason is written."""

    rule: int
    kode: str
    opd_id: int
    pencatatan_ids: tuple[int, ...]
    data: dict


def temuan(rule: int, kode: str, opd_id: int, ids: Iterable[int], data: dict) -> Temuan:
    """A finding on the records `ids` (kept sorted, so that a finding's identity does not depend on row order)."""
    return Temuan(rule, kode, opd_id, tuple(sorted(ids)), data)


@dataclass(frozen=True)
class Flag:
    rule: int
    kode: str
    opd_id: int
    pencatatan_ids: tuple[int, ...]
    judul: str
    alasan: str
    # what the reason is written from (JSON-safe), so that a stored flag is shown in the reader's language
    data: dict = field(default_factory=dict, compare=False, repr=False)
