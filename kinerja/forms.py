from itertools import zip_longest

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from .evidence import ALLOWED_KINDS, device_capture_time
from .models import EntriKinerja, JenisBukti, KodeOutput, Pegawai
from .services import ENTRY_FIELDS, kode_output_refusal

DOCUMENT_ACCEPT = ".pdf,.docx,.xlsx,.pptx,.odt,.ods,image/*"


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="NIP atau nama pengguna",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "inputmode": "text"}),
    )
    password = forms.CharField(
        label="Kata sandi",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "NIP/nama pengguna atau kata sandi salah.",
        "inactive": "Akun ini tidak aktif.",
    }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class KodeOutputChoiceField(forms.ModelChoiceField):
    """The entry's code, each option named with its path (read with the choices, in one query)."""

    def label_from_instance(self, obj: KodeOutput) -> str:
        return obj.label_pilihan


class EntriForm(forms.ModelForm):
    kode_output = KodeOutputChoiceField(
        queryset=KodeOutput.objects.none(),
        label="Kode output/kegiatan",
        empty_label="— pilih kode output —",
    )
    foto = MultipleFileField(
        label="Ambil foto",
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text="Langsung dari kamera ponsel.",
    )
    berkas = MultipleFileField(
        label="Unggah berkas",
        widget=MultipleFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
        help_text=f"{ALLOWED_KINDS.capitalize()}; maks. {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB per berkas.",
    )
    jenis_berkas = forms.ChoiceField(
        label="Jenis bukti untuk berkas dokumen",
        choices=[(JenisBukti.DOKUMEN, "Dokumen"), (JenisBukti.LAPORAN, "Laporan")],
        initial=JenisBukti.DOKUMEN,
        required=False,
    )

    class Meta:
        model = EntriKinerja
        fields = list(ENTRY_FIELDS)  # the fields the entry services write, named once
        widgets = {
            "tanggal": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "jam_mulai": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "jam_selesai": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "output_hasil": forms.Textarea(attrs={"rows": 3}),
            "volume": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0.01"}),
            "satuan": forms.TextInput(attrs={"list": "satuan-umum", "autocomplete": "off"}),
            "nama_kegiatan": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, pegawai: Pegawai, years: tuple[int, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.pegawai = pegawai
        codes = KodeOutput.objects.none()
        for year in years:
            codes = codes | KodeOutput.objects.usable_by(pegawai, year)
        self.fields["kode_output"].queryset = codes.with_path().order_by("-tahun", "kode")
        self.fields["kode_output"].error_messages["invalid_choice"] = kode_output_refusal(pegawai.satker)
        self.fields["tanggal"].input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
        # The phone shrinks photos to the size the server keeps before it sends or queues them (static/js/entri.js).
        for name in ("foto", "berkas"):
            self.fields[name].widget.attrs["data-sisi-panjang"] = settings.EVIDENCE_IMAGE_LONG_SIDE

    def files_with_capture_times(self, field: str) -> list:
        """(upload, capture time or None) for each file of `field`: the phone sends the times it read, in the
        files' order, as waktu_<field>."""
        uploads = self.cleaned_data.get(field) or []
        times = self.data.getlist(f"waktu_{field}")[: len(uploads)] if hasattr(self.data, "getlist") else []
        tz = self.pegawai.satker.tz
        return [
            (upload, device_capture_time(t, tz)) for upload, t in zip_longest(uploads, times, fillvalue="")
        ]

    def clean(self):
        data = super().clean()
        tanggal, kode = data.get("tanggal"), data.get("kode_output")
        if tanggal and kode and kode.tahun != tanggal.year:
            self.add_error(
                "kode_output", f"Kode ini untuk tahun {kode.tahun}; pilih kode tahun {tanggal.year}."
            )
        mulai, selesai = data.get("jam_mulai"), data.get("jam_selesai")
        if mulai and selesai and selesai < mulai:
            self.add_error("jam_selesai", "Jam selesai tidak boleh sebelum jam mulai.")
        files = list(data.get("foto") or []) + list(data.get("berkas") or [])
        if len(files) > settings.EVIDENCE_MAX_FILES:
            self.add_error("berkas", f"Paling banyak {settings.EVIDENCE_MAX_FILES} berkas sekali simpan.")
        return data
