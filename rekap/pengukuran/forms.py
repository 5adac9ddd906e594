"""Forms of the measurement and framework pages. They read what people type (numbers through
silabu.lib.numbers); the rules live in the services and in kerangka.data (the checks the spreadsheet import runs
too), whose messages the forms show."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import Q

from kinerja.models import KodeOutput, Satker, Subbagian
from silabu.lib import numbers

from . import kerangka
from .kerangka import IndikatorData, Target
from .models import (
    PERIODE_NOMOR_MAX,
    Arah,
    AturanRealisasi,
    Indikator,
    JenisPeriode,
    JenisTarget,
    Kegiatan,
)
from .periode import PERIODS, periode_label


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


class FormDataImporForm(forms.Form):
    berkas = forms.FileField(label="Berkas XLSX Form Data Kinerja")


class CatatanForm(forms.Form):
    catatan = forms.CharField(
        label="Catatan", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- the framework -------------------------------------------------------------------------------------------

SPREADSHEET_ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class TargetAngkaField(AngkaField):
    """A number of the framework: at most two decimals, as the framework stores them."""

    default_error_messages = {"invalid": "Tulis angka, mis. 80 atau 82,5."}

    def __init__(self, **kwargs):
        super().__init__(places=2, **kwargs)


class TargetField(forms.Field):
    """A period's target: one number, or a range such as 80-90 for an indicator with a range target."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 40})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return kerangka.parse_target((value or "").strip()[:40])
        except numbers.NumberError:
            raise forms.ValidationError("Tulis angka (mis. 80) atau rentang (mis. 80-90).") from None

    def prepare_value(self, value):
        return value.teks() if isinstance(value, Target) else value


class KelompokForm(forms.Form):
    """A sasaran, program or kegiatan: its code, text and place in the list."""

    kode = forms.CharField(label="Kode", max_length=40, help_text="Mis. S1, P1.1, K1.1.1.")
    uraian = forms.CharField(label="Uraian", widget=forms.Textarea(attrs={"rows": 3}))
    urutan = forms.IntegerField(
        label="Urutan", min_value=0, max_value=10000, required=False, help_text="Kosong: di akhir daftar."
    )


class KodeOutputChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: KodeOutput) -> str:
        suffix = "" if obj.aktif else " (nonaktif)"
        return f"{obj.label_pilihan}{suffix}"


class KegiatanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Kegiatan) -> str:
        return f"{obj.program.sasaran.kode} › {obj.program.kode} › {obj.kode} {obj.uraian}"


def period_field_name(jenis: str, nomor: int) -> str:
    return f"target_{jenis}_{nomor}"


class IndikatorForm(forms.Form):
    kegiatan = KegiatanChoiceField(label="Kegiatan", queryset=Kegiatan.objects.none(), empty_label=None)
    kode = forms.CharField(label="Kode indikator", max_length=40, help_text="Unik dalam satu tahun.")
    uraian = forms.CharField(label="Indikator kinerja", widget=forms.Textarea(attrs={"rows": 2}))
    satuan = forms.CharField(label="Satuan", max_length=40, help_text="Mis. persen, dokumen, kegiatan.")
    arah = forms.ChoiceField(label="Arah", choices=Arah.choices, initial=Arah.NAIK)
    jenis_target = forms.ChoiceField(
        label="Jenis target",
        choices=JenisTarget.choices,
        initial=JenisTarget.TUNGGAL,
        widget=forms.RadioSelect,
    )
    target_tahunan = TargetAngkaField(label="Target tahunan", help_text="Untuk target angka tunggal.")
    target_bawah = TargetAngkaField(label="Batas bawah tahunan", help_text="Untuk target rentang.")
    target_atas = TargetAngkaField(label="Batas atas tahunan", help_text="Untuk target rentang.")
    subbagian = forms.ModelChoiceField(
        label="Penanggung jawab", queryset=Subbagian.objects.none(), empty_label="— pilih subbagian —"
    )
    kode_output = KodeOutputChoiceField(
        label="Kode output yang ditautkan",
        queryset=KodeOutput.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Entri kinerja terverifikasi dengan kode ini menjadi usulan realisasi.",
    )
    aturan_realisasi = forms.ChoiceField(
        label="Realisasi dari", choices=AturanRealisasi.choices, initial=AturanRealisasi.MANUAL
    )
    satuan_volume = forms.CharField(
        label="Satuan volume",
        max_length=40,
        required=False,
        help_text="Untuk jumlah volume: satuan entri yang dijumlah, mis. dokumen.",
    )
    aktif = forms.BooleanField(
        label="Aktif",
        required=False,
        initial=True,
        help_text="Indikator nonaktif tidak dipakai di pengukuran baru.",
    )

    def __init__(self, *args, satker: Satker, tahun: int, indikator: Indikator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.satker, self.tahun = satker, tahun
        self.fields["kegiatan"].queryset = (
            Kegiatan.objects.filter(program__sasaran__satker=satker, program__sasaran__tahun=tahun)
            .select_related("program__sasaran")
            .order_by(
                "program__sasaran__urutan", "program__sasaran__kode", "program__urutan", "urutan", "kode"
            )
        )
        self.fields["subbagian"].queryset = Subbagian.objects.filter(satker=satker).order_by("urutan", "nama")
        linked = Q(pk__in=indikator.kode_output.values("pk")) if indikator is not None else Q(pk__in=[])
        # Realisation counts the entries that carry a linked code, so only codes an entry can carry are offered.
        entry_codes = Q(pk__in=KodeOutput.objects.active().selectable_for(satker).values("pk"))
        self.fields["kode_output"].queryset = (
            KodeOutput.objects.for_satker(satker, tahun)
            .filter(entry_codes | linked)
            .with_path()
            .order_by("kode")
        )
        for jenis, nomor in PERIODS:
            self.fields[period_field_name(jenis, nomor)] = TargetField(label=periode_label(jenis, nomor))

    @classmethod
    def initial_for(cls, indikator: Indikator) -> dict:
        data = kerangka.data_of(indikator)
        initial = {
            "kegiatan": indikator.kegiatan_id,
            "kode": data.kode,
            "uraian": data.uraian,
            "satuan": data.satuan,
            "arah": data.arah,
            "jenis_target": data.jenis_target,
            "target_tahunan": kerangka.num_text(data.tahunan.nilai),
            "target_bawah": kerangka.num_text(data.tahunan.bawah),
            "target_atas": kerangka.num_text(data.tahunan.atas),
            "subbagian": indikator.subbagian_id,
            "kode_output": [k.pk for k in data.kode_output],
            "aturan_realisasi": data.aturan_realisasi,
            "satuan_volume": data.satuan_volume,
            "aktif": data.aktif,
        }
        for key, target in data.targets.items():
            initial[period_field_name(*key)] = target
        return initial

    @property
    def period_fields(self):
        return [self[period_field_name(jenis, nomor)] for jenis, nomor in PERIODS]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        rentang = cleaned["jenis_target"] == JenisTarget.RENTANG
        tahunan = (
            Target(bawah=cleaned["target_bawah"], atas=cleaned["target_atas"])
            if rentang
            else Target(nilai=cleaned["target_tahunan"])
        )
        self.indikator_data = IndikatorData(
            kode=cleaned["kode"],
            uraian=cleaned["uraian"],
            satuan=cleaned["satuan"],
            subbagian=cleaned["subbagian"],
            arah=cleaned["arah"],
            jenis_target=cleaned["jenis_target"],
            tahunan=tahunan,
            targets={key: cleaned[period_field_name(*key)] for key in PERIODS},
            kode_output=list(cleaned["kode_output"]),
            aturan_realisasi=cleaned["aturan_realisasi"],
            satuan_volume=cleaned["satuan_volume"],
            aktif=cleaned["aktif"],
        )
        kerangka.normalise(self.indikator_data)
        for message in kerangka.indikator_errors(self.indikator_data, satker=self.satker, tahun=self.tahun):
            self.add_error(None, message)
        return cleaned


class SalinForm(forms.Form):
    dari = forms.TypedChoiceField(label="Salin dari tahun", coerce=int)
    ke = forms.IntegerField(label="Ke tahun", min_value=kerangka.TAHUN_MIN, max_value=kerangka.TAHUN_MAX)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dari"].choices = [(y, str(y)) for y in sorted(years, reverse=True)]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("dari") is not None and cleaned.get("dari") == cleaned.get("ke"):
            self.add_error("ke", "Tahun tujuan harus berbeda dari tahun asal.")
        return cleaned


class KerangkaImporForm(forms.Form):
    tahun = forms.IntegerField(label="Tahun", min_value=kerangka.TAHUN_MIN, max_value=kerangka.TAHUN_MAX)
    berkas = forms.FileField(
        label="Berkas XLSX atau CSV",
        widget=forms.ClearableFileInput(attrs={"accept": SPREADSHEET_ACCEPT}),
        help_text=f"Lembar pertama XLSX, atau CSV; maks. {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB.",
    )
