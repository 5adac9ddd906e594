"""Reading a year's framework: the tree in a fixed number of queries, an indicator's targets and data, the
output codes it may link, the years stored."""

from collections.abc import Iterable

from django.db.models import Prefetch

from kinerja.models import KodeOutput, Satker

from ..models import BarisPengukuran, Indikator, Kegiatan, Program, Sasaran, TargetPeriode
from .data import IndikatorData, Target


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
