"""Demo: a plausible history for Bontang's measurements. The services stamp every step "now"; these helpers move
the stamps (steps, versions, forms and their audit rows) back to office hours on working days, so the mutu baku
board shows real durations, some of them late."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType

from kinerja.kalender import working_days
from kinerja.models import AuditLog, Satker
from rekap.pengukuran.models import FormDataKinerja, LangkahPengukuran, Pengukuran, VersiPengukuran
from silabu.lib.dates import shift_month

if TYPE_CHECKING:
    from demo.pengukuran import Periods

# Office minutes each step took (against the mutu baku: 10, 20, 120, 120, 1 day, 180, 60, 90, 30 minutes).
ON_TIME = {1: 10, 2: 15, 3: 105, 4: 110, 5: 400, 6: 160, 7: 45, 8: 75, 9: 25, 10: 0}
LATE = {1: 12, 2: 35, 3: 150, 4: 95, 5: 2 * 480 + 180, 6: 170, 7: 55, 8: 80, 9: 28, 10: 0}
OFFICE_OPENS, OFFICE_CLOSES = datetime.time(8, 0), datetime.time(16, 0)
OFFICE_DAY = 480


class OfficeClock:
    """Office hours (08:00–16:00 local) on the satker's working days, to lay steps out as people work."""

    def __init__(self, satker: Satker, around: datetime.datetime):
        tz = satker.tz
        first = around.astimezone(tz).date() - datetime.timedelta(days=7)
        self.tz = tz
        self.days = working_days(satker, first, first + datetime.timedelta(days=120))

    def _open(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, OFFICE_OPENS, self.tz)

    def _close(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, OFFICE_CLOSES, self.tz)

    def next_day(self, moment: datetime.datetime) -> datetime.datetime:
        day = moment.astimezone(self.tz).date()
        return self._open(next(d for d in self.days if d > day))

    def start(self, moment: datetime.datetime, minutes: int) -> datetime.datetime:
        """When a step of `minutes` begins: now if it fits in today's office hours, else the next morning."""
        local = moment.astimezone(self.tz)
        if local.date() not in self.days or local >= self._close(local.date()):
            return self.next_day(local)
        local = max(local, self._open(local.date()))
        fits = local + datetime.timedelta(minutes=minutes) <= self._close(local.date())
        return local if fits or minutes > OFFICE_DAY else self.next_day(local)

    def add(self, moment: datetime.datetime, minutes: int) -> datetime.datetime:
        """`moment` plus this many office minutes."""
        local = moment.astimezone(self.tz)
        while True:
            left = (self._close(local.date()) - local).total_seconds() / 60
            if minutes <= left:
                return local + datetime.timedelta(minutes=minutes)
            minutes -= max(0, left)
            local = self.next_day(local)


def _start_of(satker: Satker, year: int, month: int, nth: int = 2) -> datetime.datetime:
    """08:30 local time on the nth working day of a month."""
    first = datetime.date(year, month, 1)
    days = working_days(satker, first, first + datetime.timedelta(days=20))
    return datetime.datetime.combine(days[min(nth, len(days) - 1)], datetime.time(8, 30), satker.tz)


def retime(p: Pengukuran, start: datetime.datetime, minutes: dict[int, int]) -> datetime.datetime:
    """Lay the measurement's steps out from `start` with these durations in office hours; returns the end."""
    rows = list(LangkahPengukuran.objects.filter(pengukuran=p).order_by("id"))
    clock = OfficeClock(p.satker, start)
    cursor = start
    closed = []
    for row in rows:
        if row.selesai is None:
            row.mulai = cursor
            continue
        # A step that would not fit in today's office hours is picked up the next morning.
        row.mulai = cursor = clock.start(cursor, minutes[row.langkah])
        row.selesai = cursor = clock.add(cursor, minutes[row.langkah])
        closed.append(row)
    LangkahPengukuran.objects.bulk_update(rows, ["mulai", "selesai"])
    Pengukuran.objects.filter(pk=p.pk).update(disposisi_pada=start)
    step = {}
    for row in closed:
        step.setdefault((row.langkah, row.versi), row)
    for versi in VersiPengukuran.objects.filter(pengukuran=p):
        VersiPengukuran.objects.filter(pk=versi.pk).update(pada=step[(9, versi.versi)].selesai)
    issued = step.get((3, 1))
    collecting = next((r for r in rows if r.langkah == 4), None)
    forms = list(FormDataKinerja.objects.filter(pengukuran=p).order_by("pk"))
    if issued is not None:
        FormDataKinerja.objects.filter(pengukuran=p).update(diterbitkan_pada=issued.selesai)
    if collecting is not None:
        # Forms come in one after another during step 4 (every 30 minutes while it is still open).
        gap = minutes[4] / (len(forms) + 1) if collecting.selesai else 30
        for i, form in enumerate(forms, start=1):
            if form.diserahkan_pada is not None:
                form.diserahkan_pada = clock.add(collecting.mulai, round(gap * i))
        FormDataKinerja.objects.bulk_update(forms, ["diserahkan_pada"])
    # The audit trail follows: one row per transition, in the order the steps closed.
    logs = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Pengukuran), object_id=p.pk
    ).order_by("id")
    transitions = [r for r in closed if r.langkah != 10]
    for log, row in zip(logs, transitions, strict=False):
        AuditLog.objects.filter(pk=log.pk).update(waktu=row.selesai)
    form_logs = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(FormDataKinerja), object_id__in=[f.pk for f in forms]
    )
    when = {f.pk: f.diserahkan_pada or (collecting.mulai if collecting else start) for f in forms}
    for log in form_logs:
        AuditLog.objects.filter(pk=log.pk).update(waktu=when[log.object_id])
    return cursor


def backdate(
    satker: Satker, measured: dict[str, Pengukuran], periods: Periods, now: datetime.datetime
) -> None:
    """A quarter's measurement starts on the third working day after the quarter (at least two weeks ago);
    the month's started this afternoon, or yesterday afternoon when the office is closed now."""
    latest = now - datetime.timedelta(days=14)

    def after(year: int, quarter: int) -> datetime.datetime:
        return min(_start_of(satker, *shift_month(year, quarter * 3, 1)), latest)

    retime(measured["disetujui"], after(*periods.disetujui), ON_TIME)
    retime(measured["dikembalikan"], after(*periods.dikembalikan), LATE)
    clock = OfficeClock(satker, now)
    month_start = now - datetime.timedelta(minutes=150)
    if clock.start(month_start, 120) != month_start.astimezone(satker.tz):
        today = now.astimezone(satker.tz).date()
        previous = max(d for d in clock.days if d < today)
        month_start = datetime.datetime.combine(previous, datetime.time(13, 0), satker.tz)
    retime(measured["bulan"], month_start, {1: 10, 2: 20, 3: 90, 4: 0})
