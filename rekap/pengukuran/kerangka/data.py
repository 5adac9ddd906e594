"""What an indicator is, as a form or a spreadsheet row says it (IndikatorData, Target), and every rule it must
meet (indikator_errors): the page and the import check the same rules and show the same messages."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja.errors import DomainError
from kinerja.models import KodeOutput, Satker, Subbagian
from silabu.lib import numbers
from silabu.lib.numbers import parse_decimal

from ..models import Arah, AturanRealisasi, JenisTarget
from ..periode import periode_label

TAHUN_MIN, TAHUN_MAX = 2000, 2100
TARGET_MAX = Decimal("999999999999.99")  # max_digits=14, decimal_places=2


class KerangkaDitolak(DomainError):
    """A framework change broke a rule; the message says which and what to do."""


def check_tahun(tahun: int) -> None:
    if not TAHUN_MIN <= tahun <= TAHUN_MAX:
        raise KerangkaDitolak(f"Tahun {tahun} tidak masuk akal.")


# --- the data of an indicator ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One target: a single number (tunggal) or a range [bawah, atas] (rentang)."""

    nilai: Decimal | None = None
    bawah: Decimal | None = None
    atas: Decimal | None = None

    @property
    def kosong(self) -> bool:
        return self.nilai is None and self.bawah is None and self.atas is None

    def teks(self) -> str:
        """As typed in a form or a spreadsheet cell: 80, 82.5 or 80-90."""
        if self.bawah is not None or self.atas is not None:
            return f"{num_text(self.bawah)}-{num_text(self.atas)}"
        return num_text(self.nilai)

    @property
    def tampil(self) -> str:
        """As shown on a page: 82,5 or 80–90 (Indonesian decimal comma)."""
        if self.bawah is not None or self.atas is not None:
            return f"{num_text(self.bawah)}–{num_text(self.atas)}".replace(".", ",")
        return num_text(self.nilai).replace(".", ",")


num_text = numbers.plain


@dataclass
class IndikatorData:
    """What a form or a spreadsheet row says an indicator is; checked by `indikator_errors`."""

    kode: str
    uraian: str
    satuan: str
    subbagian: Subbagian | None
    arah: str = Arah.NAIK
    jenis_target: str = JenisTarget.TUNGGAL
    tahunan: Target = field(default_factory=Target)
    targets: dict[tuple[str, int], Target] = field(default_factory=dict)  # only the periods with a target
    kode_output: list[KodeOutput] = field(default_factory=list)
    aturan_realisasi: str = AturanRealisasi.MANUAL
    satuan_volume: str = ""
    aktif: bool = True


# --- numbers as people type them ---------------------------------------------------------------------------

_NUMBER = r"[0-9][0-9.,]*"
_RANGE_RE = re.compile(
    rf"^({_NUMBER})\s*(?:-|–|—|s\.?\s*d\.?|sampai(?:\s+dengan)?)\s*({_NUMBER})$", re.IGNORECASE
)


def angka_reason(error: numbers.NumberError) -> str:
    """What is wrong with a target cell, after the column's name: "… bukan angka yang valid: {reason}"."""
    if isinstance(error, numbers.TooPrecise):
        return f"{error.value} (paling banyak dua angka di belakang koma)"
    if isinstance(error, numbers.AboveMaximum):
        return f"{error.value} (terlalu besar)"
    return str(error.value)


def parse_target(value) -> Target:
    """A target cell: empty, one number, or a range written "80-90", "80 – 90" or "80 s.d. 90".
    Raises silabu.lib.numbers.NumberError for what is not a number with at most two decimals."""
    if isinstance(value, str):
        match = _RANGE_RE.match(value.strip().replace("%", ""))
        if match:
            return Target(bawah=parse_decimal(match.group(1)), atas=parse_decimal(match.group(2)))
    return Target(nilai=parse_decimal(value))


def _target_errors(label: str, target: Target, jenis_target: str, *, required: bool) -> list[str]:
    errors = []
    if target.kosong:
        if required:
            if jenis_target == JenisTarget.RENTANG:
                errors.append(f"{label}: batas bawah dan batas atas wajib diisi untuk target rentang.")
            else:
                errors.append(f"{label} wajib diisi.")
        return errors
    if jenis_target == JenisTarget.RENTANG:
        if target.nilai is not None:
            errors.append(f"{label}: indikator bertarget rentang; tulis batas bawah dan atas (mis. 80-90).")
            return errors
        if target.bawah is None or target.atas is None:
            errors.append(f"{label}: batas bawah dan batas atas wajib diisi keduanya.")
            return errors
    elif target.nilai is None:
        errors.append(f"{label}: rentang hanya untuk indikator bertarget rentang; tulis satu angka.")
        return errors
    for name, value in (("", target.nilai), (" batas bawah", target.bawah), (" batas atas", target.atas)):
        if value is not None and value < 0:
            errors.append(f"{label}{name} tidak boleh negatif ({num_text(value)}).")
        elif value is not None and value > TARGET_MAX:
            errors.append(f"{label}{name} terlalu besar ({num_text(value)}).")
    if target.bawah is not None and target.atas is not None and target.bawah > target.atas:
        errors.append(
            f"{label}: batas bawah ({num_text(target.bawah)}) lebih besar dari batas atas "
            f"({num_text(target.atas)})."
        )
    return errors


def indikator_errors(data: IndikatorData, *, satker: Satker, tahun: int) -> list[str]:
    """Every rule an indicator must meet, as messages (empty when it is fine). Codes are checked by callers."""
    errors = []
    if not data.kode:
        errors.append("Kode indikator wajib diisi.")
    elif len(data.kode) > 40:
        errors.append(f"Kode indikator terlalu panjang ({len(data.kode)} karakter; maksimal 40).")
    if not data.uraian:
        errors.append("Uraian indikator wajib diisi.")
    if not data.satuan:
        errors.append("Satuan wajib diisi.")
    elif len(data.satuan) > 40:
        errors.append("Satuan terlalu panjang (maksimal 40 karakter).")
    if data.arah not in Arah.values:
        errors.append(f"Arah {data.arah!r} tidak dikenal.")
    if data.jenis_target not in JenisTarget.values:
        errors.append(f"Jenis target {data.jenis_target!r} tidak dikenal.")
        return errors
    if data.subbagian is None:
        errors.append("Subbagian penanggung jawab wajib diisi.")
    elif data.subbagian.satker_id != satker.pk:
        errors.append("Subbagian penanggung jawab bukan dari satker ini.")
    errors += _target_errors("Target tahunan", data.tahunan, data.jenis_target, required=True)
    for (jenis, nomor), target in data.targets.items():
        label = f"Target {periode_label(jenis, nomor)}"
        errors += _target_errors(label, target, data.jenis_target, required=False)
    if data.aturan_realisasi not in AturanRealisasi.values:
        errors.append(f"Aturan realisasi {data.aturan_realisasi!r} tidak dikenal.")
    elif data.aturan_realisasi != AturanRealisasi.MANUAL and not data.kode_output:
        errors.append(
            "Realisasi dari entri terverifikasi memerlukan minimal satu kode output yang ditautkan."
        )
    if data.aturan_realisasi == AturanRealisasi.JUMLAH_VOLUME and not data.satuan_volume:
        errors.append("Jumlah volume memerlukan satuan volume (mis. dokumen) yang dijumlah.")
    if len(data.satuan_volume) > 40:
        errors.append("Satuan volume terlalu panjang (maksimal 40 karakter).")
    return errors + _kode_output_errors(data.kode_output, satker=satker, tahun=tahun)


def _kode_output_errors(kodes, *, satker: Satker, tahun: int) -> list[str]:
    """The linked output codes must be this satker's (or shared) codes of the year, at a level daily entries use."""
    errors = []
    for kode in kodes:
        if kode.satker_id not in (None, satker.pk) or kode.tahun != tahun:
            errors.append(f"Kode output {kode.kode} bukan kode output tahun {tahun} satker ini.")
        elif kode.level not in satker.kode_levels_entri:
            errors.append(
                f"Kode output {kode.kode} berlevel {kode.get_level_display()} dan tidak dipakai entri harian; "
                f"tautkan kode {satker.kode_levels_entri_label}."
            )
    return errors


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def normalise(data: IndikatorData) -> IndikatorData:
    data.kode = _clean(data.kode)
    data.uraian = _clean(data.uraian)
    data.satuan = _clean(data.satuan)
    data.satuan_volume = _clean(data.satuan_volume)
    data.targets = {k: v for k, v in data.targets.items() if not v.kosong}
    return data
