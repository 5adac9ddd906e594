"""Rendatin's forms: compile a month (step 4) and record its plenary meeting (steps 5–6).

The forms only shape the input; rekap.services decides what is allowed (a reason when people are unverified,
no meeting in the future, participants from the satker, codes from the snapshot).
"""

from dataclasses import dataclass, field

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
    # In the picker each person sits under their group (Pimpinan, Sekretariat, a subbagian): name and post.
    def label_from_instance(self, obj: Pegawai) -> str:
        return f"{obj.nama} — {obj.jabatan}" if obj.jabatan else obj.nama


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


def attendee_group(p: Pegawai) -> tuple[tuple, str, str]:
    """Where a person sits in the plenary's list of attendees: (order, key, label). The Pimpinan (commissioners)
    first, then the Sekretariat (the Sekretaris and anyone outside a subbagian), then each subbagian in its
    order."""
    if p.is_pimpinan:
        return (0, 0), "pimpinan", "Pimpinan"
    if p.subbagian_id is None:
        return (1, 0), "sekretariat", "Sekretariat"
    return (2, p.subbagian.urutan, p.subbagian_id), f"subbagian-{p.subbagian_id}", p.subbagian.nama


@dataclass
class PesertaGroup:
    key: str
    label: str
    options: list = field(default_factory=list)  # the field's checkboxes (BoundWidget)


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
        label="Peserta",
        queryset=Pegawai.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
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

    def peserta_groups(self) -> list[PesertaGroup]:
        """The attendees' checkboxes by group (attendee_group), for the grouped picker."""
        groups: dict[str, tuple[tuple, PesertaGroup]] = {}
        for checkbox in self["peserta"]:
            order, key, label = attendee_group(checkbox.data["value"].instance)
            groups.setdefault(key, (order, PesertaGroup(key, label)))[1].options.append(checkbox)
        return [group for _, group in sorted(groups.values(), key=lambda item: item[0])]


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
