"""Forms of the Admin's calendar pages. They only read input; the rules live in kinerja.kalender_services."""

from django import forms

from .models import JenisKetidakhadiran, JenisLibur, JenisPenjabat, Pegawai, Satker, Subbagian

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
SEKRETARIS = "sekretaris"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), input_formats=DATE_FORMATS, **kwargs)


class PegawaiChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Pegawai) -> str:
        return f"{obj.nama} ({obj.subbagian.singkatan})" if obj.subbagian_id else obj.nama


def active_asn(satker: Satker):
    """The people an absence or an appointment may name: the satker's active civil servants."""
    return Pegawai.objects.active().asn().filter(satker=satker).select_related("subbagian").order_by("nama")


class HariLiburForm(forms.Form):
    tanggal = date_field("Tanggal")
    nama = forms.CharField(label="Keterangan", max_length=150, help_text="Mis. Hari Jadi Kabupaten Kudus.")
    jenis = forms.ChoiceField(label="Jenis", choices=JenisLibur.choices, initial=JenisLibur.LOKAL)


class HariLiburUbahForm(forms.Form):
    nama = forms.CharField(label="Keterangan", max_length=150)
    jenis = forms.ChoiceField(label="Jenis", choices=JenisLibur.choices)


class SeedForm(forms.Form):
    tahun = forms.IntegerField(min_value=2000, max_value=2100)


class KetidakhadiranForm(forms.Form):
    pegawai = PegawaiChoiceField(
        label="Pegawai", queryset=Pegawai.objects.none(), empty_label="— pilih pegawai —"
    )
    jenis = forms.ChoiceField(
        label="Jenis",
        choices=[("", "— pilih jenis —"), *JenisKetidakhadiran.choices],
        help_text="Dinas luar bukan ketidakhadiran: pada hari itu tetap mengisi kinerja.",
    )
    mulai = date_field("Mulai")
    selesai = date_field("Selesai", help_text="Sama dengan tanggal mulai bila hanya satu hari.")
    keterangan = forms.CharField(
        label="Keterangan",
        max_length=255,
        required=False,
        help_text="Mis. nomor surat cuti atau alasan izin.",
    )

    def __init__(self, *args, satker: Satker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pegawai"].queryset = active_asn(satker)


class PenjabatForm(forms.Form):
    jabatan = forms.ChoiceField(label="Jabatan yang dijabat sementara")
    pegawai = PegawaiChoiceField(
        label="Pegawai yang ditunjuk", queryset=Pegawai.objects.none(), empty_label="— pilih pegawai —"
    )
    jenis = forms.ChoiceField(label="Jenis", choices=JenisPenjabat.choices, initial=JenisPenjabat.PLH)
    mulai = date_field("Mulai")
    selesai = date_field("Selesai")
    nomor_sk = forms.CharField(label="Nomor surat perintah", max_length=100, required=False)

    def __init__(self, *args, satker: Satker, **kwargs):
        super().__init__(*args, **kwargs)
        self.subbagian = {
            str(s.pk): s for s in Subbagian.objects.filter(satker=satker).order_by("urutan", "nama")
        }
        self.fields["jabatan"].choices = [
            ("", "— pilih jabatan —"),
            (SEKRETARIS, "Sekretaris"),
            *((pk, f"Kepala {s.nama}") for pk, s in self.subbagian.items()),
        ]
        self.fields["pegawai"].queryset = active_asn(satker)

    def clean_jabatan(self) -> Subbagian | None:
        """The post as the service wants it: a Subbagian, or None for the Sekretaris post."""
        value = self.cleaned_data["jabatan"]
        return None if value == SEKRETARIS else self.subbagian[value]
