"""Our data in LKPP's own columns, per kind: what an import of the same kind reads back unchanged.

The columns and how each is written come from the kind's contract (pengadaan.imports.contracts);
this module adds which rows each person may export.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from opd.models import Opd, User
from pengadaan.exports.base import Column
from pengadaan.imports.contracts import CONTRACTS
from pengadaan.models import JenisPencatatan, PaketRup, Pencatatan, Realisasi, TipePaket


def queryset_for(kind: str, user) -> QuerySet:
    """What `user` may export of `kind` (the one access helper), with what the columns need."""
    match kind:
        case "satker":
            return Opd.objects.visible_to(user).order_by("kd_satker")
        case "rup-penyedia" | "rup-swakelola":
            tipe = TipePaket.PENYEDIA if kind == "rup-penyedia" else TipePaket.SWAKELOLA
            return PaketRup.objects.visible_to(user).filter(tipe_paket=tipe).select_related("opd").order_by("pk")
        case "nontender" | "swakelola":
            jenis = JenisPencatatan.NON_TENDER if kind == "nontender" else JenisPencatatan.SWAKELOLA
            key = CONTRACTS[kind].key[0]  # kd_nontender_pct / kd_swakelola_pct
            # only records SPSE knows (with their SPSE code) can be read back by key
            return (
                Pencatatan.objects.visible_to(user)
                .filter(jenis=jenis, **{f"{key}__isnull": False})
                .select_related("opd")
                .order_by("pk")
            )
        case "nontender-realisasi" | "swakelola-realisasi":
            jenis = JenisPencatatan.NON_TENDER if kind.startswith("nontender") else JenisPencatatan.SWAKELOLA
            key = CONTRACTS[kind].key[0]  # the parent's kd_nontender_pct / kd_swakelola_pct
            return (
                Realisasi.objects.visible_to(user)
                .filter(pencatatan__jenis=jenis, **{f"pencatatan__{key}__isnull": False})
                .select_related("pencatatan", "penyedia")
                .order_by("pk")
            )
        case "users":
            return User.objects.visible_to(user).select_related("opd").order_by("username")
    raise ValueError(kind)


def columns_for(kind: str) -> list[Column]:
    return [Column(c.name, c.read) for c in CONTRACTS[kind].columns]


def rows_for(kind: str, user) -> Iterable[Any]:
    return queryset_for(kind, user).iterator(chunk_size=2000)
