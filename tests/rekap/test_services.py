"""Rendatin's steps in the service layer: compile (4), record the plenary (5), finalise it (6).

Every guard is tested with its exact Indonesian message, every transition with its Periode stage and audit rows.
The month under test is October of last year: past, its verification window long open, so its effective stage
is VERIFICATION whatever day the tests run. Documents are rendered by small fake generators (installed with
`install_fake_generators`): the real ones are tested with their own documents.
"""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja import document_store as docs
from kinerja import services as core
from kinerja.errors import EntriTidakDapatDiubah, PeriodeTerkunci
from kinerja.models import (
    AuditLog,
    Dokumen,
    EntriKinerja,
    KodeOutput,
    LevelKode,
    Periode,
    StatusDokumen,
    StatusEntri,
    Subbagian,
    TahapPeriode,
)
from rekap import services, snapshot
from rekap.models import CatatanPleno, RapatPleno, RekapBulanan
from rekap.services import ARCHIVED_DOCUMENTS, Catatan, RekapDitolak
from silabu.lib.dates import format_bulan, format_tanggal
from tests.conftest import make_pegawai
from verifikasi import services as verifikasi
from verifikasi.models import LaporanBulanan, StatusLaporan

D = datetime.date
TEMPAT = "Ruang Rapat KPU Kabupaten Kudus"
KEPUTUSAN = "Laporan kinerja bulanan diterima dengan catatan."
ROLE_DENIED = "Langkah ini hanya untuk Subbagian Rendatin."

# --- helpers (also used by the other rekap test modules) ---------------------------------------------------


def october(org) -> tuple[int, int]:
    return min(org.kode_years), 10


def label(org) -> str:
    return format_bulan(*october(org))


def make_entri(org, pegawai=None, day: int = 1, *, status=StatusEntri.DISETUJUI, kode=None, **fields):
    pegawai = pegawai or org.asn
    year, month = october(org)
    values = {
        "satker": pegawai.satker,
        "pegawai": pegawai,
        "tanggal": D(year, month, day),
        "kode_output": kode or org.kode_years[year],
        "nama_kegiatan": "Rekonsiliasi BMN",
        "output_hasil": "Berita acara rekonsiliasi",
        "status": status,
    }
    values.update(fields)
    return EntriKinerja.objects.create(**values)


def mark_verified(pegawai, year: int, month: int, by=None) -> LaporanBulanan:
    """The person's month closed as verified, written directly (the verification services have their tests)."""
    laporan, _ = LaporanBulanan.objects.update_or_create(
        pegawai=pegawai,
        tahun=year,
        bulan=month,
        defaults={
            "satker": pegawai.satker,
            "status": StatusLaporan.TERVERIFIKASI,
            "verifikator": by,
            "verifikator_jabatan": "Kepala Subbagian" if by else "",
            "diverifikasi_pada": timezone.now(),
        },
    )
    return laporan


def verify_everyone(org, *, but=()) -> None:
    year, month = october(org)
    skip = {p.pk for p in but}
    for pegawai in snapshot.people_to_verify(org.kudus):
        if pegawai.pk not in skip:
            mark_verified(pegawai, year, month)


def compile_month(org, *, by=None, reason: str = "") -> RekapBulanan:
    return services.rekap_compile(
        satker=org.kudus, year=october(org)[0], month=10, by=by or org.rendatin, reason=reason
    )


def compiled(org) -> RekapBulanan:
    """October with the ASN's two approved entries, everyone verified, compiled by Rendatin."""
    make_entri(org, org.asn, 1)
    make_entri(org, org.asn, 2)
    verify_everyone(org)
    return compile_month(org)


def meeting_day(org) -> datetime.date:
    return D(october(org)[0], 11, 5)


def record(org, rekap: RekapBulanan, *, by=None, **overrides) -> RapatPleno:
    values = {
        "tanggal": meeting_day(org),
        "tempat": TEMPAT,
        "mulai": datetime.time(9, 0),
        "selesai": datetime.time(10, 45),
        "pimpinan_rapat": org.pimpinan,
        "peserta": [org.pimpinan, org.sekretaris, org.kasubag, org.kasubag_rendatin],
        "keputusan": KEPUTUSAN,
    }
    values.update(overrides)
    return services.pleno_save(rekap=rekap, by=by or org.rendatin, **values)


def tahap(org) -> str:
    return core.periode_tahap(org.kudus, *october(org))


def audit_rows(action: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action).order_by("pk"))


# --- fake document generators ------------------------------------------------------------------------------

FAKE_JENIS = ("rekap_bulanan", "bahan_pleno", "hasil_pleno", "laporan_kinerja")


class FakeGenerators:
    """Tiny stand-ins for rekap's documents: each render returns distinct bytes, remembered in `rendered`."""

    def __init__(self):
        self.rendered: list[tuple[str, dict, bytes]] = []
        self.fail: set[str] = set()

    def content(self, jenis: str, params: dict) -> bytes:
        return f"{jenis}|{json.dumps(params, sort_keys=True)}|render {len(self.rendered) + 1}".encode()

    def generator(self, jenis: str) -> docs.Generator:
        def render(satker, params, progress):
            if jenis in self.fail:
                raise RuntimeError("gagal uji")
            progress(50)
            content = self.content(jenis, params)
            self.rendered.append((jenis, dict(params), content))
            fmt = params.get("fmt", "pdf")
            return docs.Rendered(f"{jenis}.{fmt}", "application/octet-stream", content)

        return docs.Generator(
            jenis=jenis,
            title=lambda satker, params: f"Dokumen uji {jenis} {params.get('bulan', '')}",
            render=render,
            version=lambda satker, params: "uji-1",
        )

    def content_of(self, jenis: str, fmt: str) -> list[bytes]:
        return [c for j, p, c in self.rendered if j == jenis and p.get("fmt") == fmt]


def install_fake_generators(monkeypatch) -> FakeGenerators:
    fakes = FakeGenerators()
    for jenis in FAKE_JENIS:
        monkeypatch.setitem(docs.GENERATORS, jenis, fakes.generator(jenis))
    return fakes


@pytest.fixture
def fakes(monkeypatch):
    return install_fake_generators(monkeypatch)


# --- who may compile ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attr", ["asn", "kasubag", "other_kasubag", "pimpinan", "sekretaris", "admin", "outsider"]
)
def test_only_rendatin_compiles(org, attr):
    make_entri(org)
    verify_everyone(org)
    with pytest.raises(RekapDitolak) as exc:
        compile_month(org, by=getattr(org, attr))
    assert str(exc.value) == ROLE_DENIED
    assert not RekapBulanan.objects.exists()
    assert not Periode.objects.exists()
    assert not AuditLog.objects.exists()
    assert tahap(org) == TahapPeriode.VERIFICATION


def test_rendatin_of_another_satker_cannot_compile_kudus(org):
    sub = Subbagian.objects.create(
        satker=org.bontang,
        nama="Subbagian Perencanaan, Data dan Informasi",
        singkatan="RENDATIN",
        is_rendatin=True,
    )
    bontang_rendatin = make_pegawai(org.bontang, sub, nama="Lukman Bontang")
    assert bontang_rendatin.has_role("rendatin")
    make_entri(org)
    verify_everyone(org)
    with pytest.raises(RekapDitolak) as exc:
        compile_month(org, by=bontang_rendatin)
    assert str(exc.value) == ROLE_DENIED
    assert not RekapBulanan.objects.exists()


def test_kasubag_rendatin_compiles_too(org):
    make_entri(org)
    verify_everyone(org)
    rekap = compile_month(org, by=org.kasubag_rendatin)
    assert rekap.dihimpun_oleh == org.kasubag_rendatin
    assert tahap(org) == TahapPeriode.COMPILED


# --- the month's stage when compiling ----------------------------------------------------------------------


def test_compiling_an_open_month_is_refused(org):
    today = org.kudus.today()
    with pytest.raises(PeriodeTerkunci) as exc:
        services.rekap_compile(satker=org.kudus, year=today.year, month=today.month, by=org.rendatin)
    assert str(exc.value) == f"{format_bulan(today.year, today.month)} (Terbuka): perubahan tahap ditolak."
    assert not RekapBulanan.objects.exists()
    assert core.periode_tahap(org.kudus, today.year, today.month) == TahapPeriode.OPEN


def test_compiling_twice_is_refused(org):
    first = compiled(org)
    with pytest.raises(PeriodeTerkunci) as exc:
        compile_month(org, reason="Sekali lagi")
    assert str(exc.value) == f"{label(org)} (Dihimpun): perubahan tahap ditolak."
    assert list(RekapBulanan.objects.all()) == [first]
    assert len(audit_rows("rekap_dihimpun")) == 1


@pytest.mark.parametrize(
    ("stage", "shown"), [(TahapPeriode.PLENO, "Rapat pleno"), (TahapPeriode.FINAL, "Final")]
)
def test_compiling_a_month_past_compilation_is_refused(org, stage, shown):
    make_entri(org)
    verify_everyone(org)
    year, month = october(org)
    Periode.objects.create(satker=org.kudus, tahun=year, bulan=month, tahap=stage)
    with pytest.raises(PeriodeTerkunci) as exc:
        compile_month(org)
    assert str(exc.value) == f"{label(org)} ({shown}): perubahan tahap ditolak."
    assert not RekapBulanan.objects.exists()


def test_compile_moves_verification_to_compiled_with_audit_rows(org):
    make_entri(org, org.asn, 1)
    make_entri(org, org.colleague, 2)
    verify_everyone(org)
    rekap = compile_month(org)

    assert tahap(org) == TahapPeriode.COMPILED
    year, month = october(org)
    assert Periode.objects.get(satker=org.kudus, tahun=year, bulan=month).tahap == TahapPeriode.COMPILED
    assert (rekap.satker, rekap.tahun, rekap.bulan, rekap.dihimpun_oleh) == (
        org.kudus,
        year,
        month,
        org.rendatin,
    )
    assert rekap.alasan_belum_lengkap == ""
    assert (rekap.jumlah_pegawai, rekap.jumlah_terverifikasi, rekap.jumlah_entri) == (8, 8, 2)
    assert rekap.is_complete

    [moved] = audit_rows("periode_tahap")
    assert (moved.actor, moved.dari, moved.ke, moved.satker) == (
        org.rendatin.user,
        TahapPeriode.VERIFICATION,
        TahapPeriode.COMPILED,
        org.kudus,
    )
    [row] = audit_rows("rekap_dihimpun")
    assert (row.object_id, row.actor, row.dari, row.ke, row.catatan, row.satker) == (
        rekap.pk,
        org.rendatin.user,
        TahapPeriode.VERIFICATION,
        TahapPeriode.COMPILED,
        "",
        org.kudus,
    )
    assert row.target == rekap


def test_compile_works_over_a_recorded_verification_stage(org):
    make_entri(org)
    verify_everyone(org)
    year, month = october(org)
    Periode.objects.create(satker=org.kudus, tahun=year, bulan=month, tahap=TahapPeriode.VERIFICATION)
    compile_month(org)
    assert Periode.objects.get().tahap == TahapPeriode.COMPILED


def test_compile_stores_the_snapshot_as_built(org):
    make_entri(org, org.asn, 1, volume=Decimal("2.5"), satuan="dokumen")
    verify_everyone(org)
    expected = snapshot.build(org.kudus, *october(org))
    rekap = compile_month(org)
    rekap.refresh_from_db()
    assert rekap.data == json.loads(json.dumps(expected, default=str))
    assert rekap.data["total"]["kegiatan"] == 1


# --- unverified people -------------------------------------------------------------------------------------


def test_unverified_people_lists_who_is_missing_in_board_order(org):
    verify_everyone(org, but=[org.asn, org.teknis_staff, org.admin])
    people = services.unverified_people(org.kudus, *october(org))
    # KUL (urutan 1), Teknis (2), Hukum (4); the Sekretaris and Pimpinan are never verified.
    assert people == [org.asn, org.teknis_staff, org.admin]


def test_unverified_people_ignores_inactive_people_and_other_satkers(org):
    verify_everyone(org, but=[org.asn, org.colleague])
    org.colleague.aktif = False
    org.colleague.save()
    make_pegawai(org.bontang, None, nama="Orang Bontang")
    assert services.unverified_people(org.kudus, *october(org)) == [org.asn]


def test_unverified_people_is_empty_once_everyone_is_verified(org):
    verify_everyone(org)
    assert services.unverified_people(org.kudus, *october(org)) == []


def test_unverified_people_counts_only_verified_laporan(org):
    verify_everyone(org, but=[org.asn])
    LaporanBulanan.objects.create(satker=org.kudus, pegawai=org.asn, tahun=october(org)[0], bulan=10)
    assert services.unverified_people(org.kudus, *october(org)) == [org.asn]


def test_compile_without_everyone_verified_needs_a_reason(org):
    make_entri(org, org.teknis_staff, 1, status=StatusEntri.DIAJUKAN)
    verify_everyone(org, but=[org.teknis_staff])
    for reason in ("", "   "):
        with pytest.raises(RekapDitolak) as exc:
            compile_month(org, reason=reason)
        assert str(exc.value) == (
            f"1 pegawai belum diverifikasi untuk {label(org)} (Dedi Kurniawan). "
            "Tunggu verifikasinya, atau tuliskan alasan untuk menghimpun tanpa mereka."
        )
    # Nothing happened: the stage, the rows and the audit trail are as before.
    assert tahap(org) == TahapPeriode.VERIFICATION
    assert not Periode.objects.exists()
    assert not RekapBulanan.objects.exists()
    assert not AuditLog.objects.exists()
    assert not LaporanBulanan.objects.filter(pegawai=org.teknis_staff).exists()


def test_the_refusal_names_five_people_and_then_an_ellipsis(org):
    verify_everyone(
        org, but=[org.asn, org.colleague, org.kasubag, org.teknis_staff, org.other_kasubag, org.admin]
    )
    with pytest.raises(RekapDitolak) as exc:
        compile_month(org)
    assert str(exc.value) == (
        f"6 pegawai belum diverifikasi untuk {label(org)} "
        "(Ani Lestari, S.E., Budi Santoso, Citra Dewi, S.H., Dedi Kurniawan, Eko Prasetyo, S.IP. …). "
        "Tunggu verifikasinya, atau tuliskan alasan untuk menghimpun tanpa mereka."
    )


def test_compile_with_a_reason_lists_the_unverified_and_leaves_their_entries_out(org):
    kode = org.kode_years[october(org)[0]]
    make_entri(org, org.asn, 1, volume=Decimal(2), satuan="dokumen")
    make_entri(org, org.asn, 2, volume=Decimal(3), satuan="dokumen")
    # Dedi (Teknis) is not verified: two pending, one returned, one already approved.
    make_entri(org, org.teknis_staff, 1, status=StatusEntri.DIAJUKAN, volume=Decimal(10), satuan="dokumen")
    make_entri(org, org.teknis_staff, 2, status=StatusEntri.DIAJUKAN, volume=Decimal(10), satuan="dokumen")
    make_entri(
        org, org.teknis_staff, 5, status=StatusEntri.DIKEMBALIKAN, volume=Decimal(10), satuan="dokumen"
    )
    make_entri(org, org.teknis_staff, 6, status=StatusEntri.DISETUJUI, volume=Decimal(10), satuan="dokumen")
    verify_everyone(org, but=[org.teknis_staff])
    reason = "  Pegawai sedang tugas belajar; verifikasi menyusul.  "

    rekap = compile_month(org, reason=reason)

    assert rekap.alasan_belum_lengkap == reason.strip()
    assert (rekap.jumlah_pegawai, rekap.jumlah_terverifikasi, rekap.jumlah_entri) == (8, 7, 2)
    assert not rekap.is_complete
    assert rekap.data["belum_terverifikasi"] == [
        {
            "nama": "Dedi Kurniawan",
            "nip": org.teknis_staff.nip_display,
            "jabatan": "",
            "subbagian": org.teknis.nama,
            "menunggu": 2,
            "dikembalikan": 1,
            "entri": 4,
        }
    ]
    [output] = rekap.data["output"]
    assert (output["kode"], output["kegiatan"], output["volume"]) == (kode.kode, 2, {"dokumen": "5"})
    assert output["pegawai_ids"] == [org.asn.pk]
    teknis = next(s for s in rekap.data["subbagian"] if s["id"] == org.teknis.pk)
    assert teknis["output"] == [] and teknis["entri"] == []
    dedi = next(p for p in teknis["pegawai"] if p["id"] == org.teknis_staff.pk)
    assert (dedi["terverifikasi"], dedi["verifikator"], dedi["entri"]) == (False, None, 0)
    assert teknis["total"]["terverifikasi"] == 1

    [row] = audit_rows("rekap_dihimpun")
    assert row.catatan == reason.strip()
    [moved] = audit_rows("periode_tahap")
    assert moved.catatan == reason.strip()


def test_a_reason_given_when_everyone_is_verified_is_not_recorded_on_the_rekap(org):
    make_entri(org)
    verify_everyone(org)
    rekap = compile_month(org, reason="Untuk jaga-jaga")
    assert rekap.alasan_belum_lengkap == ""
    assert audit_rows("rekap_dihimpun")[0].catatan == ""


def test_compile_with_nobody_to_compile_is_refused(org):
    org.kudus.pegawai_set.update(aktif=False)
    with pytest.raises(RekapDitolak) as exc:
        compile_month(org)
    assert str(exc.value) == f"Tidak ada pegawai yang datanya dapat dihimpun untuk {label(org)}."
    assert tahap(org) == TahapPeriode.VERIFICATION
    assert not RekapBulanan.objects.exists()
    assert not AuditLog.objects.exists()


def test_a_not_yet_verified_laporan_counts_as_unverified(org):
    verify_everyone(org, but=[org.asn])
    verifikasi.laporan_for(org.asn, *october(org))  # a row exists, status "belum"
    with pytest.raises(RekapDitolak, match=r"^1 pegawai belum diverifikasi .*\(Ani Lestari, S\.E\.\)"):
        compile_month(org)


# --- the compiled month is locked for verification and editing -----------------------------------------------


@pytest.fixture
def compiled_without_dedi(org):
    """October compiled with Dedi (Teknis) unverified: one pending and one returned entry."""
    pending = make_entri(org, org.teknis_staff, 1, status=StatusEntri.DIAJUKAN)
    returned = make_entri(
        org, org.teknis_staff, 2, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Lengkapi bukti"
    )
    make_entri(org, org.asn, 1)
    verify_everyone(org, but=[org.teknis_staff])
    rekap = compile_month(org, reason="Pegawai cuti panjang")
    return rekap, pending, returned


def test_verifier_cannot_approve_in_a_compiled_month(org, compiled_without_dedi):
    _, pending, _ = compiled_without_dedi
    laporan = verifikasi.laporan_for(org.teknis_staff, *october(org))
    with pytest.raises(PeriodeTerkunci) as exc:
        verifikasi.entri_approve(laporan=laporan, entri=pending, by=org.other_kasubag)
    assert str(exc.value) == f"{label(org)} (Dihimpun) tidak dalam tahap verifikasi."
    pending.refresh_from_db()
    assert pending.status == StatusEntri.DIAJUKAN


def test_verifier_cannot_verify_in_a_compiled_month(org, compiled_without_dedi):
    rekap, pending, returned = compiled_without_dedi
    EntriKinerja.objects.filter(pk__in=[pending.pk, returned.pk]).update(status=StatusEntri.DISETUJUI)
    laporan = verifikasi.laporan_for(org.teknis_staff, *october(org))
    with pytest.raises(PeriodeTerkunci) as exc:
        verifikasi.laporan_verify(laporan=laporan, by=org.other_kasubag)
    assert str(exc.value) == f"{label(org)} (Dihimpun) tidak dalam tahap verifikasi."
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.BELUM


def test_sekretaris_cannot_reopen_a_verified_laporan_of_a_compiled_month(org, compiled_without_dedi):
    laporan = LaporanBulanan.objects.get(pegawai=org.asn, tahun=october(org)[0], bulan=10)
    with pytest.raises(PeriodeTerkunci) as exc:
        verifikasi.laporan_reopen(laporan=laporan, by=org.sekretaris, reason="Salah hitung volume")
    assert str(exc.value) == "Bulan ini sudah dihimpun; koreksi hanya melalui catatan rapat pleno."
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.TERVERIFIKASI


@pytest.mark.parametrize("stage", [TahapPeriode.PLENO, TahapPeriode.FINAL])
def test_verification_stays_locked_in_later_stages(org, compiled_without_dedi, stage):
    _, pending, _ = compiled_without_dedi
    Periode.objects.filter(satker=org.kudus).update(tahap=stage)
    laporan = verifikasi.laporan_for(org.teknis_staff, *october(org))
    shown = TahapPeriode(stage).label
    with pytest.raises(PeriodeTerkunci, match=rf"\({shown}\) tidak dalam tahap verifikasi\.$"):
        verifikasi.entri_approve(laporan=laporan, entri=pending, by=org.other_kasubag)


def test_asn_cannot_fix_a_returned_entry_of_a_compiled_month(org, compiled_without_dedi):
    _, pending, returned = compiled_without_dedi
    for entri in (returned, pending):
        with pytest.raises(EntriTidakDapatDiubah) as exc:
            core.entri_update(entri=entri, by=org.teknis_staff, data={"nama_kegiatan": "Diperbaiki"})
        assert str(exc.value) == "Bulan ini sudah dihimpun; koreksi hanya melalui catatan rapat pleno."
        with pytest.raises(EntriTidakDapatDiubah):
            core.entri_delete(entri=entri, by=org.teknis_staff)
    returned.refresh_from_db()
    assert (returned.nama_kegiatan, returned.status) == ("Rekonsiliasi BMN", StatusEntri.DIKEMBALIKAN)


def test_the_same_fix_was_allowed_before_compiling(org):
    returned = make_entri(org, org.teknis_staff, 2, status=StatusEntri.DIKEMBALIKAN)
    core.entri_update(entri=returned, by=org.teknis_staff, data={"nama_kegiatan": "Diperbaiki"})
    returned.refresh_from_db()
    assert (returned.nama_kegiatan, returned.status) == ("Diperbaiki", StatusEntri.DIAJUKAN)


def test_no_new_entry_in_a_compiled_month(org, compiled_without_dedi):
    year = october(org)[0]
    with pytest.raises(PeriodeTerkunci) as exc:
        core.entri_create(
            by=org.teknis_staff,
            data={
                "tanggal": D(year, 10, 20),
                "kode_output": org.kode_years[year],
                "nama_kegiatan": "Terlambat",
                "output_hasil": "Laporan",
            },
        )
    assert str(exc.value) == f"{label(org)} (Dihimpun) sudah ditutup untuk entri baru."


# --- the plenary: recording -------------------------------------------------------------------------------


def test_first_record_moves_compiled_to_pleno_with_audit_rows(org):
    rekap = compiled(org)
    rapat = record(
        org,
        rekap,
        peserta_lain="  Operator SIDALIH\nTamu Bawaslu  ",
        catatan_umum="  Rapat dibuka pukul 09.00 WIB.  ",
        catatan=[
            Catatan("Bukti dukung KUL lengkap.", subbagian=org.kul),
            Catatan(
                "Volume operasional kantor perlu diseragamkan.",
                koreksi="Satuan 'kegiatan' dipakai untuk semua entri kode ini.",
                kode_output="3359.EBA.994.002",
            ),
            Catatan("   ", koreksi=""),  # empty: not kept
            Catatan("Secara umum laporan tepat waktu."),
        ],
    )

    assert tahap(org) == TahapPeriode.PLENO
    rapat.refresh_from_db()
    assert (rapat.rekap, rapat.tanggal, rapat.tempat) == (rekap, meeting_day(org), TEMPAT)
    assert (rapat.mulai, rapat.selesai) == (datetime.time(9, 0), datetime.time(10, 45))
    assert (rapat.pimpinan_rapat, rapat.dicatat_oleh, rapat.keputusan) == (
        org.pimpinan,
        org.rendatin,
        KEPUTUSAN,
    )
    assert rapat.peserta_lain == "Operator SIDALIH\nTamu Bawaslu"
    assert rapat.catatan == "Rapat dibuka pukul 09.00 WIB."
    assert set(rapat.peserta.all()) == {org.pimpinan, org.sekretaris, org.kasubag, org.kasubag_rendatin}
    assert not rapat.is_final and rapat.peserta_snapshot == []
    notes = list(rapat.catatan_set.all())
    assert [
        (n.subbagian, n.subbagian_nama, n.kode_output, n.catatan, n.koreksi, n.urutan) for n in notes
    ] == [
        (org.kul, org.kul.nama, "", "Bukti dukung KUL lengkap.", "", 0),
        (
            None,
            "",
            "3359.EBA.994.002",
            "Volume operasional kantor perlu diseragamkan.",
            "Satuan 'kegiatan' dipakai untuk semua entri kode ini.",
            1,
        ),
        (None, "", "", "Secara umum laporan tepat waktu.", "", 3),
    ]

    moved = audit_rows("periode_tahap")[-1]
    assert (moved.actor, moved.dari, moved.ke, moved.catatan) == (
        org.rendatin.user,
        TahapPeriode.COMPILED,
        TahapPeriode.PLENO,
        f"Rapat pleno {format_tanggal(meeting_day(org))} di {TEMPAT}",
    )
    [row] = audit_rows("pleno_dicatat")
    assert (row.target, row.actor, row.dari, row.ke, row.catatan, row.satker) == (
        rapat,
        org.rendatin.user,
        "",
        "",
        "",
        org.kudus,
    )


def test_a_second_record_corrects_the_first_without_moving_the_stage(org):
    rekap = compiled(org)
    first = record(org, rekap, catatan=[Catatan("Catatan lama")])
    second = record(
        org,
        rekap,
        by=org.kasubag_rendatin,
        tempat="Aula KPU Kabupaten Kudus",
        peserta=[org.sekretaris],
        catatan=[Catatan("Catatan baru", subbagian=org.teknis)],
    )
    assert second.pk == first.pk
    assert RapatPleno.objects.count() == 1
    second.refresh_from_db()
    assert (second.tempat, second.dicatat_oleh) == ("Aula KPU Kabupaten Kudus", org.kasubag_rendatin)
    assert list(second.peserta.all()) == [org.sekretaris]
    assert [n.catatan for n in CatatanPleno.objects.all()] == ["Catatan baru"]
    assert tahap(org) == TahapPeriode.PLENO
    assert len([r for r in audit_rows("periode_tahap") if r.ke == TahapPeriode.PLENO]) == 1
    [changed] = audit_rows("pleno_diubah")
    assert (changed.object_id, changed.actor) == (first.pk, org.kasubag_rendatin.user)


@pytest.mark.parametrize(
    "attr", ["asn", "kasubag", "other_kasubag", "pimpinan", "sekretaris", "admin", "outsider"]
)
def test_only_rendatin_records_the_plenary(org, attr):
    rekap = compiled(org)
    with pytest.raises(RekapDitolak) as exc:
        record(org, rekap, by=getattr(org, attr))
    assert str(exc.value) == ROLE_DENIED
    assert not RapatPleno.objects.exists()
    assert tahap(org) == TahapPeriode.COMPILED


def test_a_future_meeting_date_is_refused(org):
    rekap = compiled(org)
    tomorrow = org.kudus.today() + datetime.timedelta(days=1)
    with pytest.raises(RekapDitolak) as exc:
        record(org, rekap, tanggal=tomorrow)
    assert str(exc.value) == "Tanggal rapat pleno tidak boleh di masa depan."
    assert not RapatPleno.objects.exists()
    record(org, rekap, tanggal=org.kudus.today())  # today is fine
    assert tahap(org) == TahapPeriode.PLENO


def test_the_meeting_cannot_end_before_it_starts(org):
    rekap = compiled(org)
    with pytest.raises(RekapDitolak) as exc:
        record(org, rekap, mulai=datetime.time(10, 0), selesai=datetime.time(9, 30))
    assert str(exc.value) == "Jam selesai rapat tidak boleh sebelum jam mulai."
    assert not RapatPleno.objects.exists()


@pytest.mark.parametrize("where", ["peserta", "pimpinan_rapat"])
def test_attendees_of_another_satker_are_refused(org, where):
    rekap = compiled(org)
    value = [org.sekretaris, org.outsider] if where == "peserta" else org.outsider
    with pytest.raises(RekapDitolak) as exc:
        record(org, rekap, **{where: value})
    assert str(exc.value) == "Peserta rapat harus dari satker ini."
    assert not RapatPleno.objects.exists()
    assert tahap(org) == TahapPeriode.COMPILED


def test_a_note_on_an_output_code_not_in_the_snapshot_is_refused(org):
    rekap = compiled(org)
    year = october(org)[0]
    # A real code of the year, but nobody's verified entry used it in October.
    KodeOutput.objects.create(
        satker=org.kudus,
        tahun=year,
        kode="3359.EBB.951.001",
        uraian="Administrasi Kepegawaian",
        level=LevelKode.KOMPONEN,
    )
    with pytest.raises(RekapDitolak) as exc:
        record(org, rekap, catatan=[Catatan("Kepegawaian", kode_output="3359.EBB.951.001")])
    assert str(exc.value) == "Kode output 3359.EBB.951.001 tidak ada dalam rekap bulan ini."
    assert not RapatPleno.objects.exists()
    assert tahap(org) == TahapPeriode.COMPILED


def test_a_note_on_a_subbagian_of_another_satker_is_refused(org):
    rekap = compiled(org)
    bontang_sub = Subbagian.objects.create(satker=org.bontang, nama="Subbagian KUL Bontang", singkatan="KUL")
    with pytest.raises(RekapDitolak) as exc:
        record(org, rekap, catatan=[Catatan("Catatan", subbagian=bontang_sub)])
    assert str(exc.value) == "Subbagian KUL Bontang tidak ada dalam rekap bulan ini."
    assert not RapatPleno.objects.exists()


def test_pimpinan_may_attend_and_chair(org):
    rekap = compiled(org)
    rapat = record(org, rekap, pimpinan_rapat=org.pimpinan, peserta=[org.pimpinan])
    assert list(rapat.peserta.all()) == [org.pimpinan]


def test_no_plenary_for_a_month_that_is_not_compiled(org):
    """A RekapBulanan whose month is back under verification (written directly): recording is refused."""
    make_entri(org)
    verify_everyone(org)
    year, month = october(org)
    rekap = RekapBulanan.objects.create(
        satker=org.kudus, tahun=year, bulan=month, data=snapshot.build(org.kudus, year, month)
    )
    with pytest.raises(RekapDitolak) as exc:
        record(org, rekap)
    assert str(exc.value) == "Rapat pleno hanya dicatat untuk bulan yang sudah dihimpun dan belum final."
    assert not RapatPleno.objects.exists()
    assert tahap(org) == TahapPeriode.VERIFICATION


def test_no_plenary_for_a_final_month_even_without_a_record(org):
    rekap = compiled(org)
    Periode.objects.filter(satker=org.kudus).update(tahap=TahapPeriode.FINAL)
    with pytest.raises(RekapDitolak) as exc:
        record(org, rekap)
    assert str(exc.value) == "Rapat pleno hanya dicatat untuk bulan yang sudah dihimpun dan belum final."


# --- the plenary: finalising -------------------------------------------------------------------------------


def test_finalise_moves_pleno_to_final_with_audit_rows_and_archives_the_documents(org, fakes):
    rekap = compiled(org)
    rapat = record(org, rekap)
    before = timezone.now()

    result = services.pleno_finalise(rapat=rapat, by=org.kasubag_rendatin)

    assert tahap(org) == TahapPeriode.FINAL
    result.refresh_from_db()
    assert result.is_final and result.difinalisasi_pada >= before
    assert result.difinalisasi_oleh == org.kasubag_rendatin
    people = sorted([org.pimpinan, org.sekretaris, org.kasubag, org.kasubag_rendatin], key=lambda p: p.nama)
    assert result.peserta_snapshot == [
        {"nama": p.nama, "nip": p.nip_display, "jabatan": p.jabatan} for p in people
    ]

    moved = audit_rows("periode_tahap")[-1]
    assert (moved.actor, moved.dari, moved.ke, moved.catatan) == (
        org.kasubag_rendatin.user,
        TahapPeriode.PLENO,
        TahapPeriode.FINAL,
        "Hasil rapat pleno difinalisasi",
    )
    [row] = audit_rows("pleno_difinalisasi")
    assert (row.target, row.actor, row.dari, row.ke, row.satker) == (
        rapat,
        org.kasubag_rendatin.user,
        "",
        TahapPeriode.FINAL,
        org.kudus,
    )

    year = october(org)[0]
    archived = list(Dokumen.objects.filter(arsip=True))
    assert sorted((d.jenis, d.format) for d in archived) == sorted(ARCHIVED_DOCUMENTS)
    assert Dokumen.objects.count() == len(ARCHIVED_DOCUMENTS)
    for dokumen in archived:
        assert dokumen.satker == org.kudus
        assert dokumen.params == {"tahun": year, "bulan": 10, "fmt": dokumen.format}
        assert dokumen.status == StatusDokumen.SIAP
        assert dokumen.diminta_oleh == org.kasubag_rendatin.user
        assert dokumen.keterangan_arsip == f"Hasil rapat pleno {label(org)}, difinalisasi"
        assert dokumen.diarsipkan_pada is not None
        [content] = fakes.content_of(dokumen.jenis, dokumen.format)
        assert dokumen.sha256 == hashlib.sha256(content).hexdigest()
        dokumen.berkas.open("rb")
        assert dokumen.berkas.read() == content
        dokumen.berkas.close()
    assert not Dokumen.objects.filter(jenis="laporan_kinerja").exists()


def test_the_booklet_the_meeting_saw_is_the_one_archived(org, fakes):
    rekap = compiled(org)
    params = {"tahun": october(org)[0], "bulan": 10, "fmt": "pdf"}
    shown = docs.dokumen_request(satker=org.kudus, jenis="bahan_pleno", params=params, by=org.rendatin)
    assert (shown.status, shown.arsip) == (StatusDokumen.SIAP, False)
    seen = shown.sha256
    rapat = record(org, rekap)

    services.pleno_finalise(rapat=rapat, by=org.rendatin)

    [booklet] = Dokumen.objects.filter(jenis="bahan_pleno")
    assert booklet.pk == shown.pk
    assert booklet.arsip and booklet.sha256 == seen
    assert booklet.keterangan_arsip == f"Hasil rapat pleno {label(org)}, difinalisasi"
    assert len(fakes.content_of("bahan_pleno", "pdf")) == 1  # rendered once, before the meeting


def test_a_failed_booklet_is_not_archived_a_new_one_is(org, fakes):
    rekap = compiled(org)
    params = {"tahun": october(org)[0], "bulan": 10, "fmt": "pdf"}
    fakes.fail.add("bahan_pleno")
    failed = docs.dokumen_request(satker=org.kudus, jenis="bahan_pleno", params=params)
    assert failed.status == StatusDokumen.GAGAL
    fakes.fail.clear()
    rapat = record(org, rekap)

    services.pleno_finalise(rapat=rapat, by=org.rendatin)

    failed.refresh_from_db()
    assert not failed.arsip
    [archived] = Dokumen.objects.filter(jenis="bahan_pleno", arsip=True)
    assert archived.pk != failed.pk and archived.status == StatusDokumen.SIAP


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"tempat": "   "}, "tempat rapat"),
        ({"peserta": [], "peserta_lain": ""}, "peserta"),
        ({"keputusan": "  "}, "keputusan rapat"),
        ({"tempat": "", "peserta": [], "keputusan": ""}, "tempat rapat, peserta, keputusan rapat"),
    ],
)
def test_finalise_needs_place_attendees_and_decisions(org, fakes, overrides, missing):
    rekap = compiled(org)
    rapat = record(org, rekap, **overrides)
    with pytest.raises(RekapDitolak) as exc:
        services.pleno_finalise(rapat=rapat, by=org.rendatin)
    assert str(exc.value) == f"Lengkapi dulu: {missing}."
    assert tahap(org) == TahapPeriode.PLENO
    rapat.refresh_from_db()
    assert not rapat.is_final
    assert not Dokumen.objects.exists()
    assert not audit_rows("pleno_difinalisasi")


def test_guests_alone_count_as_attendees(org, fakes):
    rekap = compiled(org)
    rapat = record(org, rekap, peserta=[], peserta_lain="Tamu dari KPU Provinsi Jawa Tengah")
    services.pleno_finalise(rapat=rapat, by=org.rendatin)
    assert tahap(org) == TahapPeriode.FINAL


@pytest.mark.parametrize(
    "attr", ["asn", "kasubag", "other_kasubag", "pimpinan", "sekretaris", "admin", "outsider"]
)
def test_only_rendatin_finalises(org, fakes, attr):
    rekap = compiled(org)
    rapat = record(org, rekap)
    with pytest.raises(RekapDitolak) as exc:
        services.pleno_finalise(rapat=rapat, by=getattr(org, attr))
    assert str(exc.value) == ROLE_DENIED
    assert tahap(org) == TahapPeriode.PLENO
    assert not Dokumen.objects.exists()


def test_after_final_nothing_can_be_saved_or_finalised_again(org, fakes):
    rekap = compiled(org)
    rapat = record(org, rekap, catatan=[Catatan("Catatan final")])
    services.pleno_finalise(rapat=rapat, by=org.rendatin)
    audits = AuditLog.objects.count()

    with pytest.raises(RekapDitolak) as exc:
        record(org, rekap, tempat="Tempat lain", catatan=[Catatan("Diubah")])
    assert str(exc.value) == "Hasil rapat pleno sudah difinalisasi dan tidak dapat diubah."
    with pytest.raises(RekapDitolak) as exc:
        services.pleno_finalise(rapat=rapat, by=org.rendatin)
    assert str(exc.value) == "Hasil rapat pleno sudah difinalisasi."
    with pytest.raises(PeriodeTerkunci):
        compile_month(org, reason="Lagi")

    rapat.refresh_from_db()
    assert rapat.tempat == TEMPAT
    assert [n.catatan for n in rapat.catatan_set.all()] == ["Catatan final"]
    assert AuditLog.objects.count() == audits
    assert Dokumen.objects.count() == len(ARCHIVED_DOCUMENTS)
    assert tahap(org) == TahapPeriode.FINAL


def test_finalised_attendees_keep_their_names_after_a_rename(org, fakes):
    rekap = compiled(org)
    rapat = record(org, rekap, peserta=[org.sekretaris])
    services.pleno_finalise(rapat=rapat, by=org.rendatin)
    name = org.sekretaris.nama
    org.sekretaris.nama = "Nama Baru, S.Sos."
    org.sekretaris.save()
    rapat.refresh_from_db()
    assert [p["nama"] for p in rapat.peserta_snapshot] == [name]


def test_a_note_keeps_the_subbagian_name_of_the_snapshot(org):
    rekap = compiled(org)
    frozen = next(s["nama"] for s in rekap.data["subbagian"] if s["id"] == org.kul.pk)
    org.kul.nama = "Subbagian Keuangan dan Umum (nama baru)"
    org.kul.save()
    rapat = record(org, rekap, catatan=[Catatan("Catatan KUL", subbagian=org.kul)])
    [note] = rapat.catatan_set.all()
    assert note.subbagian_nama == frozen


def test_a_booklet_archived_while_it_is_being_rendered_stays_archived(org, fakes, monkeypatch):
    rekap = compiled(org)
    rapat = record(org, rekap)
    booklet = docs.GENERATORS["bahan_pleno"]

    def render_while_the_plenary_is_finalised(satker, params, progress):
        # The worker is making the booklet Rendatin asked for; meanwhile Rendatin finalises the plenary.
        if not RapatPleno.objects.get(pk=rapat.pk).is_final:
            services.pleno_finalise(rapat=rapat, by=org.rendatin)
        return booklet.render(satker, params, progress)

    monkeypatch.setitem(
        docs.GENERATORS,
        "bahan_pleno",
        docs.Generator("bahan_pleno", booklet.title, render_while_the_plenary_is_finalised, booklet.version),
    )
    params = {"tahun": october(org)[0], "bulan": 10, "fmt": "pdf"}
    docs.dokumen_request(satker=org.kudus, jenis="bahan_pleno", params=params, by=org.rendatin)

    [made] = Dokumen.objects.filter(jenis="bahan_pleno")
    assert made.status == StatusDokumen.SIAP
    assert made.arsip, "the booklet the meeting saw lost its archive flag"
