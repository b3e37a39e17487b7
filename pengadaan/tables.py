"""The record list table (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from pengadaan.models import Pencatatan, Status
from spse_tracker.formats import format_rupiah

STATUS_BADGE = {
    Status.DRAFT: "text-bg-secondary",
    Status.BERJALAN: "text-bg-primary",
    Status.SELESAI: "text-bg-success",
    Status.BATAL: "text-bg-dark",
}


def _labels(model, name: str) -> dict[str, str]:
    """A choice field's labels in the active language, by value."""
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


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
    tgl_buat_paket = tables.DateColumn(verbose_name=_("Dicatat"), short=False)  # 5 Des 2026 / Dec. 5, 2026

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
        50 ms a list page may take at a million records (DESIGN §9). Columns as in Meta.sequence.

        Per page, not per row: the choice labels are translated once (get_FOO_display() hashes
        every label of the field, a gettext each, on every call), the detail URL is reversed
        once, and each row is one string whose values are escaped one by one."""
        esc = conditional_escape
        belum = format_html('<span class="badge text-bg-warning">{}</span>', _("belum di SPSE"))
        jenis = _labels(Pencatatan, "jenis")
        status = _labels(Pencatatan, "status")
        detail = reverse("pencatatan_detail", args=[0])[:-2]  # Pencatatan.get_absolute_url without "0/"
        rows = []
        for p in (row.record for row in self.page.object_list):
            kode = str(p.kd_pct) if p.kd_pct else ("–" if p.status == Status.BATAL else belum)
            opd = f"<td>{esc(p.opd)}</td>" if self.show_opd else ""
            badge = f'<span class="badge {esc(STATUS_BADGE[p.status])}">{esc(status.get(p.status, p.status))}</span>'
            rows.append(
                f'<tr><td><a href="{esc(f"{detail}{p.pk}/")}">{esc(p.nama_paket)}</a></td>{opd}'
                f"<td>{esc(jenis.get(p.jenis, p.jenis))}</td>"
                f"<td>{esc(p.tahun_anggaran)}</td>"
                f"<td>{esc(p.kd_rup or '—')}</td>"
                f"<td>{esc(kode)}</td>"
                f'<td class="text-end text-nowrap">{esc(format_rupiah(p.pagu))}</td>'
                f'<td class="text-end text-nowrap">{esc(format_rupiah(p.total_realisasi))}</td>'
                f"<td>{badge}</td>"
                f'<td class="text-nowrap">{esc(date_format(p.tgl_buat_paket))}</td></tr>'
            )
        return mark_safe("\n".join(rows))  # every value above is escaped

    def render_status(self, record: Pencatatan, value):
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGE[record.status], value)

    def render_kd_pct(self, record: Pencatatan):
        if record.kd_pct:
            return str(record.kd_pct)
        if record.status == Status.BATAL:
            return "–"
        return format_html('<span class="badge text-bg-warning">{}</span>', _("belum di SPSE"))
