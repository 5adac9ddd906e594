"""Every change to the framework is one function here: it checks the rules, runs in a transaction that holds the
satker's row (framework edits of one satker never interleave: an import and a page edit cannot both pass the
same "code not used yet" check) and writes an audit row. An indicator that a measurement uses is never deleted,
only deactivated; the measurement keeps its own snapshot (BarisPengukuran), so later edits never change it."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from kinerja.audit import diff, snapshot
from kinerja.models import KodeOutput, Pegawai, Satker
from kinerja.services import audit

from ..models import AturanRealisasi, Indikator, Kegiatan, Program, Sasaran, TargetPeriode
from ..periode import PERIODS
from .data import IndikatorData, KerangkaDitolak, Target, _clean, check_tahun, indikator_errors, normalise
from .queries import _data_of, codes_by_name, dipakai, indikator_of_year, targets_of, tree

GROUP_FIELDS = (
    "kode",
    "uraian",
    "urutan",
)  # what an audit row of a sasaran, program or kegiatan edit records
# what an indicator's audit row records (its targets per period and its codes are rows of their own)
INDIKATOR_FIELDS = (
    "kegiatan",
    "kode",
    "uraian",
    "satuan",
    "arah",
    "jenis_target",
    "target_tahunan",
    "target_bawah",
    "target_atas",
    "subbagian",
    "aturan_realisasi",
    "satuan_volume",
)


def lock_satker(satker: Satker) -> None:
    Satker.objects.select_for_update().filter(pk=satker.pk).first()


def actor_of(by: Pegawai | None):
    return by.user if by is not None else None


def _next_urutan(qs) -> int:
    return (qs.aggregate(m=Max("urutan"))["m"] or 0) + 1


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
        audit(
            obj=sasaran,
            actor=actor_of(by),
            action="sasaran_dibuat",
            catatan=str(sasaran),
            satker=satker,
            perubahan=diff(None, sasaran, GROUP_FIELDS),
        )
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
        was = snapshot(sasaran, GROUP_FIELDS)
        sasaran.kode, sasaran.uraian, sasaran.urutan = kode, uraian, urutan
        sasaran.save(update_fields=["kode", "uraian", "urutan"])
        audit(
            obj=sasaran,
            actor=actor_of(by),
            action="sasaran_diubah",
            catatan=str(sasaran),
            satker=sasaran.satker,
            perubahan=diff(was, sasaran, GROUP_FIELDS),
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
            perubahan=diff(None, program, GROUP_FIELDS),
        )
    return program


def program_update(*, program: Program, kode: str, uraian: str, urutan: int, by: Pegawai | None) -> Program:
    kode, uraian = _check_kode(kode, "program"), _check_uraian(uraian, "program")
    satker = program.sasaran.satker
    with transaction.atomic():
        lock_satker(satker)
        if Program.objects.filter(sasaran_id=program.sasaran_id, kode=kode).exclude(pk=program.pk).exists():
            raise KerangkaDitolak(f"Kode program {kode} sudah ada pada sasaran {program.sasaran.kode}.")
        was = snapshot(program, GROUP_FIELDS)
        program.kode, program.uraian, program.urutan = kode, uraian, urutan
        program.save(update_fields=["kode", "uraian", "urutan"])
        audit(
            obj=program,
            actor=actor_of(by),
            action="program_diubah",
            catatan=str(program),
            satker=satker,
            perubahan=diff(was, program, GROUP_FIELDS),
        )
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
            obj=kegiatan,
            actor=actor_of(by),
            action="kegiatan_dibuat",
            catatan=str(kegiatan),
            satker=satker,
            perubahan=diff(None, kegiatan, GROUP_FIELDS),
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
        was = snapshot(kegiatan, GROUP_FIELDS)
        kegiatan.kode, kegiatan.uraian, kegiatan.urutan = kode, uraian, urutan
        kegiatan.save(update_fields=["kode", "uraian", "urutan"])
        audit(
            obj=kegiatan,
            actor=actor_of(by),
            action="kegiatan_diubah",
            catatan=str(kegiatan),
            satker=satker,
            perubahan=diff(was, kegiatan, GROUP_FIELDS),
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
        label, gone = str(obj), diff(obj, None, GROUP_FIELDS)
        obj.delete()
        audit(
            obj=satker,
            actor=actor_of(by),
            action=f"{what.lower()}_dihapus",
            catatan=label,
            satker=satker,
            perubahan=gone,
        )


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


def set_targets(indikator: Indikator, targets: dict[tuple[str, int], Target]) -> None:
    """Replace the indicator's period targets with `targets` (the periods of PERIODS only)."""
    scope = set(PERIODS)
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


def write_indikator(indikator: Indikator, data: IndikatorData) -> None:
    """Save an indicator as `data` says: its fields, its output-code links and its period targets."""
    apply_data(indikator, data)
    indikator.save()
    indikator.kode_output.set(data.kode_output)
    set_targets(indikator, data.targets)


def _raise_if(errors: list[str]) -> None:
    if errors:
        raise KerangkaDitolak(" ".join(errors))


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
        write_indikator(indikator, data)
        audit(
            obj=indikator,
            actor=actor_of(by),
            action="indikator_dibuat",
            catatan=str(indikator),
            satker=satker,
            perubahan=diff(None, indikator, INDIKATOR_FIELDS),
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
        was = snapshot(indikator, INDIKATOR_FIELDS)
        if kegiatan is not None:
            indikator.kegiatan = kegiatan
        write_indikator(indikator, data)
        audit(
            obj=indikator,
            actor=actor_of(by),
            action="indikator_diubah",
            catatan=str(indikator),
            satker=satker,
            perubahan=diff(was, indikator, INDIKATOR_FIELDS),
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
        label, gone = str(indikator), diff(indikator, None, INDIKATOR_FIELDS)
        indikator.delete()
        audit(
            obj=satker,
            actor=actor_of(by),
            action="indikator_dihapus",
            catatan=label,
            satker=satker,
            perubahan=gone,
        )


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


def _copy_indikator(old: Indikator, kegiatan: Kegiatan, codes: dict[str, KodeOutput]) -> set[str]:
    """`old` copied into `kegiatan`, its links following the codes of the same name; the codes not found."""
    links = [codes[k.kode] for k in old.kode_output.all() if k.kode in codes]
    data = _data_of(old, targets_of(old), links)
    if not links and data.aturan_realisasi != AturanRealisasi.MANUAL:
        data.aturan_realisasi = AturanRealisasi.MANUAL  # nothing left to count
    write_indikator(Indikator(kegiatan=kegiatan, urutan=old.urutan), data)
    return {k.kode for k in old.kode_output.all() if k.kode not in codes}


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
                        missing |= _copy_indikator(old, kegiatan, new_codes)
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
