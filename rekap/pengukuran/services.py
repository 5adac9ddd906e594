"""The ten steps of the Bontang SOP *Pengukuran Kinerja* (DESIGN.md §3), one function per transition.

Every transition checks who acts and at which stage (PengukuranDitolak with the reason), locks the Pengukuran
row, closes the SOP step it ends and opens the next one (LangkahPengukuran rows, measured against MutuBaku) and
leaves an audit row:

  1 disposisi (Sekretaris) → 2 konsep_form (Kasubag Rendatin) → 3 terbitkan_form (staf Rendatin)
  → 4 isi_form / impor_form / serahkan_form (each subbagian; the last form handed in ends the step)
  → 5 ukur → 6 rekap_selesai → 7 lapor_draf (staf Rendatin) → 8 kirim_ke_sekretaris (Kasubag Rendatin)
  → 9 setujui (and 10, the archive) or kembalikan (back to 5 with the next version) (Sekretaris).

The actors are decided here (is_sekretaris, is_kasubag_rendatin, is_rendatin, subbagian_ids) and silabu.policy
asks the same functions, so a page and its service can never disagree. An acting head (Plt/Plh) of a post acts
for it on the days of the appointment.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from kinerja import dokumen as docs
from kinerja.errors import DomainError
from kinerja.evidence import process_upload_with_settings, safe_display_name
from kinerja.kalender import holidays_between, working_days
from kinerja.models import Pegawai, Satker, Subbagian
from kinerja.services import audit, files_removed_on_error
from silabu.lib import numbers
from silabu.lib.dates import format_bulan

from . import hitung
from .models import (
    PERIODE_NOMOR_MAX,
    TAHAP_LANGKAH,
    BarisPengukuran,
    FormDataKinerja,
    Indikator,
    JenisPeriode,
    JenisTarget,
    KeputusanVersi,
    LangkahPengukuran,
    MutuBaku,
    Pengukuran,
    TahapPengukuran,
    TargetPeriode,
    VersiPengukuran,
)
from .policy import (
    PESAN_KASUBAG_RENDATIN,
    PESAN_RENDATIN,
    PESAN_SEKRETARIS,
    can_fill,
    is_kasubag_rendatin,
    is_rendatin,
    is_sekretaris,
    pesan_subbagian,
    sees_all,
    subbagian_ids,
)

logger = logging.getLogger(__name__)

T = TahapPengukuran
MAX_ANGKA = Decimal("999999999999.99")  # max_digits=14, decimal_places=2
MAX_CAPAIAN = Decimal("9999999.99")  # max_digits=9, decimal_places=2

# The documents that record a decided version (step 9 → 10), archived with their SHA-256.
ARCHIVED_DOCUMENTS = (
    ("pengukuran_kertas_kerja", "xlsx"),
    ("pengukuran_kertas_kerja", "pdf"),
    ("pengukuran_laporan", "pdf"),
)


class PengukuranDitolak(DomainError):
    """A measurement step is not allowed now, or not for this person; the message says why."""


# --- who acts ----------------------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PengukuranDitolak(message)


# --- labels ------------------------------------------------------------------------------------------------

ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}


def label_periode(jenis_periode: str, nomor: int, tahun: int) -> str:
    """As people say it: "Oktober 2026", "Triwulan III 2026", "Semester I 2026", "Tahun 2026"."""
    if jenis_periode == JenisPeriode.BULAN:
        return format_bulan(tahun, nomor)
    if jenis_periode == JenisPeriode.TRIWULAN:
        return f"Triwulan {ROMAWI.get(nomor, nomor)} {tahun}"
    if jenis_periode == JenisPeriode.SEMESTER:
        return f"Semester {ROMAWI.get(nomor, nomor)} {tahun}"
    return f"Tahun {tahun}"


def label(pengukuran: Pengukuran) -> str:
    return label_periode(pengukuran.jenis_periode, pengukuran.nomor, pengukuran.tahun)


# --- the common parts of a transition ------------------------------------------------------------------------


def _locked(pengukuran: Pengukuran) -> Pengukuran:
    return Pengukuran.objects.select_for_update(of=("self",)).select_related("satker").get(pk=pengukuran.pk)


def _require_tahap(pengukuran: Pengukuran, *allowed: str) -> None:
    if pengukuran.tahap not in allowed:
        raise PengukuranDitolak(
            f"Pengukuran {label(pengukuran)} sedang pada tahap «{pengukuran.get_tahap_display()}»; "
            "langkah ini tidak dapat dilakukan sekarang."
        )


def _pindah(
    pengukuran: Pengukuran,
    *,
    ke: str,
    by: Pegawai,
    now: datetime.datetime,
    action: str,
    catatan: str = "",
    versi_baru: bool = False,
) -> None:
    """End the step now due (by whom, with what note), move to stage `ke` and open its step.

    With versi_baru (a return), the measurement's version goes up and the reopened step belongs to it."""
    dari = pengukuran.tahap
    LangkahPengukuran.objects.filter(
        pengukuran=pengukuran, langkah=TAHAP_LANGKAH[dari], selesai__isnull=True
    ).update(selesai=now, oleh=by, catatan=catatan)
    pengukuran.tahap = ke
    fields = ["tahap", "diubah"]
    if versi_baru:
        pengukuran.versi += 1
        pengukuran.catatan_pengembalian = catatan
        fields += ["versi", "catatan_pengembalian"]
    pengukuran.save(update_fields=fields)
    if ke == T.DISETUJUI:
        # Step 10, the archive, is done in the same act: the documents are filed with the decision.
        LangkahPengukuran.objects.create(
            pengukuran=pengukuran,
            langkah=TAHAP_LANGKAH[ke],
            versi=pengukuran.versi,
            mulai=now,
            selesai=now,
            oleh=by,
            catatan="Diarsipkan bersama dokumennya.",
        )
    else:
        LangkahPengukuran.objects.create(
            pengukuran=pengukuran, langkah=TAHAP_LANGKAH[ke], versi=pengukuran.versi, mulai=now
        )
    audit(
        obj=pengukuran,
        actor=by.user,
        action=action,
        dari=dari,
        ke=ke,
        catatan=catatan,
        satker=pengukuran.satker,
    )


def _angka(value, name: str, *, maximum: Decimal = MAX_ANGKA) -> Decimal:
    """A non-negative finite number, rounded half-up to two decimals."""
    try:
        return numbers.parse_decimal(value, round_excess=True, minimum=Decimal(0), maximum=maximum)
    except numbers.BelowMinimum as error:
        raise PengukuranDitolak(f"{name} tidak boleh negatif ({error.number}).") from None
    except numbers.AboveMaximum as error:
        raise PengukuranDitolak(f"{name} terlalu besar ({error.number}).") from None
    except numbers.NumberError:
        raise PengukuranDitolak(f"{name} bukan angka.") from None


# --- step 1: the Sekretaris' disposition ----------------------------------------------------------------------


def disposisi(
    *, satker: Satker, tahun: int, jenis_periode: str, nomor: int, instruksi: str, by: Pegawai
) -> Pengukuran:
    """Start a measurement for a period with the Sekretaris' instruction to the Kasubag Rendatin."""
    _require(is_sekretaris(by, satker), PESAN_SEKRETARIS)
    instruksi = (instruksi or "").strip()
    if not instruksi:
        raise PengukuranDitolak("Tuliskan instruksi disposisi untuk Kasubag Rendatin.")
    if jenis_periode not in JenisPeriode.values:
        raise PengukuranDitolak("Jenis periode tidak dikenal.")
    maks = PERIODE_NOMOR_MAX[jenis_periode]
    if not 1 <= int(nomor) <= maks:
        raise PengukuranDitolak(
            f"Periode {JenisPeriode(jenis_periode).label.lower()} hanya bernomor 1 sampai {maks}."
        )
    if not 2000 <= int(tahun) <= 2100:
        raise PengukuranDitolak("Tahun tidak valid.")
    nama = label_periode(jenis_periode, int(nomor), int(tahun))
    exists = Pengukuran.objects.filter(satker=satker, tahun=tahun, jenis_periode=jenis_periode, nomor=nomor)
    if exists.exists():
        raise PengukuranDitolak(f"Pengukuran kinerja {nama} sudah ada.")
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
        raise PengukuranDitolak(f"Pengukuran kinerja {nama} sudah ada.") from None
    return pengukuran


# --- step 2: the Kasubag Rendatin drafts the forms --------------------------------------------------------------


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


def konsep_form(*, pengukuran: Pengukuran, by: Pegawai, pilihan: dict[int, list[int]]) -> Pengukuran:
    """Draft one Form Data Kinerja per subbagian with the chosen indicators, each row a snapshot of its
    indicator and the period's target: later changes to the framework never change this measurement."""
    satker = pengukuran.satker
    _require(is_kasubag_rendatin(by, satker), PESAN_KASUBAG_RENDATIN)
    chosen = {int(sub): [int(i) for i in ids] for sub, ids in pilihan.items() if ids}
    if not chosen:
        raise PengukuranDitolak("Pilih sedikitnya satu indikator untuk form data kinerja.")
    ids = [i for group in chosen.values() for i in group]
    if len(ids) != len(set(ids)):
        raise PengukuranDitolak("Satu indikator hanya dapat dimasukkan ke satu form.")
    now = timezone.now()
    with transaction.atomic():
        p = _locked(pengukuran)
        _require_tahap(p, T.KONSEP)
        subbagian = {s.pk: s for s in Subbagian.objects.filter(pk__in=list(chosen), satker=satker)}
        if len(subbagian) != len(chosen):
            raise PengukuranDitolak("Subbagian yang dipilih tidak dikenal di satker ini.")
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
        targets = {
            t.indikator_id: t
            for t in TargetPeriode.objects.filter(
                indikator_id__in=ids, jenis_periode=p.jenis_periode, nomor=p.nomor
            )
        }
        forms = {
            sub_id: FormDataKinerja.objects.create(pengukuran=p, subbagian=subbagian[sub_id])
            for sub_id in sorted(chosen, key=lambda s: (subbagian[s].urutan, subbagian[s].nama))
        }
        form_of = {i: forms[sub_id] for sub_id, group in chosen.items() for i in group}
        rows = []
        for urutan, indikator in enumerate(sorted(found.values(), key=_urutan), start=1):
            kegiatan = indikator.kegiatan
            target, bawah, atas = _target(indikator, targets.get(indikator.pk), p.jenis_periode)
            rows.append(
                BarisPengukuran(
                    pengukuran=p,
                    form=form_of[indikator.pk],
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
            )
        BarisPengukuran.objects.bulk_create(rows)
        _pindah(
            p,
            ke=T.FORM,
            by=by,
            now=now,
            action="pengukuran_konsep",
            catatan=f"{len(rows)} indikator dalam {len(forms)} form.",
        )
    return p


# --- step 3: Rendatin staff issue the forms --------------------------------------------------------------------


def terbitkan_form(*, pengukuran: Pengukuran, by: Pegawai) -> Pengukuran:
    """Issue every subbagian's form, prefilled with realisation derived from verified entries where the
    indicator is linked to output codes (that number is also the initial realisation)."""
    _require(is_rendatin(by, pengukuran.satker), PESAN_RENDATIN)
    now = timezone.now()
    with transaction.atomic():
        p = _locked(pengukuran)
        _require_tahap(p, T.FORM)
        rows = list(p.baris_set.all())
        usulan = hitung.realisasi_dari_entri(p, rows)
        for row in rows:
            if row.pk in usulan:
                row.realisasi_usulan = row.realisasi = usulan[row.pk]
        BarisPengukuran.objects.bulk_update(rows, ["realisasi_usulan", "realisasi"])
        n = FormDataKinerja.objects.filter(pengukuran=p).update(diterbitkan_pada=now, diterbitkan_oleh=by)
        _pindah(
            p,
            ke=T.PENGUMPULAN,
            by=by,
            now=now,
            action="pengukuran_form_terbit",
            catatan=f"{n} form diterbitkan; {len(usulan)} indikator terisi dari entri terverifikasi.",
        )
    return p


# --- step 4: each subbagian fills and hands in its form ------------------------------------------------------


@dataclass
class IsianBaris:
    realisasi: Decimal | None
    keterangan: str = ""
    bukti: UploadedFile | None = None


def _require_pengisi(form: FormDataKinerja, by: Pegawai) -> None:
    _require(can_fill(by, form), pesan_subbagian(form.subbagian))


def _delete_on_commit(files: list) -> None:
    def remove():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("could not delete replaced evidence file %s", name)

    if files:
        transaction.on_commit(remove)


def _isi(*, form: FormDataKinerja, by: Pegawai, nilai: dict[int, IsianBaris], action: str) -> FormDataKinerja:
    _require_pengisi(form, by)
    satker = form.pengukuran.satker
    known = {r.pk: r for r in form.baris_set.all()}
    unknown = [str(pk) for pk in nilai if pk not in known]
    if unknown:
        raise PengukuranDitolak(f"Baris {', '.join(unknown)} bukan bagian dari form {form.subbagian.nama}.")
    cleaned: dict[int, tuple[Decimal | None, str]] = {}
    for pk, isian in nilai.items():
        name = f"Realisasi {known[pk].indikator_kode}"
        realisasi = None if isian.realisasi is None else _angka(isian.realisasi, name)
        cleaned[pk] = (realisasi, (isian.keterangan or "").strip()[:2000])
    # Evidence is checked (and images re-encoded) before any lock is taken: it can take a while.
    uploads = {
        pk: (process_upload_with_settings(isian.bukti, tz=satker.tz), safe_display_name(isian.bukti.name))
        for pk, isian in nilai.items()
        if isian.bukti
    }
    with transaction.atomic():
        p = _locked(form.pengukuran)
        form = FormDataKinerja.objects.select_related("subbagian").get(pk=form.pk)
        _require_tahap(p, T.PENGUMPULAN)
        if form.diserahkan_pada is not None:
            raise PengukuranDitolak(
                f"Form {form.subbagian.nama} sudah diserahkan dan tidak dapat diubah lagi."
            )
        rows = list(form.baris_set.filter(pk__in=list(cleaned)))
        replaced = []
        with files_removed_on_error() as stored:
            for row in rows:
                row.realisasi, row.keterangan = cleaned[row.pk]
                if row.pk in uploads:
                    processed, display = uploads[row.pk]
                    if row.bukti:
                        replaced.append((row.bukti.storage, row.bukti.name))
                    row.bukti.save(f"bukti.{processed.extension}", ContentFile(processed.content), save=False)
                    stored.append(row.bukti)
                    row.bukti_nama = display
            BarisPengukuran.objects.bulk_update(rows, ["realisasi", "keterangan", "bukti", "bukti_nama"])
            audit(
                obj=form,
                actor=by.user,
                action=action,
                catatan=f"{len(rows)} indikator, {len(uploads)} bukti",
                satker=p.satker,
            )
        _delete_on_commit(replaced)
    return form


def isi_form(*, form: FormDataKinerja, by: Pegawai, nilai: dict[int, IsianBaris]) -> FormDataKinerja:
    """Save realisation, notes and evidence for some rows of a subbagian's form (any number of times until
    it is handed in). A realisation of None empties it; a negative one is refused."""
    return _isi(form=form, by=by, nilai=nilai, action="pengukuran_form_diisi")


def impor_form(*, form: FormDataKinerja, by: Pegawai, berkas) -> FormDataKinerja:
    """Read back the form's XLSX filled offline (rekap.pengukuran.formulir checks that it is this form of this
    subbagian and period) and save it like isi_form: all of it, or nothing."""
    _require_pengisi(form, by)
    try:
        from .formulir import parse_form
    except ImportError:
        raise PengukuranDitolak(
            "Impor berkas Form Data Kinerja belum tersedia. Isi realisasinya langsung di halaman ini."
        ) from None
    nilai = parse_form(form, berkas)
    return _isi(form=form, by=by, nilai=nilai, action="pengukuran_form_impor")


def baris_belum_lengkap(rows: Iterable[BarisPengukuran]) -> list[BarisPengukuran]:
    """Rows with neither a realisation nor a note saying why there is none."""
    return [r for r in rows if r.realisasi is None and not r.keterangan.strip()]


def serahkan_form(*, form: FormDataKinerja, by: Pegawai) -> FormDataKinerja:
    """Hand the form in. Every row needs a realisation or a note explaining why not. When the last form is in,
    step 4 ends and the measurement waits for Rendatin (step 5)."""
    _require_pengisi(form, by)
    now = timezone.now()
    with transaction.atomic():
        p = _locked(form.pengukuran)
        form = FormDataKinerja.objects.select_related("subbagian").get(pk=form.pk)
        _require_tahap(p, T.PENGUMPULAN)
        if form.diserahkan_pada is not None:
            raise PengukuranDitolak(f"Form {form.subbagian.nama} sudah diserahkan.")
        missing = baris_belum_lengkap(form.baris_set.all())
        if missing:
            codes = ", ".join(r.indikator_kode for r in missing[:5]) + (" …" if len(missing) > 5 else "")
            raise PengukuranDitolak(
                f"Realisasi belum diisi untuk {len(missing)} indikator ({codes}). "
                "Isi realisasinya, atau jelaskan di keterangan mengapa tidak ada."
            )
        form.diserahkan_pada, form.diserahkan_oleh = now, by
        form.save(update_fields=["diserahkan_pada", "diserahkan_oleh"])
        audit(obj=form, actor=by.user, action="pengukuran_form_diserahkan", satker=p.satker)
        if not p.form_set.filter(diserahkan_pada__isnull=True).exists():
            _pindah(
                p,
                ke=T.PENGUKURAN,
                by=by,
                now=now,
                action="pengukuran_terkumpul",
                catatan="Semua form data kinerja sudah diserahkan.",
            )
    return form


# --- steps 5 to 7: Rendatin measures, recaps and reports ------------------------------------------------------


def ukur(
    *, pengukuran: Pengukuran, by: Pegawai, manual: dict[int, tuple[Decimal | None, str]] | None = None
) -> Pengukuran:
    """Compute every row's capaian and category with the formulas (DESIGN.md §3) and save them.

    `manual` is the complete set of manual capaian (row id → (capaian, reason)); a row left out, or given
    None, has none. A manual capaian needs a reason. Called in step 5 it ends the step; called again during
    the recap (step 6) it re-measures without changing the step.
    """
    manual = manual or {}
    _require(is_rendatin(by, pengukuran.satker), PESAN_RENDATIN)
    now = timezone.now()
    with transaction.atomic():
        p = _locked(pengukuran)
        _require_tahap(p, T.PENGUKURAN, T.REKAP)
        open_forms = list(p.form_set.filter(diserahkan_pada__isnull=True).select_related("subbagian"))
        if open_forms:
            raise PengukuranDitolak(
                "Belum semua form diserahkan: " + ", ".join(f.subbagian.nama for f in open_forms) + "."
            )
        rows = list(p.baris_set.all())
        known = {r.pk for r in rows}
        unknown = [str(pk) for pk in manual if pk not in known]
        if unknown:
            raise PengukuranDitolak(f"Baris {', '.join(unknown)} bukan bagian dari pengukuran ini.")
        skala = hitung.skala_for(p.satker)
        for row in rows:
            value, alasan = manual.get(row.pk, (None, ""))
            if value is None or value == "":
                row.capaian_manual, row.alasan_manual = None, ""
            else:
                row.capaian_manual = _angka(
                    value, f"Capaian manual {row.indikator_kode}", maximum=MAX_CAPAIAN
                )
                row.alasan_manual = (alasan or "").strip()
                if not row.alasan_manual:
                    raise PengukuranDitolak(
                        f"Capaian manual untuk indikator {row.indikator_kode} memerlukan alasan."
                    )
            hitung.hitung_baris(row, skala)
        BarisPengukuran.objects.bulk_update(
            rows, ["capaian", "capaian_manual", "alasan_manual", "kategori", "pesan"]
        )
        measured = sum(1 for r in rows if r.capaian_akhir is not None)
        note = f"{measured} dari {len(rows)} indikator terukur."
        if p.tahap == T.PENGUKURAN:
            _pindah(p, ke=T.REKAP, by=by, now=now, action="pengukuran_diukur", catatan=note)
        else:
            audit(obj=p, actor=by.user, action="pengukuran_diukur_ulang", catatan=note, satker=p.satker)
    return p


def _simple_step(pengukuran, by, *, allowed, message, tahap, ke, action, catatan=""):
    _require(allowed(by, pengukuran.satker), message)
    with transaction.atomic():
        p = _locked(pengukuran)
        _require_tahap(p, tahap)
        _pindah(p, ke=ke, by=by, now=timezone.now(), action=action, catatan=(catatan or "").strip())
    return p


def rekap_selesai(*, pengukuran: Pengukuran, by: Pegawai) -> Pengukuran:
    """Step 6 done: the recap per sasaran/program/kegiatan is ready to report."""
    return _simple_step(
        pengukuran,
        by,
        allowed=is_rendatin,
        message=PESAN_RENDATIN,
        tahap=T.REKAP,
        ke=T.DRAF,
        action="pengukuran_rekap",
    )


def lapor_draf(*, pengukuran: Pengukuran, by: Pegawai) -> Pengukuran:
    """Step 7: Rendatin staff report the recap to the Kasubag Rendatin as a draft."""
    return _simple_step(
        pengukuran,
        by,
        allowed=is_rendatin,
        message=PESAN_RENDATIN,
        tahap=T.DRAF,
        ke=T.PEMERIKSAAN,
        action="pengukuran_draf",
    )


def kirim_ke_sekretaris(*, pengukuran: Pengukuran, by: Pegawai, catatan: str = "") -> Pengukuran:
    """Step 8: the Kasubag Rendatin has checked the report and sends it to the Sekretaris."""
    return _simple_step(
        pengukuran,
        by,
        allowed=is_kasubag_rendatin,
        message=PESAN_KASUBAG_RENDATIN,
        tahap=T.PEMERIKSAAN,
        ke=T.PERSETUJUAN,
        action="pengukuran_dikirim",
        catatan=catatan,
    )


# --- step 9 (and 10): the Sekretaris decides; every decided version is archived -----------------------------


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def data_versi(pengukuran: Pengukuran, rows: list[BarisPengukuran]) -> dict:
    """A version's numbers as JSON (decimals as strings): every row and the recap."""

    def kelompok(group: hitung.Kelompok, children: bool = True) -> dict:
        item = {
            "nama": group.nama,
            "rata_rata": _text(group.rata_rata),
            "per_kategori": group.per_kategori,
            "jumlah": len(group.rows),
        }
        if children and group.children:
            item["anak"] = [kelompok(child) for child in group.children.values()]
        return item

    summary = hitung.rekap(pengukuran, rows)
    return {
        "periode": label(pengukuran),
        "tahun": pengukuran.tahun,
        "jenis_periode": pengukuran.jenis_periode,
        "nomor": pengukuran.nomor,
        "versi": pengukuran.versi,
        "baris": [
            {
                "id": r.pk,
                "form_id": r.form_id,
                "indikator_id": r.indikator_id,
                "subbagian": r.form.subbagian.nama,
                "urutan": r.urutan,
                "sasaran": r.sasaran,
                "program": r.program,
                "kegiatan": r.kegiatan,
                "kode": r.indikator_kode,
                "indikator": r.indikator_uraian,
                "satuan": r.satuan,
                "arah": r.arah,
                "target": _text(r.target),
                "target_bawah": _text(r.target_bawah),
                "target_atas": _text(r.target_atas),
                "aturan_realisasi": r.aturan_realisasi,
                "satuan_volume": r.satuan_volume,
                "realisasi_usulan": _text(r.realisasi_usulan),
                "realisasi": _text(r.realisasi),
                "keterangan": r.keterangan,
                "bukti_nama": r.bukti_nama,
                "capaian": _text(r.capaian),
                "capaian_manual": _text(r.capaian_manual),
                "alasan_manual": r.alasan_manual,
                "capaian_akhir": _text(r.capaian_akhir),
                "kategori": r.kategori,
                "pesan": r.pesan,
            }
            for r in rows
        ],
        "skala": [{"nama": k.nama, "minimum": str(k.minimum)} for k in summary.skala],
        "rekap": {
            "total": kelompok(summary.total, children=False),
            "sasaran": [kelompok(s) for s in summary.sasaran],
            "kategori": summary.kategori_names,
        },
    }


def _versi(p: Pengukuran, by: Pegawai, keputusan: str, catatan: str, now) -> VersiPengukuran:
    rows = list(p.baris_set.select_related("form__subbagian").order_by("urutan", "pk"))
    return VersiPengukuran.objects.create(
        pengukuran=p,
        versi=p.versi,
        keputusan=keputusan,
        catatan=catatan,
        oleh=by,
        pada=now,
        data=data_versi(p, rows),
    )


def _arsipkan(p: Pengukuran, versi: VersiPengukuran, by: Pegawai) -> None:
    """File the worksheet and the report of this version, immutable, with their SHA-256."""
    note = f"Pengukuran kinerja {label(p)} versi {versi.versi}, {versi.get_keputusan_display().lower()}"
    for jenis, fmt in ARCHIVED_DOCUMENTS:
        if jenis not in docs.GENERATORS:
            raise PengukuranDitolak("Dokumen arsip pengukuran belum dapat dibuat. Hubungi admin.")
        docs.request_dokumen(
            satker=p.satker,
            jenis=jenis,
            params={"pengukuran_id": p.pk, "versi": versi.versi, "fmt": fmt},
            by=by.user,
            archive_note=note,
        )


def setujui(*, pengukuran: Pengukuran, by: Pegawai, catatan: str = "") -> VersiPengukuran:
    """Step 9 approve: the version is kept with its numbers, the measurement becomes input to the Laporan
    Kinerja, and step 10 archives its documents."""
    _require(is_sekretaris(by, pengukuran.satker), PESAN_SEKRETARIS)
    catatan = (catatan or "").strip()
    now = timezone.now()
    with transaction.atomic():
        p = _locked(pengukuran)
        _require_tahap(p, T.PERSETUJUAN)
        versi = _versi(p, by, KeputusanVersi.DISETUJUI, catatan, now)
        _arsipkan(p, versi, by)
        _pindah(p, ke=T.DISETUJUI, by=by, now=now, action="pengukuran_disetujui", catatan=catatan)
    return versi


def kembalikan(*, pengukuran: Pengukuran, by: Pegawai, catatan: str) -> VersiPengukuran:
    """Step 9 return: the version is kept and archived with the notes, and Rendatin measures again (step 5)
    as the next version."""
    _require(is_sekretaris(by, pengukuran.satker), PESAN_SEKRETARIS)
    catatan = (catatan or "").strip()
    if not catatan:
        raise PengukuranDitolak("Tuliskan catatan pengembalian: apa yang perlu diperbaiki.")
    now = timezone.now()
    with transaction.atomic():
        p = _locked(pengukuran)
        _require_tahap(p, T.PERSETUJUAN)
        versi = _versi(p, by, KeputusanVersi.DIKEMBALIKAN, catatan, now)
        _arsipkan(p, versi, by)
        _pindah(
            p,
            ke=T.PENGUKURAN,
            by=by,
            now=now,
            action="pengukuran_dikembalikan",
            catatan=catatan,
            versi_baru=True,
        )
    return versi


# --- to-do lists -------------------------------------------------------------------------------------------

LANGKAH_TUGAS = {
    T.KONSEP: (
        "Kasubag Rendatin",
        "Susun konsep Form Data Kinerja: pilih indikator per subbagian",
        "kasubag",
    ),
    T.FORM: ("Staf Rendatin", "Terbitkan Form Data Kinerja untuk setiap subbagian", "rendatin"),
    T.PENGUKURAN: ("Staf Rendatin", "Ukur capaian kinerja", "rendatin"),
    T.REKAP: ("Staf Rendatin", "Periksa rekap per sasaran/program/kegiatan, lalu tandai selesai", "rendatin"),
    T.DRAF: ("Staf Rendatin", "Laporkan draf hasil pengukuran ke Kasubag Rendatin", "rendatin"),
    T.PEMERIKSAAN: ("Kasubag Rendatin", "Periksa hasil pengukuran dan kirim ke Sekretaris", "kasubag"),
    T.PERSETUJUAN: ("Sekretaris", "Setujui atau kembalikan hasil pengukuran", "sekretaris"),
}
_ACTOR_CHECK = {"kasubag": is_kasubag_rendatin, "rendatin": is_rendatin, "sekretaris": is_sekretaris}


@dataclass
class Tugas:
    """The step a measurement waits for, who does it, and whether that is this person."""

    pengukuran: Pengukuran
    langkah: int
    tindakan: str
    pelaksana: str
    saya: bool
    form: FormDataKinerja | None = None

    @property
    def periode(self) -> str:
        return label(self.pengukuran)


def todo(pegawai: Pegawai) -> list[Tugas]:
    """Per open measurement this person may see, the step due and whether they are its actor; during step 4
    one task per form of their subbagian still to hand in. Their own tasks first. A fixed number of queries."""
    satker = pegawai.satker
    everything = sees_all(pegawai, satker)
    mine = subbagian_ids(pegawai)
    if not everything and not mine:
        return []
    forms = FormDataKinerja.objects.select_related("subbagian").order_by("subbagian__urutan", "pk")
    measurements = (
        Pengukuran.objects.filter(satker=satker)
        .exclude(tahap=T.DISETUJUI)
        .select_related("satker")
        .prefetch_related(Prefetch("form_set", queryset=forms))
        .order_by("-tahun", "disposisi_pada", "pk")
    )
    checks = {key: check(pegawai, satker) for key, check in _ACTOR_CHECK.items()}
    tasks: list[Tugas] = []
    for p in measurements:
        all_forms = list(p.form_set.all())
        my_forms = [f for f in all_forms if f.subbagian_id in mine and f.diterbitkan_pada is not None]
        if not everything and not my_forms:
            continue
        if p.tahap == T.PENGUMPULAN:
            for form in my_forms:
                if form.diserahkan_pada is None:
                    tasks.append(
                        Tugas(
                            p,
                            4,
                            f"Isi dan serahkan Form Data Kinerja {form.subbagian.nama}",
                            form.subbagian.nama,
                            True,
                            form,
                        )
                    )
            done = sum(1 for f in all_forms if f.diserahkan_pada is not None)
            tasks.append(
                Tugas(
                    p,
                    4,
                    f"Kumpulkan form data kinerja: {done} dari {len(all_forms)} form diserahkan",
                    "Staf Rendatin / subbagian",
                    checks["rendatin"],
                )
            )
            continue
        pelaksana, tindakan, actor = LANGKAH_TUGAS[p.tahap]
        if p.tahap == T.PENGUKURAN and p.versi > 1:
            tindakan = f"Perbaiki pengukuran (versi {p.versi}) sesuai catatan Sekretaris"
        tasks.append(Tugas(p, p.langkah_sekarang, tindakan, pelaksana, checks[actor]))
    tasks.sort(key=lambda t: not t.saya)
    return tasks


# --- mutu baku: how long each step took against the SOP's standard --------------------------------------------


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

    @property
    def berjalan(self) -> bool:
        return self.selesai is None

    @property
    def per_hari(self) -> bool:
        return self.mutu is not None and bool(self.mutu.hari_kerja)

    @property
    def waktu(self) -> str:
        """The actual duration in the unit of the standard: "95 menit", "2 hari kerja"."""
        if self.per_hari:
            return f"{self.hari_kerja} hari kerja"
        return f"{self.menit} menit"

    @property
    def batas(self) -> str:
        if self.mutu is None:
            return "—"
        if self.mutu.hari_kerja:
            return f"{self.mutu.hari_kerja} hari kerja"
        return f"{self.mutu.menit} menit" if self.mutu.menit else "—"


def mutu_baku() -> dict[int, MutuBaku]:
    return {m.langkah: m for m in MutuBaku.objects.filter(sop="bontang")}


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
        late = False
        if standard is not None and standard.hari_kerja:
            late = days > standard.hari_kerja
        elif standard is not None and standard.menit:
            late = minutes > standard.menit
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
    mutu = mutu_baku()
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
