"""The measurement steps that wait for someone: per open measurement the step due, its actor and whether that is
this person (the measurement list's to-do, and the home page's)."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse

from kinerja.models import Pegawai
from kinerja.todos import Todo

from .models import FormDataKinerja, Pengukuran, TahapPengukuran
from .periode import label
from .policy import is_kasubag_rendatin, is_rendatin, is_sekretaris, sees_all, subbagian_ids

T = TahapPengukuran

LANGKAH_TUGAS = {
    T.KONSEP: (
        "Kasubag Rendatin",
        "Susun konsep Form Data Kinerja: pilih indikator per subbagian",
        "kasubag",
    ),
    T.FORM: ("Staf Rendatin", "Terbitkan Form Data Kinerja untuk setiap subbagian", "rendatin"),
    T.PENGUKURAN: ("Staf Rendatin", "Ukur capaian kinerja", "rendatin"),
    T.REKAP: ("Staf Rendatin", "Periksa rekap per sasaran/program/kegiatan, lalu tandai selesai", "rendatin"),
    T.DRAF: ("Staf Rendatin", "Laporkan draf hasil pengukuran ke Kasubag Rendatin", "rendatin"),
    T.PEMERIKSAAN: ("Kasubag Rendatin", "Periksa hasil pengukuran dan kirim ke Sekretaris", "kasubag"),
    T.PERSETUJUAN: ("Sekretaris", "Setujui atau kembalikan hasil pengukuran", "sekretaris"),
}
_ACTOR_CHECK = {"kasubag": is_kasubag_rendatin, "rendatin": is_rendatin, "sekretaris": is_sekretaris}


@dataclass
class Tugas:
    """The step a measurement waits for, who does it, and whether that is this person."""

    pengukuran: Pengukuran
    langkah: int
    tindakan: str
    pelaksana: str
    saya: bool
    form: FormDataKinerja | None = None

    @property
    def periode(self) -> str:
        return label(self.pengukuran)


def todo(pegawai: Pegawai) -> list[Tugas]:
    """Per open measurement this person may see, the step due and whether they are its actor; during step 4
    one task per form of their subbagian still to hand in. Their own tasks first. A fixed number of queries."""
    satker = pegawai.satker
    everything = sees_all(pegawai, satker)
    mine = subbagian_ids(pegawai)
    if not everything and not mine:
        return []
    forms = FormDataKinerja.objects.select_related("subbagian").order_by("subbagian__urutan", "pk")
    measurements = (
        Pengukuran.objects.filter(satker=satker)
        .exclude(tahap=T.DISETUJUI)
        .select_related("satker")
        .prefetch_related(Prefetch("form_set", queryset=forms))
        .order_by("-tahun", "disposisi_pada", "pk")
    )
    checks = {key: check(pegawai, satker) for key, check in _ACTOR_CHECK.items()}
    tasks: list[Tugas] = []
    for p in measurements:
        all_forms = list(p.form_set.all())
        my_forms = [f for f in all_forms if f.subbagian_id in mine and f.diterbitkan_pada is not None]
        if everything or my_forms:
            tasks += _tasks_of(p, all_forms, my_forms, checks)
    tasks.sort(key=lambda t: not t.saya)
    return tasks


def _tasks_of(p: Pengukuran, all_forms: list, my_forms: list, checks: dict[str, bool]) -> list[Tugas]:
    if p.tahap != T.PENGUMPULAN:
        pelaksana, tindakan, actor = LANGKAH_TUGAS[p.tahap]
        if p.tahap == T.PENGUKURAN and p.versi > 1:
            tindakan = f"Perbaiki pengukuran (versi {p.versi}) sesuai catatan Sekretaris"
        return [Tugas(p, p.langkah_sekarang, tindakan, pelaksana, checks[actor])]
    # Step 4: a task per form of theirs still to hand in, and Rendatin's collecting them.
    tasks = [
        Tugas(p, 4, f"Isi dan serahkan Form Data Kinerja {f.subbagian.nama}", f.subbagian.nama, True, f)
        for f in my_forms
        if f.diserahkan_pada is None
    ]
    done = sum(1 for f in all_forms if f.diserahkan_pada is not None)
    collect = f"Kumpulkan form data kinerja: {done} dari {len(all_forms)} form diserahkan"
    tasks.append(Tugas(p, 4, collect, "Staf Rendatin / subbagian", checks["rendatin"]))
    return tasks


def todos_pengukuran(pegawai: Pegawai, today: datetime.date) -> list[Todo]:
    """The home page's list: this person's own measurement tasks, each linking to where it is done."""
    tasks = []
    for t in todo(pegawai):
        if not t.saya:
            continue
        if t.form is not None:
            tautan = reverse("pengukuran:form", args=[t.pengukuran.pk, t.form.pk])
        else:
            tautan = reverse("pengukuran:detail", args=[t.pengukuran.pk])
        tasks.append(
            Todo(
                judul=t.tindakan,
                keterangan=f"Pengukuran kinerja {t.periode} · langkah {t.langkah} SOP",
                tautan=tautan,
            )
        )
    return tasks
