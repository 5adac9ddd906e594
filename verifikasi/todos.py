"""The verifier's task on the home page: last month's people still to verify, against the SOP's deadline."""

import datetime

from django.urls import reverse

from kinerja import services as core
from kinerja.models import EntriKinerja, Pegawai, Role, TahapPeriode
from kinerja.organisasi import is_acting, supervisees
from kinerja.todos import Todo
from silabu.lib.dates import format_bulan, format_tanggal, shift_month

from .models import LaporanBulanan, StatusLaporan
from .services import deadline_for


def _may_verify(pegawai: Pegawai, today: datetime.date) -> bool:
    return pegawai.has_role(Role.KASUBAG) or pegawai.has_role(Role.SEKRETARIS) or is_acting(pegawai, today)


def todos_verifikasi(pegawai: Pegawai, today: datetime.date) -> list[Todo]:
    if not _may_verify(pegawai, today):
        return []
    satker = pegawai.satker
    year, month = shift_month(today.year, today.month, -1)
    if core.periode_tahap(satker, year, month, today=today) != TahapPeriode.VERIFICATION:
        return []
    ids = list(supervisees(pegawai, today).values_list("pk", flat=True))
    verified = LaporanBulanan.objects.filter(
        pegawai_id__in=ids, tahun=year, bulan=month, status=StatusLaporan.TERVERIFIKASI
    ).count()
    if len(ids) == verified:
        return []
    waiting = EntriKinerja.objects.filter(pegawai_id__in=ids).in_month(year, month).pending().count()
    deadline = deadline_for(satker, year, month, today)
    due = format_tanggal(deadline.due, with_day=True)
    if deadline.late:
        when = f"terlambat {-deadline.working_days_left} hari kerja (tenggat {due})"
    else:
        when = f"tenggat {due}, {deadline.working_days_left} hari kerja lagi"
    return [
        Todo(
            judul=f"Verifikasi data kinerja {format_bulan(year, month)}",
            keterangan=f"{len(ids) - verified} dari {len(ids)} pegawai belum diverifikasi, "
            f"{waiting} entri menunggu keputusan · {when}",
            tautan=reverse("verifikasi:antrean") + f"?tahun={year}&bulan={month}",
            mendesak=deadline.working_days_left <= 1,
        )
    ]
