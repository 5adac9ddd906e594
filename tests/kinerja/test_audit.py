"""The audit rows say what changed: from → to, the satker, and each changed field's old and new value."""

import datetime
import io

import pytest
from django.core.management import call_command

from kinerja import accounts, document_store, kalender_services, services
from kinerja.audit import MASKED, diff, snapshot
from kinerja.models import AuditLog, Dokumen, EntriKinerja, HariLibur, JenisLibur, StatusDokumen, StatusEntri


def rows_of(obj) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name).order_by("pk")
    )


def test_diff_lists_only_changed_fields_as_json_values(org):
    entri = EntriKinerja(
        pegawai=org.asn, satker=org.kudus, tanggal=datetime.date(2026, 3, 2), nama_kegiatan="Rapat", volume=1
    )
    before = snapshot(entri, ["tanggal", "nama_kegiatan", "volume", "pegawai"])
    entri.tanggal = datetime.date(2026, 3, 3)
    entri.volume = 2
    assert diff(before, entri, ["tanggal", "nama_kegiatan", "volume", "pegawai"]) == {
        "tanggal": ["2026-03-02", "2026-03-03"],
        "volume": ["1.00", "2.00"],
    }
    # a creation has no old values, a deletion no new ones; a foreign key reads as its id
    assert diff(None, entri, ["pegawai"]) == {"pegawai": [None, org.asn.pk]}
    assert diff(entri, None, ["nama_kegiatan"]) == {"nama_kegiatan": ["Rapat", None]}
    assert diff({"password": "a"}, {"password": "b"}, ["password"], secret=["password"]) == {
        "password": [MASKED, MASKED]
    }


def test_an_entry_change_records_old_and_new_values(org):
    today = org.kudus.today()
    entri = services.entri_create(
        by=org.asn,
        data={
            "tanggal": today,
            "kode_output": org.kode_years[today.year],
            "nama_kegiatan": "Menyusun SPJ",
            "output_hasil": "SPJ",
            "volume": 1,
        },
    )
    services.entri_update(
        entri=entri, by=org.asn, data={"nama_kegiatan": "Menyusun SPJ Oktober", "volume": 3}
    )
    created, changed = rows_of(entri)
    assert created.perubahan["nama_kegiatan"] == [None, "Menyusun SPJ"]
    assert created.satker_id == org.kudus.pk
    assert changed.perubahan == {
        "nama_kegiatan": ["Menyusun SPJ", "Menyusun SPJ Oktober"],
        "volume": ["1.00", "3.00"],
    }


def test_a_password_reset_is_audited_without_the_password(org):
    password = accounts.pegawai_reset_password(target=org.asn, by=org.admin)
    [row] = rows_of(org.asn)
    assert row.action == "pegawai_reset_sandi" and row.actor_id == org.admin.user_id
    assert row.perubahan == {"password": [MASKED, MASKED], "wajib_ganti_sandi": [False, True]}
    assert password not in str(row.perubahan)
    services.pegawai_finish_password_change(pegawai=org.asn, by=org.asn)
    assert rows_of(org.asn)[-1].perubahan == {
        "password": [MASKED, MASKED],
        "wajib_ganti_sandi": [True, False],
    }


def test_a_holiday_rename_records_old_and_new(org):
    libur = kalender_services.hari_libur_add(
        satker=org.kudus,
        tanggal=datetime.date(2030, 5, 2),
        nama="Hari Jadi",
        jenis=JenisLibur.LOKAL,
        by=org.admin,
    )
    kalender_services.hari_libur_update(
        libur=libur, nama="Hari Jadi Kudus", jenis=JenisLibur.LOKAL, by=org.admin
    )
    assert rows_of(libur)[-1].perubahan == {"nama": ["Hari Jadi", "Hari Jadi Kudus"]}


@pytest.mark.parametrize("dry_run", [False, True])
def test_seed_hari_libur_command_is_audited(org, dry_run):
    args = ["seed_hari_libur", "--tahun", "2031", "--satker", "kudus"] + (["--dry-run"] if dry_run else [])
    call_command(*args, stdout=io.StringIO())
    rows = AuditLog.objects.filter(action="hari_libur_isi_nasional")
    if dry_run:
        assert not rows.exists() and not HariLibur.objects.exists()
        return
    [row] = rows
    assert row.actor is None and row.satker_id == org.kudus.pk
    assert len(row.perubahan["hari_libur"][1]) == HariLibur.objects.filter(satker=org.kudus).count() > 0


@pytest.fixture
def generator(monkeypatch):
    state = {"boom": False}

    def render(satker, params, progress):
        if state["boom"]:
            raise RuntimeError("kertas habis")
        return document_store.Rendered("uji.txt", "text/plain", b"isi")

    generators = dict(document_store.GENERATORS)
    generators["softfile_pegawai"] = document_store.Generator(
        "softfile_pegawai", lambda s, p: "Uji", render, lambda s, p: str(p.get("n"))
    )
    monkeypatch.setattr(document_store, "GENERATORS", generators)
    return state


def test_a_documents_status_changes_and_archiving_are_audited(org, generator):
    dokumen = document_store.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params={"n": 1}, by=org.asn
    )
    document_store.dokumen_archive(dokumen=dokumen, note="Bulan difinalisasi", by=org.sekretaris)
    document_store.dokumen_archive(
        dokumen=dokumen, note="lagi", by=org.sekretaris
    )  # already archived: no row
    moves = [(r.action, r.dari, r.ke, r.actor_id) for r in rows_of(dokumen)]
    assert moves == [
        ("dokumen_diminta", "", StatusDokumen.MENUNGGU, org.asn.user_id),
        ("dokumen_dibuat", StatusDokumen.MENUNGGU, StatusDokumen.DIBUAT, None),
        ("dokumen_siap", StatusDokumen.DIBUAT, StatusDokumen.SIAP, None),
        ("dokumen_diarsipkan", "", "", org.sekretaris.user_id),
    ]
    ready = rows_of(dokumen)[2]
    assert ready.perubahan["sha256"] == ["", Dokumen.objects.get(pk=dokumen.pk).sha256]
    assert rows_of(dokumen)[3].perubahan["arsip"] == [False, True]
    assert {r.satker_id for r in rows_of(dokumen)} == {org.kudus.pk}


def test_a_failed_render_is_audited_with_its_error(org, generator):
    generator["boom"] = True
    dokumen = document_store.dokumen_request(satker=org.kudus, jenis="softfile_pegawai", params={"n": 2})
    failed = rows_of(dokumen)[-1]
    assert (failed.action, failed.ke) == ("dokumen_gagal", StatusDokumen.GAGAL)
    assert "kertas habis" in failed.catatan and "kertas habis" in failed.perubahan["pesan_galat"][1]


def test_a_decision_records_the_status_and_note(org):
    entri = EntriKinerja.objects.create(
        pegawai=org.asn,
        satker=org.kudus,
        tanggal=datetime.date(2025, 10, 1),
        kode_output=org.kode,
        nama_kegiatan="x",
        volume=1,
    )
    services.entri_set_decisions(
        entries=[entri],
        status=StatusEntri.DIKEMBALIKAN,
        note="Lengkapi bukti",
        by=org.kasubag,
        as_of=datetime.datetime(2025, 11, 3, 9, tzinfo=datetime.UTC),
    )
    [row] = rows_of(entri)
    assert row.perubahan == {
        "status": [StatusEntri.DIAJUKAN, StatusEntri.DIKEMBALIKAN],
        "catatan_verifikasi": ["", "Lengkapi bukti"],
    }


def test_a_framework_edit_records_old_and_new(org):
    from rekap.pengukuran.kerangka import services as kerangka

    sasaran = kerangka.sasaran_create(satker=org.kudus, tahun=2030, kode="S1", uraian="Lama", by=org.rendatin)
    kerangka.sasaran_update(sasaran=sasaran, kode="S1", uraian="Baru", urutan=1, by=org.rendatin)
    created, changed = rows_of(sasaran)
    assert created.perubahan == {"kode": [None, "S1"], "uraian": [None, "Lama"], "urutan": [None, 1]}
    assert changed.perubahan == {"uraian": ["Lama", "Baru"]}


def test_a_plenary_correction_records_what_it_changed(org, monkeypatch):
    from tests.rekap import test_services as rk

    rk.install_fake_generators(monkeypatch)
    rekap = rk.compiled(org)
    rapat = rk.record(org, rekap)
    rk.record(org, rekap, keputusan="Keputusan yang dikoreksi", peserta=[org.pimpinan, org.sekretaris])
    first, correction = rows_of(rapat)
    assert first.action == "pleno_dicatat" and first.perubahan["keputusan"][0] is None
    assert correction.action == "pleno_diubah"
    assert correction.perubahan["keputusan"] == [rk.KEPUTUSAN, "Keputusan yang dikoreksi"]
    assert correction.perubahan["peserta"] == [
        sorted(p.pk for p in (org.pimpinan, org.sekretaris, org.kasubag, org.kasubag_rendatin)),
        sorted([org.pimpinan.pk, org.sekretaris.pk]),
    ]
    assert set(correction.perubahan) == {"keputusan", "peserta"}


def test_a_form_fill_records_each_indicators_old_and_new_value(org):
    from decimal import Decimal

    from rekap.pengukuran import services as pengukuran
    from rekap.pengukuran.models import TahapPengukuran
    from tests.pengukuran import test_services as pk

    p = pk.sampai(org, TahapPengukuran.PENGUMPULAN)
    form = pk.form_of(p, org.kul)
    row = form.baris_set.order_by("urutan").first()
    pengukuran.form_fill(form=form, by=org.kasubag, nilai={row.pk: pengukuran.IsianBaris(Decimal(7))})
    pengukuran.form_fill(
        form=form, by=org.kasubag, nilai={row.pk: pengukuran.IsianBaris(Decimal(9), "revisi")}
    )
    changed = rows_of(form)[-1]
    assert changed.perubahan == {
        f"{row.indikator_kode} realisasi": ["7.00", "9.00"],
        f"{row.indikator_kode} keterangan": ["", "revisi"],
    }
