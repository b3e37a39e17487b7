"""The record list table (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
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

    def rows_html(self) -> str:
        """The rows of this page, written here: django-tables2 renders each cell through
        introspection and a template takes as long again, which cost more than the whole
        50 ms a list page may take at a million records (DESIGN §9). Columns as in Meta.sequence."""
        belum = format_html('<span class="badge text-bg-warning">{}</span>', _("belum di SPSE"))
        rows = []
        for p in (row.record for row in self.page.object_list):
            kode = str(p.kd_pct) if p.kd_pct else ("–" if p.status == Status.BATAL else belum)
            cells = [
                format_html('<td><a href="{}">{}</a></td>', p.get_absolute_url(), p.nama_paket),
                format_html("<td>{}</td>", p.opd) if self.show_opd else "",
                format_html("<td>{}</td>", p.get_jenis_display()),
                format_html("<td>{}</td>", p.tahun_anggaran),
                format_html("<td>{}</td>", p.kd_rup or "—"),
                format_html("<td>{}</td>", kode),
                format_html('<td class="text-end text-nowrap">{}</td>', format_rupiah(p.pagu)),
                format_html('<td class="text-end text-nowrap">{}</td>', format_rupiah(p.total_realisasi)),
                format_html(
                    '<td><span class="badge {}">{}</span></td>', STATUS_BADGE[p.status], p.get_status_display()
                ),
                format_html("<td>{}</td>", f"{p.tgl_buat_paket:%d/%m/%Y}"),
            ]
            rows.append(format_html("<tr>" + "{}" * len(cells) + "</tr>", *cells))
        return format_html_join("\n", "{}", ((row,) for row in rows))

    def render_status(self, record: Pencatatan, value):
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGE[record.status], value)

    def render_kd_pct(self, record: Pencatatan):
        if record.kd_pct:
            return str(record.kd_pct)
        if record.status == Status.BATAL:
            return "–"
        return format_html('<span class="badge text-bg-warning">{}</span>', _("belum di SPSE"))
