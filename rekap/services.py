"""Rendatin's steps: compile the month (4), record the plenary (5), finalise its results (6).

Each transition is one function with its guard, its lock and its audit row. The month's stage (Periode) moves
only through kinerja.services.periode_set_tahap: VERIFICATION → COMPILED → PLENO → FINAL.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kinerja import audit as changes
from kinerja import document_store as docs
from kinerja import services as core
from kinerja.errors import DomainError
from kinerja.models import Pegawai, Satker, Subbagian, TahapPeriode
from silabu.lib.dates import format_bulan, format_tanggal, month_bounds
from verifikasi import services as verifikasi
from verifikasi.models import LaporanBulanan

from . import snapshot
from .models import CatatanPleno, RapatPleno, RekapBulanan, VersiPleno
from .policy import is_rendatin


class RekapDitolak(DomainError):
    """A compilation or plenary step is not allowed now, or not for this person."""


def _require_rendatin(by: Pegawai, satker: Satker) -> None:
    if not is_rendatin(by, satker):
        raise RekapDitolak("Langkah ini hanya untuk Subbagian Rendatin.")


def unverified_people(satker: Satker, year: int, month: int) -> list[Pegawai]:
    verified = set(
        LaporanBulanan.objects.for_month(year, month)
        .verified()
        .filter(satker=satker)
        .values_list("pegawai_id", flat=True)
    )
    return [p for p in snapshot.people_to_verify(satker) if p.pk not in verified]


# --- step 4: compile ---------------------------------------------------------------------------------------


def rekap_compile(*, satker: Satker, year: int, month: int, by: Pegawai, reason: str = "") -> RekapBulanan:
    """Freeze the month's verified data into a RekapBulanan and move the month to COMPILED.

    Every person's month must be verified, or `reason` must say why Rendatin compiles without them (they are
    then listed as unverified in the snapshot and their entries left out of the totals).
    """
    _require_rendatin(by, satker)
    reason = (reason or "").strip()
    label = format_bulan(year, month)
    with transaction.atomic():
        periode = core.periode_set_tahap(
            satker=satker,
            year=year,
            month=month,
            to=TahapPeriode.COMPILED,
            by=by,
            expected_from=(TahapPeriode.VERIFICATION,),
            note=reason,
        )
        # Wait for any verification decision in flight on this month: each one holds its LaporanBulanan row,
        # and reads the month's stage once it has it, so none can land after the snapshot is taken.
        verifikasi.laporan_lock_month(
            satker=satker, year=year, month=month, people=list(snapshot.people_to_verify(satker))
        )
        data = snapshot.build(satker, year, month)
        missing = data["belum_terverifikasi"]
        if missing and not reason:
            names = ", ".join(p["nama"] for p in missing[:5]) + (" …" if len(missing) > 5 else "")
            raise RekapDitolak(
                f"{len(missing)} pegawai belum diverifikasi untuk {label} ({names}). "
                "Tunggu verifikasinya, atau tuliskan alasan untuk menghimpun tanpa mereka.",
                field="alasan",
            )
        if not data["total"]["pegawai"]:
            raise RekapDitolak(f"Tidak ada pegawai yang datanya dapat dihimpun untuk {label}.")
        rekap = RekapBulanan.objects.create(
            satker=satker,
            tahun=year,
            bulan=month,
            data=data,
            dihimpun_oleh=by,
            alasan_belum_lengkap=reason if missing else "",
            jumlah_pegawai=data["total"]["pegawai"],
            jumlah_terverifikasi=data["total"]["terverifikasi"],
            jumlah_entri=data["total"]["kegiatan"],
        )
        core.audit(
            obj=rekap,
            actor=by.user,
            action="rekap_dihimpun",
            dari=TahapPeriode.VERIFICATION,
            ke=periode.tahap,
            catatan=reason if missing else "",
            satker=satker,
        )
    return rekap


# --- steps 5 and 6: the plenary -----------------------------------------------------------------------------


@dataclass
class Catatan:
    catatan: str
    koreksi: str = ""
    subbagian: Subbagian | None = None
    kode_output: str = ""


def _locked_rekap(rekap: RekapBulanan) -> RekapBulanan:
    return RekapBulanan.objects.select_for_update(of=("self",)).select_related("satker").get(pk=rekap.pk)


def _check_meeting(
    rekap: RekapBulanan,
    *,
    tanggal: datetime.date,
    mulai: datetime.time | None,
    selesai: datetime.time | None,
    people: list[Pegawai | None],
) -> None:
    """The meeting itself: after the month, not in the future, in the right order, among the satker's people."""
    if mulai and selesai and selesai < mulai:
        raise RekapDitolak("Jam selesai rapat tidak boleh sebelum jam mulai.")
    if tanggal > rekap.satker.today():
        raise RekapDitolak("Tanggal rapat pleno tidak boleh di masa depan.")
    if tanggal <= month_bounds(rekap.tahun, rekap.bulan)[1]:
        label = format_bulan(rekap.tahun, rekap.bulan)
        raise RekapDitolak(f"Rapat pleno {label} diadakan setelah bulan itu berakhir; periksa tanggalnya.")
    if any(p is not None and p.satker_id != rekap.satker_id for p in people):
        raise RekapDitolak("Peserta rapat harus dari satker ini.")


def _check_notes(rekap: RekapBulanan, catatan: list[Catatan]) -> dict[int, str]:
    """Each note is about an output code or a subbagian of the compiled month. Returns the subbagian's names as
    compiled, by id."""
    codes = {o["kode"] for o in rekap.data["output"]}
    names = {s["id"]: s["nama"] for s in rekap.data["subbagian"]}
    for item in catatan:
        if item.kode_output and item.kode_output not in codes:
            raise RekapDitolak(f"Kode output {item.kode_output} tidak ada dalam rekap bulan ini.")
        if item.subbagian is not None and item.subbagian.pk not in names:
            raise RekapDitolak(f"{item.subbagian.nama} tidak ada dalam rekap bulan ini.")
    return names


def _note_rows(rapat: RapatPleno, catatan: list[Catatan], names: dict[int, str]) -> list[CatatanPleno]:
    """The notes to keep (an empty one is dropped), in the order given."""
    return [
        CatatanPleno(
            rapat=rapat,
            subbagian=item.subbagian,
            subbagian_nama=names[item.subbagian.pk] if item.subbagian else "",
            kode_output=item.kode_output,
            catatan=item.catatan.strip(),
            koreksi=item.koreksi.strip(),
            urutan=i,
        )
        for i, item in enumerate(catatan)
        if item.catatan.strip() or item.koreksi.strip()
    ]


def _person(pegawai: Pegawai | None) -> dict | None:
    return {"id": pegawai.pk, "nama": pegawai.nama, "nip": pegawai.nip} if pegawai is not None else None


def pleno_content(rapat: RapatPleno) -> dict:
    """The plenary's record as its rows hold it now: what a version keeps."""
    return {
        "tanggal": rapat.tanggal.isoformat(),
        "tempat": rapat.tempat,
        "mulai": rapat.mulai.isoformat() if rapat.mulai else None,
        "selesai": rapat.selesai.isoformat() if rapat.selesai else None,
        "pimpinan_rapat": _person(rapat.pimpinan_rapat),
        "peserta": [_person(p) for p in rapat.peserta.order_by("nama", "pk")],
        "peserta_lain": rapat.peserta_lain,
        "keputusan": rapat.keputusan,
        "catatan_umum": rapat.catatan,
        "catatan": [
            {
                "subbagian": note.subbagian_nama,
                "kode_output": note.kode_output,
                "catatan": note.catatan,
                "koreksi": note.koreksi,
            }
            for note in rapat.catatan_set.order_by("urutan", "id")
        ],
    }


def _editable_rapat(rekap: RekapBulanan) -> tuple[RapatPleno | None, str]:
    """The month's meeting record so far (None before the first) and the month's stage, while it may change."""
    rapat = RapatPleno.objects.filter(rekap=rekap).first()
    if rapat is not None and rapat.is_final:
        raise RekapDitolak("Hasil rapat pleno sudah difinalisasi dan tidak dapat diubah.")
    tahap = core.periode_tahap(rekap.satker, rekap.tahun, rekap.bulan)
    if tahap not in (TahapPeriode.COMPILED, TahapPeriode.PLENO):
        raise RekapDitolak("Rapat pleno hanya dicatat untuk bulan yang sudah dihimpun dan belum final.")
    return rapat, tahap


def pleno_save(
    *,
    rekap: RekapBulanan,
    by: Pegawai,
    tanggal: datetime.date,
    tempat: str,
    mulai: datetime.time | None = None,
    selesai: datetime.time | None = None,
    pimpinan_rapat: Pegawai | None = None,
    peserta: list[Pegawai] = (),
    peserta_lain: str = "",
    keputusan: str = "",
    catatan_umum: str = "",
    catatan: list[Catatan] = (),
) -> RapatPleno:
    """Record (or correct) the plenary meeting. The first record moves the month from COMPILED to PLENO."""
    _require_rendatin(by, rekap.satker)
    _check_meeting(rekap, tanggal=tanggal, mulai=mulai, selesai=selesai, people=[*peserta, pimpinan_rapat])
    names = _check_notes(rekap, catatan)
    with transaction.atomic():
        rekap = _locked_rekap(rekap)
        rapat, tahap = _editable_rapat(rekap)
        created = rapat is None
        was = None if created else _pleno_state(rapat)
        rapat = rapat or RapatPleno(rekap=rekap)
        rapat.tanggal, rapat.tempat = tanggal, tempat.strip()
        rapat.mulai, rapat.selesai = mulai, selesai
        rapat.pimpinan_rapat = pimpinan_rapat
        rapat.peserta_lain = peserta_lain.strip()
        rapat.keputusan, rapat.catatan = keputusan.strip(), catatan_umum.strip()
        rapat.dicatat_oleh = by
        rapat.save()
        rapat.peserta.set(peserta)
        rapat.catatan_set.all().delete()
        CatatanPleno.objects.bulk_create(_note_rows(rapat, catatan, names))
        # every save is a version: the notes recorded before stay readable after a correction
        nomor = (rapat.versi_set.aggregate(n=Max("nomor"))["n"] or 0) + 1
        VersiPleno.objects.create(rapat=rapat, nomor=nomor, isi=pleno_content(rapat), dicatat_oleh=by)
        if tahap == TahapPeriode.COMPILED:
            core.periode_set_tahap(
                satker=rekap.satker,
                year=rekap.tahun,
                month=rekap.bulan,
                to=TahapPeriode.PLENO,
                by=by,
                expected_from=(TahapPeriode.COMPILED,),
                note=f"Rapat pleno {format_tanggal(tanggal)} di {rapat.tempat}",
            )
        core.audit(
            obj=rapat,
            actor=by.user,
            action="pleno_dicatat" if created else "pleno_diubah",
            satker=rekap.satker,
            perubahan=changes.diff(was, _pleno_state(rapat), PLENO_AUDITED),
        )
    return rapat


# what an audit row of the plenary record holds: its fields, who attended, and its notes as text
PLENO_FIELDS = (
    "tanggal",
    "tempat",
    "mulai",
    "selesai",
    "pimpinan_rapat",
    "peserta_lain",
    "keputusan",
    "catatan",
)
PLENO_AUDITED = (*PLENO_FIELDS, "peserta", "catatan_pleno")


def _pleno_state(rapat: RapatPleno) -> dict:
    return {
        **changes.snapshot(rapat, PLENO_FIELDS),
        "peserta": sorted(rapat.peserta.values_list("pk", flat=True)),
        "catatan_pleno": [
            f"{c.subbagian_nama or '-'}: {c.catatan} {c.koreksi}".strip()
            for c in rapat.catatan_set.order_by("urutan")
        ],
    }


ARCHIVED_DOCUMENTS = (
    ("rekap_bulanan", "pdf"),
    ("rekap_bulanan", "xlsx"),
    ("bahan_pleno", "pdf"),
    ("hasil_pleno", "pdf"),
    ("hasil_pleno", "xlsx"),
)


def check_pleno_complete(rapat: RapatPleno) -> None:
    """A plenary is finalised only with its place, its attendees and its decision recorded."""
    problems = []
    if not rapat.tempat:
        problems.append("tempat rapat")
    if not rapat.peserta.exists() and not rapat.peserta_lain:
        problems.append("peserta")
    if not rapat.keputusan:
        problems.append("keputusan rapat")
    if problems:
        raise RekapDitolak("Lengkapi dulu: " + ", ".join(problems) + ".")


def pleno_finalise(*, rapat: RapatPleno, by: Pegawai) -> RapatPleno:
    """Close the plenary: its record becomes immutable, the month FINAL, and its documents archived."""
    rekap = rapat.rekap
    _require_rendatin(by, rekap.satker)
    with transaction.atomic():
        rekap = _locked_rekap(rekap)
        rapat = RapatPleno.objects.select_for_update(of=("self",)).get(pk=rapat.pk)
        if rapat.is_final:
            raise RekapDitolak("Hasil rapat pleno sudah difinalisasi.")
        check_pleno_complete(rapat)
        core.periode_set_tahap(
            satker=rekap.satker,
            year=rekap.tahun,
            month=rekap.bulan,
            to=TahapPeriode.FINAL,
            by=by,
            expected_from=(TahapPeriode.PLENO,),
            note="Hasil rapat pleno difinalisasi",
        )
        rapat.peserta_snapshot = [snapshot.person(p) for p in rapat.peserta.order_by("nama")]
        rapat.difinalisasi_pada = timezone.now()
        rapat.difinalisasi_oleh = by
        rapat.save(update_fields=["peserta_snapshot", "difinalisasi_pada", "difinalisasi_oleh", "diubah"])
        core.audit(
            obj=rapat, actor=by.user, action="pleno_difinalisasi", ke=TahapPeriode.FINAL, satker=rekap.satker
        )
        note = f"Hasil rapat pleno {format_bulan(rekap.tahun, rekap.bulan)}, difinalisasi"
        for jenis, fmt in ARCHIVED_DOCUMENTS:
            params = {"tahun": rekap.tahun, "bulan": rekap.bulan, "fmt": fmt}
            shown = docs.current(rekap.satker, jenis, params) if jenis == "bahan_pleno" else None
            if shown is not None and not shown.arsip:
                docs.dokumen_archive(
                    dokumen=shown, note=note, by=by
                )  # the booklet the meeting saw, as it was rendered
            else:
                docs.dokumen_request(
                    satker=rekap.satker, jenis=jenis, params=params, by=by, archive_note=note
                )
    return rapat
