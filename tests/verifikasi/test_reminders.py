"""Reminders: empty working days for the person, a near verification deadline for the verifier.

Every date is in last year (the org fixture has output codes for it) and "today" is passed in, never patched.
The calendar is weekends plus the HariLibur rows a test creates.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kinerja.kalender import working_days
from kinerja.models import (
    EntriKinerja,
    HariLibur,
    JenisKetidakhadiran,
    JenisPemberitahuan,
    JenisPenjabat,
    Ketidakhadiran,
    Pegawai,
    Pemberitahuan,
    PenjabatSementara,
    Periode,
    TahapPeriode,
)
from kinerja.services import verification_window
from silabu.lib.dates import format_tanggal, month_bounds
from verifikasi.reminders import remind_deadlines, remind_empty_days
from verifikasi.services import entri_approve_remaining, laporan_for, laporan_verify

YEAR = datetime.date.today().year - 1
MONTH = 3  # the month whose empty days are reminded
VERIFIED_MONTH = 5  # the month whose verification deadline is reminded (in June)


def month_working_days(org, year: int, month: int) -> list[datetime.date]:
    return working_days(org.kudus, *month_bounds(year, month))


def fill(org, people, days) -> None:
    EntriKinerja.objects.bulk_create(
        EntriKinerja(
            satker=org.kudus,
            pegawai=p,
            tanggal=day,
            kode_output=org.kode_years[day.year],
            nama_kegiatan="Mengagendakan surat masuk",
            output_hasil="Surat masuk tercatat",
        )
        for p in people
        for day in days
    )


def everyone(org) -> list[Pegawai]:
    return list(Pegawai.objects.active().asn().filter(satker=org.kudus))


def notices(pegawai, jenis=None):
    qs = Pemberitahuan.objects.filter(pegawai=pegawai)
    return list(qs.filter(jenis=jenis) if jenis else qs)


def run_command(*args) -> str:
    out = StringIO()
    call_command("kirim_pengingat", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


# --- empty working days ------------------------------------------------------------------------------------


@pytest.fixture
def march(org):
    """Today is March's 8th working day; everyone filled the 7 before it, except `asn` on two of them."""
    days = month_working_days(org, YEAR, MONTH)
    today, before = days[7], days[:7]
    empty = [before[2], before[4]]
    fill(org, [p for p in everyone(org) if p != org.asn], before)
    fill(org, [org.asn], [d for d in before if d not in empty])
    return today, empty


def test_person_with_two_empty_days_gets_one_notice_and_one_email(
    org, march, mailoutbox, django_capture_on_commit_callbacks
):
    today, empty = march
    with django_capture_on_commit_callbacks(execute=True):
        run = remind_empty_days(org.kudus, today)

    assert [r.pegawai for r in run.reminders] == [org.asn]
    [notice] = Pemberitahuan.objects.all()
    assert notice.pegawai == org.asn and notice.satker == org.kudus
    assert notice.jenis == JenisPemberitahuan.HARI_KOSONG
    assert notice.tautan == "/kinerja/bulan/"
    listed = [format_tanggal(d, with_day=True) for d in empty]
    assert notice.pesan == f"Hari kerja yang belum terisi: {listed[0]}; {listed[1]}."
    [mail] = mailoutbox
    assert mail.to == [org.asn.user.email]
    assert "2 hari kerja" in mail.subject
    for text in listed:
        assert f"- {text}" in mail.body
    assert "/kinerja/bulan/" in mail.body


def test_no_reminder_for_days_on_leave_or_with_entries(
    org, march, mailoutbox, django_capture_on_commit_callbacks
):
    today, empty = march
    Ketidakhadiran.objects.create(
        pegawai=org.asn, jenis=JenisKetidakhadiran.CUTI_TAHUNAN, mulai=empty[0], selesai=empty[0]
    )
    fill(org, [org.asn], [empty[1]])

    with django_capture_on_commit_callbacks(execute=True):
        run = remind_empty_days(org.kudus, today)

    assert run.reminders == []
    assert not Pemberitahuan.objects.exists()
    assert mailoutbox == []


def test_today_and_holidays_are_not_empty_days(org, march):
    today, empty = march
    fill(org, [org.asn], empty)
    last = working_day_before(org, today)
    EntriKinerja.objects.filter(tanggal=last).delete()
    HariLibur.objects.create(satker=org.kudus, tanggal=last, nama="Libur uji")

    # Nobody has an entry today (nor must yet), and nobody has one on the holiday.
    assert remind_empty_days(org.kudus, today).reminders == []


def test_pimpinan_gets_no_empty_day_reminder(org, march):
    today, _ = march
    remind_empty_days(org.kudus, today)

    assert notices(org.pimpinan) == []  # no entries at all, but Pimpinan log none
    assert notices(org.outsider) == []  # another satker's people are not Kudus' to remind
    assert [n.pegawai for n in Pemberitahuan.objects.all()] == [org.asn]


def test_inactive_person_gets_no_reminder(org, march):
    today, _ = march
    org.asn.aktif = False
    org.asn.save(update_fields=["aktif"])

    assert remind_empty_days(org.kudus, today).reminders == []


def test_no_empty_day_reminder_once_the_month_is_closed(org, march):
    today, _ = march
    Periode.objects.create(satker=org.kudus, tahun=YEAR, bulan=MONTH, tahap=TahapPeriode.VERIFICATION)

    assert remind_empty_days(org.kudus, today).reminders == []


def test_running_twice_the_same_day_sends_nothing_new(
    org, march, mailoutbox, django_capture_on_commit_callbacks
):
    today, _ = march
    with django_capture_on_commit_callbacks(execute=True):
        first = run_command("--tanggal", today.isoformat(), "--satker", "kudus")
    with django_capture_on_commit_callbacks(execute=True):
        second = run_command("--tanggal", today.isoformat(), "--satker", "kudus")

    assert "Terkirim 1 pemberitahuan dan 1 e-mail" in first
    assert "Terkirim 0 pemberitahuan dan 0 e-mail" in second
    assert len(notices(org.asn)) == 1
    assert len(mailoutbox) == 1


def test_next_day_run_reminds_again_and_retires_the_stale_notice(org, march):
    today, _ = march
    tomorrow = month_working_days(org, YEAR, MONTH)[8]
    fill(org, everyone(org), [today])
    remind_empty_days(org.kudus, today)
    remind_empty_days(org.kudus, tomorrow)

    assert sorted(n.kunci for n in notices(org.asn)) == [
        f"hari_kosong:{today.isoformat()}",
        f"hari_kosong:{tomorrow.isoformat()}",
    ]
    [unread] = Pemberitahuan.objects.filter(pegawai=org.asn).unread()
    assert unread.kunci == f"hari_kosong:{tomorrow.isoformat()}"


def test_filling_the_days_retires_the_last_notice_on_the_next_run(org, march):
    today, empty = march
    tomorrow = month_working_days(org, YEAR, MONTH)[8]
    remind_empty_days(org.kudus, today)
    fill(org, everyone(org), [today])
    fill(org, [org.asn], empty)

    assert remind_empty_days(org.kudus, tomorrow).reminders == []
    assert not Pemberitahuan.objects.unread().exists()


def test_a_run_for_a_past_date_leaves_newer_notices_alone(org, march):
    today, _ = march
    tomorrow = month_working_days(org, YEAR, MONTH)[8]
    fill(org, everyone(org), [today])
    remind_empty_days(org.kudus, tomorrow)
    remind_empty_days(org.kudus, today)

    unread = Pemberitahuan.objects.filter(pegawai=org.asn).unread().values_list("kunci", flat=True)
    assert set(unread) == {f"hari_kosong:{today.isoformat()}", f"hari_kosong:{tomorrow.isoformat()}"}


def test_dry_run_writes_and_sends_nothing(org, march, mailoutbox, django_capture_on_commit_callbacks):
    today, empty = march
    older = Pemberitahuan.objects.create(
        satker=org.kudus,
        pegawai=org.asn,
        jenis=JenisPemberitahuan.HARI_KOSONG,
        pesan="Lama",
        kunci="hari_kosong:2000-01-03",
    )
    with django_capture_on_commit_callbacks(execute=True):
        out = run_command("--tanggal", today.isoformat(), "--satker", "kudus", "--dry-run")

    assert list(Pemberitahuan.objects.all()) == [older]
    older.refresh_from_db()
    assert older.dibaca_pada is None
    assert mailoutbox == []
    assert org.asn.nama in out
    assert format_tanggal(empty[0], with_day=True) in out
    assert "dry-run: akan dikirim 1 pemberitahuan dan 1 e-mail" in out


def test_person_without_email_gets_the_notice_only(
    org, march, mailoutbox, django_capture_on_commit_callbacks
):
    today, _ = march
    org.asn.user.email = ""
    org.asn.user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        run = remind_empty_days(org.kudus, today)

    assert run.notices == 1 and run.emails == 0
    assert mailoutbox == []


def test_command_sends_nothing_on_a_day_off(org, march, mailoutbox, django_capture_on_commit_callbacks):
    today, _ = march
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7)
    with django_capture_on_commit_callbacks(execute=True):
        out = run_command("--tanggal", saturday.isoformat(), "-v", "0")

    assert out == ""
    assert not Pemberitahuan.objects.exists()
    assert mailoutbox == []


def test_command_refuses_unknown_satker(org):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run_command("--satker", "tidak-ada")


# --- verification deadlines --------------------------------------------------------------------------------


@pytest.fixture
def may(org):
    """asn and colleague (KUL staff) have entries in May, unverified; returns May's verification window."""
    days = month_working_days(org, YEAR, VERIFIED_MONTH)
    fill(org, [org.asn, org.colleague], days[:3])
    return verification_window(org.kudus, YEAR, VERIFIED_MONTH)


def working_day_before(org, day: datetime.date) -> datetime.date:
    return working_days(org.kudus, day - datetime.timedelta(days=14), day - datetime.timedelta(days=1))[-1]


def test_verifier_whose_deadline_is_tomorrow_gets_one_reminder(
    org, may, mailoutbox, django_capture_on_commit_callbacks
):
    today = working_day_before(org, may.deadline)
    assert today >= may.opens
    with django_capture_on_commit_callbacks(execute=True):
        run = remind_deadlines(org.kudus, today)

    assert [r.pegawai for r in run.reminders] == [org.kasubag]
    [notice] = Pemberitahuan.objects.all()
    assert notice.pegawai == org.kasubag
    assert notice.jenis == JenisPemberitahuan.TENGGAT_VERIFIKASI
    deadline = format_tanggal(may.deadline, with_day=True)
    assert notice.pesan == f"2 pegawai belum diverifikasi untuk Mei {YEAR}, tenggat {deadline}."
    assert notice.tautan == f"/verifikasi/?tahun={YEAR}&bulan={VERIFIED_MONTH}"
    [mail] = mailoutbox
    assert mail.to == [org.kasubag.user.email]
    assert org.asn.nama in mail.body and org.colleague.nama in mail.body


def test_verifier_is_reminded_on_the_deadline_day_too(org, may):
    remind_deadlines(org.kudus, working_day_before(org, may.deadline))
    remind_deadlines(org.kudus, may.deadline)

    assert len(notices(org.kasubag)) == 2  # one per day, each naming the day
    assert notices(org.asn) == [] and notices(org.sekretaris) == []


def test_next_working_day_skips_a_holiday(org, may):
    # A holiday on the old deadline pushes it a working day on; the day before the holiday is then
    # one working day before the new deadline.
    HariLibur.objects.create(satker=org.kudus, tanggal=may.deadline, nama="Libur uji")
    window = verification_window(org.kudus, YEAR, VERIFIED_MONTH)
    today = working_day_before(org, may.deadline)
    assert window.deadline > may.deadline

    assert [r.pegawai for r in remind_deadlines(org.kudus, today).reminders] == [org.kasubag]


def test_deadline_far_away_or_passed_sends_no_reminder(org, may):
    first = working_days(org.kudus, may.opens, may.deadline)[0]  # three working days before it is due
    after = working_days(
        org.kudus, may.deadline + datetime.timedelta(days=1), may.deadline + datetime.timedelta(days=7)
    )[0]

    assert remind_deadlines(org.kudus, first).reminders == []
    assert "belum dekat" in remind_deadlines(org.kudus, first).skipped
    assert remind_deadlines(org.kudus, after).reminders == []
    assert not Pemberitahuan.objects.exists()


def test_nobody_is_reminded_once_everyone_is_verified(org, may):
    for pegawai in (org.asn, org.colleague):
        laporan = laporan_for(pegawai, YEAR, VERIFIED_MONTH)
        entri_approve_remaining(laporan=laporan, by=org.kasubag)
        laporan_verify(laporan=laporan, by=org.kasubag)

    assert remind_deadlines(org.kudus, working_day_before(org, may.deadline)).reminders == []


def test_one_verified_leaves_one_to_remind(org, may):
    laporan = laporan_for(org.asn, YEAR, VERIFIED_MONTH)
    entri_approve_remaining(laporan=laporan, by=org.kasubag)
    laporan_verify(laporan=laporan, by=org.kasubag)

    [reminder] = remind_deadlines(org.kudus, working_day_before(org, may.deadline)).reminders
    assert reminder.pesan.startswith("1 pegawai belum diverifikasi")


def test_reminders_are_grouped_per_verifier(org, may):
    fill(org, [org.kasubag, org.teknis_staff], month_working_days(org, YEAR, VERIFIED_MONTH)[:1])
    run = remind_deadlines(org.kudus, working_day_before(org, may.deadline))

    by_person = {r.pegawai: r.pesan for r in run.reminders}
    assert set(by_person) == {org.kasubag, org.other_kasubag, org.sekretaris}
    assert by_person[org.kasubag].startswith("2 pegawai")
    assert by_person[org.other_kasubag].startswith("1 pegawai")  # Teknis staff
    assert by_person[org.sekretaris].startswith("1 pegawai")  # the KUL Kasubag's own month


def test_acting_head_is_reminded_instead_of_the_holder(org, may):
    today = working_day_before(org, may.deadline)
    PenjabatSementara.objects.create(
        satker=org.kudus,
        subbagian=org.kul,
        pegawai=org.other_kasubag,
        jenis=JenisPenjabat.PLT,
        mulai=today - datetime.timedelta(days=10),
        selesai=today + datetime.timedelta(days=10),
    )

    assert [r.pegawai for r in remind_deadlines(org.kudus, today).reminders] == [org.other_kasubag]


def test_no_deadline_reminder_once_the_month_is_compiled(org, may):
    Periode.objects.create(satker=org.kudus, tahun=YEAR, bulan=VERIFIED_MONTH, tahap=TahapPeriode.COMPILED)

    assert remind_deadlines(org.kudus, working_day_before(org, may.deadline)).reminders == []


def test_deadline_dry_run_and_repeat_through_the_command(
    org, may, mailoutbox, django_capture_on_commit_callbacks
):
    today = working_day_before(org, may.deadline).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        dry = run_command("--tanggal", today, "--dry-run")
        run_command("--tanggal", today)
        run_command("--tanggal", today)

    assert "2 pegawai belum diverifikasi" in dry
    assert len(notices(org.kasubag, JenisPemberitahuan.TENGGAT_VERIFIKASI)) == 1
    # (everyone also has empty days in June, reminded on the same run)
    assert [m.to for m in mailoutbox if "Tenggat" in m.subject] == [[org.kasubag.user.email]]
