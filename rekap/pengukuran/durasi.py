"""How long each step of a measurement took against the SOP's standard time (mutu baku), and which open
measurements are late: read only, for the measurement's page, its list and the monitoring board."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from kinerja.kalender import holidays_between, working_days
from kinerja.models import SOP, MutuBaku, Pegawai, Satker
from silabu.lib.dates import format_lama, format_lama_kerja, format_terhadap_mutu

from .models import LangkahPengukuran, Pengukuran, TahapPengukuran
from .periode import label

T = TahapPengukuran
ARSIP = 10  # the archive: SILABU files it with the Sekretaris' approval, in the same act (transition.advance)


def pelaksana(langkah: int, mutu: MutuBaku | None) -> str:
    """Who does a step, as the step table names them: the SOP's actor, except for the archive, which no one
    does by hand (the SOP's "Staf Rendatin" would stand above the Sekretaris who approved it)."""
    if langkah == ARSIP:
        return "Otomatis, bersama persetujuan Sekretaris"
    return mutu.pelaksana if mutu is not None else "—"


@dataclass(frozen=True)
class LangkahNanti:
    """A step still ahead of a measurement, for the step table."""

    langkah: int
    kegiatan: str
    pelaksana: str
    label: str

    @classmethod
    def of(cls, mutu: MutuBaku) -> "LangkahNanti":
        return cls(mutu.langkah, mutu.kegiatan, pelaksana(mutu.langkah, mutu), mutu.label)


@dataclass
class DurasiLangkah:
    langkah: int
    versi: int
    mutu: MutuBaku | None
    mulai: datetime.datetime
    selesai: datetime.datetime | None
    oleh: Pegawai | None
    catatan: str
    menit: int  # wall-clock minutes
    hari_kerja: int  # working days after the day the step started
    terlambat: bool
    # As people say it: a step timed in minutes "1 jam 35 menit", or across days "4 hari kerja 2 jam"
    # (silabu.lib.dates.format_lama_kerja); a step timed in working days, in working days, as it is judged.
    lama: str = ""

    @property
    def pelaksana(self) -> str:
        return pelaksana(self.langkah, self.mutu)

    @property
    def berjalan(self) -> bool:
        return self.selesai is None

    @property
    def per_hari(self) -> bool:
        return self.mutu is not None and bool(self.mutu.hari_kerja)

    @property
    def waktu(self) -> str:
        """The actual duration in working days, hours and minutes: "4 hari kerja 2 jam", "1 jam 35 menit"."""
        return self.lama

    @property
    def batas(self) -> str:
        """The standard: "120 menit", "1 hari kerja"; "—" without one."""
        return self.mutu.label if self.mutu is not None else "—"

    @property
    def waktu_mutu(self) -> str:
        """ "4 hari kerja 2 jam (mutu baku 120 menit)"."""
        return format_terhadap_mutu(self.waktu, self.batas)


def mutu_baku(satker: Satker) -> dict[int, MutuBaku]:
    """The measurement SOP's steps with their standard times for this satker (kinerja.MutuBaku)."""
    return MutuBaku.objects.for_satker(satker, SOP.BONTANG)


def _durasi(
    satker: Satker,
    rows: list[LangkahPengukuran],
    mutu: dict[int, MutuBaku],
    holidays: dict,
    now: datetime.datetime,
) -> list[DurasiLangkah]:
    tz = satker.tz
    result = []
    for row in rows:
        end = row.selesai or now
        minutes = max(0, int((end - row.mulai).total_seconds() // 60))
        start_day, end_day = row.mulai.astimezone(tz).date(), end.astimezone(tz).date()
        days = (
            len(working_days(satker, start_day + datetime.timedelta(days=1), end_day, holidays))
            if end_day > start_day
            else 0
        )
        standard = mutu.get(row.langkah)
        late = standard is not None and standard.exceeded_by(menit=minutes, hari_kerja=days)
        result.append(
            DurasiLangkah(
                langkah=row.langkah,
                versi=row.versi,
                mutu=standard,
                mulai=row.mulai,
                selesai=row.selesai,
                oleh=row.oleh,
                catatan=row.catatan,
                menit=minutes,
                hari_kerja=days,
                terlambat=late,
                lama=(
                    format_lama(days, standard.satuan)
                    if standard is not None and standard.hari_kerja
                    else format_lama_kerja(row.mulai, end, days, tz)
                ),
            )
        )
    return result


def _holidays_for(satker: Satker, rows: Iterable[LangkahPengukuran], now: datetime.datetime) -> dict:
    rows = list(rows)
    if not rows:
        return {}
    tz = satker.tz
    start = min(r.mulai for r in rows).astimezone(tz).date()
    end = max((r.selesai or now) for r in rows).astimezone(tz).date()
    return holidays_between(satker, start, end)


def durasi_semua(
    satker: Satker, measurements: list[Pengukuran], *, now: datetime.datetime | None = None
) -> dict[int, list[DurasiLangkah]]:
    """durasi() for many measurements in three queries (their step rows, the standards, the holidays)."""
    now = now or timezone.now()
    rows: dict[int, list[LangkahPengukuran]] = {p.pk: [] for p in measurements}
    for row in (
        LangkahPengukuran.objects.filter(pengukuran_id__in=list(rows))
        .select_related("oleh")
        .order_by("mulai", "pk")
    ):
        rows[row.pengukuran_id].append(row)
    if not measurements:
        return {}
    mutu = mutu_baku(satker)
    holidays = _holidays_for(satker, (r for group in rows.values() for r in group), now)
    return {pk: _durasi(satker, group, mutu, holidays, now) for pk, group in rows.items()}


def durasi(pengukuran: Pengukuran, *, now: datetime.datetime | None = None) -> list[DurasiLangkah]:
    """Each recorded step (a returned measurement repeats steps 5–9 under the next version): its standard,
    the actual duration (minutes, or working days for day-based standards) and whether it ran late.
    A step still open is measured until `now`."""
    return durasi_semua(pengukuran.satker, [pengukuran], now=now)[pengukuran.pk]


@dataclass
class Keterlambatan:
    pengukuran: Pengukuran
    langkah: DurasiLangkah

    @property
    def periode(self) -> str:
        return label(self.pengukuran)


def terlambat(satker: Satker, *, now: datetime.datetime | None = None) -> list[Keterlambatan]:
    """Monitoring: the measurements whose current step has run past its mutu baku."""
    now = now or timezone.now()
    open_measurements = list(
        Pengukuran.objects.filter(satker=satker).exclude(tahap=T.DISETUJUI).select_related("satker")
    )
    by_pk = durasi_semua(satker, open_measurements, now=now)
    late = []
    for p in open_measurements:
        current = [d for d in by_pk[p.pk] if d.berjalan and d.langkah == p.langkah_sekarang]
        late.extend(Keterlambatan(p, d) for d in current if d.terlambat)
    return late
