"""Forms of the pencatatan screens. They collect and check input; the services decide and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.models import Opd, Peran, User
from pengadaan import selectors, services
from pengadaan.cleaning import normalize_npwp
from pengadaan.imports import contracts
from pengadaan.imports.values._common import CellError
from pengadaan.imports.values.money import parse_money
from pengadaan.models import JenisPencatatan, MetodePemilihan, PaketRup, Pencatatan, Realisasi, Status
from spse_tracker.formats import format_npwp, format_rupiah

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def not_negative(form: forms.BaseForm, *names: str) -> None:
    """Refuse a negative amount on the field itself: the database constraint behind it would otherwise answer
    with Django's message naming the constraint (“pencatatan_pagu_tidak_negatif”), in no one's language."""
    for name in names:
        if name in form.fields:
            form.fields[name].validators.append(MinValueValidator(0))
            form.fields[name].widget.attrs.setdefault("min", "0")


# the fields only one kind has: those of only one kind's column contract (LKPP's own split)
_NON_TENDER = {c.field for c in contracts.NONTENDER.columns}
_SWAKELOLA = {c.field for c in contracts.SWAKELOLA.columns}
NON_TENDER_ONLY = tuple(f for f in services.PENCATATAN_FIELDS if f in _NON_TENDER - _SWAKELOLA)
SWAKELOLA_ONLY = tuple(f for f in services.PENCATATAN_FIELDS if f in _SWAKELOLA - _NON_TENDER)


def rupiah_text(value: Decimal | int) -> str:
    """An amount as a person types it in an Indonesian form: `1.450.200`, or `1.450.200,50` with sen."""
    text = format_rupiah(abs(value)).removeprefix("Rp ")
    return "-" + text if value < 0 else text


class RupiahInput(forms.TextInput):
    """A text input for Rupiah: `inputmode` brings up the digits on a phone, js/rupiah.js groups the thousands
    as the person leaves the field (the server parses whatever shape comes, and shows it grouped again)."""

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "data-rupiah": "", **(attrs or {})})


class RupiahField(forms.DecimalField):
    """Money typed the Indonesian way: `1.450.200`, `1450200`, `1.450.200,50` (the import's own parser,
    `imports.values.money.parse_money`, so a form and a file read amounts alike), shown as `1.450.200`."""

    widget = RupiahInput

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip()
        try:
            return parse_money(value)
        except CellError as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return rupiah_text(value)
        return value


class PaketRupPicker(forms.CheckboxSelectMultiple):
    """The RUP packages as checkboxes; each carries its name and pagu for js/rup-picker.js, which filters the
    list as the person types and fills the record's name and pagu from the choice."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        paket = getattr(value, "instance", None)
        if paket is not None:
            option["paket"] = paket
            option["attrs"].update(
                {"class": "form-check-input", "data-nama": paket.nama_paket, "data-pagu": f"{paket.pagu:f}"}
            )
        return option


class PaketChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PaketRup) -> str:
        label = f"{obj.kd_rup} — {obj.nama_paket} ({format_rupiah(obj.pagu)})"
        return f"{label} · {_('sudah dicatat')}" if getattr(obj, "sudah_dicatat", False) else label


class ServiceValidatedForm(forms.ModelForm):
    """A model form whose model validation (field checks against the database, rules that read other rows,
    constraints, uniqueness) is left to the service that saves: the services call full_clean under the
    record's lock anyway, and running it here as well cost a record save about twenty queries. The
    service's ValidationError comes back onto this form (the views add it with add_error)."""

    def _post_clean(self) -> None:
        opts = self._meta
        self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)


class PencatatanForm(ServiceValidatedForm):
    paket_rup = PaketChoiceField(
        queryset=PaketRup.objects.none(),
        label=_("Paket RUP"),
        help_text=_(
            "Pilih satu atau lebih paket RUP OPD ini (jenis dan tahun yang sama). Paket yang belum dicatat "
            "ditampilkan lebih dulu. Ketik kode atau nama untuk menyaring daftar."
        ),
        widget=PaketRupPicker,
    )
    versi = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Pencatatan
        fields = list(services.PENCATATAN_FIELDS)
        field_classes = {"pagu": RupiahField, "nilai_pdn_pct": RupiahField, "nilai_umk_pct": RupiahField}
        widgets = {
            "tgl_mulai_paket": DATE,
            "tgl_selesai_paket": DATE,
            "uraian_pekerjaan": forms.Textarea(attrs={"rows": 3}),
            "informasi_lainnya": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, opd: Opd, jenis: str, tahun: int, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is None:
            kwargs["instance"] = Pencatatan(
                opd=opd, jenis=jenis, tahun_anggaran=tahun, status=Status.DRAFT, tgl_buat_paket=timezone.localdate()
            )
        super().__init__(*args, **kwargs)
        linked = list(self.instance.paket_rup.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["paket_rup"].queryset = selectors.rup_choices(opd=opd, jenis=jenis, tahun=tahun, include=linked)
        if self.instance.pk:
            self.initial.setdefault("paket_rup", linked)
            self.initial["versi"] = self.instance.versi
        people = User.objects.filter(opd=opd, is_active=True).order_by("nama")
        self.fields["ppk"].queryset = people.filter(peran=Peran.PPK)
        self.fields["pptk"].queryset = people.filter(peran=Peran.PPTK)
        self.fields["pagu"].required = False
        not_negative(self, "pagu", "nilai_pdn_pct", "nilai_umk_pct")
        drop = SWAKELOLA_ONLY if jenis == JenisPencatatan.NON_TENDER else NON_TENDER_ONLY
        for name in drop:
            del self.fields[name]
        if jenis == JenisPencatatan.NON_TENDER:
            self.fields["mtd_pemilihan"].required = True
            self.fields["kategori_pengadaan"].required = True
        else:
            self.fields["tipe_swakelola"].required = True
        if self.instance.pk is None and not self.is_bound:
            self._prefill_from_paket()

    def _prefill_from_paket(self) -> None:
        """A new record opened with packages chosen (`?paket=`, the "Catat" buttons) starts with their name,
        pagu, method, category and swakelola type; the person may change them before saving."""
        chosen = self.initial.get("paket_rup") or []
        ids = [int(pk) for pk in chosen if str(pk).isdigit()]
        packages = list(self.fields["paket_rup"].queryset.filter(pk__in=ids)) if ids else []
        if not packages:
            return
        first = packages[0]
        # the new record's blank values are in `initial` already (ModelForm): the package's replace them
        self.initial["nama_paket"] = first.nama_paket
        self.initial["pagu"] = sum((p.pagu for p in packages), start=Decimal("0"))
        metode = _METODE.get(first.metode_pengadaan.lower())
        if metode and "mtd_pemilihan" in self.fields:
            self.initial["mtd_pemilihan"] = metode
        if first.jenis_pengadaan and "kategori_pengadaan" in self.fields:
            self.initial["kategori_pengadaan"] = first.jenis_pengadaan
        if first.tipe_swakelola and "tipe_swakelola" in self.fields:
            self.initial["tipe_swakelola"] = first.tipe_swakelola

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("paket_rup", "versi")}


# SiRUP's method (free text) → the record's choice; SiRUP also writes "Pengecualian" for Dikecualikan
_METODE = {m.value.lower(): m.value for m in MetodePemilihan} | {"pengecualian": MetodePemilihan.DIKECUALIKAN.value}


class RealisasiForm(ServiceValidatedForm):
    nama_penyedia = forms.CharField(
        label=_("Nama penyedia/pelaksana"), max_length=255, required=False, help_text=_("Misalnya CV Maju Jaya.")
    )
    npwp_penyedia = forms.CharField(
        label=_("NPWP penyedia/pelaksana"),
        max_length=30,
        required=False,
        help_text=_("15 atau 16 angka; boleh dengan titik dan tanda hubung."),
    )
    berkas = forms.FileField(
        label=_("Bukti (PDF/JPG/PNG)"),
        required=False,
        help_text=_("Kuitansi, bukti pembelian, SPK, dsb. Ukuran maksimal sesuai pengaturan (bawaan 5 MB)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    class Meta:
        model = Realisasi
        fields = list(services.REALISASI_FIELDS)
        field_classes = {"nilai_realisasi": RupiahField}
        widgets = {"tgl_realisasi": DATE, "ket_realisasi": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, pencatatan: Pencatatan, **kwargs: Any) -> None:
        if kwargs.get("instance") is None:
            kwargs["instance"] = Realisasi(pencatatan=pencatatan, tgl_dicatat=timezone.localdate())
        super().__init__(*args, **kwargs)
        penyedia = self.instance.penyedia if self.instance.pk else None
        if penyedia is not None:
            self.initial.setdefault("nama_penyedia", penyedia.nama)
            self.initial.setdefault("npwp_penyedia", format_npwp(penyedia.npwp) if penyedia.npwp else "")
        if self.instance.pk:
            del self.fields["berkas"]
        # SPSE publishes payments without a number (DESIGN §4), which imports keep; a person gives one
        self.fields["no_realisasi"].required = True
        self.fields["tgl_realisasi"].widget.attrs["max"] = timezone.localdate().isoformat()
        not_negative(self, "nilai_realisasi")

    def clean_npwp_penyedia(self) -> str:
        """Digits only, checked here so that a wrong NPWP is refused at its field (the service normalises too)."""
        return normalize_npwp(self.cleaned_data["npwp_penyedia"]) or ""

    def service_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    alasan = forms.CharField(
        label=_("Alasan pembatalan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib untuk pembatalan, misalnya: paket tercatat ganda."),
    )


class BuktiForm(forms.Form):
    berkas = forms.FileField(label=_("Bukti (PDF/JPG/PNG)"))
