"""Settings that move stages are safe (issue 13, deliver 2): the VERIFICATION stage a month has reached by the
calendar is written down (with an audit row) before the settings or the holidays it was computed from change,
and by the daily job, so no such change sends the month back to OPEN.

July 2026 ends on Friday the 31st; with no grace days its verification opens on Saturday 1 August.
"""

import datetime
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from kinerja import kalender_services, master_services
from kinerja.models import AuditLog, Periode, Satker, TahapPeriode
from kinerja.services import periode_record_reached, periode_tahap
from tests.kinerja.test_admin_paths import post_data, su_request

D = datetime.date


@pytest.fixture
def on(monkeypatch):
    """on(day): every satker's today is `day`."""

    def set_today(day):
        monkeypatch.setattr(Satker, "today", lambda self: day)

    return set_today


def recorded_moves(satker, month=7):
    """The audited stage moves of a 2026 month of the satker."""
    periode = Periode.objects.filter(satker=satker, tahun=2026, bulan=month).first()
    if periode is None:
        return []
    return list(
        AuditLog.objects.filter(satker=satker, action="periode_tahap", object_id=periode.pk).values_list(
            "dari", "ke", "actor"
        )
    )


def test_raising_the_grace_days_in_the_admin_keeps_a_month_under_verification(org, on, client):
    on(D(2026, 8, 3))
    assert not Periode.objects.exists()
    assert periode_tahap(org.kudus, 2026, 7) == TahapPeriode.VERIFICATION
    superuser = User.objects.create_superuser("root", "root@example.id", "x")
    client.force_login(superuser, backend="kinerja.auth.NipOrUsernameBackend")
    data = post_data(admin.site._registry[Satker], su_request(superuser), org.kudus, verifikasi_buka_hari=5)
    response = client.post(reverse("admin:kinerja_satker_change", args=[org.kudus.pk]), data)
    assert response.status_code == 302
    org.kudus.refresh_from_db()
    assert org.kudus.verifikasi_buka_hari == 5
    # with 5 grace days July's window would open on 8 August: the stage reached on the 1st stands
    assert periode_tahap(org.kudus, 2026, 7) == TahapPeriode.VERIFICATION
    assert Periode.objects.get(satker=org.kudus, tahun=2026, bulan=7).tahap == TahapPeriode.VERIFICATION
    assert recorded_moves(org.kudus) == [(TahapPeriode.OPEN, TahapPeriode.VERIFICATION, None)]
    opened = AuditLog.objects.get(action="periode_tahap", object_id=Periode.objects.get(bulan=7).pk)
    assert opened.waktu.astimezone(org.kudus.tz).date() == D(2026, 8, 1)  # dated when it was reached
    change = AuditLog.objects.get(action="satker_ubah")
    assert change.perubahan == {"verifikasi_buka_hari": [0, 5]} and change.actor == superuser
    assert opened.perubahan == {"tahap": [TahapPeriode.OPEN, TahapPeriode.VERIFICATION]}


def test_raising_the_deadline_or_changing_the_zone_records_the_stage_too(org, on):
    on(D(2026, 8, 3))
    master_services.satker_update(satker=org.kudus, data={"verifikasi_tenggat_hari": 5}, by=None)
    assert recorded_moves(org.kudus) == [(TahapPeriode.OPEN, TahapPeriode.VERIFICATION, None)]
    master_services.satker_update(satker=org.bontang, data={"zona_waktu": "Asia/Jayapura"}, by=None)
    assert Periode.objects.filter(satker=org.bontang, bulan=7, tahap=TahapPeriode.VERIFICATION).exists()


def test_a_month_not_yet_under_verification_is_not_recorded(org, on):
    org.kudus.verifikasi_buka_hari = 5
    org.kudus.save()
    on(D(2026, 8, 3))
    assert periode_tahap(org.kudus, 2026, 7) == TahapPeriode.OPEN
    master_services.satker_update(satker=org.kudus, data={"verifikasi_buka_hari": 0}, by=None)
    org.kudus.refresh_from_db()
    assert periode_tahap(org.kudus, 2026, 7) == TahapPeriode.VERIFICATION  # lowering it opens it, as before
    assert not Periode.objects.filter(satker=org.kudus, bulan=7).exists()
    assert recorded_moves(org.kudus) == []


def test_a_holiday_that_would_push_the_window_later_does_not_reopen_the_month(org, on):
    # one grace day: July's window opens on Tuesday 4 August; a holiday on Monday 3 August would move it to the 5th
    org.kudus.verifikasi_buka_hari = 1
    org.kudus.save()
    on(D(2026, 8, 4))
    assert periode_tahap(org.kudus, 2026, 7) == TahapPeriode.VERIFICATION
    kalender_services.hari_libur_add(
        satker=org.kudus, tanggal=D(2026, 8, 3), nama="Libur", jenis="lokal", by=org.admin
    )
    assert periode_tahap(org.kudus, 2026, 7) == TahapPeriode.VERIFICATION
    assert recorded_moves(org.kudus) == [(TahapPeriode.OPEN, TahapPeriode.VERIFICATION, None)]


def test_recording_is_idempotent_and_leaves_later_stages_alone(org, on):
    on(D(2026, 8, 3))
    Periode.objects.create(satker=org.kudus, tahun=2026, bulan=6, tahap=TahapPeriode.FINAL)
    # the three months before this one; April and earlier are long past any window
    assert [p.bulan for p in periode_record_reached(satker=org.kudus)] == [7, 5]
    assert periode_record_reached(satker=org.kudus) == []
    assert Periode.objects.get(satker=org.kudus, bulan=6).tahap == TahapPeriode.FINAL
    assert recorded_moves(org.kudus, 6) == []
    assert AuditLog.objects.filter(action="periode_tahap").count() == 2


def test_the_daily_job_records_the_months_reached(org, on):
    on(D(2026, 8, 3))
    out = StringIO()
    call_command("catat_tahap_periode", "--dry-run", stdout=out)
    assert "dry-run: akan dicatat 6 bulan" in out.getvalue() and not Periode.objects.exists()
    call_command("catat_tahap_periode", stdout=StringIO())
    assert set(Periode.objects.values_list("satker__kode", "bulan", "tahap")) == {
        (kode, month, TahapPeriode.VERIFICATION) for kode in ("kudus", "bontang") for month in (5, 6, 7)
    }


def test_the_reminder_job_records_them_too(org, on):
    on(D(2026, 8, 3))
    call_command("kirim_pengingat", "--satker", "kudus", stdout=StringIO(), stderr=StringIO())
    assert Periode.objects.get(satker=org.kudus, bulan=7).tahap == TahapPeriode.VERIFICATION
