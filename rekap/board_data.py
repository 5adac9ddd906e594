"""The monitoring board's data (rekap.board): some months of one year read in a fixed number of queries, whatever
the number of people or months, and each person's month summed up from the rows read.

The calendar rules of kinerja (the verification window, completeness) are applied here to rows read once; the
board's tests check that they agree with kinerja's own per-month functions.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from kinerja.kalender import _build_summary
from kinerja.models import EntriKinerja, HariLibur, Ketidakhadiran, Periode, Satker, StatusEntri
from kinerja.services import VerificationWindow, verification_window
from silabu.lib.dates import days_between, month_bounds
from verifikasi.models import LaporanBulanan, StatusLaporan

from . import snapshot
from .models import RapatPleno, RekapBulanan


@dataclass
class PersonMonth:
    verified: bool = False
    verified_on: datetime.date | None = None
    pending: int = 0  # entries still waiting for a decision (diajukan) or for the owner's fix (dikembalikan)
    returned: int = 0
    completeness: float | None = None


@dataclass
class Group:
    """People of a month (all, or one subbagian's), summed up."""

    people: int = 0
    verified: int = 0
    pending: int = 0
    returned: int = 0
    last_verified: datetime.date | None = None
    completeness: list = field(default_factory=list)

    def add(self, pm: PersonMonth) -> None:
        self.people += 1
        self.pending += pm.pending
        self.returned += pm.returned
        self.completeness.append(pm.completeness)
        if pm.verified:
            self.verified += 1
            if pm.verified_on and (self.last_verified is None or pm.verified_on > self.last_verified):
                self.last_verified = pm.verified_on

    @property
    def all_verified(self) -> bool:
        return self.people > 0 and self.verified == self.people

    @property
    def average(self) -> float | None:
        known = [c for c in self.completeness if c is not None]
        return round(sum(known) / len(known), 1) if known else None


class YearData:
    """Everything the board needs for some months of one year, in a fixed number of queries."""

    def __init__(self, satker: Satker, year: int, months: list[int], today: datetime.date):
        self.satker, self.year, self.months, self.today = satker, year, months, today
        self.start, self.end = month_bounds(year, months[0])[0], month_bounds(year, months[-1])[1]
        self.people = list(snapshot.people_to_verify(satker))
        self.recorded = dict(
            Periode.objects.filter(satker=satker, tahun=year, bulan__in=months).values_list("bulan", "tahap")
        )
        self.laporan = self._laporan()
        entries = EntriKinerja.objects.filter(satker=satker).in_months(year, months)
        self.decisions = entries.annotate(bulan=ExtractMonth("tanggal")).status_counts("pegawai_id", "bulan")
        self.entry_days = self._entry_days(entries)
        self.leave = self._leave()
        self.rekap = self._rekap()
        self.pleno = self._pleno()
        self.holidays = self._holidays()

    def _local_day(self, moment: datetime.datetime | None) -> datetime.date | None:
        return moment.astimezone(self.satker.tz).date() if moment else None

    def _laporan(self) -> dict[tuple[int, int], tuple[str, datetime.date | None]]:
        """{(pegawai_id, month): (status, the day it was verified)}"""
        rows = LaporanBulanan.objects.filter(
            satker=self.satker, tahun=self.year, bulan__in=self.months
        ).values_list("pegawai_id", "bulan", "status", "diverifikasi_pada")
        return {(pegawai_id, bulan): (status, self._local_day(at)) for pegawai_id, bulan, status, at in rows}

    @staticmethod
    def _entry_days(entries) -> dict[int, dict]:
        """{pegawai_id: {day: (entries, all of them late)}}: the input of kinerja.kalender's month summary."""
        days: dict[int, dict] = defaultdict(dict)
        for row in (
            entries.order_by()
            .values("pegawai_id", "tanggal")
            .annotate(n=Count("id"), on_time=Count("id", filter=Q(filled_late=False)))
        ):
            days[row["pegawai_id"]][row["tanggal"]] = (row["n"], row["on_time"] == 0)
        return days

    def _leave(self) -> dict[int, dict]:
        ids = {p.pk for p in self.people}
        leave: dict[int, dict] = defaultdict(dict)
        for row in Ketidakhadiran.objects.filter(
            pegawai__satker=self.satker, mulai__lte=self.end, selesai__gte=self.start
        ).order_by("mulai"):
            if row.pegawai_id in ids:
                for day in days_between(max(row.mulai, self.start), min(row.selesai, self.end)):
                    leave[row.pegawai_id][day] = row.get_jenis_display()
        return leave

    def _rekap(self) -> dict[int, dict]:
        rekap = {
            row["bulan"]: row
            for row in RekapBulanan.objects.filter(
                satker=self.satker, tahun=self.year, bulan__in=self.months
            ).values(
                "bulan",
                "dihimpun_pada",
                "jumlah_pegawai",
                "jumlah_terverifikasi",
                "alasan_belum_lengkap",
                "data__total__kelengkapan",
                "data__belum_terverifikasi",
            )
        }
        for row in rekap.values():
            row["dihimpun_on"] = self._local_day(row["dihimpun_pada"])
        return rekap

    def _pleno(self) -> dict[int, dict]:
        pleno = {
            row["rekap__bulan"]: row
            for row in RapatPleno.objects.filter(
                rekap__satker=self.satker, rekap__tahun=self.year, rekap__bulan__in=self.months
            ).values("rekap__bulan", "tanggal", "mulai", "selesai", "difinalisasi_pada")
        }
        for row in pleno.values():
            row["final_on"] = self._local_day(row["difinalisasi_pada"])
        return pleno

    def _holidays(self) -> dict[datetime.date, str]:
        """One read of the calendar covers every window and every step, however late a step came."""
        events = [self.today, self.end + datetime.timedelta(days=60)]
        events += [on for _, on in self.laporan.values() if on]
        events += [r["dihimpun_on"] for r in self.rekap.values()]
        events += [d for r in self.pleno.values() for d in (r["tanggal"], r["final_on"]) if d]
        return dict(
            HariLibur.objects.filter(
                satker=self.satker, tanggal__range=(self.start, max(events))
            ).values_list("tanggal", "nama")
        )

    def person_month(self, pegawai_id: int, month: int) -> PersonMonth:
        status, on = self.laporan.get((pegawai_id, month), (StatusLaporan.BELUM, None))
        decisions = self.decisions[pegawai_id, month]
        start, end = month_bounds(self.year, month)
        summary = _build_summary(
            self.year,
            month,
            start,
            end,
            self.today,
            self.holidays,
            self.leave.get(pegawai_id, {}),
            self.entry_days.get(pegawai_id, {}),
        )
        return PersonMonth(
            verified=status == StatusLaporan.TERVERIFIKASI,
            verified_on=on if status == StatusLaporan.TERVERIFIKASI else None,
            pending=decisions[StatusEntri.DIAJUKAN] + decisions[StatusEntri.DIKEMBALIKAN],
            returned=decisions[StatusEntri.DIKEMBALIKAN],
            completeness=summary.completeness,
        )

    def window(self, month: int) -> VerificationWindow:
        return verification_window(self.satker, self.year, month, self.holidays)

    def group(self, month: int, people: list | None = None) -> Group:
        """The people of a month (everyone by default) summed up, from the rows read."""
        group = Group()
        for p in self.people if people is None else people:
            group.add(self.person_month(p.pk, month))
        return group
