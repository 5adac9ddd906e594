"""Reporting periods as people name them: "Oktober 2026", "Triwulan III 2026", "Semester I 2026", "Tahun 2026".

A period is a kind and a number within the year: (BULAN, 10), (TRIWULAN, 3), (SEMESTER, 1), (TAHUN, 1). The
kinds are the values of the measurement's JenisPeriode; the Laporan Kinerja's codes (T1 … S2, TAHUN) map onto
the same pairs, so every label of a period in SILABU comes from here.
"""

from .dates import nama_bulan

BULAN, TRIWULAN, SEMESTER, TAHUN = "bulan", "triwulan", "semester", "tahun"
KINDS = (BULAN, TRIWULAN, SEMESTER, TAHUN)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MONTHS_PER = {BULAN: 1, TRIWULAN: 3, SEMESTER: 6, TAHUN: 12}


def period_name(kind: str, number: int) -> str:
    """The period without its year: "Oktober", "Triwulan III", "Semester I", "Tahun"."""
    if kind == BULAN:
        return nama_bulan(number)
    if kind == TRIWULAN:
        return f"Triwulan {ROMAN.get(number, number)}"
    if kind == SEMESTER:
        return f"Semester {ROMAN.get(number, number)}"
    return "Tahun"


def period_label(kind: str, number: int, year: int) -> str:
    """The period with its year: "Oktober 2026", "Triwulan III 2026", "Semester I 2026", "Tahun 2026"."""
    return f"{period_name(kind, number)} {year}"


def month_label(year: int, month: int, stage: str | None = None) -> str:
    """A month as people read it, with its stage when one is named: "September 2026", "September 2026 (Final)".
    Every message, page and document naming a month (and its stage) uses this, never "09/2026" or "tahap: final"."""
    label = period_label(BULAN, month, year)
    return f"{label} ({stage})" if stage else label


def period_months(kind: str, number: int) -> tuple[int, ...]:
    """The months (1–12) a period covers: (TRIWULAN, 3) is July to September."""
    size = MONTHS_PER[kind]
    if kind == TAHUN:
        number = 1
    first = (number - 1) * size + 1
    return tuple(range(first, first + size))
