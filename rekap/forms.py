"""Rendatin's forms: compile a month (step 4) and record its plenary meeting (steps 5–6).

The forms only shape the input; rekap.services decides what is allowed (a reason when people are unverified,
no meeting in the future, participants from the satker, codes from the snapshot).
"""

from django import forms

from kinerja.models import Pegawai, Satker


class HimpunForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan menghimpun sebelum semua terverifikasi",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "class": "form-control", "aria-describedby": "alasan-bantuan"}
        ),
        help_text="Wajib bila masih ada pegawai yang bulannya belum diverifikasi; dicatat pada rekap.",
    )

    def __init__(self, *args, unverified: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if unverified:
            # A browser hint only: the service refuses a compilation without a reason in any case.
            self.fields["alasan"].widget.attrs["required"] = True


class PegawaiChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Pegawai) -> str:
        return _people_label(obj)


class PesertaField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Pegawai) -> str:
        return _people_label(obj)


def _people_label(p: Pegawai) -> str:
    if p.is_pimpinan:
        return f"{p.nama} (Pimpinan)"
    return f"{p.nama} — {p.jabatan}" if p.jabatan else p.nama


def rapat_people(satker: Satker):
    """Who can chair or attend: the satker's active people, Pimpinan (commissioners) first."""
    return (
        Pegawai.objects.filter(satker=satker)
        .active()
        .select_related("subbagian")
        .order_by("-is_pimpinan", "subbagian__urutan", "nama")
    )


class PlenoForm(forms.Form):
    tanggal = forms.DateField(
        label="Tanggal rapat", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mulai = forms.TimeField(
        label="Mulai", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    selesai = forms.TimeField(
        label="Selesai", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    tempat = forms.CharField(label="Tempat", max_length=200)
    pimpinan_rapat = PegawaiChoiceField(
        label="Pimpinan rapat", queryset=Pegawai.objects.none(), required=False, empty_label="— pilih —"
    )
    peserta = PesertaField(
        label="Peserta", queryset=Pegawai.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    peserta_lain = forms.CharField(
        label="Peserta lain",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Satu nama per baris (tamu, undangan).",
    )
    keputusan = forms.CharField(
        label="Keputusan rapat", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    catatan_umum = forms.CharField(
        label="Catatan umum", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, satker: Satker, **kwargs):
        super().__init__(*args, **kwargs)
        people = rapat_people(satker)
        self.fields["pimpinan_rapat"].queryset = people
        self.fields["peserta"].queryset = people


class CatatanForm(forms.Form):
    """One note of the meeting: for a subbagian and/or an output code of the snapshot, or overall."""

    subbagian = forms.TypedChoiceField(label="Subbagian", required=False, coerce=int, empty_value=None)
    kode_output = forms.ChoiceField(label="Kode output", required=False)
    catatan = forms.CharField(label="Catatan", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    koreksi = forms.CharField(
        label="Koreksi yang disepakati", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, snapshot: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subbagian"].choices = [("", "— semua —")] + [
            (s["id"], s["nama"]) for s in snapshot["subbagian"] if s["id"] is not None
        ]
        self.fields["kode_output"].choices = [("", "— semua —")] + [
            (o["kode"], f"{o['kode']} — {o['uraian']}"[:90]) for o in snapshot["output"]
        ]

    def clean(self):
        # A row without text is ignored whatever its selects say (clearing the text removes a note).
        data = super().clean()
        if data.get("koreksi", "").strip() and not data.get("catatan", "").strip():
            self.add_error("catatan", "Tuliskan catatannya.")
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("catatan", "").strip() or data.get("koreksi", "").strip())


CatatanFormSet = forms.formset_factory(CatatanForm, extra=3, can_delete=False)
