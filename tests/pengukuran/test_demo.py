"""The Bontang demo: its own satker in WITA, a framework, and measurements at three stages driven through the
services by the SOP's actors; running it again changes nothing. Documents are faked so the test stays fast."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from demo import pengukuran as demo
from demo.management.commands import seed_demo
from kinerja import document_store as docs
from kinerja.models import AuditLog, Dokumen, EntriKinerja, Pegawai, Role, Satker
from rekap.pengukuran import durasi, kerangka, todos
from rekap.pengukuran.models import (
    BarisPengukuran,
    FormDataKinerja,
    JenisPeriode,
    KeputusanVersi,
    LangkahPengukuran,
    Pengukuran,
    TahapPengukuran,
    VersiPengukuran,
)
from verifikasi.models import LaporanBulanan

JENIS = ("pengukuran_form", "pengukuran_kertas_kerja", "pengukuran_laporan", "pengukuran_disposisi")


def fake_generator(jenis: str) -> docs.Generator:
    return docs.Generator(
        jenis=jenis,
        title=lambda satker, params: f"{jenis} {params}",
        render=lambda satker, params, progress: docs.Rendered(
            f"{jenis}.pdf", "application/pdf", b"%PDF-1.4\n"
        ),
        version=lambda satker, params: "demo",
    )


@pytest.fixture
def fake_documents(monkeypatch):
    for jenis in JENIS:
        monkeypatch.setitem(docs.GENERATORS, jenis, fake_generator(jenis))


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo built once for this module (it takes a few seconds), rolled back after its last test; each
    test runs inside it in its own savepoint, as usual."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        for jenis in JENIS:
            patch.setitem(docs.GENERATORS, jenis, fake_generator(jenis))
        with transaction.atomic():
            yield demo.seed_pengukuran(verbosity=0, evidence=False)
            transaction.set_rollback(True)


@pytest.fixture
def bontang(seeded, db, fake_documents):
    return Satker.objects.get(pk=seeded.pk)


def counts() -> dict[str, int]:
    models = (
        Satker,
        Pegawai,
        EntriKinerja,
        LaporanBulanan,
        Pengukuran,
        FormDataKinerja,
        BarisPengukuran,
        LangkahPengukuran,
        VersiPengukuran,
        Dokumen,
        AuditLog,
    )
    return {m.__name__: m.objects.count() for m in models}


def test_bontang_is_its_own_satker_in_wita_with_the_sops_people(bontang):
    assert (bontang.kode, bontang.nama, bontang.kota, bontang.zona_waktu) == (
        "bontang",
        "KPU Kota Bontang",
        "Bontang",
        "Asia/Makassar",
    )
    assert bontang.kop_lines == ["KOMISI PEMILIHAN UMUM", "KOTA BONTANG"]
    subs = {s.singkatan: s for s in bontang.subbagian_set.select_related("kasubag")}
    assert set(subs) == {"KUL", "TEKNIS", "PARHUBMAS", "RENDATIN"}
    assert subs["TEKNIS"].nama == "Subbagian Teknis Penyelenggaraan Pemilu dan Hukum"
    assert [s for s in subs if subs[s].is_rendatin] == ["RENDATIN"]
    assert bontang.sekretaris.nama.startswith("Bambang Rahmadhany")
    assert bontang.sekretaris.has_role(Role.SEKRETARIS)
    kasubag_rendatin = Pegawai.objects.get(pk=subs["RENDATIN"].kasubag_id)
    assert {Role.KASUBAG, Role.RENDATIN} <= kasubag_rendatin.roles
    assert bontang.pegawai_set.filter(is_pimpinan=True).count() == 1
    assert bontang.pegawai_set.filter(is_admin=True).count() == 1
    # Everything of Bontang stays in Bontang.
    assert not EntriKinerja.objects.filter(satker=bontang).exclude(pegawai__satker=bontang).exists()
    assert not EntriKinerja.objects.filter(satker=bontang).exclude(kode_output__satker=bontang).exists()


def test_framework_of_sixteen_indicators_over_three_sasaran(bontang):
    years = sorted(set(Pengukuran.objects.filter(satker=bontang).values_list("tahun", flat=True)))
    for year in years:
        tree = kerangka.tree(bontang, year)
        indikator = list(kerangka.iter_indikator(tree))
        assert len(tree) == 3 and len(indikator) == 16
        linked = [i for i in indikator if i.aturan_realisasi != "manual"]
        assert len(linked) == 8 and all(i.kode_output.exists() for i in linked)
        assert {i.jenis_target for i in indikator} == {"tunggal", "rentang"}
        assert any(i.arah == "turun" for i in indikator)


def stage(bontang, tahap):
    return Pengukuran.objects.get(satker=bontang, tahap=tahap)


def test_one_measurement_went_through_all_ten_steps_and_was_approved(bontang):
    p = stage(bontang, TahapPengukuran.DISETUJUI)
    assert p.jenis_periode == JenisPeriode.TRIWULAN and p.versi == 1
    steps = list(p.langkah_set.order_by("id").select_related("oleh"))
    assert [s.langkah for s in steps] == list(range(1, 11))
    assert all(s.selesai is not None and s.selesai >= s.mulai for s in steps)
    subs = {s.singkatan: s for s in bontang.subbagian_set.all()}
    actors = {s.langkah: s.oleh for s in steps}
    assert actors[1] == actors[9] == bontang.sekretaris
    assert actors[2] == actors[8] == subs["RENDATIN"].kasubag
    assert actors[3].subbagian == subs["RENDATIN"] and actors[3] != subs["RENDATIN"].kasubag
    versi = VersiPengukuran.objects.get(pengukuran=p)
    assert versi.keputusan == KeputusanVersi.DISETUJUI and versi.oleh == bontang.sekretaris
    archived = Dokumen.objects.filter(satker=bontang, arsip=True, params__pengukuran_id=p.pk)
    assert sorted((d.jenis, d.params["fmt"]) for d in archived) == [
        ("pengukuran_kertas_kerja", "pdf"),
        ("pengukuran_kertas_kerja", "xlsx"),
        ("pengukuran_laporan", "pdf"),
    ]
    rows = list(p.baris_set.all())
    assert len(rows) == 16 and all(r.capaian_akhir is not None for r in rows)
    assert len({r.kategori for r in rows}) >= 3  # a realistic spread of categories
    zero = next(r for r in rows if r.indikator_kode == "IKK 3.4")
    assert zero.capaian is None and zero.capaian_manual == 100 and zero.alasan_manual
    linked = [r for r in rows if r.aturan_realisasi != "manual"]
    assert all(r.realisasi_usulan and r.realisasi == r.realisasi_usulan for r in linked)
    # Its history is plausible: started after the quarter ended, no step late.
    assert steps[0].mulai.astimezone(bontang.tz).date().month == (p.nomor * 3) % 12 + 1
    assert not any(d.terlambat for d in durasi.durasi(p))


def test_one_was_returned_with_a_note_and_is_at_step_five_again(bontang):
    p = stage(bontang, TahapPengukuran.PENGUKURAN)
    assert p.jenis_periode == JenisPeriode.TRIWULAN and p.versi == 2
    assert p.catatan_pengembalian == demo.RETURN_NOTE
    versi = VersiPengukuran.objects.get(pengukuran=p)
    assert (versi.versi, versi.keputusan, versi.catatan) == (1, KeputusanVersi.DIKEMBALIKAN, demo.RETURN_NOTE)
    open_steps = p.langkah_set.filter(selesai__isnull=True)
    assert [(s.langkah, s.versi) for s in open_steps] == [(5, 2)]
    assert any(d.terlambat for d in durasi.durasi(p))  # some steps of version 1 ran late
    approved = stage(bontang, TahapPengukuran.DISETUJUI)
    assert (p.tahun, p.nomor) > (approved.tahun, approved.nomor) or p.tahun > approved.tahun
    rendatin = Pegawai.objects.get(pk=p.langkah_set.get(langkah=3).oleh_id)
    tasks = [t for t in todos.todo(rendatin) if t.pengukuran == p]
    assert tasks and tasks[0].saya and "versi 2" in tasks[0].tindakan


def test_one_month_is_collecting_with_one_form_handed_in(bontang):
    p = stage(bontang, TahapPengukuran.PENGUMPULAN)
    assert p.jenis_periode == JenisPeriode.BULAN
    forms = {f.subbagian.singkatan: f for f in p.form_set.select_related("subbagian")}
    assert [k for k, f in forms.items() if f.diserahkan_pada] == ["KUL"]
    filled = BarisPengukuran.objects.filter(form=forms["PARHUBMAS"], keterangan__gt="")
    assert set(filled.values_list("indikator_kode", flat=True)) == {"IKK 1.1", "IKK 1.2"}
    assert p.langkah_set.filter(langkah=4, selesai__isnull=True).exists()
    # The Teknis Kasubag sees the form to fill in their to-do list.
    teknis = forms["TEKNIS"].subbagian.kasubag
    assert any(t.form == forms["TEKNIS"] and t.saya for t in todos.todo(teknis))


def test_linked_indicators_are_prefilled_from_verified_entries(bontang):
    p = stage(bontang, TahapPengukuran.PENGUMPULAN)
    assert (
        LaporanBulanan.objects.filter(satker=bontang, tahun=p.tahun, bulan=p.nomor)
        .exclude(status="terverifikasi")
        .count()
        == 0
    )
    linked = BarisPengukuran.objects.filter(pengukuran=p).exclude(aturan_realisasi="manual")
    assert linked.count() == 8 and all(r.realisasi_usulan is not None for r in linked)
    assert sum(r.realisasi_usulan for r in linked) > Decimal(0)


def test_running_it_again_changes_nothing(bontang, fake_documents):
    before = counts()
    out = io.StringIO()
    assert demo.seed_pengukuran(verbosity=1, stdout=out) is None
    assert "sudah ada" in out.getvalue()
    assert counts() == before


def test_logins_are_printed_per_role(bontang):
    out = io.StringIO()
    demo.print_logins(bontang, out)
    text = out.getvalue()
    for role in (
        "ASN",
        "Kasubag (KUL)",
        "Rendatin",
        "Kasubag Rendatin",
        "Sekretaris",
        "Pimpinan",
        "Admin satker",
    ):
        assert f"  {role} " in text, role
    assert "Bambang Rahmadhany" in text and "ketua.bontang" in text and "WITA" in text


def test_seed_demo_adds_bontang(db, fake_documents, monkeypatch):
    # Kudus' own (slow) build is not what this checks: only that seed_demo calls the Bontang demo.
    monkeypatch.setattr(
        seed_demo.Command,
        "_build",
        lambda self, rng, verbosity: Satker.objects.create(
            kode="kudus", nama="KPU Kabupaten Kudus", kota="Kudus"
        ),
    )
    monkeypatch.setattr(seed_demo.Command, "_print_logins", lambda self, satker: None)
    monkeypatch.setattr(seed_demo.pengukuran_demo, "seed_pengukuran", lambda **kw: calls.append(kw))
    calls: list = []
    call_command("seed_demo", verbosity=0)
    assert calls == [{"verbosity": 0, "stdout": calls[0]["stdout"]}]
