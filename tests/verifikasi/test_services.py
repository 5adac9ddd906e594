"""Month-end verification (SOP step 3) in the service layer: decisions, verify, reopen, and the month's stage.

The month under test is October of last year: past, and its verification window long open, so its effective
stage is VERIFICATION whatever day the tests run.
"""

import datetime

import pytest

from kinerja import services as core
from kinerja.errors import EntriTidakDapatDiubah, PeriodeTerkunci
from kinerja.models import (
    AuditLog,
    EntriKinerja,
    HariLibur,
    JenisPenjabat,
    PenjabatSementara,
    Periode,
    StatusEntri,
    TahapPeriode,
)
from verifikasi import services
from verifikasi.models import LaporanBulanan, StatusLaporan
from verifikasi.services import VerifikasiDitolak

D = datetime.date
KUL_POST = "Kepala Subbagian Keuangan, Umum dan Logistik"


def october(org) -> tuple[int, int]:
    return min(org.kode_years), 10


def make_entri(org, pegawai=None, *, tanggal=None, **fields) -> EntriKinerja:
    pegawai = pegawai or org.asn
    tanggal = tanggal or D(*october(org), 1)
    values = {
        "satker": pegawai.satker,
        "pegawai": pegawai,
        "tanggal": tanggal,
        "kode_output": org.kode_years[tanggal.year],
        "nama_kegiatan": "Rekonsiliasi BMN",
        "output_hasil": "Berita acara rekonsiliasi",
    }
    values.update(fields)
    return EntriKinerja.objects.create(**values)


def laporan(org, pegawai=None) -> LaporanBulanan:
    return services.laporan_for(pegawai or org.asn, *october(org))


def status_of(entri: EntriKinerja) -> str:
    entri.refresh_from_db()
    return entri.status


def audit_rows(action: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action).order_by("pk"))


def verified(org, pegawai=None, by=None) -> LaporanBulanan:
    """A month whose entries were all approved and which the verifier closed."""
    pegawai = pegawai or org.asn
    make_entri(org, pegawai, tanggal=D(*october(org), 1), status=StatusEntri.DISETUJUI)
    make_entri(org, pegawai, tanggal=D(*october(org), 2), status=StatusEntri.DISETUJUI)
    return services.laporan_verify(laporan=laporan(org, pegawai), by=by or org.kasubag)


# --- the month of a person --------------------------------------------------------------------------------


def test_laporan_for_creates_one_row_per_person_and_month(org):
    first = laporan(org)
    again = laporan(org)
    assert first.pk == again.pk
    assert (first.satker, first.pegawai, first.status) == (org.kudus, org.asn, StatusLaporan.BELUM)
    assert LaporanBulanan.objects.count() == 1


def test_october_of_last_year_is_under_verification(org):
    assert core.periode_tahap(org.kudus, *october(org)) == TahapPeriode.VERIFICATION


# --- per-entry decisions ----------------------------------------------------------------------------------


def test_kasubag_approves_an_entry_with_an_audit_row(org):
    entri = make_entri(org)
    services.entri_approve(laporan=laporan(org), entri=entri, by=org.kasubag)
    entri.refresh_from_db()
    assert (entri.status, entri.catatan_verifikasi) == (StatusEntri.DISETUJUI, "")
    [row] = audit_rows("entri_keputusan")
    assert (row.object_id, row.actor, row.dari, row.ke) == (
        entri.pk,
        org.kasubag.user,
        StatusEntri.DIAJUKAN,
        StatusEntri.DISETUJUI,
    )


def test_kasubag_returns_an_entry_with_a_note(org):
    entri = make_entri(org)
    services.entri_return(
        laporan=laporan(org), entri=entri, by=org.kasubag, note="  Lampirkan foto kegiatan  "
    )
    entri.refresh_from_db()
    assert (entri.status, entri.catatan_verifikasi) == (StatusEntri.DIKEMBALIKAN, "Lampirkan foto kegiatan")
    [row] = audit_rows("entri_keputusan")
    assert (row.object_id, row.dari, row.ke, row.catatan) == (
        entri.pk,
        StatusEntri.DIAJUKAN,
        StatusEntri.DIKEMBALIKAN,
        "Lampirkan foto kegiatan",
    )


@pytest.mark.parametrize("note", ["", "   ", None])
def test_return_without_a_note_is_refused(org, note):
    entri = make_entri(org)
    with pytest.raises(VerifikasiDitolak, match="Tulis catatan"):
        services.entri_return(laporan=laporan(org), entri=entri, by=org.kasubag, note=note)
    assert status_of(entri) == StatusEntri.DIAJUKAN
    assert not AuditLog.objects.filter(action="entri_keputusan").exists()


def test_approve_remaining_approves_only_pending_entries_of_the_month(org):
    year, month = october(org)
    pending = [make_entri(org, tanggal=D(year, month, day)) for day in (1, 2, 3)]
    returned = make_entri(
        org, tanggal=D(year, month, 6), status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Volume?"
    )
    approved = make_entri(org, tanggal=D(year, month, 7), status=StatusEntri.DISETUJUI)
    september = make_entri(org, tanggal=D(year, 9, 30))
    colleagues = make_entri(org, org.colleague, tanggal=D(year, month, 1))

    n = services.entri_approve_remaining(laporan=laporan(org), by=org.kasubag)

    assert n == 3
    assert [status_of(e) for e in pending] == [StatusEntri.DISETUJUI] * 3
    assert status_of(returned) == StatusEntri.DIKEMBALIKAN
    assert status_of(approved) == StatusEntri.DISETUJUI
    assert status_of(september) == StatusEntri.DIAJUKAN
    assert status_of(colleagues) == StatusEntri.DIAJUKAN
    rows = audit_rows("entri_keputusan")
    assert sorted(r.object_id for r in rows) == sorted(e.pk for e in pending)
    assert {(r.actor_id, r.dari, r.ke) for r in rows} == {
        (org.kasubag.user.pk, StatusEntri.DIAJUKAN, StatusEntri.DISETUJUI)
    }


def test_approve_remaining_with_nothing_pending_approves_nothing(org):
    make_entri(org, status=StatusEntri.DISETUJUI)
    assert services.entri_approve_remaining(laporan=laporan(org), by=org.kasubag) == 0
    assert not AuditLog.objects.exists()


def test_entry_of_another_month_cannot_be_decided_through_this_laporan(org):
    year, _ = october(org)
    september = make_entri(org, tanggal=D(year, 9, 30))
    with pytest.raises(VerifikasiDitolak, match="bukan bagian"):
        services.entri_approve(laporan=laporan(org), entri=september, by=org.kasubag)
    with pytest.raises(VerifikasiDitolak, match="bukan bagian"):
        services.entri_return(laporan=laporan(org), entri=september, by=org.kasubag, note="x")
    assert status_of(september) == StatusEntri.DIAJUKAN


def test_entry_of_another_person_cannot_be_decided_through_this_laporan(org):
    colleagues = make_entri(org, org.colleague)
    with pytest.raises(VerifikasiDitolak, match="bukan bagian"):
        services.entri_approve(laporan=laporan(org), entri=colleagues, by=org.kasubag)
    with pytest.raises(VerifikasiDitolak, match="bukan bagian"):
        services.entri_return(laporan=laporan(org), entri=colleagues, by=org.kasubag, note="x")
    assert status_of(colleagues) == StatusEntri.DIAJUKAN
    assert not AuditLog.objects.exists()


def test_approved_entry_cannot_be_returned(org):
    entri = make_entri(org, status=StatusEntri.DISETUJUI)
    with pytest.raises(EntriTidakDapatDiubah, match="sudah disetujui"):
        services.entri_return(laporan=laporan(org), entri=entri, by=org.kasubag, note="Salah kode")
    entri.refresh_from_db()
    assert (entri.status, entri.catatan_verifikasi) == (StatusEntri.DISETUJUI, "")


def test_approved_entry_cannot_be_edited_by_its_owner(org):
    entri = make_entri(org)
    services.entri_approve(laporan=laporan(org), entri=entri, by=org.kasubag)
    with pytest.raises(EntriTidakDapatDiubah, match="sudah disetujui"):
        core.entri_update(entri=entri, by=org.asn, data={"nama_kegiatan": "Diubah setelah disetujui"})
    entri.refresh_from_db()
    assert entri.nama_kegiatan == "Rekonsiliasi BMN"


def test_returned_entry_fixed_by_its_owner_goes_back_to_pending(org):
    entri = make_entri(org)
    services.entri_return(laporan=laporan(org), entri=entri, by=org.kasubag, note="Volume tidak sesuai")
    core.entri_update(entri=entri, by=org.asn, data={"volume": 3, "satuan": "dokumen"})
    entri.refresh_from_db()
    assert (entri.status, entri.volume, entri.satuan) == (StatusEntri.DIAJUKAN, 3, "dokumen")
    assert AuditLog.objects.filter(
        action="entri_diperbaiki", object_id=entri.pk, dari=StatusEntri.DIKEMBALIKAN, ke=StatusEntri.DIAJUKAN
    ).exists()
    # Back in the verifier's queue: the next decision is the verifier's again.
    services.entri_approve(laporan=laporan(org), entri=entri, by=org.kasubag)
    assert status_of(entri) == StatusEntri.DISETUJUI


def test_pending_entry_cannot_be_edited_while_the_month_is_verified(org):
    entri = make_entri(org)
    with pytest.raises(EntriTidakDapatDiubah, match="sedang diverifikasi"):
        core.entri_update(entri=entri, by=org.asn, data={"nama_kegiatan": "x"})


# --- who may decide ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attr", ["other_kasubag", "colleague", "asn", "rendatin", "kasubag_rendatin", "pimpinan", "outsider"]
)
def test_only_the_verifier_decides(org, attr):
    by = getattr(org, attr)
    entri = make_entri(org)
    approved = make_entri(org, tanggal=D(*october(org), 2), status=StatusEntri.DISETUJUI)
    lap = laporan(org)
    with pytest.raises(VerifikasiDitolak):
        services.entri_approve(laporan=lap, entri=entri, by=by)
    with pytest.raises(VerifikasiDitolak):
        services.entri_return(laporan=lap, entri=entri, by=by, note="Perbaiki")
    with pytest.raises(VerifikasiDitolak):
        services.entri_approve_remaining(laporan=lap, by=by)
    entri.delete()  # every entry approved: only the person can still stop the verification
    with pytest.raises(VerifikasiDitolak):
        services.laporan_verify(laporan=lap, by=by)
    lap.refresh_from_db()
    assert lap.status == StatusLaporan.BELUM and lap.verifikator is None
    assert status_of(approved) == StatusEntri.DISETUJUI
    assert not AuditLog.objects.filter(action__in=["entri_keputusan", "laporan_diverifikasi"]).exists()


def test_asn_is_told_they_cannot_verify_themself(org):
    entri = make_entri(org)
    with pytest.raises(VerifikasiDitolak, match="Anda sendiri"):
        services.entri_approve(laporan=laporan(org), entri=entri, by=org.asn)


def test_kasubag_of_another_subbagian_is_told_they_are_not_the_verifier(org):
    entri = make_entri(org)
    with pytest.raises(VerifikasiDitolak, match="bukan verifikator"):
        services.entri_approve(laporan=laporan(org), entri=entri, by=org.other_kasubag)


def test_sekretaris_verifies_a_kasubags_month(org):
    entri = make_entri(org, org.kasubag)
    lap = laporan(org, org.kasubag)
    services.entri_approve(laporan=lap, entri=entri, by=org.sekretaris)
    services.laporan_verify(laporan=lap, by=org.sekretaris)
    lap.refresh_from_db()
    assert (lap.status, lap.verifikator, lap.verifikator_acting, lap.verifikator_jabatan) == (
        StatusLaporan.TERVERIFIKASI,
        org.sekretaris,
        "",
        "Sekretaris",
    )


def test_sekretaris_does_not_verify_a_staff_members_month(org):
    entri = make_entri(org)
    with pytest.raises(VerifikasiDitolak, match="bukan verifikator"):
        services.entri_approve(laporan=laporan(org), entri=entri, by=org.sekretaris)
    with pytest.raises(VerifikasiDitolak, match="bukan verifikator"):
        services.entri_approve_remaining(laporan=laporan(org), by=org.sekretaris)
    assert status_of(entri) == StatusEntri.DIAJUKAN


def test_kasubag_month_is_not_verified_by_the_kasubag_themself(org):
    entri = make_entri(org, org.kasubag)
    with pytest.raises(VerifikasiDitolak, match="Anda sendiri"):
        services.entri_approve(laporan=laporan(org, org.kasubag), entri=entri, by=org.kasubag)


def plh_today(org, pegawai) -> PenjabatSementara:
    today = org.kudus.today()
    return PenjabatSementara.objects.create(
        satker=org.kudus,
        subbagian=org.kul,
        pegawai=pegawai,
        jenis=JenisPenjabat.PLH,
        mulai=today,
        selesai=today,
    )


def test_plh_verifies_kul_staff_and_the_month_records_it(org):
    plh_today(org, org.colleague)
    entri = make_entri(org)
    lap = laporan(org)
    services.entri_approve(laporan=lap, entri=entri, by=org.colleague)
    services.laporan_verify(laporan=lap, by=org.colleague, note="Lengkap")
    lap.refresh_from_db()
    assert (lap.status, lap.verifikator, lap.verifikator_acting, lap.verifikator_jabatan, lap.catatan) == (
        StatusLaporan.TERVERIFIKASI,
        org.colleague,
        "Plh",
        "Plh. Kepala Subbagian Keuangan, Umum dan Logistik",
        "Lengkap",
    )
    [row] = audit_rows("laporan_diverifikasi")
    assert row.actor == org.colleague.user
    assert row.catatan == "Lengkap sebagai Plh. Kepala Subbagian Keuangan, Umum dan Logistik"


def test_kasubag_is_refused_while_a_plh_acts_for_the_post(org):
    plh_today(org, org.colleague)
    entri = make_entri(org)
    lap = laporan(org)
    with pytest.raises(VerifikasiDitolak, match="bukan verifikator"):
        services.entri_approve(laporan=lap, entri=entri, by=org.kasubag)
    with pytest.raises(VerifikasiDitolak, match="bukan verifikator"):
        services.entri_approve_remaining(laporan=lap, by=org.kasubag)
    assert status_of(entri) == StatusEntri.DIAJUKAN


def test_plh_of_a_past_range_no_longer_verifies(org):
    row = plh_today(org, org.colleague)
    yesterday = org.kudus.today() - datetime.timedelta(days=1)
    PenjabatSementara.objects.filter(pk=row.pk).update(
        mulai=yesterday - datetime.timedelta(days=5), selesai=yesterday
    )
    entri = make_entri(org)
    with pytest.raises(VerifikasiDitolak):
        services.entri_approve(laporan=laporan(org), entri=entri, by=org.colleague)
    services.entri_approve(laporan=laporan(org), entri=entri, by=org.kasubag)
    assert status_of(entri) == StatusEntri.DISETUJUI


# --- verifying the month ----------------------------------------------------------------------------------


def test_kasubag_verifies_a_month_whose_entries_are_all_approved(org):
    make_entri(org, status=StatusEntri.DISETUJUI)
    lap = services.laporan_verify(laporan=laporan(org), by=org.kasubag, note="  Sesuai indikator  ")
    lap.refresh_from_db()
    assert lap.status == StatusLaporan.TERVERIFIKASI and lap.is_verified
    assert (lap.verifikator, lap.verifikator_acting, lap.verifikator_jabatan, lap.catatan) == (
        org.kasubag,
        "",
        KUL_POST,
        "Sesuai indikator",
    )
    assert lap.diverifikasi_pada is not None
    [row] = audit_rows("laporan_diverifikasi")
    assert (row.object_id, row.actor, row.dari, row.ke, row.catatan, row.satker) == (
        lap.pk,
        org.kasubag.user,
        StatusLaporan.BELUM,
        StatusLaporan.TERVERIFIKASI,
        "Sesuai indikator",
        org.kudus,
    )
    assert [h.pk for h in services.laporan_history(lap)] == [row.pk]


def past_plh(org, pegawai) -> tuple[PenjabatSementara, datetime.datetime]:
    """A Plh for KUL during October's verification window (long over), and a moment inside it."""
    window = core.verification_window(org.kudus, *october(org))
    row = PenjabatSementara.objects.create(
        satker=org.kudus,
        subbagian=org.kul,
        pegawai=pegawai,
        jenis=JenisPenjabat.PLH,
        mulai=window.opens,
        selesai=window.deadline,
    )
    return row, datetime.datetime.combine(window.deadline, datetime.time(10, 15), org.kudus.tz)


def test_a_loader_verifies_as_at_a_past_moment_by_whoever_verified_on_that_day(org):
    _, moment = past_plh(org, org.colleague)
    pending = make_entri(org)
    lap = laporan(org)
    with pytest.raises(VerifikasiDitolak, match="bukan verifikator"):  # today the Kasubag verifies again
        services.entri_approve_remaining(laporan=lap, by=org.colleague)
    assert services.entri_approve_remaining(laporan=lap, by=org.colleague, as_of=moment) == 1
    services.laporan_verify(laporan=lap, by=org.colleague, note="Lengkap", as_of=moment)
    lap.refresh_from_db()
    assert (lap.verifikator, lap.verifikator_acting, lap.diverifikasi_pada) == (org.colleague, "Plh", moment)
    pending.refresh_from_db()
    assert (pending.status, pending.diubah) == (StatusEntri.DISETUJUI, moment)
    [decision] = audit_rows("entri_keputusan")
    [verified_row] = audit_rows("laporan_diverifikasi")
    assert (decision.actor, decision.waktu) == (org.colleague.user, moment)
    assert (verified_row.actor, verified_row.waktu) == (org.colleague.user, moment)


def test_a_loader_cannot_verify_as_at_a_moment_before_the_window_opened(org):
    year, month = october(org)
    make_entri(org, status=StatusEntri.DISETUJUI)
    moment = datetime.datetime(year, month, 25, 10, tzinfo=org.kudus.tz)
    with pytest.raises(PeriodeTerkunci, match="tidak dalam tahap verifikasi"):
        services.laporan_verify(laporan=laporan(org), by=org.kasubag, as_of=moment)
    assert not laporan(org).is_verified


def test_laporan_lock_month_gives_everyone_their_months_row_once(org):
    year, month = october(org)
    existing = laporan(org)
    people = [org.asn, org.colleague, org.kasubag]
    pks = services.laporan_lock_month(satker=org.kudus, year=year, month=month, people=people)
    rows = LaporanBulanan.objects.filter(satker=org.kudus, tahun=year, bulan=month)
    assert sorted(pks) == sorted(rows.values_list("pk", flat=True)) and existing.pk in pks
    assert sorted(rows.values_list("pegawai_id", flat=True)) == sorted(p.pk for p in people)
    services.laporan_lock_month(satker=org.kudus, year=year, month=month, people=people)
    assert rows.count() == 3


def test_verify_is_refused_while_entries_are_pending_or_returned(org):
    year, month = october(org)
    make_entri(org, tanggal=D(year, month, 1))
    make_entri(org, tanggal=D(year, month, 2))
    make_entri(org, tanggal=D(year, month, 3), status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="x")
    make_entri(org, tanggal=D(year, month, 6), status=StatusEntri.DISETUJUI)
    with pytest.raises(VerifikasiDitolak) as exc:
        services.laporan_verify(laporan=laporan(org), by=org.kasubag)
    assert "2 entri menunggu keputusan" in str(exc.value)
    assert "1 entri dikembalikan" in str(exc.value)
    assert laporan(org).status == StatusLaporan.BELUM
    assert not audit_rows("laporan_diverifikasi")


def test_verify_is_refused_with_only_a_returned_entry_left(org):
    make_entri(org, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="x")
    with pytest.raises(VerifikasiDitolak, match="Masih ada 1 entri dikembalikan; selesaikan"):
        services.laporan_verify(laporan=laporan(org), by=org.kasubag)


def test_verifying_twice_is_refused(org):
    lap = verified(org)
    first_at = lap.diverifikasi_pada
    with pytest.raises(VerifikasiDitolak, match="sudah diverifikasi"):
        services.laporan_verify(laporan=lap, by=org.kasubag)
    lap.refresh_from_db()
    assert lap.diverifikasi_pada == first_at
    assert len(audit_rows("laporan_diverifikasi")) == 1


def test_verified_month_refuses_further_decisions(org):
    lap = verified(org)
    approved = EntriKinerja.objects.filter(pegawai=org.asn).first()
    late = make_entri(org, tanggal=D(*october(org), 8))  # e.g. slipped in through the admin
    decisions = AuditLog.objects.filter(action="entri_keputusan").count()
    for call in (
        lambda: services.entri_approve(laporan=lap, entri=late, by=org.kasubag),
        lambda: services.entri_return(laporan=lap, entri=late, by=org.kasubag, note="x"),
        lambda: services.entri_return(laporan=lap, entri=approved, by=org.kasubag, note="x"),
        lambda: services.entri_approve_remaining(laporan=lap, by=org.kasubag),
    ):
        with pytest.raises(VerifikasiDitolak, match="sudah diverifikasi"):
            call()
    assert status_of(late) == StatusEntri.DIAJUKAN
    assert status_of(approved) == StatusEntri.DISETUJUI
    assert AuditLog.objects.filter(action="entri_keputusan").count() == decisions


def test_decisions_are_refused_in_an_open_current_month(org):
    today = org.kudus.today()
    entri = make_entri(org, tanggal=today.replace(day=1), kode_output=org.kode)
    lap = services.laporan_for(org.asn, today.year, today.month)
    assert core.periode_tahap(org.kudus, today.year, today.month) == TahapPeriode.OPEN
    with pytest.raises(PeriodeTerkunci, match="tidak dalam tahap verifikasi"):
        services.entri_approve(laporan=lap, entri=entri, by=org.kasubag)
    with pytest.raises(PeriodeTerkunci):
        services.entri_return(laporan=lap, entri=entri, by=org.kasubag, note="x")
    with pytest.raises(PeriodeTerkunci):
        services.entri_approve_remaining(laporan=lap, by=org.kasubag)
    with pytest.raises(PeriodeTerkunci):
        services.laporan_verify(laporan=lap, by=org.kasubag)
    assert status_of(entri) == StatusEntri.DIAJUKAN


def test_decisions_are_refused_once_the_month_is_compiled(org):
    entri = make_entri(org)
    Periode.objects.create(satker=org.kudus, tahun=october(org)[0], bulan=10, tahap=TahapPeriode.COMPILED)
    with pytest.raises(PeriodeTerkunci, match=r"\(Dihimpun\) tidak dalam tahap verifikasi"):
        services.entri_approve(laporan=laporan(org), entri=entri, by=org.kasubag)
    assert status_of(entri) == StatusEntri.DIAJUKAN


# --- reopening ----------------------------------------------------------------------------------------


def test_sekretaris_reopens_with_a_reason_and_the_approvals_are_undone(org):
    lap = verified(org)
    entries = list(EntriKinerja.objects.filter(pegawai=org.asn))
    september = make_entri(org, tanggal=D(october(org)[0], 9, 30), status=StatusEntri.DISETUJUI)

    services.laporan_reopen(laporan=lap, by=org.sekretaris, reason="  Kode output keliru  ")

    lap.refresh_from_db()
    assert (lap.status, lap.diverifikasi_pada) == (StatusLaporan.BELUM, None)
    assert [status_of(e) for e in entries] == [StatusEntri.DIAJUKAN] * 2
    assert status_of(september) == StatusEntri.DISETUJUI
    [row] = audit_rows("laporan_dibuka_kembali")
    assert (row.object_id, row.actor, row.dari, row.ke, row.catatan) == (
        lap.pk,
        org.sekretaris.user,
        StatusLaporan.TERVERIFIKASI,
        StatusLaporan.BELUM,
        "Kode output keliru",
    )
    undone = AuditLog.objects.filter(
        action="entri_keputusan", dari=StatusEntri.DISETUJUI, ke=StatusEntri.DIAJUKAN
    )
    assert sorted(undone.values_list("object_id", flat=True)) == sorted(e.pk for e in entries)
    assert {r.catatan for r in undone} == {"Verifikasi dibuka kembali: Kode output keliru"}
    # The verifier decides again.
    services.entri_return(laporan=lap, entri=entries[0], by=org.kasubag, note="Ganti kode output")
    assert status_of(entries[0]) == StatusEntri.DIKEMBALIKAN


@pytest.mark.parametrize("attr", ["kasubag", "asn", "rendatin", "kasubag_rendatin", "pimpinan", "outsider"])
def test_only_the_sekretaris_reopens(org, attr):
    lap = verified(org)
    with pytest.raises(VerifikasiDitolak, match="Hanya Sekretaris"):
        services.laporan_reopen(laporan=lap, by=getattr(org, attr), reason="Perlu koreksi")
    lap.refresh_from_db()
    assert lap.status == StatusLaporan.TERVERIFIKASI
    assert not audit_rows("laporan_dibuka_kembali")


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_reopen_needs_a_reason(org, reason):
    lap = verified(org)
    with pytest.raises(VerifikasiDitolak, match="alasan"):
        services.laporan_reopen(laporan=lap, by=org.sekretaris, reason=reason)
    lap.refresh_from_db()
    assert lap.status == StatusLaporan.TERVERIFIKASI
    assert set(EntriKinerja.objects.values_list("status", flat=True)) == {StatusEntri.DISETUJUI}


def test_reopen_of_a_month_not_verified_is_refused(org):
    make_entri(org)
    with pytest.raises(VerifikasiDitolak, match="belum diverifikasi"):
        services.laporan_reopen(laporan=laporan(org), by=org.sekretaris, reason="Perlu koreksi")


def test_reopen_is_refused_once_the_month_is_compiled(org):
    lap = verified(org)
    # verifying made the month's row (kinerja.services.periode_lock); the month is compiled since
    Periode.objects.update_or_create(
        satker=org.kudus, tahun=october(org)[0], bulan=10, defaults={"tahap": TahapPeriode.COMPILED}
    )
    with pytest.raises(PeriodeTerkunci, match="sudah dihimpun"):
        services.laporan_reopen(laporan=lap, by=org.sekretaris, reason="Perlu koreksi")
    lap.refresh_from_db()
    assert lap.status == StatusLaporan.TERVERIFIKASI
    assert set(EntriKinerja.objects.values_list("status", flat=True)) == {StatusEntri.DISETUJUI}
    assert not audit_rows("laporan_dibuka_kembali")


# --- the verification window and the month's stage ----------------------------------------------------------

# January 2025 ends on a Friday (31 January); the next Monday is 3 February.
JAN_LAST = D(2025, 1, 31)


def test_window_opens_the_day_after_a_friday_and_is_due_three_working_days_later(org):
    HariLibur.objects.create(satker=org.kudus, tanggal=D(2025, 2, 4), nama="Libur lokal")
    window = core.verification_window(org.kudus, 2025, 1)
    assert window.last_working_day == JAN_LAST
    assert window.opens == D(2025, 2, 1)  # Saturday
    # Monday 3, (Tuesday 4 a holiday), Wednesday 5, Thursday 6.
    assert window.deadline == D(2025, 2, 6)


def test_window_without_holidays_is_due_on_wednesday(org):
    window = core.verification_window(org.kudus, 2025, 1)
    assert (window.opens, window.deadline) == (D(2025, 2, 1), D(2025, 2, 5))


def test_a_holiday_on_the_last_friday_moves_the_last_working_day(org):
    HariLibur.objects.create(satker=org.kudus, tanggal=JAN_LAST, nama="Libur lokal")
    window = core.verification_window(org.kudus, 2025, 1)
    assert (window.last_working_day, window.opens) == (D(2025, 1, 30), JAN_LAST)


def test_one_day_of_grace_opens_the_window_one_working_day_later(org):
    org.kudus.verifikasi_buka_hari = 1
    org.kudus.save()
    window = core.verification_window(org.kudus, 2025, 1)
    # Monday 3 February is still for filling in; verification opens on Tuesday.
    assert (window.opens, window.deadline) == (D(2025, 2, 4), D(2025, 2, 6))
    HariLibur.objects.create(satker=org.kudus, tanggal=D(2025, 2, 3), nama="Libur lokal")
    window = core.verification_window(org.kudus, 2025, 1)
    # The grace day skips the holiday: Tuesday 4 is for filling in; opens Wednesday, due Friday.
    assert (window.opens, window.deadline) == (D(2025, 2, 5), D(2025, 2, 7))


def test_periode_tahap_turns_to_verification_on_the_opening_day(org):
    assert core.periode_tahap(org.kudus, 2025, 1, today=JAN_LAST) == TahapPeriode.OPEN
    assert core.periode_tahap(org.kudus, 2025, 1, today=D(2025, 2, 1)) == TahapPeriode.VERIFICATION
    assert core.periode_tahap(org.kudus, 2025, 1, today=D(2025, 3, 1)) == TahapPeriode.VERIFICATION


def test_periode_tahap_with_grace_follows_the_later_opening(org):
    org.kudus.verifikasi_buka_hari = 1
    org.kudus.save()
    assert core.periode_tahap(org.kudus, 2025, 1, today=D(2025, 2, 3)) == TahapPeriode.OPEN
    assert core.periode_tahap(org.kudus, 2025, 1, today=D(2025, 2, 4)) == TahapPeriode.VERIFICATION


def test_periode_tahap_keeps_a_recorded_later_stage(org):
    Periode.objects.create(satker=org.kudus, tahun=2025, bulan=1, tahap=TahapPeriode.PLENO)
    assert core.periode_tahap(org.kudus, 2025, 1, today=JAN_LAST) == TahapPeriode.PLENO


def test_periode_set_tahap_compiles_a_past_month_without_a_periode_row(org):
    year, month = october(org)
    assert not Periode.objects.exists()
    periode = core.periode_set_tahap(
        satker=org.kudus,
        year=year,
        month=month,
        to=TahapPeriode.COMPILED,
        by=org.rendatin,
        expected_from=(TahapPeriode.VERIFICATION,),
        note="Dihimpun Rendatin",
    )
    assert Periode.objects.get(pk=periode.pk).tahap == TahapPeriode.COMPILED
    assert core.periode_tahap(org.kudus, year, month) == TahapPeriode.COMPILED
    [row] = audit_rows("periode_tahap")
    assert (row.object_id, row.actor, row.dari, row.ke, row.catatan) == (
        periode.pk,
        org.rendatin.user,
        TahapPeriode.VERIFICATION,
        TahapPeriode.COMPILED,
        "Dihimpun Rendatin",
    )


def test_periode_set_tahap_refuses_an_open_current_month(org):
    today = org.kudus.today()
    with pytest.raises(PeriodeTerkunci):
        core.periode_set_tahap(
            satker=org.kudus,
            year=today.year,
            month=today.month,
            to=TahapPeriode.COMPILED,
            by=org.rendatin,
            expected_from=(TahapPeriode.VERIFICATION,),
        )
    assert not Periode.objects.filter(tahap=TahapPeriode.COMPILED).exists()
    assert not audit_rows("periode_tahap")
