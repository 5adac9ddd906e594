"""The monitoring board's figures (rekap.board): stage, verified people, pending decisions, deadline, completeness
and each SOP step's time against its mutu baku, for months built here with known dates.

The month under test is October of last year: past, so its verification window has long opened.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja import services as core
from kinerja.kalender import add_working_days, month_summaries
from kinerja.models import (
    EntriKinerja,
    HariLibur,
    Ketidakhadiran,
    Periode,
    StatusEntri,
    TahapPeriode,
)
from rekap import board, services, snapshot
from rekap.models import RapatPleno, RekapBulanan
from tests.conftest import make_pegawai
from verifikasi.models import LaporanBulanan, StatusLaporan

D = datetime.date
WIB = ZoneInfo("Asia/Jakarta")


def october(org) -> tuple[int, int]:
    return min(org.kode_years), 10


def people(org) -> list:
    """Everyone whose month is verified in the test office (all active ASN but the Sekretaris)."""
    return [
        org.asn,
        org.colleague,
        org.kasubag,
        org.teknis_staff,
        org.other_kasubag,
        org.rendatin,
        org.kasubag_rendatin,
        org.admin,
    ]


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=WIB)


def verified_on(org, pegawai, day: datetime.date, year_month=None) -> LaporanBulanan:
    year, month = year_month or october(org)
    laporan, _ = LaporanBulanan.objects.update_or_create(
        pegawai=pegawai,
        tahun=year,
        bulan=month,
        defaults={
            "satker": pegawai.satker,
            "status": StatusLaporan.TERVERIFIKASI,
            "diverifikasi_pada": at(day),
        },
    )
    return laporan


def entri(org, pegawai, day: int, status=StatusEntri.DISETUJUI, month_of=None) -> EntriKinerja:
    year, month = month_of or october(org)
    return EntriKinerja.objects.create(
        satker=pegawai.satker,
        pegawai=pegawai,
        tanggal=D(year, month, day),
        kode_output=org.kode_years[year],
        nama_kegiatan="Rekonsiliasi BMN",
        output_hasil="Berita acara",
        status=status,
    )


def window(org):
    return core.verification_window(org.kudus, *october(org))


def row_of(org, today=None, **kwargs) -> board.MonthRow:
    year, month = october(org)
    return board.build(org.kudus, year, months=[month], today=today, **kwargs).months[0]


def steps(row) -> dict[int, board.StepTime]:
    return {s.mutu.langkah: s for s in row.steps}


def compiled(org, on: datetime.date, reason: str = "") -> RekapBulanan:
    rekap = services.rekap_compile(
        satker=org.kudus, year=october(org)[0], month=10, by=org.rendatin, reason=reason or "Uji"
    )
    RekapBulanan.objects.filter(pk=rekap.pk).update(dihimpun_pada=at(on, 14))
    return rekap


def plenary(org, rekap, tanggal, mulai, selesai, final_on=None) -> RapatPleno:
    rapat = RapatPleno.objects.create(
        rekap=rekap,
        tanggal=tanggal,
        mulai=mulai,
        selesai=selesai,
        tempat="Ruang rapat",
        keputusan="Diterima",
        difinalisasi_pada=at(final_on, 16) if final_on else None,
    )
    Periode.objects.filter(satker=org.kudus, tahun=rekap.tahun, bulan=rekap.bulan).update(
        tahap=TahapPeriode.FINAL if final_on else TahapPeriode.PLENO
    )
    return rapat


# --- the SOP's numbers are data --------------------------------------------------------------------------


def test_mutu_baku_holds_the_sops_times(org):
    assert {n: (m.waktu, m.satuan) for n, m in board.mutu_baku(org.kudus).items()} == {
        3: (3, board.HARI_KERJA),
        4: (2, board.HARI_KERJA),
        5: (120, board.MENIT),
        6: (1, board.HARI_KERJA),
    }


# --- kinerja's rules, applied to data read once, agree with kinerja's own functions ------------------------


@pytest.mark.parametrize("grace", [0, 2])
def test_windows_and_stages_agree_with_kinerja(org, grace):
    year = october(org)[0]
    org.kudus.verifikasi_buka_hari = grace
    org.kudus.save()
    for day in (D(year, 10, 31), D(year, 11, 3), D(year, 12, 25), D(year + 1, 1, 1), D(year, 3, 31)):
        HariLibur.objects.create(satker=org.kudus, tanggal=day, nama="Libur")
    Periode.objects.create(satker=org.kudus, tahun=year, bulan=2, tahap=TahapPeriode.FINAL)
    Periode.objects.create(satker=org.kudus, tahun=year, bulan=3, tahap=TahapPeriode.OPEN)
    holidays = dict(HariLibur.objects.values_list("tanggal", "nama"))
    today = org.kudus.today()
    built = board.build(org.kudus, year, today=today)
    assert [r.month for r in built.months] == list(range(1, 13))
    for r in built.months:
        window = core.verification_window(org.kudus, year, r.month)
        assert core.verification_window(org.kudus, year, r.month, holidays) == window
        assert (r.deadline.opens, r.deadline.due) == (window.opens, window.deadline)
        assert r.tahap == core.periode_tahap(org.kudus, year, r.month, today=today)
    this_year = board.build(org.kudus, today.year, today=today)
    assert [r.month for r in this_year.months] == list(range(1, today.month + 1))
    assert this_year.months[-1].tahap == TahapPeriode.OPEN
    assert board.build(org.kudus, today.year + 1, today=today).months == []


def test_completeness_agrees_with_the_month_summaries(org):
    year, month = october(org)
    HariLibur.objects.create(satker=org.kudus, tanggal=D(year, 10, 7), nama="Libur")
    Ketidakhadiran.objects.create(
        pegawai=org.asn, jenis="sakit", mulai=D(year, 10, 8), selesai=D(year, 10, 10)
    )
    for day in range(1, 20):
        entri(org, org.asn, day)
    for day in (1, 2, 3, 6):
        entri(org, org.colleague, day)
        entri(org, org.colleague, day)  # two entries on a day count once
    late = entri(org, org.teknis_staff, 15)
    EntriKinerja.objects.filter(pk=late.pk).update(filled_late=True)
    summaries = month_summaries(list(snapshot.people_to_verify(org.kudus)), year, month)
    values = [s.completeness for s in summaries.values()]
    built = board.build(org.kudus, year, months=[month], drill=month)
    assert built.months[0].completeness == round(sum(values) / len(values), 1)
    kul = next(s for s in built.subbagian if s.singkatan == "KUL")
    kul_values = [summaries[p.pk].completeness for p in (org.asn, org.colleague, org.kasubag)]
    assert kul.completeness == round(sum(kul_values) / 3, 1)


# --- counts ------------------------------------------------------------------------------------------------


def test_counts_per_month_and_per_subbagian(org):
    deadline = window(org).deadline
    for p in (org.asn, org.colleague, org.rendatin):
        entri(org, p, 1)
        verified_on(org, p, deadline)
    entri(org, org.kasubag, 2, StatusEntri.DIAJUKAN)
    entri(org, org.kasubag, 3, StatusEntri.DIAJUKAN)
    entri(org, org.teknis_staff, 2, StatusEntri.DIKEMBALIKAN)
    entri(org, org.teknis_staff, 3, StatusEntri.DISETUJUI)
    entri(org, org.sekretaris, 2, StatusEntri.DIAJUKAN)  # nobody verifies the Sekretaris: not counted
    row = board.build(org.kudus, october(org)[0], months=[10], drill=10)
    month = row.months[0]
    assert (month.people, month.verified, month.pending, month.returned) == (8, 3, 3, 1)
    assert month.tahap == TahapPeriode.VERIFICATION and not month.compiled
    by_name = {s.singkatan: s for s in row.subbagian}
    assert [s.singkatan for s in row.subbagian] == ["KUL", "TEKNIS", "RENDATIN", "HUKUM"]
    assert (by_name["KUL"].people, by_name["KUL"].verified, by_name["KUL"].pending) == (3, 2, 2)
    assert by_name["KUL"].kasubag == org.kasubag.nama
    assert (by_name["TEKNIS"].people, by_name["TEKNIS"].verified, by_name["TEKNIS"].returned) == (2, 0, 1)
    assert (by_name["RENDATIN"].people, by_name["RENDATIN"].verified) == (2, 1)
    assert by_name["HUKUM"].kasubag == ""


# --- deadline and step times -------------------------------------------------------------------------------


def test_verified_on_the_deadline_is_on_time_and_an_uncompiled_month_runs_late(org):
    w = window(org)
    for p in people(org):
        verified_on(org, p, w.deadline)
    month = row_of(org)
    assert month.deadline.state == board.Status.SELESAI
    assert (month.deadline.late, month.deadline.done_on, month.deadline.keterangan) == (
        False,
        w.deadline,
        "Tepat waktu",
    )
    s = steps(month)
    assert (s[3].status, s[3].elapsed, s[3].batas, s[3].late) == (board.Status.SELESAI, 3, 3, False)
    # Nobody compiled it in the year since: step 4 is still running, far past its two days.
    assert (s[4].status, s[4].late) == (board.Status.BERJALAN, True)
    assert (s[5].status, s[6].status) == (board.Status.BELUM, board.Status.BELUM)
    assert [x.mutu.langkah for x in month.late_steps] == [4]


def test_late_steps_are_flagged_with_their_elapsed_time(org, login):
    w = window(org)
    last = add_working_days(org.kudus, w.deadline, 2)  # two working days late
    for p in people(org)[:-1]:
        verified_on(org, p, w.deadline)
    verified_on(org, org.admin, last)
    rekap = compiled(org, add_working_days(org.kudus, last, 3))
    meeting = add_working_days(org.kudus, last, 4)
    plenary(org, rekap, meeting, datetime.time(9), datetime.time(11, 30), final_on=meeting)
    month = row_of(org)
    assert (month.deadline.late, month.deadline.days, month.deadline.keterangan) == (
        True,
        2,
        "Terlambat 2 hari kerja",
    )
    s = steps(month)
    assert (s[3].elapsed, s[3].late) == (5, True)
    assert (s[4].status, s[4].elapsed, s[4].late) == (board.Status.SELESAI, 3, True)
    assert (s[5].status, s[5].elapsed, s[5].batas, s[5].late) == (board.Status.SELESAI, 150, 120, True)
    assert (s[6].status, s[6].elapsed, s[6].late) == (board.Status.SELESAI, 0, False)
    assert [x.mutu.langkah for x in month.late_steps] == [3, 4, 5]
    # as people read them (issue 12, item 11), on the board and on the month's page
    assert [s[n].waktu_mutu for n in (3, 4, 5, 6)] == [
        "5 hari kerja (mutu baku 3 hari kerja)",
        "3 hari kerja (mutu baku 2 hari kerja)",
        "2 jam 30 menit (mutu baku 120 menit)",
        "0 hari kerja (mutu baku 1 hari kerja)",
    ]
    client = login(org.rendatin)
    year, month_no = october(org)
    for page in (
        client.get(reverse("rekap:papan"), {"tahun": year}),
        client.get(reverse("rekap:bulan", args=[year, month_no])),
    ):
        text = page.content.decode()
        assert "2 jam 30 menit (mutu baku 120 menit)" in text
        assert "150/120" not in text and "150 menit" not in text


def test_steps_within_their_mutu_baku_are_not_late(org):
    w = window(org)
    first_day = add_working_days(org.kudus, w.opens - datetime.timedelta(days=1), 1)
    for p in people(org):
        verified_on(org, p, first_day)
    rekap = compiled(org, add_working_days(org.kudus, first_day, 2))
    meeting = add_working_days(org.kudus, first_day, 4)
    plenary(
        org,
        rekap,
        meeting,
        datetime.time(9),
        datetime.time(11),
        final_on=add_working_days(org.kudus, meeting, 1),
    )
    s = steps(row_of(org))
    assert [(s[n].elapsed, s[n].late) for n in (3, 4, 5, 6)] == [
        (1, False),
        (2, False),
        (120, False),
        (1, False),
    ]
    assert row_of(org).tahap == TahapPeriode.FINAL


def test_finalising_two_working_days_after_the_meeting_is_late(org):
    w = window(org)
    for p in people(org):
        verified_on(org, p, w.deadline)
    rekap = compiled(org, w.deadline)
    plenary(org, rekap, w.deadline, None, None, final_on=add_working_days(org.kudus, w.deadline, 2))
    s = steps(row_of(org))
    assert (s[4].elapsed, s[4].late) == (0, False)
    assert (s[5].status, s[5].elapsed, s[5].late) == (board.Status.TIDAK_DICATAT, None, False)
    assert (s[6].elapsed, s[6].late) == (2, True)


def test_a_running_verification_counts_down_then_up(org):
    entri(
        org, org.asn, 1, StatusEntri.DIAJUKAN
    )  # the office records its work (a month with nothing is issue 12 §3)
    w = window(org)
    on_opening = row_of(org, today=w.opens)
    assert (on_opening.deadline.state, on_opening.deadline.days, on_opening.deadline.late) == (
        board.Status.BERJALAN,
        3,
        False,
    )
    assert on_opening.deadline.keterangan == "Sisa 3 hari kerja"
    assert steps(on_opening)[4].status == board.Status.BELUM
    later = row_of(org, today=add_working_days(org.kudus, w.deadline, 2))
    assert (later.deadline.days, later.deadline.late) == (2, True)
    assert later.deadline.keterangan == "Terlambat 2 hari kerja (belum selesai)"
    s = steps(later)
    assert (s[3].status, s[3].elapsed, s[3].late) == (board.Status.BERJALAN, 5, True)
    # Past the deadline, Rendatin may compile without everyone: step 4's clock runs from the deadline.
    assert (s[4].status, s[4].elapsed, s[4].late) == (board.Status.BERJALAN, 2, False)
    before = row_of(org, today=w.last_working_day)
    assert before.tahap == TahapPeriode.OPEN and before.deadline.state == board.Status.BELUM
    assert all(x.status == board.Status.BELUM for x in before.steps)


def test_a_compiled_month_is_shown_as_frozen(org):
    w = window(org)
    for p in people(org)[:5]:
        entri(org, p, 1)
        verified_on(org, p, w.deadline)
    entri(org, org.rendatin, 2, StatusEntri.DIAJUKAN)
    compiled(org, add_working_days(org.kudus, w.deadline, 1), reason="Rapat pleno dimajukan")
    newcomer = make_pegawai(org.kudus, org.kul, nama="Pegawai Baru")
    entri(org, newcomer, 3, StatusEntri.DIAJUKAN)
    built = board.build(org.kudus, october(org)[0], months=[10], drill=10)
    month = built.months[0]
    assert month.compiled and month.tahap == TahapPeriode.COMPILED
    assert (month.people, month.verified, month.pending) == (8, 5, 1)
    # Compiled without three people: verification ended with the compilation, a working day late.
    assert (month.deadline.state, month.deadline.days, month.deadline.late) == (board.Status.SELESAI, 1, True)
    kul = next(s for s in built.subbagian if s.singkatan == "KUL")
    assert (kul.people, kul.verified, kul.pending) == (3, 3, 0)
    rendatin = next(s for s in built.subbagian if s.singkatan == "RENDATIN")
    assert (rendatin.people, rendatin.verified, rendatin.pending) == (2, 0, 1)
    assert sum(s.people for s in built.subbagian) == 8


# --- queries -----------------------------------------------------------------------------------------------


def fill(org, person, verified: bool) -> None:
    for day in (1, 2, 3):
        entri(org, person, day, StatusEntri.DISETUJUI if verified else StatusEntri.DIAJUKAN)
    entri(org, person, 6, StatusEntri.DIAJUKAN, month_of=(october(org)[0], 11))
    Ketidakhadiran.objects.create(
        pegawai=person, jenis="izin", mulai=D(october(org)[0], 10, 8), selesai=D(october(org)[0], 10, 8)
    )
    if verified:
        verified_on(org, person, window(org).deadline)


def count(callable_) -> int:
    with CaptureQueriesContext(connection) as ctx:
        callable_()
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_people_or_months(org, login):
    year = october(org)[0]
    keep = {org.asn.pk, org.colleague.pk, org.rendatin.pk}
    for p in people(org):
        if p.pk not in keep:
            p.aktif = False
            p.save()
    for p in (org.asn, org.colleague, org.rendatin):
        fill(org, p, verified=p is not org.colleague)
    compiled(org, window(org).deadline)
    assert len(list(snapshot.people_to_verify(org.kudus))) == 3
    org.kudus.refresh_from_db()

    def whole_year():
        built = board.build(org.kudus, year, drill=11)
        assert len(built.months) == 12 and built.subbagian

    def one_month():
        assert len(board.build(org.kudus, year, months=[11], drill=11).months) == 1

    few = count(whole_year)
    assert count(one_month) == few
    for i in range(5):
        fill(org, make_pegawai(org.kudus, org.teknis, nama=f"Staf Teknis {i}"), verified=i % 2 == 0)
    assert len(list(snapshot.people_to_verify(org.kudus))) == 8
    assert count(whole_year) == few
    assert few <= 12

    client = login(org.rendatin)
    url = f"{reverse('rekap:papan')}?tahun={year}&bulan=11"
    client.get(url)  # warm the per-process caches
    many = count(lambda: client.get(url))
    for p in (org.kasubag, org.teknis_staff, org.admin):
        p.aktif = True
        p.save()
        fill(org, p, verified=False)
    assert count(lambda: client.get(url)) == many
    compiled_url = f"{reverse('rekap:papan')}?tahun={year}&bulan=10"
    assert (
        count(lambda: client.get(compiled_url)) == many + 1
    )  # the frozen snapshot of the month drilled into


def test_the_board_flags_a_measurement_step_past_its_mutu_baku(org, login):
    from rekap.pengukuran.models import LangkahPengukuran, Pengukuran

    year = org.kudus.today().year
    client = login(org.sekretaris)
    url = reverse("rekap:papan")
    assert 'id="pengukuran-terlambat"' not in client.get(url).content.decode()
    p = Pengukuran.objects.create(
        satker=org.kudus, tahun=year, jenis_periode="bulan", nomor=1, instruksi="Ukur.", tahap="konsep"
    )
    started = timezone.now() - datetime.timedelta(days=7)
    LangkahPengukuran.objects.create(pengukuran=p, langkah=2, mulai=started, oleh=org.kasubag_rendatin)
    other = Pengukuran.objects.create(
        satker=org.bontang, tahun=year, jenis_periode="bulan", nomor=1, instruksi="Ukur.", tahap="konsep"
    )
    LangkahPengukuran.objects.create(pengukuran=other, langkah=2, mulai=started)
    body = client.get(url).content.decode()
    flagged = body[body.index('id="pengukuran-terlambat"') :]
    flagged = flagged[: flagged.index("</div>")]
    assert f'href="{reverse("pengukuran:detail", args=[p.pk])}">Januari {year}</a>, langkah 2: ' in flagged
    assert "(mutu baku 20 menit)" in flagged and "menit dari" not in flagged
    assert reverse("pengukuran:detail", args=[other.pk]) not in flagged


# --- months before the office started (issue 12 §3) --------------------------------------------------------


def test_months_before_the_first_record_are_not_late_on_the_board_or_its_banner(org, login):
    year = october(org)[0]
    entri(org, org.asn, 1)  # the office's first record: October
    built = board.build(org.kudus, year, months=[8, 9, 10, 11])
    rows = {r.month: r for r in built.months}
    for m in (8, 9):
        assert rows[m].before_start and not rows[m].deadline.late and not rows[m].late_steps
        assert rows[m].deadline.keterangan == "Sebelum satker mulai mencatat"
    for m in (10, 11):  # from the first record on, an empty month is late as before
        assert not rows[m].before_start and rows[m].deadline.late

    page = login(org.rendatin).get(f"{reverse('rekap:papan')}?tahun={year}")
    assert [r.month for r in page.context["late_months"]] == list(range(10, 13))
    banner = page.content.decode().split('id="terlambat"')[1].split("</div>")[0]
    assert "Agustus" not in banner and "September" not in banner and "Oktober" in banner
    august = page.content.decode().split('id="bulan-8"')[1].split("</tr>")[0]
    assert "Sebelum satker mulai mencatat" in august and "Terlambat" not in august and "0/" not in august


def test_an_office_with_no_record_at_all_starts_in_the_current_month(org, login):
    today = org.kudus.today()
    built = board.build(org.kudus, today.year, today=today)
    assert all(r.before_start for r in built.months[:-1])
    assert not built.months[-1].before_start
    page = login(org.rendatin).get(reverse("rekap:papan"))
    assert page.context["late_months"] == [] and 'id="terlambat"' not in page.content.decode()


def test_a_month_with_a_verification_but_no_entry_is_not_before_the_start(org):
    w = window(org)
    for p in people(org):
        verified_on(org, p, w.deadline)
    assert not row_of(org).before_start
