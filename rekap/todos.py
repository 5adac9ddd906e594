"""Rendatin's tasks on the home page: the months to compile, to take to the plenary and to finalise."""

import datetime

from django.urls import reverse

from kinerja import services as core
from kinerja.models import Pegawai, Periode, Role, TahapPeriode
from kinerja.todos import Todo
from silabu.lib.dates import format_bulan, shift_month

from .services import unverified_people

NEXT_STEP = {
    TahapPeriode.COMPILED: (
        "Catat hasil rapat pleno {label}",
        "Data sudah dihimpun; bahan rapat pleno siap.",
    ),
    TahapPeriode.PLENO: ("Finalisasi hasil rapat pleno {label}", "Rapat pleno sudah dicatat, belum final."),
}


def todos_rekap(pegawai: Pegawai, today: datetime.date) -> list[Todo]:
    if not pegawai.has_role(Role.RENDATIN):
        return []
    satker = pegawai.satker
    tasks = []
    year, month = shift_month(today.year, today.month, -1)
    if core.periode_tahap(
        satker, year, month, today=today
    ) == TahapPeriode.VERIFICATION and not core.before_start(
        year, month, start=core.satker_start(satker), today=today
    ):  # a month before the office's first record has nothing to follow
        label = format_bulan(year, month)
        left = len(unverified_people(satker, year, month))
        tasks.append(
            Todo(
                judul=f"Himpun data kinerja {label}" if not left else f"Pantau verifikasi {label}",
                keterangan="Semua pegawai sudah diverifikasi; data siap dihimpun."
                if not left
                else f"{left} pegawai belum diverifikasi; himpun setelah semuanya terverifikasi.",
                tautan=reverse("rekap:bulan", args=[year, month]),
            )
        )
    for periode in Periode.objects.filter(satker=satker, tahap__in=NEXT_STEP).order_by("tahun", "bulan"):
        judul, keterangan = NEXT_STEP[periode.tahap]
        tasks.append(
            Todo(
                judul=judul.format(label=format_bulan(periode.tahun, periode.bulan)),
                keterangan=keterangan,
                tautan=reverse("rekap:pleno", args=[periode.tahun, periode.bulan]),
            )
        )
    return tasks
