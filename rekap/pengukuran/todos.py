"""The measurement steps that wait for this person, on the home page."""

import datetime

from django.urls import reverse

from kinerja.models import Pegawai
from kinerja.todos import Todo

from . import services


def todos_pengukuran(pegawai: Pegawai, today: datetime.date) -> list[Todo]:
    tasks = []
    for t in services.todo(pegawai):
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
