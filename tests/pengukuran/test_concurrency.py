"""Two people acting on the same measurement at the same moment, each in a thread with its own connection.

Every transition locks the Pengukuran row (select_for_update) and reads the stage only once it holds it. SQLite
ignores row locks and serialises writers instead, so these tests run only on PostgreSQL (CI's PostgreSQL leg).
A patched step inside the first request holds its lock a while, so the second is truly in flight at once.
"""

import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from kinerja.models import AuditLog
from rekap.pengukuran import hitung, services
from rekap.pengukuran.models import (
    KeputusanVersi,
    LangkahPengukuran,
    Pengukuran,
    TahapPengukuran,
    VersiPengukuran,
)
from rekap.pengukuran.services import IsianBaris, PengukuranDitolak, collection, decision, transition
from tests.concurrency import person, race
from tests.conftest import make_pegawai
from tests.pengukuran.test_services import (  # noqa: F401 (autouse fixtures)
    VALUES,
    fake_generators,
    form_of,
    mutu_baku_seeded,
    sampai,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
T = TahapPengukuran


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; SQLite serialises writers instead")


def measurement(pk: int) -> Pengukuran:
    return Pengukuran.objects.select_related("satker").get(pk=pk)


def slow(monkeypatch, module, name: str, seconds: float = 0.3) -> None:
    original = getattr(module, name)

    def held(*args, **kwargs):
        time.sleep(seconds)  # called with the measurement locked
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, held)


def actions(p: Pengukuran) -> list[str]:
    rows = AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(Pengukuran), object_id=p.pk)
    return list(rows.order_by("waktu", "pk").values_list("action", flat=True))


def test_two_rendatin_measuring_at_once_move_the_step_once(org, monkeypatch):
    p = sampai(org, T.PENGUKURAN)
    second = make_pegawai(org.kudus, org.rendatin_sub, nama="Hana Pratiwi")
    slow(monkeypatch, hitung, "skala_for")

    def measure(pk):
        return lambda: services.pengukuran_measure(pengukuran=measurement(p.pk), by=person(pk))

    results = race(measure(org.rendatin.pk), measure(second.pk))

    # The second waits for the first, then finds the recap open and measures again without moving the step.
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert measurement(p.pk).tahap == T.REKAP
    assert sorted(a for a in actions(p) if a.startswith("pengukuran_diukur")) == [
        "pengukuran_diukur",
        "pengukuran_diukur_ulang",
    ]
    assert LangkahPengukuran.objects.filter(pengukuran=p, langkah=5, selesai__isnull=False).count() == 1
    assert LangkahPengukuran.objects.filter(pengukuran=p, langkah=6).count() == 1


def test_two_rendatin_closing_the_recap_at_once_succeed_once(org, monkeypatch):
    p = sampai(org, T.REKAP)
    second = make_pegawai(org.kudus, org.rendatin_sub, nama="Hana Pratiwi")
    slow(monkeypatch, transition, "audit")

    def close(pk):
        return lambda: services.pengukuran_recap(pengukuran=measurement(p.pk), by=person(pk))

    results = race(close(org.rendatin.pk), close(second.pk))

    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    [error] = [value for kind, value in results if kind == "error"]
    assert isinstance(error, PengukuranDitolak) and "sedang pada tahap «7. Laporan draf" in str(error)
    assert measurement(p.pk).tahap == T.DRAF
    assert LangkahPengukuran.objects.filter(pengukuran=p, langkah=7).count() == 1
    assert actions(p).count("pengukuran_rekap") == 1


def test_approving_and_returning_at_once_decide_once(org, monkeypatch):
    p = sampai(org, T.PERSETUJUAN)
    slow(monkeypatch, decision, "_record_version")
    sekretaris = org.sekretaris.pk

    results = race(
        lambda: services.pengukuran_approve(pengukuran=measurement(p.pk), by=person(sekretaris)),
        lambda: services.pengukuran_return(
            pengukuran=measurement(p.pk), by=person(sekretaris), catatan="Perbaiki."
        ),
    )

    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    [version] = VersiPengukuran.objects.filter(pengukuran=p)
    after = measurement(p.pk)
    if version.keputusan == KeputusanVersi.DISETUJUI:
        assert (after.tahap, after.versi) == (T.DISETUJUI, 1)
    else:
        assert (after.tahap, after.versi) == (T.PENGUKURAN, 2)
    assert LangkahPengukuran.objects.filter(pengukuran=p, langkah=9, selesai__isnull=False).count() == 1


def test_the_last_two_forms_handed_in_at_once_end_the_collection_once(org, monkeypatch):
    p = sampai(org, T.PENGUMPULAN)
    fillers = {
        org.kul.pk: org.kasubag.pk,
        org.teknis.pk: org.other_kasubag.pk,
        org.rendatin_sub.pk: org.rendatin.pk,
    }
    for subbagian_id, pegawai_id in fillers.items():
        form = form_of(p, subbagian_id)
        nilai = {r.pk: IsianBaris(VALUES[r.indikator_kode]) for r in form.baris_set.all()}
        services.form_fill(form=form, by=person(pegawai_id), nilai=nilai)
    services.form_submit(form=form_of(p, org.rendatin_sub.pk), by=person(org.rendatin.pk))
    slow(monkeypatch, collection, "baris_belum_lengkap")

    def hand_in(subbagian_id):
        return lambda: services.form_submit(form=form_of(p, subbagian_id), by=person(fillers[subbagian_id]))

    results = race(hand_in(org.kul.pk), hand_in(org.teknis.pk))

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert measurement(p.pk).tahap == T.PENGUKURAN
    assert actions(p).count("pengukuran_terkumpul") == 1
    assert LangkahPengukuran.objects.filter(pengukuran=p, langkah=5).count() == 1
