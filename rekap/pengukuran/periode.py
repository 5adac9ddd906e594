"""The periods a measurement is made for and a target is set for: their names, spreadsheet columns and months."""

from silabu.lib.dates import format_bulan, nama_bulan

from .models import JenisPeriode, Pengukuran

ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}

# The per-period targets an indicator may carry, in the order forms and spreadsheets show them.
PERIODS: tuple[tuple[str, int], ...] = (
    *((JenisPeriode.TRIWULAN.value, n) for n in range(1, 5)),
    *((JenisPeriode.SEMESTER.value, n) for n in range(1, 3)),
    *((JenisPeriode.BULAN.value, n) for n in range(1, 13)),
)

MONTHS_PER = {
    JenisPeriode.BULAN: 1,
    JenisPeriode.TRIWULAN: 3,
    JenisPeriode.SEMESTER: 6,
    JenisPeriode.TAHUN: 12,
}


def periode_label(jenis: str, nomor: int, tahun: int | None = None) -> str:
    """As people say it. Of a year: "Oktober 2026", "Triwulan III 2026", "Semester I 2026", "Tahun 2026";
    without the year (a target's period): "Oktober", "Triwulan III", "Semester I", "Tahunan"."""
    if jenis == JenisPeriode.BULAN:
        return format_bulan(tahun, nomor) if tahun else nama_bulan(nomor)
    if jenis in (JenisPeriode.TRIWULAN, JenisPeriode.SEMESTER):
        name = f"{'Triwulan' if jenis == JenisPeriode.TRIWULAN else 'Semester'} {ROMAWI.get(nomor, nomor)}"
        return f"{name} {tahun}" if tahun else name
    return f"Tahun {tahun}" if tahun else "Tahunan"


def label(pengukuran: Pengukuran) -> str:
    """The period of a measurement: "Triwulan I 2026"."""
    return periode_label(pengukuran.jenis_periode, pengukuran.nomor, pengukuran.tahun)


def periode_column(jenis: str, nomor: int) -> str:
    """The spreadsheet column of a period's target: T1..T4, S1, S2, Januari..Desember."""
    if jenis == JenisPeriode.BULAN:
        return nama_bulan(nomor)
    return f"{'T' if jenis == JenisPeriode.TRIWULAN else 'S'}{nomor}"


def period_months(jenis: str, nomor: int) -> list[int]:
    """The months of a period: triwulan 2 → [4, 5, 6]."""
    span = MONTHS_PER[jenis]
    first = (nomor - 1) * span + 1
    return list(range(first, first + span))
