"""Demo of Rendatin's steps (SOP 4–6) on top of the kinerja and verification demos, so that `make run` shows the
board, the archive and the year's data at once.

- The three months before the month before last get entries of their own and go through the whole chain:
  every person's month verified by the head of the day within the SOP's three working days (Hukum one day late
  in the oldest month, so the board shows a late step), compiled by Rendatin the next working day, the plenary
  recorded two working days later (place, attendees with the Pimpinan, decisions, notes per subbagian and per
  output code, one agreed correction), finalised the next working day: FINAL, its documents archived (the
  plenary booklet requested before the meeting, the rest at finalisation; `db_worker` renders them).
- The month before last (verified by the verification demo today) is compiled today and waits for its plenary:
  the booklet, the presentation and the plenary form are there to try.
- Last month stays under verification and this month open (the earlier demos).

Every step goes through the services. Each month's verification runs through verifikasi.services with `as_of`,
the parameter the verification services keep for a loader writing history: the step is checked and recorded as
at that moment (the verifier of that day, the month's stage on that day, that time on the records and their
audit rows). The later steps (rekap.services) have no such parameter, so their timestamps and audit rows are
moved to the day the step happened once the service has run. Every function skips what already exists, so
running it twice changes nothing.
"""

import datetime
import random
import sys

from django.db import transaction
from django.db.models import Max

from demo import kinerja as kinerja_demo
from kinerja import document_store as docs
from kinerja import kalender_services
from kinerja import services as core
from kinerja.kalender import add_working_days, working_days
from kinerja.models import (
    LOCKED_STAGES,
    AuditLog,
    Dokumen,
    EntriKinerja,
    JenisKetidakhadiran,
    KodeOutput,
    Pegawai,
    Periode,
    Satker,
    TahapPeriode,
)
from kinerja.organisasi import verifier_for
from rekap import services
from rekap.models import RapatPleno, RekapBulanan
from rekap.services import Catatan
from silabu.lib.dates import format_bulan, shift_month
from verifikasi import services as verification
from verifikasi.models import LaporanBulanan, StatusLaporan
from verifikasi.services import laporan_for

FINAL_MONTHS = 3  # months before the month before last that go through the whole chain
TEMPAT = "Ruang Rapat KPU Kabupaten Kudus"
# The meeting's start and end, one per final month in turn: the last one runs over the SOP's 120 minutes.
MEETING_TIMES = [
    (datetime.time(9, 0), datetime.time(10, 45)),
    (datetime.time(13, 30), datetime.time(15, 15)),
    (datetime.time(9, 0), datetime.time(11, 20)),
]
TRIWULAN = ["I", "II", "III", "IV"]
GUESTS = "Perwakilan KPU Provinsi Jawa Tengah (supervisi)"


def _at(satker: Satker, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), satker.tz)


def _marks() -> tuple[int, int]:
    """The last audit row and document so far: what a step writes after this is that step's."""
    return (
        AuditLog.objects.aggregate(n=Max("id"))["n"] or 0,
        Dokumen.objects.aggregate(n=Max("id"))["n"] or 0,
    )


def _backdate(marks: tuple[int, int], moment: datetime.datetime) -> None:
    """Move the audit rows (and requested documents) written since `marks` to the moment the step happened."""
    audit_mark, dokumen_mark = marks
    AuditLog.objects.filter(id__gt=audit_mark).update(waktu=moment)
    Dokumen.objects.filter(id__gt=dokumen_mark).update(diminta_pada=moment)


def rendatin_staff(satker: Satker) -> Pegawai:
    """The Rendatin person who compiles: the first Rendatin staff member by name (the demo's Rendatin login)."""
    sub = satker.subbagian_set.get(is_rendatin=True)
    return sub.pegawai_set.exclude(pk=sub.kasubag_id).with_org().order_by("nama").first()


# --- entries and verification of an earlier month -------------------------------------------------------------


def _ensure_entries(satker: Satker, people: dict, year: int, month: int, rng, pool, today) -> int:
    if EntriKinerja.objects.filter(satker=satker).in_month(year, month).exists():
        return 0
    subbagian = {s.singkatan: s for s in satker.subbagian_set.all()}
    if not KodeOutput.objects.filter(satker=satker, tahun=year).exists():
        kinerja_demo.create_kode_output(satker, year, subbagian)
    codes = {c.kode: c for c in KodeOutput.objects.filter(satker=satker, tahun=year)}
    staff = [p for short in kinerja_demo.STAFF for p in people[short]]
    _add_leave(staff, rng, year, month)
    by_sub = kinerja_demo.codes_by_subbagian(codes, subbagian)
    return kinerja_demo.create_month_entries(
        staff,
        by_sub,
        year,
        month,
        rng,
        until=today - datetime.timedelta(days=1),
        evidence=pool,
        evidence_rate=0.3,
    )


def _add_leave(staff: list[Pegawai], rng, year: int, month: int) -> None:
    """A few days of leave for three people, inside the month (the later months' figures stay as they were)."""
    for pegawai in rng.sample(staff, k=min(3, len(staff))):
        start = datetime.date(year, month, rng.randint(3, 20))
        kalender_services.ketidakhadiran_add(
            pegawai=pegawai,
            jenis=rng.choice([JenisKetidakhadiran.CUTI_TAHUNAN, JenisKetidakhadiran.SAKIT]),
            mulai=start,
            selesai=start + datetime.timedelta(days=rng.randint(0, 2)),
            keterangan="Data demo",
            by=None,  # the loader, as an import command would
        )


def _verify_as_of(pegawai: Pegawai, year: int, month: int, moment: datetime.datetime) -> bool:
    """Approve the person's month and close it as verified, through the verification services as at `moment`:
    by whoever verified them on that day."""
    laporan = laporan_for(pegawai, year, month)
    if laporan.status == StatusLaporan.TERVERIFIKASI:
        return False
    verifier = verifier_for(pegawai, moment.astimezone(pegawai.satker.tz).date()).pegawai
    if verifier is None:
        return False
    with transaction.atomic():
        verification.entri_approve_remaining(laporan=laporan, by=verifier, as_of=moment)
        verification.laporan_verify(laporan=laporan, by=verifier, as_of=moment)
    return True


def _verify_month(satker: Satker, year: int, month: int, *, late: str = "") -> datetime.date:
    """Everyone verified within the window (staff first, the Kasubags by the Sekretaris on the deadline; the
    subbagian named `late` one working day after it). Returns the day of the last verification."""
    window = core.verification_window(satker, year, month)
    days = working_days(satker, window.opens, window.deadline)
    overdue = add_working_days(satker, window.deadline, 1)
    last = None
    for i, pegawai in enumerate(services.unverified_people(satker, year, month)):
        sub = pegawai.subbagian
        is_head = sub is None or sub.kasubag_id == pegawai.pk
        if sub is not None and sub.singkatan == late:
            day = overdue
        elif is_head:
            day = window.deadline
        else:
            day = days[min(sub.urutan - 1, len(days) - 1)] if days else window.deadline
        moment = _at(satker, day, 9 + (i % 6), (i * 17) % 60)
        _verify_as_of(pegawai, year, month, moment)
        last = max(last or day, day)
    on_record = (
        LaporanBulanan.objects.for_month(year, month)
        .filter(satker=satker)
        .aggregate(n=Max("diverifikasi_pada"))["n"]
    )
    return on_record.astimezone(satker.tz).date() if on_record else (last or window.deadline)


# --- compile, record, finalise --------------------------------------------------------------------------------


def _compile(satker: Satker, year: int, month: int, by: Pegawai, moment=None) -> RekapBulanan:
    rekap = RekapBulanan.objects.filter(satker=satker, tahun=year, bulan=month).first()
    if rekap is not None:
        return rekap
    missing = services.unverified_people(satker, year, month)
    reason = (
        f"{len(missing)} pegawai belum diverifikasi hingga batas waktu; dihimpun atas arahan Sekretaris."
        if missing
        else ""
    )
    marks = _marks()
    rekap = services.rekap_compile(satker=satker, year=year, month=month, by=by, reason=reason)
    if moment is not None:
        RekapBulanan.objects.filter(pk=rekap.pk).update(dihimpun_pada=moment)
        Periode.objects.filter(satker=satker, tahun=year, bulan=month).update(diubah=moment)
        _backdate(marks, moment)
        rekap.refresh_from_db()
    return rekap


def _notes(satker: Satker, rekap: RekapBulanan) -> list[Catatan]:
    """Two or three notes drawn from the month's own figures, one of them with an agreed correction."""
    data = rekap.data
    subs = {s.pk: s for s in satker.subbagian_set.all()}
    sections = [s for s in data["subbagian"] if s["id"] in subs and s["total"]["kelengkapan"] is not None]
    notes = []
    if sections:
        low = min(sections, key=lambda s: s["total"]["kelengkapan"])
        percent = f"{low['total']['kelengkapan']:.1f}".replace(".", ",")
        notes.append(
            Catatan(
                catatan=f"Kelengkapan pengisian data kinerja {low['nama']} {percent}%, "
                "terendah bulan ini. Kepala Subbagian agar mengingatkan staf mengisi paling lambat satu hari "
                "kerja setelah kegiatan.",
                subbagian=subs[low["id"]],
            )
        )
    outputs = sorted(data["output"], key=lambda o: (-o["kegiatan"], o["kode"]))
    if outputs:
        top = outputs[0]
        notes.append(
            Catatan(
                catatan=f"Kode output {top['kode']} ({top['uraian']}) memuat kegiatan terbanyak: "
                f"{top['kegiatan']} kegiatan oleh {top['pegawai']} pegawai. Bukti dukung dinilai memadai.",
                kode_output=top["kode"],
            )
        )
    mixed = next((o for o in outputs if len(o["volume"]) > 1), outputs[-1] if outputs else None)
    if mixed is not None:
        satuan = ", ".join(f"{v} {s}" for s, v in mixed["volume"].items())
        notes.append(
            Catatan(
                catatan=f"Volume kode output {mixed['kode']} tercatat dalam satuan yang berbeda-beda ({satuan}), "
                "sehingga tidak dapat dijumlahkan untuk Laporan Kinerja.",
                koreksi=f"Disepakati satu satuan baku untuk kode {mixed['kode']} mulai bulan berikutnya; "
                "untuk bulan ini volume dibaca per satuan sebagaimana tercantum dalam rekap.",
                kode_output=mixed["kode"],
            )
        )
    return notes


def _record(satker: Satker, rekap: RekapBulanan, people: dict, by: Pegawai, tanggal, times, guests: str):
    rapat = RapatPleno.objects.filter(rekap=rekap).first()
    if rapat is not None:
        return rapat
    pimpinan = list(people["pimpinan"])
    heads = [
        s.kasubag for s in satker.subbagian_set.select_related("kasubag").order_by("urutan") if s.kasubag
    ]
    rendatin = [p for p in people["RENDATIN"] if p.pk != by.pk][1:3]
    attendees = [*pimpinan, people["sekretaris"], *heads, by, *rendatin]
    total = rekap.data["total"]
    label = format_bulan(rekap.tahun, rekap.bulan)
    mulai, selesai = times
    zone = satker.get_zona_waktu_display().split(" ")[0]
    keputusan = "\n".join(
        [
            f"1. Data kinerja ASN Sekretariat {satker.nama} bulan {label} ({total['pegawai']} pegawai, "
            f"{total['kegiatan']} kegiatan terverifikasi) diterima dan ditetapkan sebagai hasil rapat pleno.",
            "2. Koreksi yang disepakati dicatat dalam hasil rapat pleno dan tidak mengubah data yang telah "
            "dihimpun.",
            "3. Kepala Subbagian memastikan bukti dukung kegiatan bulan berikutnya diunggah tepat waktu.",
            f"4. Hasil rapat pleno menjadi dasar penyusunan Laporan Kinerja Triwulan "
            f"{TRIWULAN[(rekap.bulan - 1) // 3]} Tahun {rekap.tahun}.",
        ]
    )
    catatan_umum = (
        f"Rapat dibuka oleh {pimpinan[0].nama} selaku Ketua pukul {mulai:%H.%M} {zone}, dilanjutkan paparan "
        f"Subbagian Perencanaan, Data dan Informasi atas himpunan data kinerja bulan {label}, lalu tanggapan "
        f"tiap Kepala Subbagian. Rapat ditutup pukul {selesai:%H.%M} {zone}."
    )
    marks = _marks()
    rapat = services.pleno_save(
        rekap=rekap,
        by=by,
        tanggal=tanggal,
        tempat=TEMPAT,
        mulai=mulai,
        selesai=selesai,
        pimpinan_rapat=pimpinan[0],
        peserta=attendees,
        peserta_lain=guests,
        keputusan=keputusan,
        catatan_umum=catatan_umum,
        catatan=_notes(satker, rekap),
    )
    moment = datetime.datetime.combine(tanggal, selesai, satker.tz) + datetime.timedelta(minutes=30)
    RapatPleno.objects.filter(pk=rapat.pk).update(diubah=moment)
    Periode.objects.filter(satker=satker, tahun=rekap.tahun, bulan=rekap.bulan).update(diubah=moment)
    _backdate(marks, moment)
    rapat.refresh_from_db()
    return rapat


def _request_booklet(satker: Satker, rekap: RekapBulanan, by: Pegawai, moment: datetime.datetime) -> None:
    """The plenary booklet, as Rendatin prepares it the day before the meeting."""
    params = {"tahun": rekap.tahun, "bulan": rekap.bulan, "fmt": "pdf"}
    if docs.current(satker, "bahan_pleno", params) is not None:
        return
    marks = _marks()
    docs.dokumen_request(satker=satker, jenis="bahan_pleno", params=params, by=by)
    _backdate(marks, moment)


def _finalise(satker: Satker, rapat: RapatPleno, by: Pegawai, moment: datetime.datetime) -> RapatPleno:
    if rapat.is_final:
        return rapat
    marks = _marks()
    rapat = services.pleno_finalise(rapat=rapat, by=by)
    RapatPleno.objects.filter(pk=rapat.pk).update(difinalisasi_pada=moment, diubah=moment)
    Periode.objects.filter(satker=satker, tahun=rapat.rekap.tahun, bulan=rapat.rekap.bulan).update(
        diubah=moment
    )
    _backdate(marks, moment)
    # The archived files are the record of that day; their data fingerprints follow the dates just written.
    archived = Dokumen.objects.filter(
        satker=satker, arsip=True, kunci__in=[docs.kunci_for(j, p) for j, p in _archived_params(rapat.rekap)]
    )
    for dokumen in archived:
        versi = docs.GENERATORS[dokumen.jenis].version(satker, dokumen.params)
        Dokumen.objects.filter(pk=dokumen.pk).update(versi=versi, diarsipkan_pada=moment)
    rapat.refresh_from_db()
    return rapat


def _archived_params(rekap: RekapBulanan) -> list[tuple[str, dict]]:
    return [
        (jenis, {"tahun": rekap.tahun, "bulan": rekap.bulan, "fmt": fmt})
        for jenis, fmt in services.ARCHIVED_DOCUMENTS
    ]


def _whole_chain(satker: Satker, people: dict, year: int, month: int, index: int, *, late: str = "") -> str:
    """One earlier month from verification to FINAL, each step dated on its working day."""
    compiler = rendatin_staff(satker)
    head = satker.subbagian_set.select_related("kasubag").get(is_rendatin=True).kasubag or compiler
    last_verified = _verify_month(satker, year, month, late=late)
    compiled_on = add_working_days(satker, last_verified, 1)
    rekap = _compile(satker, year, month, compiler, _at(satker, compiled_on, 10, 15))
    meeting = add_working_days(satker, compiled_on, 2)
    day_before = add_working_days(satker, compiled_on, 1)
    _request_booklet(satker, rekap, compiler, _at(satker, day_before, 15, 30))
    times = MEETING_TIMES[index % len(MEETING_TIMES)]
    rapat = _record(satker, rekap, people, compiler, meeting, times, GUESTS if index == 1 else "")
    _finalise(satker, rapat, head, _at(satker, add_working_days(satker, meeting, 1), 14, 0))
    return core.periode_tahap(satker, year, month)


def seed_rekap(
    satker: Satker, people: dict, today: datetime.date, *, verbosity: int = 1, stdout=None
) -> dict:
    """The earlier months through the whole chain and the month before last compiled (module docstring)."""
    rng = random.Random(f"rekap-demo-{satker.kode}")
    before = shift_month(today.year, today.month, -2)
    earlier = [shift_month(*before, -k) for k in range(FINAL_MONTHS, 0, -1)]
    pool = None
    entries = 0
    stages = {}
    for index, (year, month) in enumerate(earlier):
        if not EntriKinerja.objects.filter(satker=satker).in_month(year, month).exists():
            pool = pool or kinerja_demo.EvidencePool(rng, satker.tz)
            entries += _ensure_entries(satker, people, year, month, rng, pool, today)
        if core.periode_tahap(satker, year, month) in (TahapPeriode.VERIFICATION, *LOCKED_STAGES):
            stages[year, month] = _whole_chain(
                satker, people, year, month, index, late="HUKUM" if index == 0 else ""
            )

    # The month before last: verified by the verification demo, compiled today, waiting for its plenary.
    if core.periode_tahap(satker, *before) in (TahapPeriode.VERIFICATION, TahapPeriode.COMPILED):
        _compile(satker, *before, rendatin_staff(satker))
        stages[before] = core.periode_tahap(satker, *before)

    if verbosity:
        out = stdout or sys.stdout
        shown = "; ".join(
            f"{format_bulan(y, m)} {TahapPeriode(stage).label.lower()}" for (y, m), stage in stages.items()
        )
        out.write(f"Rekap demo: {shown}; {entries} entri bulan-bulan sebelumnya.\n")
    return {"entries": entries, "stages": stages}
