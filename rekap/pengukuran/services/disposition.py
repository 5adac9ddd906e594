"""Steps 1 to 3: the Sekretaris' disposition, the Kasubag Rendatin's draft of the forms (which indicators, per
subbagian) and Rendatin issuing them, prefilled from verified entries."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from kinerja.models import Pegawai, Satker, Subbagian
from kinerja.services import audit

from .. import hitung
from ..models import (
    PERIODE_NOMOR_MAX,
    BarisPengukuran,
    FormDataKinerja,
    Indikator,
    JenisPeriode,
    JenisTarget,
    LangkahPengukuran,
    Pengukuran,
    TargetPeriode,
)
from ..periode import periode_label
from ..policy import (
    PESAN_KASUBAG_RENDATIN,
    PESAN_RENDATIN,
    PESAN_SEKRETARIS,
    is_kasubag_rendatin,
    is_rendatin,
    is_sekretaris,
)
from .transition import PengukuranDitolak, T, advance, locked, require, require_tahap

# --- step 1: the Sekretaris' disposition ----------------------------------------------------------------------


def _check_period(jenis_periode: str, nomor: int, tahun: int) -> None:
    if jenis_periode not in JenisPeriode.values:
        raise PengukuranDitolak("Jenis periode tidak dikenal.")
    maks = PERIODE_NOMOR_MAX[jenis_periode]
    if not 1 <= nomor <= maks:
        raise PengukuranDitolak(
            f"Periode {JenisPeriode(jenis_periode).label.lower()} hanya bernomor 1 sampai {maks}."
        )
    if not 2000 <= tahun <= 2100:
        raise PengukuranDitolak("Tahun tidak valid.")


def pengukuran_dispose(
    *, satker: Satker, tahun: int, jenis_periode: str, nomor: int, instruksi: str, by: Pegawai
) -> Pengukuran:
    """Start a measurement for a period with the Sekretaris' instruction to the Kasubag Rendatin."""
    require(is_sekretaris(by, satker), PESAN_SEKRETARIS)
    instruksi = (instruksi or "").strip()
    if not instruksi:
        raise PengukuranDitolak("Tuliskan instruksi disposisi untuk Kasubag Rendatin.")
    _check_period(jenis_periode, int(nomor), int(tahun))
    exists = f"Pengukuran kinerja {periode_label(jenis_periode, int(nomor), int(tahun))} sudah ada."
    if Pengukuran.objects.filter(
        satker=satker, tahun=tahun, jenis_periode=jenis_periode, nomor=nomor
    ).exists():
        raise PengukuranDitolak(exists)
    now = timezone.now()
    try:
        with transaction.atomic():
            pengukuran = Pengukuran.objects.create(
                satker=satker,
                tahun=tahun,
                jenis_periode=jenis_periode,
                nomor=nomor,
                tahap=T.KONSEP,
                instruksi=instruksi,
                disposisi_oleh=by,
                disposisi_pada=now,
            )
            LangkahPengukuran.objects.create(
                pengukuran=pengukuran, langkah=1, mulai=now, selesai=now, oleh=by, catatan=instruksi
            )
            LangkahPengukuran.objects.create(pengukuran=pengukuran, langkah=2, mulai=now)
            audit(
                obj=pengukuran,
                actor=by.user,
                action="pengukuran_disposisi",
                ke=T.KONSEP,
                catatan=instruksi,
                satker=satker,
            )
    except IntegrityError:  # the same period disposed at the same moment by another request
        raise PengukuranDitolak(exists) from None
    return pengukuran


# --- step 2: the Kasubag Rendatin drafts the forms --------------------------------------------------------------


def _chosen(pilihan: dict[int, list[int]]) -> dict[int, list[int]]:
    """subbagian id → indicator ids, each indicator in one form only."""
    chosen = {int(sub): [int(i) for i in ids] for sub, ids in pilihan.items() if ids}
    if not chosen:
        raise PengukuranDitolak("Pilih sedikitnya satu indikator untuk form data kinerja.")
    ids = [i for group in chosen.values() for i in group]
    if len(ids) != len(set(ids)):
        raise PengukuranDitolak("Satu indikator hanya dapat dimasukkan ke satu form.")
    return chosen


def _subbagian_of(satker: Satker, chosen: dict[int, list[int]]) -> dict[int, Subbagian]:
    subbagian = {s.pk: s for s in Subbagian.objects.filter(pk__in=list(chosen), satker=satker)}
    if len(subbagian) != len(chosen):
        raise PengukuranDitolak("Subbagian yang dipilih tidak dikenal di satker ini.")
    return subbagian


def _indikator_of(p: Pengukuran, ids: list[int]) -> dict[int, Indikator]:
    """The chosen indicators, each an active one of the measurement's satker and year."""
    satker = p.satker
    found = {
        i.pk: i for i in Indikator.objects.filter(pk__in=ids).select_related("kegiatan__program__sasaran")
    }
    problems = []
    for pk in ids:
        indikator = found.get(pk)
        sasaran = indikator.kegiatan.program.sasaran if indikator else None
        if sasaran is None or sasaran.satker_id != satker.pk or sasaran.tahun != p.tahun:
            problems.append(f"indikator #{pk} bukan indikator {satker.nama} tahun {p.tahun}")
        elif not indikator.aktif:
            problems.append(f"indikator {indikator.kode} tidak aktif")
    if problems:
        raise PengukuranDitolak("Tidak dapat dipilih: " + "; ".join(problems) + ".")
    return found


def _target(indikator: Indikator, target: TargetPeriode | None, jenis_periode: str):
    """(target, bawah, atas) for the period: its TargetPeriode, or for a yearly measurement the yearly target."""
    yearly = jenis_periode == JenisPeriode.TAHUN
    if indikator.jenis_target == JenisTarget.RENTANG:
        if target is not None and (target.target_bawah is not None or target.target_atas is not None):
            return None, target.target_bawah, target.target_atas
        if yearly:
            return None, indikator.target_bawah, indikator.target_atas
        return None, None, None
    if target is not None and target.target is not None:
        return target.target, None, None
    return (indikator.target_tahunan if yearly else None), None, None


def _urutan(indikator: Indikator):
    kegiatan = indikator.kegiatan
    program = kegiatan.program
    sasaran = program.sasaran
    return (
        sasaran.urutan,
        sasaran.kode,
        program.urutan,
        program.kode,
        kegiatan.urutan,
        kegiatan.kode,
        indikator.urutan,
        indikator.kode,
    )


def _snapshot(p: Pengukuran, form: FormDataKinerja, indikator: Indikator, target, urutan: int):
    """A row of the measurement: the indicator and its period's target as they are now."""
    kegiatan = indikator.kegiatan
    target, bawah, atas = _target(indikator, target, p.jenis_periode)
    return BarisPengukuran(
        pengukuran=p,
        form=form,
        indikator=indikator,
        sasaran=str(kegiatan.program.sasaran),
        program=str(kegiatan.program),
        kegiatan=str(kegiatan),
        indikator_kode=indikator.kode,
        indikator_uraian=indikator.uraian,
        satuan=indikator.satuan,
        arah=indikator.arah,
        target=target,
        target_bawah=bawah,
        target_atas=atas,
        aturan_realisasi=indikator.aturan_realisasi,
        satuan_volume=indikator.satuan_volume,
        urutan=urutan,
    )


def pengukuran_draft_forms(
    *, pengukuran: Pengukuran, pilihan: dict[int, list[int]], by: Pegawai
) -> Pengukuran:
    """Draft one Form Data Kinerja per subbagian with the chosen indicators (`pilihan`: subbagian id →
    indicator ids), each row a snapshot of its indicator and the period's target: later changes to the
    framework never change this measurement."""
    require(is_kasubag_rendatin(by, pengukuran.satker), PESAN_KASUBAG_RENDATIN)
    chosen = _chosen(pilihan)
    now = timezone.now()
    with transaction.atomic():
        p = locked(pengukuran)
        require_tahap(p, T.KONSEP)
        subbagian = _subbagian_of(p.satker, chosen)
        indikator = _indikator_of(p, [i for group in chosen.values() for i in group])
        targets = {
            t.indikator_id: t
            for t in TargetPeriode.objects.filter(
                indikator_id__in=list(indikator), jenis_periode=p.jenis_periode, nomor=p.nomor
            )
        }
        forms = {
            sub_id: FormDataKinerja.objects.create(pengukuran=p, subbagian=subbagian[sub_id])
            for sub_id in sorted(chosen, key=lambda s: (subbagian[s].urutan, subbagian[s].nama))
        }
        form_of = {i: forms[sub_id] for sub_id, group in chosen.items() for i in group}
        rows = [
            _snapshot(p, form_of[item.pk], item, targets.get(item.pk), urutan)
            for urutan, item in enumerate(sorted(indikator.values(), key=_urutan), start=1)
        ]
        BarisPengukuran.objects.bulk_create(rows)
        note = f"{len(rows)} indikator dalam {len(forms)} form."
        advance(p, ke=T.FORM, by=by, now=now, action="pengukuran_konsep", catatan=note)
    return p


# --- step 3: Rendatin staff issue the forms --------------------------------------------------------------------


def pengukuran_issue_forms(*, pengukuran: Pengukuran, by: Pegawai) -> Pengukuran:
    """Issue every subbagian's form, prefilled with realisation derived from verified entries where the
    indicator is linked to output codes (that number is also the initial realisation)."""
    require(is_rendatin(by, pengukuran.satker), PESAN_RENDATIN)
    now = timezone.now()
    with transaction.atomic():
        p = locked(pengukuran)
        require_tahap(p, T.FORM)
        rows = list(p.baris_set.all())
        usulan = hitung.realisasi_dari_entri(p, rows)
        for row in rows:
            if row.pk in usulan:
                row.realisasi_usulan = row.realisasi = usulan[row.pk]
        BarisPengukuran.objects.bulk_update(rows, ["realisasi_usulan", "realisasi"])
        n = FormDataKinerja.objects.filter(pengukuran=p).update(diterbitkan_pada=now, diterbitkan_oleh=by)
        note = f"{n} form diterbitkan; {len(usulan)} indikator terisi dari entri terverifikasi."
        advance(p, ke=T.PENGUMPULAN, by=by, now=now, action="pengukuran_form_terbit", catatan=note)
    return p
