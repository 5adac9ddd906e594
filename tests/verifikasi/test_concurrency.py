"""Two people acting on the same month at the same moment, each in a thread with its own database connection.

The services rely on row locks (`select_for_update`). SQLite ignores them and serialises writers instead, so
these tests run only on PostgreSQL (CI's PostgreSQL leg).

Where the order matters, a patched step inside one service waits, holding its lock, until the other request
has reached the point just before its own lock: both requests are then truly in flight at once, in a known order.
"""

import contextlib
import datetime
import threading
import time

import pytest
from django.db import connection

from kinerja import services as core
from kinerja.errors import EntriTidakDapatDiubah
from kinerja.models import AuditLog, EntriKinerja, StatusEntri
from tests.concurrency import person, race
from verifikasi import services
from verifikasi.models import LaporanBulanan, StatusLaporan
from verifikasi.services import VerifikasiDitolak

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ORIGINAL = "Rekonsiliasi BMN"
EDITED = "Rekonsiliasi BMN semester II (diperbaiki)"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; SQLite serialises writers instead")


def october(org) -> tuple[int, int]:
    return min(org.kode_years), 10


def make_entri(org, day: int, **fields) -> EntriKinerja:
    year, month = october(org)
    return EntriKinerja.objects.create(
        satker=org.kudus,
        pegawai=org.asn,
        tanggal=datetime.date(year, month, day),
        kode_output=org.kode_years[year],
        nama_kegiatan=ORIGINAL,
        output_hasil="Berita acara rekonsiliasi",
        **fields,
    )


# --- the same month verified twice at once ----------------------------------------------------------------


def test_verifying_the_same_month_twice_at_once_succeeds_once(org, monkeypatch):
    make_entri(org, 1, status=StatusEntri.DISETUJUI)
    make_entri(org, 2, status=StatusEntri.DISETUJUI)
    counts = services.laporan_counts

    def slow_counts(laporan):
        # Hold the month's lock a while: without it, both requests would pass the "not yet verified" check.
        time.sleep(0.3)
        return counts(laporan)

    monkeypatch.setattr(services, "laporan_counts", slow_counts)

    def verify():
        asn, kasubag = person(org.asn.pk), person(org.kasubag.pk)
        return services.laporan_verify(laporan=services.laporan_for(asn, *october(org)), by=kasubag)

    results = race(verify, verify)

    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    [error] = [value for kind, value in results if kind == "error"]
    assert isinstance(error, VerifikasiDitolak) and "sudah diverifikasi" in str(error)
    laporan = LaporanBulanan.objects.get()
    assert (laporan.status, laporan.verifikator_id) == (StatusLaporan.TERVERIFIKASI, org.kasubag.pk)
    assert AuditLog.objects.filter(action="laporan_diverifikasi").count() == 1


# --- the owner fixes a returned entry while the verifier approves it ----------------------------------------


def edit(org, entri_pk: int):
    def call():
        entri = EntriKinerja.objects.get(pk=entri_pk)
        return core.entri_update(entri=entri, by=person(org.asn.pk), data={"nama_kegiatan": EDITED})

    return call


def approve(org, entri_pk: int):
    def call():
        entri = EntriKinerja.objects.get(pk=entri_pk)
        asn, kasubag = person(org.asn.pk), person(org.kasubag.pk)
        return services.entri_approve(
            laporan=services.laporan_for(asn, *october(org)), entri=entri, by=kasubag
        )

    return call


def outcome(entri: EntriKinerja, edited, approved) -> str:
    """Which of the two consistent histories happened; fails on any other end state."""
    for kind, value in (edited, approved):
        assert not (kind == "error" and "deadlock" in str(value)), value
    entri.refresh_from_db()
    assert approved[0] == "ok", approved  # the verifier's decision always lands
    assert entri.status == StatusEntri.DISETUJUI
    decision = AuditLog.objects.get(action="entri_keputusan", object_id=entri.pk)
    if edited[0] == "ok":
        # Fixed first, so it went back to pending; then approved, edited text and all.
        assert entri.nama_kegiatan == EDITED
        assert AuditLog.objects.filter(
            action="entri_diperbaiki",
            object_id=entri.pk,
            dari=StatusEntri.DIKEMBALIKAN,
            ke=StatusEntri.DIAJUKAN,
        ).exists()
        assert decision.dari == StatusEntri.DIAJUKAN
        return "edit_then_approve"
    # Approved first: the approval is final, the edit is refused and the original text stays.
    assert isinstance(edited[1], EntriTidakDapatDiubah), edited
    assert "sudah disetujui" in str(edited[1])
    assert entri.nama_kegiatan == ORIGINAL
    assert not AuditLog.objects.filter(action="entri_diperbaiki", object_id=entri.pk).exists()
    assert decision.dari == StatusEntri.DIKEMBALIKAN
    return "approve_then_edit"


def test_approval_waits_for_the_owners_fix_that_holds_the_entry(org, monkeypatch):
    entri = make_entri(org, 1, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Lengkapi uraian")
    fix_holds_entry, approving = threading.Event(), threading.Event()
    block_reason, entri_of = core.entri_edit_block_reason, services._entri_of

    def fix_holding_the_lock(*args, **kwargs):
        # Called inside entri_update with the entry locked: let the approval arrive and queue behind it.
        fix_holds_entry.set()
        approving.wait(timeout=5)
        time.sleep(0.2)
        return block_reason(*args, **kwargs)

    def about_to_decide(laporan, e):
        # Called in entri_approve just before it locks the entry.
        entri_of(laporan, e)
        fix_holds_entry.wait(timeout=5)
        approving.set()

    monkeypatch.setattr(core, "entri_edit_block_reason", fix_holding_the_lock)
    monkeypatch.setattr(services, "_entri_of", about_to_decide)

    edited, approved = race(edit(org, entri.pk), approve(org, entri.pk))

    assert outcome(entri, edited, approved) == "edit_then_approve"


def test_fix_waits_for_the_approval_that_holds_the_entry_and_is_refused(org, monkeypatch):
    entri = make_entri(org, 1, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Lengkapi uraian")
    approval_holds_entry, fixing = threading.Event(), threading.Event()
    audit_many, files_removed_on_error = core.audit_many, core.files_removed_on_error

    def decision_holding_the_lock(**kwargs):
        # Called inside entri_set_decision(s) with the entry locked and saved: let the fix arrive and queue.
        if kwargs["action"] == "entri_keputusan":
            approval_holds_entry.set()
            fixing.wait(timeout=5)
            time.sleep(0.2)
        return audit_many(**kwargs)

    @contextlib.contextmanager
    def about_to_fix():
        # Entered in entri_update just before it locks the entry.
        approval_holds_entry.wait(timeout=5)
        fixing.set()
        with files_removed_on_error() as stored:
            yield stored

    monkeypatch.setattr(core, "audit_many", decision_holding_the_lock)
    monkeypatch.setattr(core, "files_removed_on_error", about_to_fix)

    edited, approved = race(edit(org, entri.pk), approve(org, entri.pk))

    assert outcome(entri, edited, approved) == "approve_then_edit"
