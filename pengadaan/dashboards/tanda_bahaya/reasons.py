"""The reason of each red flag, written in the reader's language from what its rule stored (`Temuan.data`):
a stored flag is shown in Indonesian or English alike. One function per rule, named after it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pengadaan.models import JenisPengadaan
from spse_tracker.formats import format_npwp, format_rupiah


def _d(value) -> Decimal:
    return Decimal(str(value))


def _kategori_label(kategori: str) -> str:
    return str(JenisPengadaan(kategori).label)


def alasan_pemecahan(d: dict) -> str:
    return _(
        "%(n)d pencatatan Pengadaan Langsung %(kategori)s dengan penyedia %(nama)s (NPWP %(npwp)s) "
        "masing-masing tidak melebihi batas %(batas)s, tetapi jumlah pagunya %(total)s melebihi batas tersebut."
    ) % {
        "n": d["n"],
        "kategori": _kategori_label(d["kategori"]),
        "nama": d["nama"],
        "npwp": format_npwp(d["npwp"]),
        "batas": format_rupiah(_d(d["batas"])),
        "total": format_rupiah(_d(d["total"])),
    }


def alasan_pl(d: dict) -> str:
    return _("Pagu %(pagu)s melebihi batas Pengadaan Langsung %(kategori)s %(batas)s.") % {
        "pagu": format_rupiah(_d(d["pagu"])),
        "kategori": _kategori_label(d["kategori"]),
        "batas": format_rupiah(_d(d["batas"])),
    }


def alasan_melebihi_pagu(d: dict) -> str:
    total, pagu = _d(d["total"]), _d(d["pagu"])
    return _("Total realisasi %(total)s melebihi pagu %(pagu)s (selisih %(selisih)s).") % {
        "total": format_rupiah(total),
        "pagu": format_rupiah(pagu),
        "selisih": format_rupiah(total - pagu),
    }


def alasan_terlambat(d: dict) -> str:
    return ngettext(
        "%(n)d dari %(total)d realisasi OPD ini (%(persen)s%%) dicatat lebih dari %(batas)d hari setelah tanggal "
        "realisasinya; tanda ini muncul bila lebih dari %(porsi)s%%. Paling lambat: %(hari)s hari.",
        "%(n)d dari %(total)d realisasi OPD ini (%(persen)s%%) dicatat lebih dari %(batas)d hari setelah tanggal "
        "realisasinya; tanda ini muncul bila lebih dari %(porsi)s%%. Paling lambat: %(hari)s hari.",
        d["total"],
    ) % {
        "n": d["n"],
        "total": d["total"],
        "persen": number_format(Decimal(d["persen"])),
        "porsi": number_format(Decimal(d["porsi"])),
        "batas": d["batas"],
        "hari": ", ".join(str(h) for h in d["hari"]),
    }


def alasan_selesai(d: dict) -> str:
    return _("Berstatus Selesai tetapi belum memiliki realisasi (pagu %(pagu)s).") % {
        "pagu": format_rupiah(_d(d["pagu"]))
    }


def alasan_ganda(d: dict) -> str:
    return _("%(n)d pencatatan aktif dengan kode RUP %(kd_rup)s dan pagu %(pagu)s yang sama.") % {
        "n": d["n"],
        "kd_rup": d["kd_rup"],
        "pagu": format_rupiah(_d(d["pagu"])),
    }


def alasan_lewat_selesai(d: dict) -> str:
    return _("Masih Berjalan %(hari)d hari setelah tanggal selesai kontrak %(tanggal)s (batas %(batas)d hari).") % {
        "hari": d["hari"],
        "tanggal": date_format(date.fromisoformat(d["tanggal"])),
        "batas": d["batas"],
    }


def alasan_pdn_umk(d: dict) -> str:
    labels = {"PDN": _("PDN"), "UMK": _("UMK")}
    templates = {
        "realisasi": _("nilai %(label)s %(nilai)s melebihi total realisasi %(acuan)s"),
        "pagu": _("nilai %(label)s %(nilai)s melebihi pagu %(acuan)s (belum ada realisasi)"),
        "persen": _(
            "nilai %(label)s tepat %(nilai)s padahal total realisasi %(acuan)s "
            "(kemungkinan persen diketik di kolom Rupiah)"
        ),
    }
    alasan = "; ".join(
        templates[kind] % {"label": labels[label], "nilai": format_rupiah(_d(nilai)), "acuan": format_rupiah(_d(acuan))}
        for kind, label, nilai, acuan in d["bagian"]
    )
    return alasan[:1].upper() + alasan[1:] + "."


def alasan_bukti(d: dict) -> str:
    parts = []
    if d["n_pembelian"]:
        parts.append(
            _("%(n)d bukti pembelian untuk pembayaran di atas %(batas)s (terbesar %(nilai)s)")
            % {
                "n": d["n_pembelian"],
                "batas": format_rupiah(_d(d["batas_pembelian"])),
                "nilai": format_rupiah(_d(d["max_pembelian"])),
            }
        )
    if d["n_kuitansi"]:
        parts.append(
            _("%(n)d kuitansi untuk pembayaran di atas %(batas)s (terbesar %(nilai)s)")
            % {
                "n": d["n_kuitansi"],
                "batas": format_rupiah(_d(d["batas_kuitansi"])),
                "nilai": format_rupiah(_d(d["max_kuitansi"])),
            }
        )
    return "; ".join(parts) + "."
