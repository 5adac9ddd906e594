"""Forms of the measurement pages. They parse what people type; the rules live in services."""

import datetime
from decimal import Decimal

from django import forms

from silabu.lib import numbers

from .models import PERIODE_NOMOR_MAX, JenisPeriode


class AngkaField(forms.Field):
    """A number as people type it: 12, 12,5, 1.250,5 or 12.5 (silabu.lib.numbers). With `places`, more decimals
    than that are refused; without, the service rounds. The sign and range are the service's to judge."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": "Masukkan angka, mis. 12 atau 12,5.",
        "too_long": "Angka terlalu panjang.",
    }
    max_length = 30

    def __init__(self, *, places: int | None = None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.places = places
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "maxlength": str(self.max_length)}
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        text = str(value)
        if len(text) > self.max_length:
            raise forms.ValidationError(self.error_messages["too_long"], code="too_long")
        try:
            return numbers.parse_decimal(text, places=self.places)
        except numbers.NumberError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return numbers.indonesian(value) if isinstance(value, Decimal) else value


class DisposisiForm(forms.Form):
    tahun = forms.IntegerField(label="Tahun", min_value=2000, max_value=2100)
    jenis_periode = forms.ChoiceField(label="Jenis periode", choices=JenisPeriode.choices)
    nomor = forms.IntegerField(
        label="Periode ke-",
        min_value=1,
        max_value=12,
        help_text="Bulan 1–12, triwulan 1–4, semester 1–2, tahun 1.",
    )
    instruksi = forms.CharField(
        label="Instruksi untuk Kasubag Rendatin",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tahun"].initial = datetime.date.today().year
        self.fields["jenis_periode"].initial = JenisPeriode.TRIWULAN
        self.fields["nomor"].initial = 1

    def clean(self):
        data = super().clean()
        jenis, nomor = data.get("jenis_periode"), data.get("nomor")
        if jenis in PERIODE_NOMOR_MAX and nomor is not None and nomor > PERIODE_NOMOR_MAX[jenis]:
            self.add_error(
                "nomor",
                f"Periode {JenisPeriode(jenis).label.lower()} hanya bernomor 1 sampai {PERIODE_NOMOR_MAX[jenis]}.",
            )
        return data


class IsianBarisForm(forms.Form):
    """One row of a Form Data Kinerja (prefix: the row's id)."""

    realisasi = AngkaField(label="Realisasi")
    keterangan = forms.CharField(
        label="Keterangan", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    bukti = forms.FileField(label="Bukti dukung", required=False)


class ManualForm(forms.Form):
    """The manual capaian of one row in step 5 (prefix: the row's id)."""

    capaian = AngkaField(label="Capaian manual (%)")
    alasan = forms.CharField(label="Alasan", required=False, max_length=2000)


class ImporForm(forms.Form):
    berkas = forms.FileField(label="Berkas XLSX Form Data Kinerja")


class CatatanForm(forms.Form):
    catatan = forms.CharField(
        label="Catatan", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
