"""The performance framework: its services (rules, audit, copy to the next year) and its pages (who may do
what, outcomes, query counts, satker isolation)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin as django_admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.models import AuditLog, KodeOutput, LevelKode, MutuBaku, Subbagian
from rekap.pengukuran import kerangka
from rekap.pengukuran.kerangka import IndikatorData, KerangkaDitolak, Target
from rekap.pengukuran.models import (
    Arah,
    AturanRealisasi,
    BarisPengukuran,
    FormDataKinerja,
    Indikator,
    JenisPeriode,
    JenisTarget,
    Kegiatan,
    LangkahPengukuran,
    Pengukuran,
    Program,
    Sasaran,
    SkalaKategori,
    TargetPeriode,
    VersiPengukuran,
)
from tests.conftest import make_pegawai

YEAR = datetime.date.today().year
D = Decimal


def data(org, kode="IK1", **extra) -> IndikatorData:
    values = {
        "kode": kode,
        "uraian": f"Persentase layanan {kode}",
        "satuan": "persen",
        "subbagian": org.kul,
        "tahunan": Target(nilai=D(90)),
    }
    values.update(extra)
    return IndikatorData(**values)


class Framework:
    def __init__(self, org, tahun=YEAR):
        by = org.rendatin
        self.sasaran = kerangka.sasaran_create(
            satker=org.kudus, tahun=tahun, kode="S1", uraian="Meningkatnya kualitas layanan", by=by
        )
        self.program = kerangka.program_create(
            sasaran=self.sasaran, kode="P1", uraian="Dukungan manajemen", by=by
        )
        self.kegiatan = kerangka.kegiatan_create(
            program=self.program, kode="K1", uraian="Layanan perkantoran", by=by
        )
        self.tunggal = kerangka.indikator_create(
            kegiatan=self.kegiatan,
            data=data(
                org, "IK1", targets={("triwulan", 1): Target(nilai=D(20)), ("bulan", 1): Target(nilai=D(7))}
            ),
            by=by,
        )
        self.rentang = kerangka.indikator_create(
            kegiatan=self.kegiatan,
            data=data(
                org,
                "IK2",
                satuan="dokumen",
                arah=Arah.TURUN,
                jenis_target=JenisTarget.RENTANG,
                tahunan=Target(bawah=D(80), atas=D(90)),
                targets={("triwulan", 2): Target(bawah=D(20), atas=D("22.5"))},
                kode_output=[org.kode_years[tahun]] if tahun in org.kode_years else [],
                aturan_realisasi=AturanRealisasi.JUMLAH_VOLUME
                if tahun in org.kode_years
                else AturanRealisasi.MANUAL,
                satuan_volume="dokumen",
                subbagian=org.teknis,
            ),
            by=by,
        )


@pytest.fixture
def fw(org):
    return Framework(org)


def measured(org, indikator) -> BarisPengukuran:
    """A measurement that has the indicator (as helper D's konsep_form would leave it)."""
    p = Pengukuran.objects.create(
        satker=org.kudus, tahun=YEAR, jenis_periode=JenisPeriode.TRIWULAN, nomor=1, instruksi="Ukur."
    )
    form = FormDataKinerja.objects.create(pengukuran=p, subbagian=indikator.subbagian)
    return BarisPengukuran.objects.create(
        pengukuran=p,
        form=form,
        indikator=indikator,
        sasaran="S1",
        program="P1",
        kegiatan="K1",
        indikator_kode=indikator.kode,
        indikator_uraian=indikator.uraian,
        satuan=indikator.satuan,
        arah=indikator.arah,
        target=D(20),
        aturan_realisasi=indikator.aturan_realisasi,
    )


# --- services -----------------------------------------------------------------------------------------------


def test_indikator_is_created_with_targets_links_and_an_audit_row(org, fw):
    ind = Indikator.objects.get(pk=fw.rentang.pk)
    assert (ind.jenis_target, ind.target_bawah, ind.target_atas, ind.target_tahunan) == (
        "rentang",
        D(80),
        D(90),
        None,
    )
    assert list(ind.kode_output.all()) == [org.kode]
    assert ind.satuan_volume == "dokumen" and ind.arah == "turun" and ind.subbagian == org.teknis
    t = TargetPeriode.objects.get(indikator=ind)
    assert (t.jenis_periode, t.nomor, t.target, t.target_bawah, t.target_atas) == (
        "triwulan",
        2,
        None,
        20,
        D("22.5"),
    )
    assert kerangka.targets_of(fw.tunggal) == {
        ("triwulan", 1): Target(nilai=D(20)),
        ("bulan", 1): Target(nilai=D(7)),
    }
    actions = set(AuditLog.objects.filter(satker=org.kudus).values_list("action", flat=True))
    assert {"sasaran_dibuat", "program_dibuat", "kegiatan_dibuat", "indikator_dibuat"} <= actions
    assert AuditLog.objects.filter(action="indikator_dibuat", actor=org.rendatin.user).count() == 2


def test_indicator_codes_are_unique_within_the_year_not_only_the_kegiatan(org, fw):
    other = kerangka.kegiatan_create(program=fw.program, kode="K2", uraian="Lain", by=org.rendatin)
    with pytest.raises(
        KerangkaDitolak, match=rf"Kode indikator IK1 sudah dipakai pada tahun {YEAR} \(kegiatan K1\)"
    ):
        kerangka.indikator_create(kegiatan=other, data=data(org, "IK1"), by=org.rendatin)
    s = kerangka.sasaran_create(satker=org.kudus, tahun=YEAR + 1, kode="S1", uraian="x", by=None)
    p = kerangka.program_create(sasaran=s, kode="P1", uraian="x", by=None)
    k = kerangka.kegiatan_create(program=p, kode="K1", uraian="x", by=None)
    assert kerangka.indikator_create(kegiatan=k, data=data(org, "IK1"), by=None).pk


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"tahunan": Target(nilai=D(-1))}, "Target tahunan tidak boleh negatif (-1)."),
        ({"tahunan": Target()}, "Target tahunan wajib diisi."),
        (
            {"jenis_target": JenisTarget.RENTANG, "tahunan": Target(bawah=D(90), atas=D(80))},
            "Target tahunan: batas bawah (90) lebih besar dari batas atas (80).",
        ),
        (
            {"jenis_target": JenisTarget.RENTANG, "tahunan": Target(bawah=D(80))},
            "batas bawah dan batas atas wajib diisi keduanya",
        ),
        (
            {"targets": {("triwulan", 3): Target(bawah=D(1), atas=D(2))}},
            "Target Triwulan III: rentang hanya untuk indikator bertarget rentang",
        ),
        (
            {"targets": {("bulan", 4): Target(nilai=D("-0.5"))}},
            "Target April tidak boleh negatif (-0.5).",
        ),
        (
            {
                "jenis_target": JenisTarget.RENTANG,
                "tahunan": Target(bawah=D(1), atas=D(2)),
                "targets": {("semester", 1): Target(nilai=D(1))},
            },
            "Target Semester I: indikator bertarget rentang; tulis batas bawah dan atas",
        ),
        ({"aturan_realisasi": AturanRealisasi.JUMLAH_ENTRI}, "memerlukan minimal satu kode output"),
        (
            {"aturan_realisasi": AturanRealisasi.JUMLAH_VOLUME, "kode_output": "KODE"},
            "memerlukan satuan volume",
        ),
        ({"satuan": ""}, "Satuan wajib diisi."),
        ({"subbagian": None}, "Subbagian penanggung jawab wajib diisi."),
    ],
)
def test_indicator_rules_refuse_with_a_clear_message(org, fw, extra, message):
    if extra.get("kode_output") == "KODE":
        extra["kode_output"] = [org.kode]
    with pytest.raises(KerangkaDitolak, match=message.replace("(", r"\(").replace(")", r"\)")):
        kerangka.indikator_create(kegiatan=fw.kegiatan, data=data(org, "BARU", **extra), by=org.rendatin)
    assert not Indikator.objects.filter(kode="BARU").exists()


def test_links_and_subbagian_must_belong_to_the_satker_and_year(org, fw):
    other_year = org.kode_years[YEAR - 1]
    with pytest.raises(KerangkaDitolak, match=f"Kode output 3359.EBA.994.002 bukan kode output tahun {YEAR}"):
        kerangka.indikator_create(
            kegiatan=fw.kegiatan, data=data(org, "X", kode_output=[other_year]), by=org.rendatin
        )
    bontang_sub = Subbagian.objects.create(satker=org.bontang, nama="KUL Bontang", singkatan="KUL")
    with pytest.raises(KerangkaDitolak, match="bukan dari satker ini"):
        kerangka.indikator_create(kegiatan=fw.kegiatan, data=data(org, "X", subbagian=bontang_sub), by=None)
    bontang_code = KodeOutput.objects.create(
        satker=org.bontang, tahun=YEAR, kode="3359.EBA.994.002", uraian="x", level=LevelKode.KOMPONEN
    )
    with pytest.raises(KerangkaDitolak, match="bukan kode output"):
        kerangka.indikator_create(
            kegiatan=fw.kegiatan, data=data(org, "X", kode_output=[bontang_code]), by=None
        )
    shared = KodeOutput.objects.create(tahun=YEAR, kode="BERSAMA", uraian="x", level=LevelKode.KOMPONEN)
    assert kerangka.indikator_create(kegiatan=fw.kegiatan, data=data(org, "X", kode_output=[shared]), by=None)


def test_update_replaces_targets_moves_kegiatan_and_keeps_measurement_snapshots(org, fw):
    baris = measured(org, fw.tunggal)
    k2 = kerangka.kegiatan_create(program=fw.program, kode="K2", uraian="Lain", by=None)
    new = data(
        org,
        "IK1-baru",
        uraian="Diubah",
        tahunan=Target(nilai=D(95)),
        targets={("bulan", 2): Target(nilai=D(8))},
    )
    kerangka.indikator_update(indikator=fw.tunggal, data=new, kegiatan=k2, by=org.kasubag_rendatin)
    ind = Indikator.objects.get(pk=fw.tunggal.pk)
    assert (ind.kode, ind.uraian, ind.target_tahunan, ind.kegiatan) == ("IK1-baru", "Diubah", D(95), k2)
    assert kerangka.targets_of(ind) == {("bulan", 2): Target(nilai=D(8))}
    baris.refresh_from_db()
    assert (baris.indikator_kode, baris.indikator_uraian, baris.target) == (
        "IK1",
        "Persentase layanan IK1",
        D(20),
    )
    assert AuditLog.objects.filter(action="indikator_diubah", object_id=ind.pk).exists()


def test_moving_an_indicator_to_another_year_is_refused(org, fw):
    s = kerangka.sasaran_create(satker=org.kudus, tahun=YEAR + 1, kode="S1", uraian="x", by=None)
    k = kerangka.kegiatan_create(
        program=kerangka.program_create(sasaran=s, kode="P", uraian="x", by=None),
        kode="K",
        uraian="x",
        by=None,
    )
    with pytest.raises(KerangkaDitolak, match="tahun yang sama"):
        kerangka.indikator_update(
            indikator=fw.tunggal, data=kerangka.data_of(fw.tunggal), kegiatan=k, by=None
        )


def test_an_indicator_used_by_a_measurement_is_deactivated_never_deleted(org, fw):
    measured(org, fw.tunggal)
    with pytest.raises(KerangkaDitolak, match="sudah dipakai dalam pengukuran kinerja .* nonaktifkan saja"):
        kerangka.indikator_delete(indikator=fw.tunggal, by=org.rendatin)
    assert Indikator.objects.filter(pk=fw.tunggal.pk).exists()
    kerangka.indikator_set_aktif(indikator=fw.tunggal, aktif=False, by=org.rendatin)
    assert not Indikator.objects.get(pk=fw.tunggal.pk).aktif
    log = AuditLog.objects.get(action="indikator_dinonaktifkan")
    assert (log.dari, log.ke) == ("aktif", "nonaktif")
    # An unused one may go.
    kerangka.indikator_delete(indikator=fw.rentang, by=org.rendatin)
    assert not Indikator.objects.filter(pk=fw.rentang.pk).exists()
    assert AuditLog.objects.filter(action="indikator_dihapus", catatan__contains="IK2").exists()


def test_groups_with_indicators_are_not_deleted(org, fw):
    for obj in (fw.sasaran, fw.program, fw.kegiatan):
        with pytest.raises(KerangkaDitolak, match="masih memiliki indikator"):
            kerangka.kelompok_delete(obj=obj, by=None)
    empty = kerangka.program_create(sasaran=fw.sasaran, kode="P9", uraian="Kosong", by=None)
    kerangka.kegiatan_create(program=empty, kode="K9", uraian="Kosong", by=None)
    kerangka.kelompok_delete(obj=empty, by=org.rendatin)
    assert not Program.objects.filter(kode="P9").exists() and not Kegiatan.objects.filter(kode="K9").exists()


def test_duplicate_group_codes_are_refused(org, fw):
    with pytest.raises(KerangkaDitolak, match=f"Kode sasaran S1 sudah ada pada tahun {YEAR}"):
        kerangka.sasaran_create(satker=org.kudus, tahun=YEAR, kode="S1", uraian="x", by=None)
    with pytest.raises(KerangkaDitolak, match="Kode program P1 sudah ada"):
        kerangka.program_create(sasaran=fw.sasaran, kode="P1", uraian="x", by=None)
    k2 = kerangka.kegiatan_create(program=fw.program, kode="K2", uraian="x", by=None)
    with pytest.raises(KerangkaDitolak, match="Kode kegiatan K1 sudah ada"):
        kerangka.kegiatan_update(kegiatan=k2, kode="K1", uraian="x", urutan=1, by=None)
    # The same code in another satker's year is theirs.
    assert kerangka.sasaran_create(satker=org.bontang, tahun=YEAR, kode="S1", uraian="x", by=None)


def test_copy_to_next_year_relinks_codes_by_name_and_drops_inactive(org, fw):
    kerangka.indikator_set_aktif(indikator=fw.tunggal, aktif=False, by=None)
    result = kerangka.kerangka_salin(satker=org.kudus, dari=YEAR, ke=YEAR + 1, by=org.rendatin)
    assert (result.sasaran, result.program, result.kegiatan, result.indikator) == (1, 1, 1, 1)
    assert result.kode_tidak_ada == ()
    copy = kerangka.indikator_of_year(org.kudus, YEAR + 1).get()
    assert copy.kode == "IK2" and copy.pk != fw.rentang.pk
    assert list(copy.kode_output.all()) == [org.kode_years[YEAR + 1]]
    assert (copy.target_bawah, copy.target_atas, copy.aturan_realisasi) == (80, 90, "jumlah_volume")
    assert kerangka.targets_of(copy) == {("triwulan", 2): Target(bawah=D(20), atas=D("22.5"))}
    with pytest.raises(KerangkaDitolak, match=f"Tahun {YEAR + 1} sudah memiliki kerangka kinerja"):
        kerangka.kerangka_salin(satker=org.kudus, dari=YEAR, ke=YEAR + 1, by=None)
    assert AuditLog.objects.filter(action="kerangka_disalin").exists()


def test_copy_drops_links_to_codes_missing_in_the_new_year(org, fw):
    result = kerangka.kerangka_salin(satker=org.kudus, dari=YEAR, ke=YEAR + 5, by=None)
    assert result.kode_tidak_ada == ("3359.EBA.994.002",)
    assert "3359.EBA.994.002" in result.summary
    copy = kerangka.indikator_of_year(org.kudus, YEAR + 5).get(kode="IK2")
    assert not copy.kode_output.exists() and copy.aturan_realisasi == AturanRealisasi.MANUAL


def test_copy_from_an_empty_year_is_refused(org):
    with pytest.raises(KerangkaDitolak, match=f"Tahun {YEAR - 3} belum memiliki kerangka"):
        kerangka.kerangka_salin(satker=org.kudus, dari=YEAR - 3, ke=YEAR, by=None)


def test_tree_runs_a_fixed_number_of_queries(org, fw):
    with CaptureQueriesContext(connection) as first:
        sasaran = kerangka.tree(org.kudus, YEAR)
        list(kerangka.iter_indikator(sasaran))
    for n in range(5):
        kerangka.indikator_create(
            kegiatan=fw.kegiatan, data=data(org, f"N{n}", kode_output=[org.kode]), by=None
        )
    with CaptureQueriesContext(connection) as second:
        sasaran = kerangka.tree(org.kudus, YEAR)
        rows = list(kerangka.iter_indikator(sasaran))
        for row in rows:
            list(row.kode_output.all()), list(row.target_set.all()), row.subbagian.singkatan
    assert len(rows) == 7
    assert len(second) == len(first)


# --- pages --------------------------------------------------------------------------------------------------


def bontang_rendatin(org):
    sub = Subbagian.objects.create(
        satker=org.bontang,
        nama="Subbagian Perencanaan, Data dan Informasi",
        singkatan="RENDATIN",
        is_rendatin=True,
    )
    return make_pegawai(org.bontang, sub, nama="Rendatin Bontang")


def view_urls(fw) -> list[str]:
    return [
        reverse("pengukuran:kerangka"),
        reverse("pengukuran:kerangka_indikator", args=[fw.tunggal.pk]),
        reverse("pengukuran:kerangka_templat"),
    ]


def manage_urls(fw) -> list[str]:
    return [
        reverse("pengukuran:kerangka_sasaran_tambah"),
        reverse("pengukuran:kerangka_sasaran_ubah", args=[fw.sasaran.pk]),
        reverse("pengukuran:kerangka_sasaran_hapus", args=[fw.sasaran.pk]),
        reverse("pengukuran:kerangka_program_tambah", args=[fw.sasaran.pk]),
        reverse("pengukuran:kerangka_program_ubah", args=[fw.program.pk]),
        reverse("pengukuran:kerangka_program_hapus", args=[fw.program.pk]),
        reverse("pengukuran:kerangka_kegiatan_tambah", args=[fw.program.pk]),
        reverse("pengukuran:kerangka_kegiatan_ubah", args=[fw.kegiatan.pk]),
        reverse("pengukuran:kerangka_kegiatan_hapus", args=[fw.kegiatan.pk]),
        reverse("pengukuran:kerangka_indikator_tambah", args=[fw.kegiatan.pk]),
        reverse("pengukuran:kerangka_indikator_ubah", args=[fw.tunggal.pk]),
        reverse("pengukuran:kerangka_indikator_hapus", args=[fw.tunggal.pk]),
        reverse("pengukuran:kerangka_salin"),
        reverse("pengukuran:kerangka_impor"),
    ]


def test_anonymous_is_sent_to_login(client, org, fw):
    for url in [*view_urls(fw), *manage_urls(fw), reverse("pengukuran:kerangka_indikator_aktif", args=[1])]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize(
    ("person", "view", "manage"),
    [
        ("asn", 403, 403),
        ("kasubag", 403, 403),
        ("other_kasubag", 403, 403),
        ("admin", 403, 403),
        ("outsider", 403, 403),
        ("sekretaris", 200, 403),
        ("pimpinan", 200, 403),
        ("rendatin", 200, 200),
        ("kasubag_rendatin", 200, 200),
    ],
)
def test_permission_matrix(org, fw, login, person, view, manage):
    client = login(getattr(org, person))
    for url in view_urls(fw):
        assert client.get(url).status_code == view, url
    for url in manage_urls(fw):
        assert client.get(url).status_code == manage, url
    toggle = client.post(reverse("pengukuran:kerangka_indikator_aktif", args=[fw.tunggal.pk]))
    assert toggle.status_code == (302 if manage == 200 else 403)


def test_wrong_role_gets_an_indonesian_message(org, fw, login):
    response = login(org.kasubag).get(reverse("pengukuran:kerangka"))
    assert response.status_code == 403
    assert "hanya untuk Rendatin, Sekretaris dan Pimpinan" in response.content.decode()
    response = login(org.sekretaris).get(reverse("pengukuran:kerangka_impor"))
    assert "hanya untuk Rendatin" in response.content.decode()


def test_another_satkers_framework_is_not_found(org, fw, login):
    client = login(bontang_rendatin(org))
    object_urls = [url for url in [*view_urls(fw), *manage_urls(fw)] if any(ch.isdigit() for ch in url)]
    assert len(object_urls) == 12
    for url in object_urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("pengukuran:kerangka_indikator_aktif", args=[fw.tunggal.pk])).status_code == 404
    )
    page = client.get(reverse("pengukuran:kerangka"), {"tahun": YEAR}).content.decode()
    assert "IK1" not in page and "Belum ada kerangka kinerja" in page
    assert Indikator.objects.get(pk=fw.tunggal.pk).aktif


def test_post_only_url_refuses_get(org, fw, login):
    response = login(org.rendatin).get(reverse("pengukuran:kerangka_indikator_aktif", args=[fw.tunggal.pk]))
    assert response.status_code == 405


def test_tree_page_shows_the_framework_with_a_fixed_number_of_queries(org, fw, login):
    client = login(org.rendatin)
    url = reverse("pengukuran:kerangka")
    measured(org, fw.tunggal)
    with CaptureQueriesContext(connection) as first:
        response = client.get(url, {"tahun": YEAR})
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Sasaran S1",
        "Program P1",
        "Kegiatan K1",
        "IK1",
        "IK2",
        "80–90",
        "Dipakai",
        "3359.EBA.994.002",
    ):
        assert text in page, text
    # IK1 is used: no delete button; IK2 is not.
    assert reverse("pengukuran:kerangka_indikator_hapus", args=[fw.tunggal.pk]) not in page
    assert reverse("pengukuran:kerangka_indikator_hapus", args=[fw.rentang.pk]) in page
    k2 = kerangka.kegiatan_create(program=fw.program, kode="K2", uraian="Lain", by=None)
    for n in range(6):
        kerangka.indikator_create(
            kegiatan=k2,
            data=data(org, f"N{n}", kode_output=[org.kode], targets={("triwulan", 1): Target(nilai=D(1))}),
            by=None,
        )
    with CaptureQueriesContext(connection) as second:
        client.get(url, {"tahun": YEAR})
    assert len(second) == len(first)


def test_sekretaris_sees_the_tree_read_only(org, fw, login):
    page = login(org.sekretaris).get(reverse("pengukuran:kerangka"), {"tahun": YEAR}).content.decode()
    assert "IK1" in page and "Tampilan baca saja" in page
    assert reverse("pengukuran:kerangka_indikator_ubah", args=[fw.tunggal.pk]) not in page
    assert reverse("pengukuran:kerangka_impor") not in page


def test_indicator_detail_lists_every_period_target(org, fw, login):
    page = (
        login(org.pimpinan)
        .get(reverse("pengukuran:kerangka_indikator", args=[fw.rentang.pk]))
        .content.decode()
    )
    assert "80–90" in page and "20–22,5" in page and "Triwulan II" in page and "Desember" in page


def test_rendatin_creates_a_sasaran_program_kegiatan_through_the_pages(org, login):
    client = login(org.rendatin)
    response = client.post(
        reverse("pengukuran:kerangka_sasaran_tambah") + f"?tahun={YEAR + 1}",
        {"kode": "S9", "uraian": "Sasaran baru", "urutan": ""},
    )
    sasaran = Sasaran.objects.get(kode="S9")
    assert sasaran.tahun == YEAR + 1 and sasaran.satker == org.kudus
    assert response["Location"].endswith(f"?tahun={YEAR + 1}#sasaran-{sasaran.pk}")
    client.post(
        reverse("pengukuran:kerangka_program_tambah", args=[sasaran.pk]), {"kode": "P", "uraian": "Prog"}
    )
    program = Program.objects.get(sasaran=sasaran)
    client.post(
        reverse("pengukuran:kerangka_kegiatan_tambah", args=[program.pk]), {"kode": "K", "uraian": "Keg"}
    )
    assert Kegiatan.objects.get(program=program).uraian == "Keg"
    # A duplicate code is reported on the form.
    response = client.post(
        reverse("pengukuran:kerangka_sasaran_tambah") + f"?tahun={YEAR + 1}", {"kode": "S9", "uraian": "x"}
    )
    assert response.status_code == 200 and "Kode sasaran S9 sudah ada" in response.content.decode()


def indikator_post(org, fw, **extra) -> dict:
    values = {
        "kegiatan": fw.kegiatan.pk,
        "kode": "IK9",
        "uraian": "Persentase dokumen perencanaan tepat waktu",
        "satuan": "persen",
        "arah": "naik",
        "jenis_target": "tunggal",
        "target_tahunan": "92,5",
        "subbagian": org.rendatin_sub.pk,
        "kode_output": [org.kode.pk],
        "aturan_realisasi": "jumlah_entri",
        "aktif": "on",
        "target_triwulan_1": "25",
        "target_bulan_3": "8,5",
    }
    values.update(extra)
    return values


def test_rendatin_creates_and_edits_an_indicator(org, fw, login):
    client = login(org.kasubag_rendatin)
    response = client.post(
        reverse("pengukuran:kerangka_indikator_tambah", args=[fw.kegiatan.pk]), indikator_post(org, fw)
    )
    ind = Indikator.objects.get(kode="IK9")
    assert response.status_code == 302 and response["Location"].endswith(f"#indikator-{ind.pk}")
    assert (ind.target_tahunan, ind.aturan_realisasi, ind.subbagian) == (
        D("92.5"),
        "jumlah_entri",
        org.rendatin_sub,
    )
    assert kerangka.targets_of(ind) == {
        ("triwulan", 1): Target(nilai=D(25)),
        ("bulan", 3): Target(nilai=D("8.5")),
    }
    # The edit page shows the current values; a range target replaces the single one.
    page = client.get(reverse("pengukuran:kerangka_indikator_ubah", args=[ind.pk])).content.decode()
    assert 'value="92.5"' in page and 'value="8.5"' in page
    client.post(
        reverse("pengukuran:kerangka_indikator_ubah", args=[ind.pk]),
        indikator_post(
            org,
            fw,
            jenis_target="rentang",
            target_bawah="80",
            target_atas="90",
            target_triwulan_1="20-25",
            target_bulan_3="",
            kode_output=[],
            aturan_realisasi="manual",
            aktif="",
        ),
    )
    ind.refresh_from_db()
    assert (ind.jenis_target, ind.target_tahunan, ind.target_bawah, ind.target_atas, ind.aktif) == (
        "rentang",
        None,
        80,
        90,
        False,
    )
    assert kerangka.targets_of(ind) == {("triwulan", 1): Target(bawah=D(20), atas=D(25))}
    assert not ind.kode_output.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"target_tahunan": "-5"}, "Target tahunan tidak boleh negatif (-5)."),
        ({"target_tahunan": "abc"}, "Tulis angka, mis. 80 atau 82,5."),
        (
            {
                "jenis_target": "rentang",
                "target_bawah": "1",
                "target_atas": "2",
                "target_triwulan_1": "",
                "target_bulan_3": "",
                "target_triwulan_2": "90-80",
            },
            "Target Triwulan II: batas bawah (90) lebih besar dari batas atas (80).",
        ),
        (
            {"target_triwulan_2": "80-90"},
            "Target Triwulan II: rentang hanya untuk indikator bertarget rentang",
        ),
        ({"kode_output": [], "aturan_realisasi": "jumlah_entri"}, "memerlukan minimal satu kode output"),
        ({"kode": "IK1"}, "Kode indikator IK1 sudah dipakai"),
    ],
)
def test_indicator_form_shows_the_rule_it_broke(org, fw, login, extra, message):
    response = login(org.rendatin).post(
        reverse("pengukuran:kerangka_indikator_tambah", args=[fw.kegiatan.pk]),
        indikator_post(org, fw, **extra),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Indikator.objects.filter(kode="IK9").exists()


def test_form_offers_only_this_satkers_kegiatan_and_codes_of_the_year(org, fw, login):
    s = kerangka.sasaran_create(satker=org.bontang, tahun=YEAR, kode="SB", uraian="x", by=None)
    kb = kerangka.kegiatan_create(
        program=kerangka.program_create(sasaran=s, kode="PB", uraian="x", by=None),
        kode="KB",
        uraian="x",
        by=None,
    )
    client = login(org.rendatin)
    url = reverse("pengukuran:kerangka_indikator_tambah", args=[fw.kegiatan.pk])
    for extra in ({"kegiatan": kb.pk}, {"kode_output": [org.kode_years[YEAR - 1].pk]}):
        response = client.post(url, indikator_post(org, fw, **extra))
        assert response.status_code == 200
        assert "pilihan yang valid" in response.content.decode()
    assert not Indikator.objects.filter(kode="IK9").exists()


def test_toggle_and_delete_through_the_pages(org, fw, login):
    client = login(org.rendatin)
    measured(org, fw.tunggal)
    client.post(reverse("pengukuran:kerangka_indikator_aktif", args=[fw.tunggal.pk]), {"aktif": "0"})
    assert not Indikator.objects.get(pk=fw.tunggal.pk).aktif
    confirm = client.get(
        reverse("pengukuran:kerangka_indikator_hapus", args=[fw.tunggal.pk])
    ).content.decode()
    assert "tidak dapat dihapus" in confirm
    response = client.post(reverse("pengukuran:kerangka_indikator_hapus", args=[fw.tunggal.pk]), follow=True)
    assert "nonaktifkan saja" in response.content.decode()
    assert Indikator.objects.filter(pk=fw.tunggal.pk).exists()
    client.post(reverse("pengukuran:kerangka_indikator_hapus", args=[fw.rentang.pk]))
    assert not Indikator.objects.filter(pk=fw.rentang.pk).exists()
    response = client.post(reverse("pengukuran:kerangka_sasaran_hapus", args=[fw.sasaran.pk]), follow=True)
    assert "masih memiliki indikator" in response.content.decode()


def test_copy_page(org, fw, login):
    client = login(org.rendatin)
    assert client.get(reverse("pengukuran:kerangka_salin"), {"tahun": YEAR + 1}).status_code == 200
    response = client.post(reverse("pengukuran:kerangka_salin"), {"dari": YEAR, "ke": YEAR + 1}, follow=True)
    assert f"Kerangka kinerja {YEAR} disalin ke {YEAR + 1}" in response.content.decode()
    assert kerangka.indikator_of_year(org.kudus, YEAR + 1).count() == 2
    response = client.post(reverse("pengukuran:kerangka_salin"), {"dari": YEAR, "ke": YEAR + 1})
    assert "sudah memiliki kerangka kinerja" in response.content.decode()


def test_template_download_is_the_years_framework(org, fw, login):
    response = login(org.sekretaris).get(reverse("pengukuran:kerangka_templat"), {"tahun": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="kerangka-kinerja-kudus-{YEAR}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "kode sasaran",
        "sasaran",
        "kode program",
        "program",
        "kode kegiatan",
        "kegiatan",
        "kode indikator",
        "indikator",
    )
    assert [r[6] for r in rows[1:]] == ["IK1", "IK2"]


# --- admin --------------------------------------------------------------------------------------------------


def test_admin_lists_every_measurement_model_and_edits_only_the_standards(org, fw, client):
    baris = measured(org, fw.tunggal)
    LangkahPengukuran.objects.create(pengukuran=baris.pengukuran, langkah=1, mulai=timezone.now())
    VersiPengukuran.objects.create(
        pengukuran=baris.pengukuran, versi=1, keputusan="disetujui", data={"baris": []}
    )
    SkalaKategori.objects.create(satker=org.kudus, nama="Baik", minimum=D(76))
    superuser = get_user_model().objects.create_superuser("root", "root@example.id", "x")
    client.force_login(superuser, backend="kinerja.auth.NipOrUsernameBackend")
    models = [m for m in django_admin.site._registry if m._meta.app_label == "pengukuran"]
    assert len(models) == 11  # the SOPs' MutuBaku is kinerja's now
    for model in models:
        url = reverse(f"admin:pengukuran_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        obj = model.objects.first()
        change = reverse(f"admin:pengukuran_{model._meta.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200, change
    mutu = MutuBaku.objects.get(sop="bontang", langkah=5)
    url = reverse("admin:kinerja_mutubaku_change", args=[mutu.pk])
    response = client.post(
        url,
        {
            "kegiatan": mutu.kegiatan,
            "pelaksana": mutu.pelaksana,
            "waktu": 2,
            "satuan": "hari kerja",
            "output": mutu.output,
        },
    )
    assert response.status_code == 302
    mutu.refresh_from_db()
    assert (mutu.hari_kerja, mutu.langkah, mutu.sop) == (2, 5, "bontang")
    versi = VersiPengukuran.objects.get()
    response = client.post(
        reverse("admin:pengukuran_versipengukuran_change", args=[versi.pk]), {"catatan": "x"}
    )
    assert response.status_code == 403
    assert client.post(reverse("admin:pengukuran_versipengukuran_delete", args=[versi.pk])).status_code == 403
    indikator_add = client.get(reverse("admin:pengukuran_indikator_add"))
    assert indikator_add.status_code == 403
