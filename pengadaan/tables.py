"""The record list table (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from opd.templatetags.format_id import format_rupiah
from pengadaan.models import Pencatatan, Status

STATUS_BADGE = {
    Status.DRAFT: "text-bg-secondary",
    Status.BERJALAN: "text-bg-primary",
    Status.SELESAI: "text-bg-success",
    Status.BATAL: "text-bg-dark",
}


class RupiahColumn(tables.Column):
    attrs = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}

    def render(self, value):
        return format_rupiah(value)


class PencatatanTable(tables.Table):
    nama_paket = tables.Column(verbose_name=_("Nama paket"), linkify=True)
    opd = tables.Column(verbose_name=_("OPD"), order_by=("opd__nama_satker",))
    jenis = tables.Column(verbose_name=_("Jenis"))
    tahun_anggaran = tables.Column(verbose_name=_("Tahun"), localize=False)
    kd_rup = tables.Column(verbose_name=_("Kode RUP"), orderable=False)
    kd_pct = tables.Column(verbose_name=_("Kode SPSE"), empty_values=(), orderable=False, localize=False)
    pagu = RupiahColumn(verbose_name=_("Pagu"))
    total_realisasi = RupiahColumn(verbose_name=_("Realisasi"))
    status = tables.Column(verbose_name=_("Status"))
    tgl_buat_paket = tables.DateColumn(verbose_name=_("Dicatat"), format="d/m/Y")

    class Meta:
        model = Pencatatan
        fields = ()
        sequence = (
            "nama_paket",
            "opd",
            "jenis",
            "tahun_anggaran",
            "kd_rup",
            "kd_pct",
            "pagu",
            "total_realisasi",
            "status",
            "tgl_buat_paket",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = ("-tgl_buat_paket",)
        template_name = "pengadaan/partials/pencatatan_table.html"
        empty_text = _("Belum ada pencatatan yang sesuai dengan filter.")

    def __init__(self, *args, show_opd: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs, exclude=() if show_opd else ("opd",))
        self.show_opd = show_opd

    def render_status(self, record: Pencatatan, value):
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGE[record.status], value)

    def render_kd_pct(self, record: Pencatatan):
        if record.kd_pct:
            return str(record.kd_pct)
        if record.status == Status.BATAL:
            return "–"
        return format_html('<span class="badge text-bg-warning">{}</span>', _("belum di SPSE"))
