"""State changes of the working calendar: holidays, a person's leave and acting heads (Plt/Plh).

The satker Admin keeps these in the app. Each change is one function that checks the rules, runs
atomically and leaves an audit row; `by` is the Admin's Pegawai.

A holiday or a leave changes which days an entry is expected on, so neither may change inside a month
that is already compiled (DESIGN §5): corrections after that go through the plenary notes.
"""

import datetime

from django.db import transaction
from django.db.models import Q

from silabu.lib.dates import format_tanggal, shift_month
from silabu.lib.periods import month_label

from . import services
from .audit import diff
from .errors import DomainError, TanggalTidakValid
from .models import (
    LOCKED_STAGES,
    HariLibur,
    JenisKetidakhadiran,
    JenisLibur,
    JenisPenjabat,
    Ketidakhadiran,
    Pegawai,
    PenjabatSementara,
    Periode,
    Satker,
    Subbagian,
)

MAX_LEAVE_DAYS = 92  # about three months
MAX_LONG_LEAVE_DAYS = 184  # cuti besar and cuti melahirkan may run longer
# An acting appointment runs at most three months (BKN circular 1/2021 on Plh/Plt); an extension is a new one.
MAX_ACTING_DAYS = 92
LONG_LEAVE = (JenisKetidakhadiran.CUTI_BESAR, JenisKetidakhadiran.CUTI_MELAHIRKAN)

# the fields an audit row of each calendar change records
LIBUR_FIELDS = ("tanggal", "nama", "jenis")
KETIDAKHADIRAN_FIELDS = ("pegawai", "jenis", "mulai", "selesai", "keterangan")
PENJABAT_FIELDS = ("subbagian", "pegawai", "jenis", "mulai", "selesai", "nomor_sk")


def _actor(by: Pegawai | None, user=None):
    """The User an audit row names: the Admin's, or (`by` None) the superuser's in the Django admin, or nobody
    for a command."""
    return by.user if by is not None else user


def _same_satker(by: Pegawai | None, satker_id: int) -> None:
    if by is not None and by.satker_id != satker_id:
        raise DomainError("Data ini milik satker lain.")


def _check_months_open(satker_id: int, mulai: datetime.date, selesai: datetime.date) -> None:
    """Refuse a calendar change that would alter a month already compiled, in the plenary or final."""
    months = []
    year, month = mulai.year, mulai.month
    while (year, month) <= (selesai.year, selesai.month):
        months.append(Q(tahun=year, bulan=month))
        year, month = shift_month(year, month, 1)
    condition = months[0]
    for q in months[1:]:
        condition |= q
    locked = (
        Periode.objects.filter(condition, satker_id=satker_id, tahap__in=LOCKED_STAGES)
        .order_by("tahun", "bulan")
        .first()
    )
    if locked is not None:
        raise DomainError(
            f"{month_label(locked.tahun, locked.bulan, locked.get_tahap_display())}: "
            "kalender bulan itu tidak dapat diubah lagi."
        )


def _clean_text(value: str, label: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"{label} wajib diisi.")
    return value


# --- holidays ----------------------------------------------------------------------------------------------


def hari_libur_add(
    *, satker: Satker, tanggal: datetime.date, nama: str, jenis: str, by: Pegawai | None, user=None
) -> HariLibur:
    """Add a day off to the satker's calendar (a local holiday, or a national one the seed did not know)."""
    _same_satker(by, satker.pk)
    nama = _clean_text(nama, "Keterangan hari libur", required=True)
    if jenis not in JenisLibur.values:
        raise DomainError("Jenis hari libur tidak dikenal.")
    with transaction.atomic():
        # Lock the satker so two Admins adding the same date at once get a message, not an IntegrityError.
        Satker.objects.select_for_update().filter(pk=satker.pk).first()
        _check_months_open(satker.pk, tanggal, tanggal)
        # A new day off can push a month's verification window later: what has been reached stays reached.
        services.periode_record_reached(satker=satker)
        existing = HariLibur.objects.filter(satker=satker, tanggal=tanggal).first()
        if existing is not None:
            raise TanggalTidakValid(
                f"{format_tanggal(tanggal, with_day=True)} sudah tercatat sebagai hari libur: {existing.nama}."
            )
        libur = HariLibur.objects.create(satker=satker, tanggal=tanggal, nama=nama, jenis=jenis)
        services.audit(
            obj=libur,
            actor=_actor(by, user),
            action="hari_libur_tambah",
            ke=jenis,
            catatan=str(libur),
            satker=satker,
            perubahan=diff(None, libur, LIBUR_FIELDS),
        )
    return libur


def hari_libur_update(*, libur: HariLibur, nama: str, jenis: str, by: Pegawai | None, user=None) -> HariLibur:
    """Rename a holiday or change its kind. The date stays: a wrong date is deleted and added again."""
    _same_satker(by, libur.satker_id)
    nama = _clean_text(nama, "Keterangan hari libur", required=True)
    if jenis not in JenisLibur.values:
        raise DomainError("Jenis hari libur tidak dikenal.")
    with transaction.atomic():
        libur = HariLibur.objects.select_for_update(of=("self",)).select_related("satker").get(pk=libur.pk)
        before_nama, before_jenis = libur.nama, libur.jenis
        if (before_nama, before_jenis) == (nama, jenis):
            return libur
        changes = diff(
            {"nama": before_nama, "jenis": before_jenis}, {"nama": nama, "jenis": jenis}, ["nama", "jenis"]
        )
        libur.nama, libur.jenis = nama, jenis
        libur.save(update_fields=["nama", "jenis"])
        services.audit(
            obj=libur,
            actor=_actor(by, user),
            action="hari_libur_ubah",
            dari=before_jenis,
            ke=jenis,
            catatan=f"{format_tanggal(libur.tanggal)}: {before_nama} → {nama}",
            satker=libur.satker,
            perubahan=changes,
        )
    return libur


def hari_libur_delete(*, libur: HariLibur, by: Pegawai | None, user=None) -> None:
    """Make a holiday a working day again: an entry is expected on it from now on."""
    _same_satker(by, libur.satker_id)
    with transaction.atomic():
        libur = HariLibur.objects.select_for_update(of=("self",)).select_related("satker").get(pk=libur.pk)
        _check_months_open(libur.satker_id, libur.tanggal, libur.tanggal)
        services.periode_record_reached(satker=libur.satker)
        services.audit(
            obj=libur,
            actor=_actor(by, user),
            action="hari_libur_hapus",
            dari=libur.jenis,
            catatan=str(libur),
            satker=libur.satker,
            perubahan=diff(libur, None, LIBUR_FIELDS),
        )
        libur.delete()


def _national_holidays_missing(satker: Satker, year: int) -> list[HariLibur]:
    """Indonesia's national holidays and cuti bersama of the year that the satker's calendar lacks, outside
    the months already compiled (their calendar is part of what was reported: it stays as it was)."""
    import holidays

    calendar = holidays.Indonesia(years=year, categories=("public", "government"), language="id")
    existing = set(
        HariLibur.objects.filter(satker=satker, tanggal__year=year).values_list("tanggal", flat=True)
    )
    locked = set(
        Periode.objects.filter(satker=satker, tahun=year, tahap__in=LOCKED_STAGES).values_list(
            "bulan", flat=True
        )
    )
    return [
        HariLibur(
            satker=satker,
            tanggal=day,
            nama=name,
            jenis=JenisLibur.CUTI_BERSAMA if name.lower().startswith("cuti bersama") else JenisLibur.NASIONAL,
        )
        for day, name in sorted(calendar.items())
        if day not in existing and day.month not in locked
    ]


def hari_libur_seed(*, satker: Satker, year: int, by: Pegawai | None) -> int:
    """Fill a satker's calendar for a year with Indonesia's national holidays and cuti bersama (the Admin's
    "fill from the national calendar", the seed_hari_libur command, the demo), serialised and audited.

    Existing rows (the Admin's own edits and local holidays) are kept, so a second run adds nothing; `by` None
    is a command. Returns how many days were added.
    """
    _same_satker(by, satker.pk)
    with transaction.atomic():
        satker = Satker.objects.select_for_update().get(pk=satker.pk)
        services.periode_record_reached(satker=satker)
        rows = _national_holidays_missing(satker, year)
        HariLibur.objects.bulk_create(rows)
        added = len(rows)
        if added:
            services.audit(
                obj=satker,
                actor=_actor(by),
                action="hari_libur_isi_nasional",
                catatan=f"{added} hari libur nasional/cuti bersama {year} ditambahkan",
                satker=satker,
                perubahan={
                    "hari_libur": [None, [f"{row.tanggal.isoformat()} {row.nama}" for row in rows]],
                },
            )
    return added


# --- leave -------------------------------------------------------------------------------------------------


def ketidakhadiran_add(
    *,
    pegawai: Pegawai,
    jenis: str,
    mulai: datetime.date,
    selesai: datetime.date,
    keterangan: str,
    by: Pegawai | None,
    user=None,
) -> Ketidakhadiran:
    """Record a person's leave (cuti, sakit, izin): no entry is expected on those days.

    Dinas luar is a working day and is not recorded here.
    """
    if by is not None and pegawai.satker_id != by.satker_id:
        raise DomainError("Pegawai ini bukan pegawai satker Anda.")
    if jenis not in JenisKetidakhadiran.values:
        raise DomainError("Jenis ketidakhadiran tidak dikenal.")
    if selesai < mulai:
        raise TanggalTidakValid("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    days = (selesai - mulai).days + 1
    limit = MAX_LONG_LEAVE_DAYS if jenis in LONG_LEAVE else MAX_LEAVE_DAYS
    if days > limit:
        label = JenisKetidakhadiran(jenis).label.lower()
        raise TanggalTidakValid(
            f"Rentang {days} hari terlalu panjang untuk {label} (paling lama {limit} hari); "
            "periksa kembali tanggalnya atau catat sebagai beberapa ketidakhadiran."
        )
    keterangan = _clean_text(keterangan, "Keterangan", required=False)
    with transaction.atomic():
        # Lock the person so two overlapping absences cannot both pass the check below.
        pegawai = Pegawai.objects.select_for_update(of=("self",)).select_related("satker").get(pk=pegawai.pk)
        _check_months_open(pegawai.satker_id, mulai, selesai)
        clash = (
            Ketidakhadiran.objects.filter(pegawai=pegawai, mulai__lte=selesai, selesai__gte=mulai)
            .order_by("mulai")
            .first()
        )
        if clash is not None:
            raise TanggalTidakValid(
                f"{pegawai.nama} sudah tercatat {clash.get_jenis_display().lower()} "
                f"{format_tanggal(clash.mulai)} s.d. {format_tanggal(clash.selesai)}; rentang tidak boleh bertumpuk."
            )
        row = Ketidakhadiran.objects.create(
            pegawai=pegawai, jenis=jenis, mulai=mulai, selesai=selesai, keterangan=keterangan
        )
        services.audit(
            obj=row,
            actor=_actor(by, user),
            action="ketidakhadiran_tambah",
            ke=jenis,
            catatan=str(row),
            satker=pegawai.satker,
            perubahan=diff(None, row, KETIDAKHADIRAN_FIELDS),
        )
    return row


def ketidakhadiran_delete(*, row: Ketidakhadiran, by: Pegawai | None, user=None) -> None:
    """Remove a leave recorded in error: entries are expected on those working days again."""
    with transaction.atomic():
        row = (
            Ketidakhadiran.objects.select_for_update(of=("self",))
            .select_related("pegawai__satker")
            .get(pk=row.pk)
        )
        _same_satker(by, row.pegawai.satker_id)
        _check_months_open(row.pegawai.satker_id, row.mulai, row.selesai)
        services.audit(
            obj=row,
            actor=_actor(by, user),
            action="ketidakhadiran_hapus",
            dari=row.jenis,
            catatan=str(row),
            satker=row.pegawai.satker,
            perubahan=diff(row, None, KETIDAKHADIRAN_FIELDS),
        )
        row.delete()


# --- acting heads ------------------------------------------------------------------------------------------


def _post_name(subbagian: Subbagian | None) -> str:
    return f"Kepala {subbagian.nama}" if subbagian is not None else "Sekretaris"


def penjabat_add(
    *,
    satker: Satker,
    subbagian: Subbagian | None,
    pegawai: Pegawai,
    jenis: str,
    mulai: datetime.date,
    selesai: datetime.date,
    nomor_sk: str,
    by: Pegawai | None,
    user=None,
) -> PenjabatSementara:
    """Appoint an acting head (Plt/Plh) of a post for a date range; subbagian None is the Sekretaris post.

    On those days the acting head verifies in the holder's place (kinerja.organisasi.verifier_for).
    """
    _same_satker(by, satker.pk)
    if pegawai.satker_id != satker.pk:
        raise DomainError("Pegawai yang ditunjuk harus pegawai satker ini.")
    if not pegawai.aktif:
        raise DomainError(f"{pegawai.nama} tidak aktif dan tidak dapat ditunjuk.")
    if subbagian is not None and subbagian.satker_id != satker.pk:
        raise DomainError("Subbagian harus subbagian satker ini.")
    if jenis not in JenisPenjabat.values:
        raise DomainError("Jenis penjabat harus Plt atau Plh.")
    if selesai < mulai:
        raise TanggalTidakValid("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    days = (selesai - mulai).days + 1
    if days > MAX_ACTING_DAYS:
        raise TanggalTidakValid(
            f"Rentang {days} hari terlalu panjang untuk {jenis} (paling lama {MAX_ACTING_DAYS} hari); "
            "perpanjangan dicatat sebagai penunjukan baru."
        )
    nomor_sk = _clean_text(nomor_sk, "Nomor surat perintah", required=False)
    post = _post_name(subbagian)
    with transaction.atomic():
        # Lock the satker: appointments to one post are checked for overlap and written one at a time.
        satker = Satker.objects.select_for_update().get(pk=satker.pk)
        holder_id = (
            Subbagian.objects.filter(pk=subbagian.pk).values_list("kasubag_id", flat=True).first()
            if subbagian is not None
            else satker.sekretaris_id
        )
        if holder_id == pegawai.pk:
            raise DomainError(
                f"{pegawai.nama} adalah pemegang jabatan {post}; tidak dapat menjadi Plt/Plh-nya."
            )
        clash = (
            PenjabatSementara.objects.filter(
                satker=satker, subbagian=subbagian, mulai__lte=selesai, selesai__gte=mulai
            )
            .select_related("pegawai")
            .order_by("mulai")
            .first()
        )
        if clash is not None:
            raise TanggalTidakValid(
                f"{post} sudah memiliki {clash.jenis}. {clash.pegawai.nama} "
                f"{format_tanggal(clash.mulai)} s.d. {format_tanggal(clash.selesai)}; rentang tidak boleh bertumpuk."
            )
        row = PenjabatSementara.objects.create(
            satker=satker,
            subbagian=subbagian,
            pegawai=pegawai,
            jenis=jenis,
            mulai=mulai,
            selesai=selesai,
            nomor_sk=nomor_sk,
        )
        services.audit(
            obj=row,
            actor=_actor(by, user),
            action="penjabat_tambah",
            ke=jenis,
            catatan=str(row) + (f"; surat perintah {nomor_sk}" if nomor_sk else ""),
            satker=satker,
            perubahan=diff(None, row, PENJABAT_FIELDS),
        )
    return row


def penjabat_delete(*, row: PenjabatSementara, by: Pegawai | None, user=None) -> None:
    """Withdraw an appointment recorded in error; the holder verifies again on those days."""
    with transaction.atomic():
        row = (
            PenjabatSementara.objects.select_for_update(of=("self",))
            .select_related("satker", "subbagian", "pegawai")
            .get(pk=row.pk)
        )
        _same_satker(by, row.satker_id)
        services.audit(
            obj=row,
            actor=_actor(by, user),
            action="penjabat_hapus",
            dari=row.jenis,
            catatan=str(row),
            satker=row.satker,
            perubahan=diff(row, None, PENJABAT_FIELDS),
        )
        row.delete()
