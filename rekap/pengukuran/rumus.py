"""The measurement formulas of DESIGN.md §3 (Bontang SOP step 5), pure and exact (Decimal).

- higher is better: realisasi / target × 100
- lower is better: (2 × target − realisasi) / target × 100, floored at 0
- a range target [bawah, atas]: 100 inside; for higher-is-better, above it realisasi / atas × 100 and below it
  realisasi / bawah × 100; mirrored for lower-is-better: below it (better) (2 × bawah − realisasi) / bawah × 100,
  above it (worse) (2 × atas − realisasi) / atas × 100, floored at 0.
- capaian above 100 is kept as measured; it is rounded half-up to two decimals.
- the category is the band of the satker's scale with the highest minimum that the capaian reaches; the default
  scale: ≥ 91 Sangat Baik, 76–90 Baik, 66–75 Cukup, 51–65 Kurang, ≤ 50 Sangat Kurang. A capaian between two
  integer bounds (90.5) belongs to the lower band, as the scale's minimums say (91 is the first Sangat Baik).

The XLSX worksheet writes the same formulas as live Excel formulas (rekap/pengukuran/documents/kertas_kerja.py); a test
recomputes them and compares with these.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kinerja.errors import DomainError

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
NAIK = "naik"
TURUN = "turun"


class RumusError(DomainError):
    """The formula cannot give a capaian for these numbers; the message says why and what to do."""


@dataclass(frozen=True)
class Kategori:
    nama: str
    minimum: Decimal


DEFAULT_SKALA = (
    Kategori("Sangat Baik", Decimal(91)),
    Kategori("Baik", Decimal(76)),
    Kategori("Cukup", Decimal(66)),
    Kategori("Kurang", Decimal(51)),
    Kategori("Sangat Kurang", Decimal("-Infinity")),
)


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _check(name: str, value: Decimal | None) -> Decimal:
    if value is None:
        raise RumusError(f"{name} belum diisi.")
    value = Decimal(value)
    if not value.is_finite():
        raise RumusError(f"{name} bukan angka.")
    if value < 0:
        raise RumusError(f"{name} tidak boleh negatif ({value}).")
    return value


def _higher(realisasi: Decimal, target: Decimal) -> Decimal:
    return realisasi / target * HUNDRED


def _lower(realisasi: Decimal, target: Decimal) -> Decimal:
    return max(Decimal(0), (2 * target - realisasi) / target * HUNDRED)


def capaian(
    *,
    arah: str,
    realisasi: Decimal | None,
    target: Decimal | None = None,
    bawah: Decimal | None = None,
    atas: Decimal | None = None,
) -> Decimal:
    """The achievement in percent, rounded to two decimals. Raises RumusError with the reason when it cannot."""
    if arah not in (NAIK, TURUN):
        raise RumusError(f"Arah indikator tidak dikenal: {arah}.")
    realisasi = _check("Realisasi", realisasi)
    if bawah is not None or atas is not None:
        bawah, atas = _check("Batas bawah target", bawah), _check("Batas atas target", atas)
        if bawah > atas:
            raise RumusError(f"Batas bawah target ({bawah}) lebih besar dari batas atasnya ({atas}).")
        if bawah <= realisasi <= atas:
            return _round(HUNDRED)
        bound = atas if realisasi > atas else bawah
        if bound == 0:
            raise RumusError(
                "Batas target 0: capaian tidak dapat dihitung; isi capaian manual dengan alasannya."
            )
        return _round(_higher(realisasi, bound) if arah == NAIK else _lower(realisasi, bound))
    target = _check("Target", target)
    if target == 0:
        raise RumusError(
            "Target 0: capaian tidak dapat dihitung dengan rumus; isi capaian manual dengan alasannya."
        )
    return _round(_higher(realisasi, target) if arah == NAIK else _lower(realisasi, target))


def kategori(nilai: Decimal | None, skala=DEFAULT_SKALA) -> str:
    """The band of the scale that this capaian reaches ("" when there is no capaian)."""
    if nilai is None:
        return ""
    for band in sorted(skala, key=lambda k: k.minimum, reverse=True):
        if nilai >= band.minimum:
            return band.nama
    return sorted(skala, key=lambda k: k.minimum)[0].nama
