"""The performance framework of a satker's year (issue 5, Deliver 1): Sasaran → Program → Kegiatan → Indikator,
with targets per period, managed by Rendatin on the web (the spreadsheet import is in kerangka_impor).

Every change is one function here: it checks the rules, runs in a transaction that holds the satker's row
(framework edits of one satker never interleave: an import and a page edit cannot both pass the same
"code not used yet" check) and writes an audit row. An indicator that a measurement uses is never deleted,
only deactivated; the measurement keeps its own snapshot (BarisPengukuran), so later edits never change it.

Indicator codes are unique within a satker's year (not only within a kegiatan): the import updates by code,
and a code that meant two indicators would make "update by code" ambiguous.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Prefetch

from kinerja.errors import DomainError
from kinerja.models import KodeOutput, Pegawai, Satker, Subbagian
from kinerja.services import audit
from silabu.lib import numbers
from silabu.lib.numbers import parse_decimal

from .models import (
    Arah,
    AturanRealisasi,
    BarisPengukuran,
    Indikator,
    JenisTarget,
    Kegiatan,
    Program,
    Sasaran,
    TargetPeriode,
)
from .periode import PERIODS, periode_column, periode_label  # noqa: F401 (the framework's periods)

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
    for kode in data.kode_output:
        if kode.satker_id not in (None, satker.pk) or kode.tahun != tahun:
            errors.append(f"Kode output {kode.kode} bukan kode output tahun {tahun} satker ini.")
    return errors


# --- reading the framework ---------------------------------------------------------------------------------


def tree(satker: Satker, tahun: int, *, only_active: bool = False) -> list[Sasaran]:
    """The year's framework in a fixed number of queries: sasaran with .program_set.all() → kegiatan →
    indikator (with subbagian, kode output and targets prefetched)."""
    indikator = Indikator.objects.select_related("subbagian").prefetch_related(
        Prefetch("kode_output", queryset=KodeOutput.objects.order_by("kode")),
        Prefetch("target_set", queryset=TargetPeriode.objects.order_by("jenis_periode", "nomor")),
    )
    if only_active:
        indikator = indikator.filter(aktif=True)
    return list(
        Sasaran.objects.filter(satker=satker, tahun=tahun)
        .order_by("urutan", "kode", "pk")
        .prefetch_related(
            Prefetch("program_set", queryset=Program.objects.order_by("urutan", "kode", "pk")),
            Prefetch("program_set__kegiatan_set", queryset=Kegiatan.objects.order_by("urutan", "kode", "pk")),
            Prefetch(
                "program_set__kegiatan_set__indikator_set",
                queryset=indikator.order_by("urutan", "kode", "pk"),
            ),
        )
    )


def indikator_of_year(satker: Satker, tahun: int):
    return Indikator.objects.filter(
        kegiatan__program__sasaran__satker=satker, kegiatan__program__sasaran__tahun=tahun
    )


def targets_of(indikator: Indikator) -> dict[tuple[str, int], Target]:
    return {
        (t.jenis_periode, t.nomor): Target(t.target, t.target_bawah, t.target_atas)
        for t in indikator.target_set.all()
    }


def codes_by_name(satker: Satker, tahun: int) -> dict[str, KodeOutput]:
    """The year's output codes an indicator may link, by code; the satker's own win over shared namesakes."""
    codes = sorted(KodeOutput.objects.for_satker(satker, tahun), key=lambda k: k.satker_id is not None)
    return {k.kode: k for k in codes}


def dipakai(indikator: Indikator) -> bool:
    """Whether a measurement has this indicator (then it is never deleted, only deactivated)."""
    return BarisPengukuran.objects.filter(indikator=indikator).exists()


def tahun_tersimpan(satker: Satker) -> list[int]:
    return sorted(
        set(Sasaran.objects.filter(satker=satker).order_by().values_list("tahun", flat=True).distinct())
    )


# --- changing it -------------------------------------------------------------------------------------------


def lock_satker(satker: Satker) -> None:
    Satker.objects.select_for_update().filter(pk=satker.pk).first()


def actor_of(by: Pegawai | None):
    return by.user if by is not None else None


def _next_urutan(qs) -> int:
    return (qs.aggregate(m=Max("urutan"))["m"] or 0) + 1


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _check_kode(kode: str, what: str) -> str:
    kode = _clean(kode)
    if not kode:
        raise KerangkaDitolak(f"Kode {what} wajib diisi.")
    if len(kode) > 40:
        raise KerangkaDitolak(f"Kode {what} terlalu panjang ({len(kode)} karakter; maksimal 40).")
    return kode


def _check_uraian(uraian: str, what: str) -> str:
    uraian = _clean(uraian)
    if not uraian:
        raise KerangkaDitolak(f"Uraian {what} wajib diisi.")
    return uraian


def sasaran_create(
    *, satker: Satker, tahun: int, kode: str, uraian: str, urutan: int | None = None, by: Pegawai | None
) -> Sasaran:
    check_tahun(tahun)
    kode, uraian = _check_kode(kode, "sasaran"), _check_uraian(uraian, "sasaran")
    with transaction.atomic():
        lock_satker(satker)
        siblings = Sasaran.objects.filter(satker=satker, tahun=tahun)
        if siblings.filter(kode=kode).exists():
            raise KerangkaDitolak(f"Kode sasaran {kode} sudah ada pada tahun {tahun}.")
        sasaran = Sasaran.objects.create(
            satker=satker, tahun=tahun, kode=kode, uraian=uraian, urutan=urutan or _next_urutan(siblings)
        )
        audit(obj=sasaran, actor=actor_of(by), action="sasaran_dibuat", catatan=str(sasaran), satker=satker)
    return sasaran


def sasaran_update(*, sasaran: Sasaran, kode: str, uraian: str, urutan: int, by: Pegawai | None) -> Sasaran:
    kode, uraian = _check_kode(kode, "sasaran"), _check_uraian(uraian, "sasaran")
    with transaction.atomic():
        lock_satker(sasaran.satker)
        others = Sasaran.objects.filter(satker_id=sasaran.satker_id, tahun=sasaran.tahun).exclude(
            pk=sasaran.pk
        )
        if others.filter(kode=kode).exists():
            raise KerangkaDitolak(f"Kode sasaran {kode} sudah ada pada tahun {sasaran.tahun}.")
        sasaran.kode, sasaran.uraian, sasaran.urutan = kode, uraian, urutan
        sasaran.save(update_fields=["kode", "uraian", "urutan"])
        audit(
            obj=sasaran,
            actor=actor_of(by),
            action="sasaran_diubah",
            catatan=str(sasaran),
            satker=sasaran.satker,
        )
    return sasaran


def program_create(
    *, sasaran: Sasaran, kode: str, uraian: str, urutan: int | None = None, by: Pegawai | None
) -> Program:
    kode, uraian = _check_kode(kode, "program"), _check_uraian(uraian, "program")
    with transaction.atomic():
        lock_satker(sasaran.satker)
        siblings = Program.objects.filter(sasaran=sasaran)
        if siblings.filter(kode=kode).exists():
            raise KerangkaDitolak(f"Kode program {kode} sudah ada pada sasaran {sasaran.kode}.")
        program = Program.objects.create(
            sasaran=sasaran, kode=kode, uraian=uraian, urutan=urutan or _next_urutan(siblings)
        )
        audit(
            obj=program,
            actor=actor_of(by),
            action="program_dibuat",
            catatan=str(program),
            satker=sasaran.satker,
        )
    return program


def program_update(*, program: Program, kode: str, uraian: str, urutan: int, by: Pegawai | None) -> Program:
    kode, uraian = _check_kode(kode, "program"), _check_uraian(uraian, "program")
    satker = program.sasaran.satker
    with transaction.atomic():
        lock_satker(satker)
        if Program.objects.filter(sasaran_id=program.sasaran_id, kode=kode).exclude(pk=program.pk).exists():
            raise KerangkaDitolak(f"Kode program {kode} sudah ada pada sasaran {program.sasaran.kode}.")
        program.kode, program.uraian, program.urutan = kode, uraian, urutan
        program.save(update_fields=["kode", "uraian", "urutan"])
        audit(obj=program, actor=actor_of(by), action="program_diubah", catatan=str(program), satker=satker)
    return program


def kegiatan_create(
    *, program: Program, kode: str, uraian: str, urutan: int | None = None, by: Pegawai | None
) -> Kegiatan:
    kode, uraian = _check_kode(kode, "kegiatan"), _check_uraian(uraian, "kegiatan")
    satker = program.sasaran.satker
    with transaction.atomic():
        lock_satker(satker)
        siblings = Kegiatan.objects.filter(program=program)
        if siblings.filter(kode=kode).exists():
            raise KerangkaDitolak(f"Kode kegiatan {kode} sudah ada pada program {program.kode}.")
        kegiatan = Kegiatan.objects.create(
            program=program, kode=kode, uraian=uraian, urutan=urutan or _next_urutan(siblings)
        )
        audit(
            obj=kegiatan, actor=actor_of(by), action="kegiatan_dibuat", catatan=str(kegiatan), satker=satker
        )
    return kegiatan


def kegiatan_update(
    *, kegiatan: Kegiatan, kode: str, uraian: str, urutan: int, by: Pegawai | None
) -> Kegiatan:
    kode, uraian = _check_kode(kode, "kegiatan"), _check_uraian(uraian, "kegiatan")
    satker = kegiatan.program.sasaran.satker
    with transaction.atomic():
        lock_satker(satker)
        if (
            Kegiatan.objects.filter(program_id=kegiatan.program_id, kode=kode)
            .exclude(pk=kegiatan.pk)
            .exists()
        ):
            raise KerangkaDitolak(f"Kode kegiatan {kode} sudah ada pada program {kegiatan.program.kode}.")
        kegiatan.kode, kegiatan.uraian, kegiatan.urutan = kode, uraian, urutan
        kegiatan.save(update_fields=["kode", "uraian", "urutan"])
        audit(
            obj=kegiatan, actor=actor_of(by), action="kegiatan_diubah", catatan=str(kegiatan), satker=satker
        )
    return kegiatan


def kelompok_delete(*, obj: Sasaran | Program | Kegiatan, by: Pegawai | None) -> None:
    """Delete a sasaran, program or kegiatan that holds no indicator (an empty one, made by mistake)."""
    if isinstance(obj, Sasaran):
        satker, what, indikator = (
            obj.satker,
            "Sasaran",
            Indikator.objects.filter(kegiatan__program__sasaran=obj),
        )
    elif isinstance(obj, Program):
        satker, what, indikator = (
            obj.sasaran.satker,
            "Program",
            Indikator.objects.filter(kegiatan__program=obj),
        )
    else:
        satker, what, indikator = (
            obj.program.sasaran.satker,
            "Kegiatan",
            Indikator.objects.filter(kegiatan=obj),
        )
    with transaction.atomic():
        lock_satker(satker)
        if indikator.exists():
            raise KerangkaDitolak(
                f"{what} {obj.kode} masih memiliki indikator; hapus atau nonaktifkan indikatornya lebih dulu. "
                "Indikator yang sudah dipakai dalam pengukuran hanya dapat dinonaktifkan."
            )
        label = str(obj)
        obj.delete()
        audit(obj=satker, actor=actor_of(by), action=f"{what.lower()}_dihapus", catatan=label, satker=satker)


def _kode_indikator_free(satker: Satker, tahun: int, kode: str, *, exclude: int | None = None) -> None:
    clash = indikator_of_year(satker, tahun).filter(kode=kode).exclude(pk=exclude).select_related("kegiatan")
    other = clash.first()
    if other is not None:
        raise KerangkaDitolak(
            f"Kode indikator {kode} sudah dipakai pada tahun {tahun} (kegiatan {other.kegiatan.kode})."
        )


def apply_data(indikator: Indikator, data: IndikatorData) -> None:
    indikator.kode = data.kode
    indikator.uraian = data.uraian
    indikator.satuan = data.satuan
    indikator.arah = data.arah
    indikator.jenis_target = data.jenis_target
    indikator.target_tahunan = data.tahunan.nilai
    indikator.target_bawah = data.tahunan.bawah
    indikator.target_atas = data.tahunan.atas
    indikator.subbagian = data.subbagian
    indikator.aturan_realisasi = data.aturan_realisasi
    indikator.satuan_volume = (
        data.satuan_volume if data.aturan_realisasi == AturanRealisasi.JUMLAH_VOLUME else ""
    )
    indikator.aktif = data.aktif


def set_targets(indikator: Indikator, targets: dict[tuple[str, int], Target], *, columns=None) -> None:
    """Replace the indicator's period targets (only those of `columns`, when given) with `targets`."""
    scope = set(PERIODS if columns is None else columns)
    existing = {(t.jenis_periode, t.nomor): t for t in indikator.target_set.all()}
    gone = [t.pk for key, t in existing.items() if key in scope and key not in targets]
    if gone:
        TargetPeriode.objects.filter(pk__in=gone).delete()
    new, changed = [], []
    for key, target in targets.items():
        if key not in scope:
            continue
        row = existing.get(key)
        if row is None:
            new.append(
                TargetPeriode(
                    indikator=indikator,
                    jenis_periode=key[0],
                    nomor=key[1],
                    target=target.nilai,
                    target_bawah=target.bawah,
                    target_atas=target.atas,
                )
            )
        elif (row.target, row.target_bawah, row.target_atas) != (target.nilai, target.bawah, target.atas):
            row.target, row.target_bawah, row.target_atas = target.nilai, target.bawah, target.atas
            changed.append(row)
    TargetPeriode.objects.bulk_create(new)
    TargetPeriode.objects.bulk_update(changed, ["target", "target_bawah", "target_atas"])


def _raise_if(errors: list[str]) -> None:
    if errors:
        raise KerangkaDitolak(" ".join(errors))


def normalise(data: IndikatorData) -> IndikatorData:
    data.kode = _clean(data.kode)
    data.uraian = _clean(data.uraian)
    data.satuan = _clean(data.satuan)
    data.satuan_volume = _clean(data.satuan_volume)
    data.targets = {k: v for k, v in data.targets.items() if not v.kosong}
    return data


def indikator_create(*, kegiatan: Kegiatan, data: IndikatorData, by: Pegawai | None) -> Indikator:
    sasaran = kegiatan.program.sasaran
    satker, tahun = sasaran.satker, sasaran.tahun
    data = normalise(data)
    _raise_if(indikator_errors(data, satker=satker, tahun=tahun))
    with transaction.atomic():
        lock_satker(satker)
        _kode_indikator_free(satker, tahun, data.kode)
        indikator = Indikator(
            kegiatan=kegiatan, urutan=_next_urutan(Indikator.objects.filter(kegiatan=kegiatan))
        )
        apply_data(indikator, data)
        indikator.save()
        indikator.kode_output.set(data.kode_output)
        set_targets(indikator, data.targets)
        audit(
            obj=indikator,
            actor=actor_of(by),
            action="indikator_dibuat",
            catatan=str(indikator),
            satker=satker,
        )
    return indikator


def indikator_update(
    *, indikator: Indikator, data: IndikatorData, kegiatan: Kegiatan | None = None, by: Pegawai | None
) -> Indikator:
    """Change an indicator (and move it to another kegiatan of the same year). Measurements already started
    keep their snapshot of it."""
    sasaran = indikator.kegiatan.program.sasaran
    satker, tahun = sasaran.satker, sasaran.tahun
    if kegiatan is not None and kegiatan.pk != indikator.kegiatan_id:
        target_sasaran = kegiatan.program.sasaran
        if target_sasaran.satker_id != satker.pk or target_sasaran.tahun != tahun:
            raise KerangkaDitolak("Indikator hanya dapat dipindah ke kegiatan pada tahun yang sama.")
    data = normalise(data)
    _raise_if(indikator_errors(data, satker=satker, tahun=tahun))
    with transaction.atomic():
        lock_satker(satker)
        _kode_indikator_free(satker, tahun, data.kode, exclude=indikator.pk)
        if kegiatan is not None:
            indikator.kegiatan = kegiatan
        apply_data(indikator, data)
        indikator.save()
        indikator.kode_output.set(data.kode_output)
        set_targets(indikator, data.targets)
        audit(
            obj=indikator,
            actor=actor_of(by),
            action="indikator_diubah",
            catatan=str(indikator),
            satker=satker,
        )
    return indikator


def indikator_set_aktif(*, indikator: Indikator, aktif: bool, by: Pegawai | None) -> Indikator:
    """An inactive indicator is left out of new measurements; those that already have it keep it."""
    satker = indikator.kegiatan.program.sasaran.satker
    with transaction.atomic():
        lock_satker(satker)
        before = indikator.aktif
        indikator.aktif = aktif
        indikator.save(update_fields=["aktif", "diubah"])
        audit(
            obj=indikator,
            actor=actor_of(by),
            action="indikator_diaktifkan" if aktif else "indikator_dinonaktifkan",
            dari="aktif" if before else "nonaktif",
            ke="aktif" if aktif else "nonaktif",
            catatan=str(indikator),
            satker=satker,
        )
    return indikator


def indikator_delete(*, indikator: Indikator, by: Pegawai | None) -> None:
    satker = indikator.kegiatan.program.sasaran.satker
    with transaction.atomic():
        lock_satker(satker)
        if dipakai(indikator):
            raise KerangkaDitolak(
                f"Indikator {indikator.kode} sudah dipakai dalam pengukuran kinerja dan tidak dapat dihapus; "
                "nonaktifkan saja."
            )
        label = str(indikator)
        indikator.delete()
        audit(obj=satker, actor=actor_of(by), action="indikator_dihapus", catatan=label, satker=satker)


# --- copying a year -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SalinResult:
    sasaran: int
    program: int
    kegiatan: int
    indikator: int
    kode_tidak_ada: tuple[str, ...]  # linked output codes with no namesake in the new year (links dropped)

    @property
    def summary(self) -> str:
        text = (
            f"{self.sasaran} sasaran, {self.program} program, {self.kegiatan} kegiatan, "
            f"{self.indikator} indikator disalin"
        )
        if self.kode_tidak_ada:
            text += (
                f"; kode output berikut tidak ada pada tahun tujuan sehingga tautannya dilepas: "
                f"{', '.join(self.kode_tidak_ada)}"
            )
        return text


def kerangka_salin(*, satker: Satker, dari: int, ke: int, by: Pegawai | None) -> SalinResult:
    """Copy a year's framework (its active indicators, with targets) into an empty year. Output-code links
    follow the codes of the same name in the new year; a code the new year lacks loses its link."""
    check_tahun(dari)
    check_tahun(ke)
    if dari == ke:
        raise KerangkaDitolak("Tahun asal dan tahun tujuan sama.")
    with transaction.atomic():
        lock_satker(satker)
        source = tree(satker, dari, only_active=True)
        if not source:
            raise KerangkaDitolak(f"Tahun {dari} belum memiliki kerangka kinerja untuk disalin.")
        if Sasaran.objects.filter(satker=satker, tahun=ke).exists():
            raise KerangkaDitolak(
                f"Tahun {ke} sudah memiliki kerangka kinerja; penyalinan hanya ke tahun yang masih kosong. "
                "Untuk memperbarui kerangka yang ada, gunakan impor XLSX."
            )
        new_codes = codes_by_name(satker, ke)
        missing: set[str] = set()
        counts = {"sasaran": 0, "program": 0, "kegiatan": 0, "indikator": 0}
        for s in source:
            sasaran = Sasaran.objects.create(
                satker=satker, tahun=ke, kode=s.kode, uraian=s.uraian, urutan=s.urutan
            )
            counts["sasaran"] += 1
            for p in s.program_set.all():
                program = Program.objects.create(
                    sasaran=sasaran, kode=p.kode, uraian=p.uraian, urutan=p.urutan
                )
                counts["program"] += 1
                for k in p.kegiatan_set.all():
                    kegiatan = Kegiatan.objects.create(
                        program=program, kode=k.kode, uraian=k.uraian, urutan=k.urutan
                    )
                    counts["kegiatan"] += 1
                    for old in k.indikator_set.all():
                        links = []
                        for kode in old.kode_output.all():
                            if kode.kode in new_codes:
                                links.append(new_codes[kode.kode])
                            else:
                                missing.add(kode.kode)
                        indikator = Indikator(kegiatan=kegiatan, urutan=old.urutan)
                        data = _data_of(old, targets_of(old), links)
                        if not links and data.aturan_realisasi != AturanRealisasi.MANUAL:
                            data.aturan_realisasi = AturanRealisasi.MANUAL  # nothing left to count
                        apply_data(indikator, data)
                        indikator.save()
                        indikator.kode_output.set(links)
                        set_targets(indikator, data.targets)
                        counts["indikator"] += 1
        result = SalinResult(**counts, kode_tidak_ada=tuple(sorted(missing)))
        audit(
            obj=satker,
            actor=actor_of(by),
            action="kerangka_disalin",
            catatan=f"Kerangka kinerja {dari} disalin ke {ke}: {result.summary}.",
            satker=satker,
        )
    return result


def _data_of(ind: Indikator, targets: dict, links: list[KodeOutput]) -> IndikatorData:
    return IndikatorData(
        kode=ind.kode,
        uraian=ind.uraian,
        satuan=ind.satuan,
        subbagian=ind.subbagian,
        arah=ind.arah,
        jenis_target=ind.jenis_target,
        tahunan=Target(ind.target_tahunan, ind.target_bawah, ind.target_atas),
        targets=targets,
        kode_output=links,
        aturan_realisasi=ind.aturan_realisasi,
        satuan_volume=ind.satuan_volume,
        aktif=ind.aktif,
    )


def data_of(indikator: Indikator) -> IndikatorData:
    """An indicator as data (for a form's initial values and for comparisons)."""
    return _data_of(indikator, targets_of(indikator), list(indikator.kode_output.all()))


def years_for_select(satker: Satker, around: int) -> list[int]:
    return sorted({*tahun_tersimpan(satker), around - 1, around, around + 1}, reverse=True)


def iter_indikator(sasaran_list: Iterable[Sasaran]):
    for sasaran in sasaran_list:
        for program in sasaran.program_set.all():
            for kegiatan in program.kegiatan_set.all():
                yield from kegiatan.indikator_set.all()
