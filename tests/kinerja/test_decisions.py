"""The verifier's decisions in the core (kinerja.services.entri_set_decision(s), entri_undo_approvals): the only
writers of EntriKinerja.status besides the owner's own edits. Who verifies whom is verifikasi's check; the core
refuses what no verifier may do: decide an approved entry, decide outside the month's verification, decide
another satker's entry.

The month under test is October of last year: past, and its verification window long open.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja import services
from kinerja.errors import EntriTidakDapatDiubah, PeriodeTerkunci
from kinerja.models import AuditLog, EntriKinerja, Periode, StatusEntri, TahapPeriode

D = datetime.date


def october(org) -> tuple[int, int]:
    return min(org.kode_years), 10


def make_entri(org, day: int = 1, *, status=StatusEntri.DIAJUKAN, tanggal=None, **fields) -> EntriKinerja:
    tanggal = tanggal or D(*october(org), day)
    return EntriKinerja.objects.create(
        satker=org.kudus,
        pegawai=org.asn,
        tanggal=tanggal,
        kode_output=org.kode_years[tanggal.year],
        nama_kegiatan="Rekonsiliasi BMN",
        output_hasil="Berita acara",
        status=status,
        **fields,
    )


def statuses(*entries) -> list[str]:
    return [EntriKinerja.objects.get(pk=e.pk).status for e in entries]


def decisions() -> list[tuple]:
    return list(
        AuditLog.objects.filter(action="entri_keputusan")
        .order_by("object_id")
        .values_list("object_id", "actor", "dari", "ke", "catatan")
    )


def test_many_pending_and_returned_entries_are_approved_at_once_with_one_audit_row_each(org):
    pending = [make_entri(org, day) for day in (1, 2)]
    returned = make_entri(org, 3, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Lengkapi bukti")
    changed = services.entri_set_decisions(
        entries=[*pending, returned], status=StatusEntri.DISETUJUI, note="Disetujui bersama", by=org.kasubag
    )
    assert [e.pk for e in changed] == [pending[0].pk, pending[1].pk, returned.pk]
    assert {e.status for e in changed} == {StatusEntri.DISETUJUI}
    assert (
        list(
            EntriKinerja.objects.filter(pk__in=[e.pk for e in changed])
            .order_by("pk")
            .values_list("status", "catatan_verifikasi")
        )
        == [(StatusEntri.DISETUJUI, "")] * 3
    )  # an approval clears the note that returned it
    user = org.kasubag.user.pk
    assert decisions() == [
        (pending[0].pk, user, StatusEntri.DIAJUKAN, StatusEntri.DISETUJUI, "Disetujui bersama"),
        (pending[1].pk, user, StatusEntri.DIAJUKAN, StatusEntri.DISETUJUI, "Disetujui bersama"),
        (returned.pk, user, StatusEntri.DIKEMBALIKAN, StatusEntri.DISETUJUI, "Disetujui bersama"),
    ]
    assert set(AuditLog.objects.values_list("satker", flat=True)) == {org.kudus.pk}


def test_many_decisions_lock_the_entries_and_write_them_in_one_update(org):
    entries = [make_entri(org, day) for day in range(1, 6)]
    with CaptureQueriesContext(connection) as ctx:
        services.entri_set_decisions(entries=entries, status=StatusEntri.DISETUJUI, by=org.kasubag)
    sql = [q["sql"] for q in ctx.captured_queries]
    updates = [q for q in sql if q.startswith("UPDATE") and "entrikinerja" in q]
    audit_inserts = [q for q in sql if q.startswith("INSERT") and "auditlog" in q]
    assert len(updates) == 1 and len(audit_inserts) == 1
    if connection.vendor == "postgresql":  # SQLite has no row locks and Django leaves FOR UPDATE out
        [lock] = [i for i, q in enumerate(sql) if "FOR UPDATE" in q and "entrikinerja" in q]
        assert lock < sql.index(updates[0])


def test_many_decisions_are_refused_as_a_whole_when_one_entry_is_approved(org):
    pending = make_entri(org, 1)
    approved = make_entri(org, 2, status=StatusEntri.DISETUJUI)
    with pytest.raises(EntriTidakDapatDiubah, match="sudah disetujui"):
        services.entri_set_decisions(
            entries=[pending, approved], status=StatusEntri.DIKEMBALIKAN, note="Periksa", by=org.kasubag
        )
    assert statuses(pending, approved) == [StatusEntri.DIAJUKAN, StatusEntri.DISETUJUI]
    assert decisions() == []


@pytest.mark.parametrize("bulk", [False, True])
def test_no_decision_while_the_month_is_open(org, bulk):
    today = org.kudus.today()
    entri = make_entri(org, tanggal=today.replace(day=1))
    with pytest.raises(PeriodeTerkunci, match="tidak dalam tahap verifikasi"):
        if bulk:
            services.entri_set_decisions(entries=[entri], status=StatusEntri.DISETUJUI, by=org.kasubag)
        else:
            services.entri_set_decision(entri=entri, status=StatusEntri.DISETUJUI, note="", by=org.kasubag)
    assert statuses(entri) == [StatusEntri.DIAJUKAN] and decisions() == []


@pytest.mark.parametrize("tahap", [TahapPeriode.COMPILED, TahapPeriode.PLENO, TahapPeriode.FINAL])
@pytest.mark.parametrize("bulk", [False, True])
def test_no_decision_once_the_month_is_compiled(org, tahap, bulk):
    entri = make_entri(org)
    Periode.objects.create(satker=org.kudus, tahun=october(org)[0], bulan=10, tahap=tahap)
    with pytest.raises(PeriodeTerkunci, match="tidak dalam tahap verifikasi"):
        if bulk:
            services.entri_set_decisions(entries=[entri], status=StatusEntri.DISETUJUI, by=org.kasubag)
        else:
            services.entri_set_decision(
                entri=entri, status=StatusEntri.DIKEMBALIKAN, note="Periksa", by=org.kasubag
            )
    assert statuses(entri) == [StatusEntri.DIAJUKAN] and decisions() == []


def test_no_decision_on_another_satkers_entry(org):
    entri = make_entri(org)
    with pytest.raises(EntriTidakDapatDiubah, match="satker lain"):
        services.entri_set_decisions(entries=[entri], status=StatusEntri.DISETUJUI, by=org.outsider)
    assert statuses(entri) == [StatusEntri.DIAJUKAN]


def test_no_decision_on_an_entry_its_owner_has_just_deleted(org):
    kept, deleted = make_entri(org, 1, status=StatusEntri.DIKEMBALIKAN), make_entri(org, 2)
    EntriKinerja.objects.filter(pk=deleted.pk).delete()
    with pytest.raises(EntriTidakDapatDiubah, match="sudah dihapus"):
        services.entri_set_decisions(entries=[kept, deleted], status=StatusEntri.DISETUJUI, by=org.kasubag)
    assert statuses(kept) == [StatusEntri.DIKEMBALIKAN] and decisions() == []


def test_only_an_approval_or_a_return_is_a_decision(org):
    entri = make_entri(org, status=StatusEntri.DIKEMBALIKAN)
    with pytest.raises(ValueError):
        services.entri_set_decisions(entries=[entri], status=StatusEntri.DIAJUKAN, by=org.kasubag)
    assert statuses(entri) == [StatusEntri.DIKEMBALIKAN]


def test_a_loader_records_decisions_as_at_a_past_moment(org):
    year, month = october(org)
    window = services.verification_window(org.kudus, year, month)
    moment = datetime.datetime.combine(window.opens, datetime.time(9, 30), org.kudus.tz)
    entri = make_entri(org)
    services.entri_set_decisions(entries=[entri], status=StatusEntri.DISETUJUI, by=org.kasubag, as_of=moment)
    entri.refresh_from_db()
    assert (entri.status, entri.diubah) == (StatusEntri.DISETUJUI, moment)
    assert AuditLog.objects.get(action="entri_keputusan").waktu == moment


def test_a_loader_cannot_decide_before_the_months_verification_opened(org):
    year, month = october(org)
    moment = datetime.datetime(year, month, 20, 9, tzinfo=org.kudus.tz)  # the month was still open then
    entri = make_entri(org)
    with pytest.raises(PeriodeTerkunci):
        services.entri_set_decisions(
            entries=[entri], status=StatusEntri.DISETUJUI, by=org.kasubag, as_of=moment
        )
    assert statuses(entri) == [StatusEntri.DIAJUKAN]


def test_undoing_approvals_sends_the_entries_back_to_pending(org):
    approved = [make_entri(org, day, status=StatusEntri.DISETUJUI) for day in (1, 2)]
    services.entri_undo_approvals(entries=approved, note="Dibuka kembali", by=org.sekretaris)
    assert statuses(*approved) == [StatusEntri.DIAJUKAN] * 2
    user = org.sekretaris.user.pk
    assert decisions() == [
        (e.pk, user, StatusEntri.DISETUJUI, StatusEntri.DIAJUKAN, "Dibuka kembali") for e in approved
    ]


def test_undoing_refuses_an_entry_that_is_not_approved(org):
    approved, returned = (
        make_entri(org, 1, status=StatusEntri.DISETUJUI),
        make_entri(org, 2, status="dikembalikan"),
    )
    with pytest.raises(EntriTidakDapatDiubah, match="sudah disetujui"):
        services.entri_undo_approvals(entries=[approved, returned], note="x", by=org.sekretaris)
    assert statuses(approved, returned) == [StatusEntri.DISETUJUI, StatusEntri.DIKEMBALIKAN]


def test_undoing_refuses_once_the_month_is_compiled(org):
    approved = make_entri(org, status=StatusEntri.DISETUJUI)
    Periode.objects.create(satker=org.kudus, tahun=october(org)[0], bulan=10, tahap=TahapPeriode.COMPILED)
    with pytest.raises(PeriodeTerkunci):
        services.entri_undo_approvals(entries=[approved], note="x", by=org.sekretaris)
    assert statuses(approved) == [StatusEntri.DISETUJUI]
