"""The ten steps of the measurement SOP as services: the path, the loop, the actors, the edge cases, the
prefill from verified entries and the mutu baku.

The measured period is the first quarter of last year (always in the past). The document generators are
replaced by fakes (their own tests live beside rekap/pengukuran/documents/), so these tests see only what the
workflow asks for: which documents, with which parameters, archived or not.
"""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kinerja import document_store as docs
from kinerja.errors import DomainError
from kinerja.models import AuditLog, Dokumen, EntriKinerja, HariLibur, PenjabatSementara, StatusEntri
from rekap.pengukuran import durasi, policy, services, todos
from rekap.pengukuran.models import (
    Arah,
    AturanRealisasi,
    BarisPengukuran,
    FormDataKinerja,
    Indikator,
    JenisTarget,
    Kegiatan,
    KeputusanVersi,
    LangkahPengukuran,
    Pengukuran,
    Program,
    Sasaran,
    TahapPengukuran,
    TargetPeriode,
    VersiPengukuran,
)
from rekap.pengukuran.services import IsianBaris, PengukuranDitolak
from tests.conftest import ensure_mutu_baku, make_pegawai
from verifikasi.models import LaporanBulanan, StatusLaporan

D = Decimal
T = TahapPengukuran
JENIS = ("pengukuran_form", "pengukuran_kertas_kerja", "pengukuran_laporan", "pengukuran_disposisi")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def fake_generators(monkeypatch):
    """Stand-ins for the four measurement documents: a few bytes naming what was asked for."""
    fakes = dict(docs.GENERATORS)
    for jenis in JENIS:
        fakes[jenis] = docs.Generator(
            jenis=jenis,
            title=lambda satker, params, jenis=jenis: f"{jenis} {params}",
            render=lambda satker, params, progress, jenis=jenis: docs.Rendered(
                f"{jenis}.{params.get('fmt', 'pdf')}",
                "application/octet-stream",
                f"{jenis} {params}".encode(),
            ),
            version=lambda satker, params: "v1",
        )
    monkeypatch.setattr(docs, "GENERATORS", fakes)
    return fakes


@pytest.fixture(autouse=True)
def mutu_baku_seeded(db):
    """The SOP's standard times are seeded by a migration; a transactional test elsewhere may have flushed them."""
    ensure_mutu_baku()


def year_of(org) -> int:
    return min(org.kode_years)


def kerangka(org, tahun: int | None = None) -> SimpleNamespace:
    """A small framework for Kudus: one sasaran, program and kegiatan, indicators for three subbagian."""
    tahun = tahun or year_of(org)
    sasaran = Sasaran.objects.create(
        satker=org.kudus, tahun=tahun, kode="SS.1", uraian="Terwujudnya tata kelola yang akuntabel", urutan=1
    )
    program = Program.objects.create(sasaran=sasaran, kode="P.1", uraian="Dukungan manajemen")
    kegiatan = Kegiatan.objects.create(program=program, kode="K.1", uraian="Layanan perkantoran")

    def indikator(kode, subbagian, *, urutan, target=None, **fields):
        item = Indikator.objects.create(
            kegiatan=kegiatan,
            kode=kode,
            uraian=f"Indikator {kode}",
            satuan=fields.pop("satuan", "dokumen"),
            subbagian=subbagian,
            urutan=urutan,
            **fields,
        )
        if target is not None:
            TargetPeriode.objects.create(indikator=item, jenis_periode="triwulan", nomor=1, **target)
        return item

    ns = SimpleNamespace(sasaran=sasaran, program=program, kegiatan=kegiatan, tahun=tahun)
    ns.entri = indikator(
        "IK.1", org.kul, urutan=1, target={"target": D(10)}, aturan_realisasi=AturanRealisasi.JUMLAH_ENTRI
    )
    ns.entri.kode_output.add(org.kode_years[tahun])
    ns.volume = indikator(
        "IK.2",
        org.kul,
        urutan=2,
        target={"target": D(20)},
        aturan_realisasi=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="dokumen",
    )
    ns.volume.kode_output.add(org.kode_years[tahun])
    ns.turun = indikator(
        "IK.3", org.teknis, urutan=3, target={"target": D(4)}, arah=Arah.TURUN, satuan="temuan"
    )
    ns.rentang = indikator(
        "IK.4",
        org.rendatin_sub,
        urutan=4,
        target={"target_bawah": D(80), "target_atas": D(90)},
        jenis_target=JenisTarget.RENTANG,
        satuan="%",
    )
    ns.semua = [ns.entri, ns.volume, ns.turun, ns.rentang]
    return ns


def pilihan(*indicators) -> dict[int, list[int]]:
    chosen: dict[int, list[int]] = {}
    for item in indicators:
        chosen.setdefault(item.subbagian_id, []).append(item.pk)
    return chosen


def mulai(org, k=None, **kwargs) -> Pengukuran:
    defaults = {"tahun": (k.tahun if k else year_of(org)), "jenis_periode": "triwulan", "nomor": 1}
    defaults.update(kwargs)
    return services.pengukuran_dispose(
        satker=org.kudus, instruksi="Lakukan pengukuran kinerja triwulan I.", by=org.sekretaris, **defaults
    )


def fresh(p: Pengukuran) -> Pengukuran:
    return Pengukuran.objects.select_related("satker").get(pk=p.pk)


def form_of(p: Pengukuran, subbagian) -> FormDataKinerja:
    return FormDataKinerja.objects.select_related("subbagian", "pengukuran__satker").get(
        pengukuran=p, subbagian=subbagian
    )


def row_of(p: Pengukuran, indikator) -> BarisPengukuran:
    return BarisPengukuran.objects.get(pengukuran=p, indikator=indikator)


FILLERS = {"kul": "kasubag", "teknis": "other_kasubag", "rendatin_sub": "rendatin"}
VALUES = {"IK.1": D(8), "IK.2": D(25), "IK.3": D(2), "IK.4": D(85)}


def sampai(org, tahap: str, k=None) -> Pengukuran:
    """A measurement of the framework brought to stage `tahap` by the right people."""
    k = k or kerangka(org)
    p = mulai(org, k)
    order = [T.KONSEP, T.FORM, T.PENGUMPULAN, T.PENGUKURAN, T.REKAP, T.DRAF, T.PEMERIKSAAN, T.PERSETUJUAN]
    order.append(T.DISETUJUI)
    for stage in order[1 : order.index(tahap) + 1]:
        p = fresh(p)
        if stage == T.FORM:
            services.pengukuran_draft_forms(pengukuran=p, by=org.kasubag_rendatin, pilihan=pilihan(*k.semua))
        elif stage == T.PENGUMPULAN:
            services.pengukuran_issue_forms(pengukuran=p, by=org.rendatin)
        elif stage == T.PENGUKURAN:
            for sub, person in FILLERS.items():
                form = form_of(p, getattr(org, sub))
                who = getattr(org, person)
                nilai = {r.pk: IsianBaris(VALUES[r.indikator_kode]) for r in form.baris_set.all()}
                services.form_fill(form=form, by=who, nilai=nilai)
                services.form_submit(form=form_of(p, getattr(org, sub)), by=who)
        elif stage == T.REKAP:
            services.pengukuran_measure(pengukuran=p, by=org.rendatin)
        elif stage == T.DRAF:
            services.pengukuran_recap(pengukuran=p, by=org.rendatin)
        elif stage == T.PEMERIKSAAN:
            services.pengukuran_report_draft(pengukuran=p, by=org.rendatin)
        elif stage == T.PERSETUJUAN:
            services.pengukuran_send(pengukuran=p, by=org.kasubag_rendatin, catatan="Sudah diperiksa.")
        elif stage == T.DISETUJUI:
            services.pengukuran_approve(pengukuran=p, by=org.sekretaris)
    p = fresh(p)
    assert p.tahap == tahap
    return p


def steps(p: Pengukuran) -> list[tuple[int, int, bool]]:
    """(langkah, versi, closed) of every step row, in order."""
    return [
        (s.langkah, s.versi, s.selesai is not None)
        for s in LangkahPengukuran.objects.filter(pengukuran=p).order_by("mulai", "pk")
    ]


def actions(p: Pengukuran) -> list[str]:
    """The measurement's own audit rows (forms have theirs)."""
    rows = AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(Pengukuran), object_id=p.pk)
    return list(rows.order_by("waktu", "pk").values_list("action", flat=True))


# --- the full path ------------------------------------------------------------------------------------------


def test_the_ten_steps_in_order(org):
    k = kerangka(org)
    p = mulai(org, k)
    assert (p.tahap, p.versi, p.disposisi_oleh) == (T.KONSEP, 1, org.sekretaris)
    assert steps(p) == [(1, 1, True), (2, 1, False)]

    services.pengukuran_draft_forms(pengukuran=p, by=org.kasubag_rendatin, pilihan=pilihan(*k.semua))
    p = fresh(p)
    assert p.tahap == T.FORM
    assert [f.subbagian for f in p.form_set.order_by("subbagian__urutan")] == [
        org.kul,
        org.teknis,
        org.rendatin_sub,
    ]
    assert p.baris_set.count() == 4

    services.pengukuran_issue_forms(pengukuran=p, by=org.rendatin)
    p = fresh(p)
    assert p.tahap == T.PENGUMPULAN
    assert not p.form_set.filter(diterbitkan_pada__isnull=True).exists()

    for sub, person in FILLERS.items():
        form = form_of(p, getattr(org, sub))
        nilai = {r.pk: IsianBaris(VALUES[r.indikator_kode]) for r in form.baris_set.all()}
        services.form_fill(form=form, by=getattr(org, person), nilai=nilai)
        services.form_submit(form=form, by=getattr(org, person))
    p = fresh(p)
    assert p.tahap == T.PENGUKURAN  # the last form in ends step 4

    services.pengukuran_measure(pengukuran=p, by=org.rendatin)
    p = fresh(p)
    assert p.tahap == T.REKAP
    capaian = {r.indikator_kode: (r.capaian, r.kategori) for r in p.baris_set.all()}
    assert capaian == {
        "IK.1": (D("80.00"), "Baik"),
        "IK.2": (D("125.00"), "Sangat Baik"),
        "IK.3": (D("150.00"), "Sangat Baik"),  # lower is better: (2 × 4 − 2) / 4
        "IK.4": (D("100.00"), "Sangat Baik"),  # inside the range
    }

    services.pengukuran_recap(pengukuran=p, by=org.rendatin)
    services.pengukuran_report_draft(pengukuran=fresh(p), by=org.rendatin)
    services.pengukuran_send(pengukuran=fresh(p), by=org.kasubag_rendatin, catatan="Sudah diperiksa.")
    p = fresh(p)
    assert p.tahap == T.PERSETUJUAN

    versi = services.pengukuran_approve(
        pengukuran=p, by=org.sekretaris, catatan="Lanjutkan ke Laporan Kinerja."
    )
    p = fresh(p)
    assert p.tahap == T.DISETUJUI
    assert (versi.versi, versi.keputusan, versi.catatan, versi.oleh) == (
        1,
        KeputusanVersi.DISETUJUI,
        "Lanjutkan ke Laporan Kinerja.",
        org.sekretaris,
    )
    assert [b["kode"] for b in versi.data["baris"]] == ["IK.1", "IK.2", "IK.3", "IK.4"]
    assert versi.data["baris"][0]["capaian"] == "80.00"
    assert versi.data["rekap"]["total"]["rata_rata"] == "113.75"
    assert steps(p) == [(n, 1, True) for n in range(1, 11)]
    step8 = LangkahPengukuran.objects.get(pengukuran=p, langkah=8)
    assert (step8.oleh, step8.catatan) == (org.kasubag_rendatin, "Sudah diperiksa.")
    assert actions(p) == [
        "pengukuran_disposisi",
        "pengukuran_konsep",
        "pengukuran_form_terbit",
        "pengukuran_terkumpul",
        "pengukuran_diukur",
        "pengukuran_rekap",
        "pengukuran_draf",
        "pengukuran_dikirim",
        "pengukuran_disetujui",
    ]
    archived = Dokumen.objects.filter(arsip=True).order_by("jenis", "pk")
    assert sorted((d.jenis, d.params["fmt"], d.params["versi"]) for d in archived) == [
        ("pengukuran_kertas_kerja", "pdf", 1),
        ("pengukuran_kertas_kerja", "xlsx", 1),
        ("pengukuran_laporan", "pdf", 1),
    ]
    assert all(d.is_ready and len(d.sha256) == 64 and d.params["pengukuran_id"] == p.pk for d in archived)
    assert all("versi 1, disetujui" in d.keterangan_arsip for d in archived)


def test_return_and_resubmit_loop(org):
    p = sampai(org, T.PERSETUJUAN)
    first = services.pengukuran_return(
        pengukuran=p, by=org.sekretaris, catatan="Capaian IK.2 di atas 100%, periksa."
    )
    p = fresh(p)
    assert (first.versi, first.keputusan) == (1, KeputusanVersi.DIKEMBALIKAN)
    assert (p.tahap, p.versi, p.catatan_pengembalian) == (
        T.PENGUKURAN,
        2,
        "Capaian IK.2 di atas 100%, periksa.",
    )
    assert steps(p)[-2:] == [(9, 1, True), (5, 2, False)]

    row = row_of(p, Indikator.objects.get(kode="IK.2"))
    services.pengukuran_measure(
        pengukuran=p, by=org.rendatin, manual={row.pk: (D(100), "Target triwulan terlampaui; dibatasi.")}
    )
    services.pengukuran_recap(pengukuran=fresh(p), by=org.rendatin)
    services.pengukuran_report_draft(pengukuran=fresh(p), by=org.rendatin)
    services.pengukuran_send(pengukuran=fresh(p), by=org.kasubag_rendatin)
    second = services.pengukuran_approve(pengukuran=fresh(p), by=org.sekretaris)
    p = fresh(p)

    assert p.tahap == T.DISETUJUI
    assert list(VersiPengukuran.objects.filter(pengukuran=p).values_list("versi", "keputusan")) == [
        (1, KeputusanVersi.DIKEMBALIKAN),
        (2, KeputusanVersi.DISETUJUI),
    ]
    # Each version keeps its own numbers: the returned one as it was, the approved one with the override.
    assert [b["capaian_akhir"] for b in first.data["baris"] if b["kode"] == "IK.2"] == ["125.00"]
    assert [
        (b["capaian_akhir"], b["alasan_manual"]) for b in second.data["baris"] if b["kode"] == "IK.2"
    ] == [("100.00", "Target triwulan terlampaui; dibatasi.")]
    assert [s for s in steps(p) if s[1] == 2] == [(n, 2, True) for n in range(5, 11)]
    assert sorted(
        (d.params["versi"], d.jenis, d.params["fmt"]) for d in Dokumen.objects.filter(arsip=True)
    ) == [
        (1, "pengukuran_kertas_kerja", "pdf"),
        (1, "pengukuran_kertas_kerja", "xlsx"),
        (1, "pengukuran_laporan", "pdf"),
        (2, "pengukuran_kertas_kerja", "pdf"),
        (2, "pengukuran_kertas_kerja", "xlsx"),
        (2, "pengukuran_laporan", "pdf"),
    ]


def test_return_needs_a_note(org):
    p = sampai(org, T.PERSETUJUAN)
    with pytest.raises(PengukuranDitolak, match="Tuliskan catatan pengembalian"):
        services.pengukuran_return(pengukuran=p, by=org.sekretaris, catatan="   ")
    assert fresh(p).tahap == T.PERSETUJUAN
    assert not VersiPengukuran.objects.exists()


def test_measuring_again_during_the_recap_keeps_the_step(org):
    p = sampai(org, T.REKAP)
    row = row_of(p, Indikator.objects.get(kode="IK.1"))
    services.pengukuran_measure(
        pengukuran=p, by=org.rendatin, manual={row.pk: (D("90"), "Data susulan dari KUL.")}
    )
    p = fresh(p)
    assert p.tahap == T.REKAP
    row.refresh_from_db()
    assert (row.capaian, row.capaian_manual, row.kategori) == (D("80.00"), D("90.00"), "Baik")
    assert LangkahPengukuran.objects.filter(pengukuran=p, langkah=6).count() == 1
    assert actions(p)[-1] == "pengukuran_diukur_ulang"


def test_archiving_fails_loudly_without_a_generator(org, fake_generators):
    p = sampai(org, T.PERSETUJUAN)
    del fake_generators["pengukuran_laporan"]
    with pytest.raises(PengukuranDitolak, match="belum dapat dibuat"):
        services.pengukuran_approve(pengukuran=p, by=org.sekretaris)
    p = fresh(p)
    assert p.tahap == T.PERSETUJUAN
    assert not VersiPengukuran.objects.exists() and not Dokumen.objects.exists()


# --- actors ---------------------------------------------------------------------------------------------------


def wrong(org, *names):
    return [getattr(org, n) for n in names]


@pytest.mark.parametrize(
    "name", ["kasubag_rendatin", "rendatin", "kasubag", "asn", "pimpinan", "admin", "outsider"]
)
def test_only_the_sekretaris_disposes(org, name):
    with pytest.raises(PengukuranDitolak) as exc:
        services.pengukuran_dispose(
            satker=org.kudus,
            tahun=2026,
            jenis_periode="bulan",
            nomor=1,
            instruksi="Ukur.",
            by=getattr(org, name),
        )
    assert str(exc.value) == policy.PESAN_SEKRETARIS
    assert not Pengukuran.objects.exists()


STEP_CALLS = {
    # stage: (call, message, the actor's attribute names that are refused)
    T.KONSEP: (
        lambda p, who, k: services.pengukuran_draft_forms(pengukuran=p, by=who, pilihan=pilihan(*k.semua)),
        policy.PESAN_KASUBAG_RENDATIN,
        ["rendatin", "sekretaris", "kasubag", "asn", "pimpinan", "outsider"],
    ),
    T.FORM: (
        lambda p, who, k: services.pengukuran_issue_forms(pengukuran=p, by=who),
        policy.PESAN_RENDATIN,
        ["sekretaris", "kasubag", "other_kasubag", "asn", "pimpinan", "outsider"],
    ),
    T.PENGUKURAN: (
        lambda p, who, k: services.pengukuran_measure(pengukuran=p, by=who),
        policy.PESAN_RENDATIN,
        ["sekretaris", "kasubag", "asn", "pimpinan", "outsider"],
    ),
    T.REKAP: (
        lambda p, who, k: services.pengukuran_recap(pengukuran=p, by=who),
        policy.PESAN_RENDATIN,
        ["sekretaris", "kasubag", "asn", "pimpinan", "outsider"],
    ),
    T.DRAF: (
        lambda p, who, k: services.pengukuran_report_draft(pengukuran=p, by=who),
        policy.PESAN_RENDATIN,
        ["sekretaris", "kasubag", "asn", "pimpinan", "outsider"],
    ),
    T.PEMERIKSAAN: (
        lambda p, who, k: services.pengukuran_send(pengukuran=p, by=who),
        policy.PESAN_KASUBAG_RENDATIN,
        ["rendatin", "sekretaris", "kasubag", "asn", "pimpinan", "outsider"],
    ),
    T.PERSETUJUAN: (
        lambda p, who, k: services.pengukuran_approve(pengukuran=p, by=who),
        policy.PESAN_SEKRETARIS,
        ["rendatin", "kasubag_rendatin", "kasubag", "asn", "pimpinan", "outsider"],
    ),
}


@pytest.mark.parametrize("tahap", list(STEP_CALLS))
def test_every_step_refuses_everyone_but_its_actor(org, tahap):
    k = kerangka(org)
    p = sampai(org, tahap, k)
    call, message, refused = STEP_CALLS[tahap]
    for who in wrong(org, *refused):
        with pytest.raises(PengukuranDitolak) as exc:
            call(fresh(p), who, k)
        assert str(exc.value) == message, who
    assert fresh(p).tahap == tahap
    if tahap == T.PERSETUJUAN:
        for who in wrong(org, *refused):
            with pytest.raises(PengukuranDitolak, match="hanya dapat dilakukan oleh Sekretaris"):
                services.pengukuran_return(pengukuran=fresh(p), by=who, catatan="Perbaiki.")


def test_a_subbagian_fills_only_its_own_form(org):
    p = sampai(org, T.PENGUMPULAN)
    form = form_of(p, org.kul)
    row = form.baris_set.first()
    for who in wrong(
        org, "other_kasubag", "teknis_staff", "rendatin", "kasubag_rendatin", "sekretaris", "outsider"
    ):
        with pytest.raises(PengukuranDitolak) as exc:
            services.form_fill(form=form, by=who, nilai={row.pk: IsianBaris(D(1))})
        assert (
            str(exc.value) == "Form ini hanya dapat diisi oleh pegawai Subbagian Keuangan, Umum dan Logistik."
        )
        with pytest.raises(PengukuranDitolak):
            services.form_submit(form=form, by=who)
    # its Kasubag and its staff may
    services.form_fill(form=form, by=org.colleague, nilai={row.pk: IsianBaris(D(3), "Dari staf")})
    row.refresh_from_db()
    assert (row.realisasi, row.keterangan) == (D(3), "Dari staf")


def test_an_acting_head_fills_the_form_of_the_post(org):
    p = sampai(org, T.PENGUMPULAN)
    today = org.kudus.today()
    PenjabatSementara.objects.create(
        satker=org.kudus, subbagian=org.kul, pegawai=org.other_kasubag, mulai=today, selesai=today
    )
    form = form_of(p, org.kul)
    row = form.baris_set.first()
    services.form_fill(form=form, by=org.other_kasubag, nilai={row.pk: IsianBaris(D(5))})
    row.refresh_from_db()
    assert row.realisasi == D(5)


def test_steps_refuse_the_wrong_stage(org):
    k = kerangka(org)
    p = sampai(org, T.FORM, k)
    with pytest.raises(PengukuranDitolak) as exc:
        services.pengukuran_draft_forms(pengukuran=p, by=org.kasubag_rendatin, pilihan=pilihan(*k.semua))
    assert "sedang pada tahap «3. Penyiapan form per subbagian (staf Rendatin)»" in str(exc.value)
    for call in (
        lambda: services.pengukuran_measure(pengukuran=p, by=org.rendatin),
        lambda: services.pengukuran_recap(pengukuran=p, by=org.rendatin),
        lambda: services.pengukuran_report_draft(pengukuran=p, by=org.rendatin),
        lambda: services.pengukuran_send(pengukuran=p, by=org.kasubag_rendatin),
        lambda: services.pengukuran_approve(pengukuran=p, by=org.sekretaris),
        lambda: services.pengukuran_return(pengukuran=p, by=org.sekretaris, catatan="x"),
    ):
        with pytest.raises(PengukuranDitolak, match="langkah ini tidak dapat dilakukan sekarang"):
            call()
    form = form_of(p, org.kul)
    with pytest.raises(PengukuranDitolak, match="tidak dapat dilakukan sekarang"):
        services.form_fill(form=form, by=org.kasubag, nilai={})
    assert fresh(p).tahap == T.FORM


def test_measuring_needs_every_form_handed_in(org):
    p = sampai(org, T.PENGUMPULAN)
    # Forced into step 5 with a form still out: the guard names it.
    Pengukuran.objects.filter(pk=p.pk).update(tahap=T.PENGUKURAN)
    with pytest.raises(PengukuranDitolak) as exc:
        services.pengukuran_measure(pengukuran=fresh(p), by=org.rendatin)
    assert str(exc.value).startswith("Belum semua form diserahkan: Subbagian Keuangan, Umum dan Logistik")


# --- edge cases ---------------------------------------------------------------------------------------------


def test_disposition_rules(org):
    mulai(org)
    with pytest.raises(PengukuranDitolak, match=r"Pengukuran kinerja Triwulan I \d{4} sudah ada\."):
        mulai(org)
    with pytest.raises(PengukuranDitolak, match="hanya bernomor 1 sampai 4"):
        mulai(org, nomor=5)
    with pytest.raises(PengukuranDitolak, match="Tuliskan instruksi"):
        services.pengukuran_dispose(
            satker=org.kudus, tahun=2026, jenis_periode="bulan", nomor=2, instruksi=" ", by=org.sekretaris
        )


def test_draft_needs_indicators_of_this_satker_year_and_active(org):
    k = kerangka(org)
    p = mulai(org, k)
    with pytest.raises(PengukuranDitolak, match="Pilih sedikitnya satu indikator"):
        services.pengukuran_draft_forms(pengukuran=p, by=org.kasubag_rendatin, pilihan={org.kul.pk: []})
    next_year = kerangka(org, k.tahun + 1)
    bontang = Sasaran.objects.create(satker=org.bontang, tahun=k.tahun, kode="B.1", uraian="Bontang")
    foreign = Indikator.objects.create(
        kegiatan=Kegiatan.objects.create(
            program=Program.objects.create(sasaran=bontang, kode="BP", uraian="BP"), kode="BK", uraian="BK"
        ),
        kode="B-IK",
        uraian="Bontang",
        satuan="%",
        subbagian=org.kul,
    )
    k.turun.aktif = False
    k.turun.save()
    with pytest.raises(PengukuranDitolak) as exc:
        services.pengukuran_draft_forms(
            pengukuran=p,
            by=org.kasubag_rendatin,
            pilihan=pilihan(k.entri, next_year.volume, foreign, k.turun),
        )
    message = str(exc.value)
    assert f"indikator #{next_year.volume.pk} bukan indikator KPU Kabupaten Kudus tahun {k.tahun}" in message
    assert f"indikator #{foreign.pk} bukan indikator" in message
    assert "indikator IK.3 tidak aktif" in message
    assert fresh(p).tahap == T.KONSEP and not FormDataKinerja.objects.exists()


def test_the_snapshot_keeps_the_indicator_as_it_was(org):
    k = kerangka(org)
    p = sampai(org, T.FORM, k)
    k.entri.uraian = "Diubah setelah pengukuran dimulai"
    k.entri.satuan = "laporan"
    k.entri.arah = Arah.TURUN
    k.entri.save()
    TargetPeriode.objects.filter(indikator=k.entri).update(target=D(99))
    k.sasaran.uraian = "Sasaran baru"
    k.sasaran.save()
    row = row_of(p, k.entri)
    assert (row.indikator_uraian, row.satuan, row.arah, row.target) == (
        "Indikator IK.1",
        "dokumen",
        "naik",
        D(10),
    )
    assert row.sasaran == "SS.1 Terwujudnya tata kelola yang akuntabel"
    assert (row.program, row.kegiatan) == ("P.1 Dukungan manajemen", "K.1 Layanan perkantoran")
    assert (row.aturan_realisasi, row_of(p, k.volume).satuan_volume) == (
        AturanRealisasi.JUMLAH_ENTRI,
        "dokumen",
    )
    rentang = row_of(p, k.rentang)
    assert (rentang.target, rentang.target_bawah, rentang.target_atas) == (None, D(80), D(90))


def test_a_yearly_measurement_falls_back_to_the_yearly_target(org):
    k = kerangka(org)
    k.entri.target_tahunan = D(40)
    k.entri.save()
    k.rentang.target_bawah, k.rentang.target_atas = D(70), D(95)
    k.rentang.save()
    p = mulai(org, k, jenis_periode="tahun", nomor=1)
    services.pengukuran_draft_forms(
        pengukuran=p, by=org.kasubag_rendatin, pilihan=pilihan(k.entri, k.rentang, k.turun)
    )
    assert row_of(p, k.entri).target == D(40)
    assert (row_of(p, k.rentang).target_bawah, row_of(p, k.rentang).target_atas) == (D(70), D(95))
    assert row_of(p, k.turun).target is None  # no yearly target and none for the year: measured manually


def test_target_zero_gives_a_message_and_a_manual_capaian_fixes_it(org):
    k = kerangka(org)
    TargetPeriode.objects.filter(indikator=k.turun).update(target=D(0))
    p = sampai(org, T.REKAP, k)
    row = row_of(p, k.turun)
    assert row.capaian is None and row.kategori == ""
    assert (
        row.pesan
        == "Target 0: capaian tidak dapat dihitung dengan rumus; isi capaian manual dengan alasannya."
    )
    with pytest.raises(PengukuranDitolak) as exc:
        services.pengukuran_measure(pengukuran=p, by=org.rendatin, manual={row.pk: (D(100), "  ")})
    assert str(exc.value) == "Capaian manual untuk indikator IK.3 memerlukan alasan."
    with pytest.raises(PengukuranDitolak, match="tidak boleh negatif"):
        services.pengukuran_measure(pengukuran=p, by=org.rendatin, manual={row.pk: (D(-1), "x")})
    services.pengukuran_measure(
        pengukuran=p, by=org.rendatin, manual={row.pk: (D(100), "Tidak ada temuan sama sekali.")}
    )
    row.refresh_from_db()
    assert (row.capaian_akhir, row.kategori, row.alasan_manual) == (
        D(100),
        "Sangat Baik",
        "Tidak ada temuan sama sekali.",
    )


def test_negative_realisation_is_refused_on_fill(org):
    p = sampai(org, T.PENGUMPULAN)
    form = form_of(p, org.kul)
    row = form.baris_set.order_by("urutan").first()
    with pytest.raises(PengukuranDitolak) as exc:
        services.form_fill(form=form, by=org.kasubag, nilai={row.pk: IsianBaris(D("-2"))})
    assert str(exc.value) == "Realisasi IK.1 tidak boleh negatif (-2)."
    row.refresh_from_db()
    assert row.realisasi == row.realisasi_usulan  # unchanged


def test_a_row_of_another_form_is_refused(org):
    p = sampai(org, T.PENGUMPULAN)
    other = form_of(p, org.teknis).baris_set.first()
    with pytest.raises(PengukuranDitolak, match="bukan bagian dari form Subbagian Keuangan"):
        services.form_fill(form=form_of(p, org.kul), by=org.kasubag, nilai={other.pk: IsianBaris(D(1))})


def test_missing_realisation_blocks_hand_in_unless_explained(org):
    p = sampai(org, T.PENGUMPULAN)
    form = form_of(p, org.teknis)
    row = form.baris_set.get()
    with pytest.raises(PengukuranDitolak) as exc:
        services.form_submit(form=form, by=org.other_kasubag)
    assert str(exc.value) == (
        "Realisasi belum diisi untuk 1 indikator (IK.3). "
        "Isi realisasinya, atau jelaskan di keterangan mengapa tidak ada."
    )
    services.form_fill(
        form=form,
        by=org.other_kasubag,
        nilai={row.pk: IsianBaris(None, "Audit belum dilaksanakan triwulan ini.")},
    )
    services.form_submit(form=form_of(p, org.teknis), by=org.other_kasubag)
    form.refresh_from_db()
    assert form.diserahkan_oleh == org.other_kasubag
    with pytest.raises(PengukuranDitolak, match="sudah diserahkan"):
        services.form_fill(form=form, by=org.other_kasubag, nilai={row.pk: IsianBaris(D(1))})
    with pytest.raises(PengukuranDitolak, match="sudah diserahkan"):
        services.form_submit(form=form, by=org.other_kasubag)


def test_evidence_is_checked_by_content_and_stored_privately(org):
    p = sampai(org, T.PENGUMPULAN)
    form = form_of(p, org.kul)
    row = form.baris_set.order_by("urutan").first()
    with pytest.raises(DomainError, match="tidak didukung"):
        services.form_fill(
            form=form,
            by=org.kasubag,
            nilai={row.pk: IsianBaris(D(4), bukti=SimpleUploadedFile("skrip.pdf", b"#!/bin/sh\necho"))},
        )
    services.form_fill(
        form=form,
        by=org.kasubag,
        nilai={row.pk: IsianBaris(D(4), bukti=SimpleUploadedFile("laporan.pdf", b"%PDF-1.4\n%%EOF\n"))},
    )
    row.refresh_from_db()
    assert row.bukti_nama == "laporan.pdf"
    assert row.bukti.name.startswith("bukti/") and row.bukti.name.endswith(".pdf")
    assert "laporan" not in row.bukti.name


def test_import_reads_the_form_through_the_formdata_reader(org, monkeypatch):
    p = sampai(org, T.PENGUMPULAN)
    form = form_of(p, org.kul)
    rows = list(form.baris_set.order_by("urutan"))
    seen = {}

    def parse_form(f, berkas):
        seen["form"], seen["berkas"] = f.pk, berkas
        return {rows[0].pk: IsianBaris(D(7), "Dari berkas"), rows[1].pk: IsianBaris(D(12))}

    from rekap.pengukuran import formdata_reader

    monkeypatch.setattr(formdata_reader, "parse_form", parse_form)
    services.form_import(form=form, by=org.kasubag, berkas="berkas.xlsx")
    assert seen == {"form": form.pk, "berkas": "berkas.xlsx"}
    assert [(r.realisasi, r.keterangan) for r in form.baris_set.order_by("urutan")] == [
        (D(7), "Dari berkas"),
        (D(12), ""),
    ]
    assert AuditLog.objects.filter(action="pengukuran_form_impor", object_id=form.pk).exists()
    with pytest.raises(PengukuranDitolak, match="hanya dapat diisi oleh pegawai"):
        services.form_import(form=form, by=org.other_kasubag, berkas="berkas.xlsx")


# --- the prefill from verified entries --------------------------------------------------------------------------


def entri(org, pegawai, month: int, day: int, *, status=StatusEntri.DISETUJUI, volume=1, satuan="dokumen"):
    year = year_of(org)
    return EntriKinerja.objects.create(
        satker=org.kudus,
        pegawai=pegawai,
        tanggal=datetime.date(year, month, day),
        kode_output=org.kode_years[year],
        nama_kegiatan="Penyusunan laporan",
        output_hasil="Laporan",
        volume=D(volume),
        satuan=satuan,
        status=status,
    )


def verified(org, pegawai, month: int) -> None:
    LaporanBulanan.objects.create(
        satker=org.kudus, pegawai=pegawai, tahun=year_of(org), bulan=month, status=StatusLaporan.TERVERIFIKASI
    )


def test_issue_prefills_realisation_from_verified_entries(org):
    k = kerangka(org)
    for day in (5, 6, 7):
        entri(org, org.asn, 1, day, volume=D(2))
    entri(org, org.asn, 1, 8, volume=D(5), satuan=" Dokumen ")  # the unit is compared loosely
    entri(org, org.asn, 1, 9, volume=D(3), satuan="berkas")  # counted as an entry, not as volume in dokumen
    entri(org, org.asn, 1, 12, status=StatusEntri.DIAJUKAN, volume=D(50))  # not approved
    entri(org, org.colleague, 2, 3, volume=D(40))  # February: colleague's month not verified
    entri(org, org.asn, 4, 2, volume=D(70))  # April: outside the quarter
    verified(org, org.asn, 1)
    verified(org, org.asn, 4)
    LaporanBulanan.objects.create(satker=org.kudus, pegawai=org.colleague, tahun=year_of(org), bulan=2)
    p = sampai(org, T.PENGUMPULAN, k)
    count, volume, manual = row_of(p, k.entri), row_of(p, k.volume), row_of(p, k.turun)
    assert (count.realisasi_usulan, count.realisasi) == (D(5), D(5))
    assert (volume.realisasi_usulan, volume.realisasi) == (D(11), D(11))
    assert (manual.realisasi_usulan, manual.realisasi) == (None, None)


# --- to-do lists ------------------------------------------------------------------------------------------------


def tugas(pegawai) -> list[tuple[int, str, bool]]:
    return [(t.langkah, t.tindakan, t.saya) for t in todos.todo(pegawai)]


def test_todo_names_the_step_and_its_actor(org):
    mulai(org, kerangka(org))
    assert tugas(org.kasubag_rendatin) == [
        (2, "Susun konsep Form Data Kinerja: pilih indikator per subbagian", True)
    ]
    assert tugas(org.sekretaris) == [
        (2, "Susun konsep Form Data Kinerja: pilih indikator per subbagian", False)
    ]
    assert tugas(org.asn) == []  # nothing issued to KUL yet
    assert tugas(org.outsider) == []


def test_todo_lists_the_forms_a_subbagian_has_to_fill(org):
    p = sampai(org, T.PENGUMPULAN)
    assert tugas(org.asn) == [
        (4, "Isi dan serahkan Form Data Kinerja Subbagian Keuangan, Umum dan Logistik", True),
        (4, "Kumpulkan form data kinerja: 0 dari 3 form diserahkan", False),
    ]
    assert todos.todo(org.asn)[0].form == form_of(p, org.kul)
    assert (4, "Kumpulkan form data kinerja: 0 dari 3 form diserahkan", True) in tugas(org.rendatin)
    assert tugas(org.pimpinan) == [(4, "Kumpulkan form data kinerja: 0 dari 3 form diserahkan", False)]


def test_todo_after_a_return_says_it_is_a_revision(org):
    p = sampai(org, T.PERSETUJUAN)
    assert tugas(org.sekretaris) == [(9, "Setujui atau kembalikan hasil pengukuran", True)]
    services.pengukuran_return(pengukuran=p, by=org.sekretaris, catatan="Perbaiki.")
    assert tugas(org.rendatin) == [(5, "Perbaiki pengukuran (versi 2) sesuai catatan Sekretaris", True)]
    assert fresh(p).versi == 2


# --- mutu baku --------------------------------------------------------------------------------------------------

WIB = ZoneInfo("Asia/Jakarta")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


def test_durations_against_the_standard(org):
    p = Pengukuran.objects.create(
        satker=org.kudus, tahun=2026, jenis_periode="bulan", nomor=1, instruksi="Ukur.", tahap=T.REKAP
    )
    monday = datetime.date(2026, 3, 2)
    wednesday, friday, next_monday = (
        monday + datetime.timedelta(2),
        monday + datetime.timedelta(4),
        monday + datetime.timedelta(7),
    )
    HariLibur.objects.create(satker=org.kudus, tanggal=wednesday, nama="Libur")

    def langkah(n, start, end=None, versi=1):
        LangkahPengukuran.objects.create(
            pengukuran=p, langkah=n, versi=versi, mulai=start, selesai=end, oleh=org.rendatin
        )

    langkah(2, at(monday, 8), at(monday, 8, 20))  # 20 min of 20: on time
    langkah(3, at(monday, 8, 20), at(monday, 10, 21))  # 121 min of 120: late
    langkah(4, at(monday, 10, 30), at(monday, 12, 30))  # 120 of 120: on time
    langkah(5, at(monday, 13), at(wednesday, 9))  # Tuesday (Wednesday is a holiday): 1 working day of 1
    langkah(5, at(monday, 13), at(friday, 9), versi=2)  # Tue, Thu, Fri: 3 of 1, late
    langkah(6, at(friday, 9))  # still open, measured until `now`
    rows = durasi.durasi(p, now=at(friday, 11, 59))
    summary = [(d.langkah, d.versi, d.waktu, d.batas, d.terlambat, d.berjalan) for d in rows]
    assert summary == [
        (2, 1, "20 menit", "20 menit", False, False),
        (3, 1, "2 jam 1 menit", "120 menit", True, False),
        (4, 1, "2 jam", "120 menit", False, False),
        (5, 1, "1 hari kerja", "1 hari kerja", False, False),
        (5, 2, "3 hari kerja", "1 hari kerja", True, False),
        (6, 1, "2 jam 59 menit", "180 menit", False, True),
    ]
    assert rows[1].waktu_mutu == "2 jam 1 menit (mutu baku 120 menit)"
    assert durasi.terlambat(org.kudus, now=at(friday, 11, 59)) == []
    late = durasi.terlambat(org.kudus, now=at(friday, 12, 1))
    assert [(k.pengukuran, k.langkah.langkah, k.langkah.menit) for k in late] == [(p, 6, 181)]
    # a weekend does not count: a day-based step started on Friday and ended on Monday took one working day
    LangkahPengukuran.objects.all().delete()
    langkah(5, at(friday, 15), at(next_monday, 9))
    assert [(d.hari_kerja, d.terlambat) for d in durasi.durasi(p, now=at(next_monday, 10))] == [(1, False)]


def test_a_step_timed_in_minutes_that_ran_for_days_reads_in_working_days_and_hours(org, login):
    """Issue 12 item 11: not "1978 menit dari 120 menit" but "4 hari kerja 2 jam (mutu baku 120 menit)"."""
    p = Pengukuran.objects.create(
        satker=org.kudus, tahun=2026, jenis_periode="bulan", nomor=1, instruksi="Ukur.", tahap=T.REKAP
    )
    monday = datetime.date(2026, 3, 2)
    friday = monday + datetime.timedelta(4)
    LangkahPengukuran.objects.create(
        pengukuran=p, langkah=3, mulai=at(monday, 9), selesai=at(friday, 11), oleh=org.rendatin
    )
    (step,) = durasi.durasi(p, now=at(friday, 12))
    assert step.menit == 4 * 24 * 60 + 120 and step.terlambat
    assert step.waktu_mutu == "4 hari kerja 2 jam (mutu baku 120 menit)"

    page = login(org.rendatin).get(reverse("pengukuran:detail", args=[p.pk])).content.decode()
    row = page[page.index('id="langkah-3-v1"') :].split("</tr>")[0]
    assert "4 hari kerja 2 jam (mutu baku 120 menit)" in row
    table = page.split('id="tabel-langkah"')[1].split("</table>")[0]
    assert not re.search(r"\d{3,} menit", re.sub(r"\(mutu baku [^)]*\)", "", table))  # no raw minutes
    assert "(mutu baku —)" not in table


def test_step_ten_has_no_standard_and_is_never_late(org):
    p = sampai(org, T.DISETUJUI)
    last = durasi.durasi(p, now=timezone.now() + datetime.timedelta(days=30))[-1]
    assert (last.langkah, last.batas, last.terlambat) == (10, "—", False)


def test_durations_of_other_satker_are_not_listed(org):
    p = Pengukuran.objects.create(
        satker=org.bontang, tahun=2026, jenis_periode="bulan", nomor=1, instruksi="Ukur.", tahap=T.KONSEP
    )
    LangkahPengukuran.objects.create(
        pengukuran=p, langkah=2, mulai=timezone.now() - datetime.timedelta(days=3)
    )
    assert durasi.terlambat(org.kudus) == []
    assert [k.pengukuran for k in durasi.terlambat(org.bontang)] == [p]


def test_a_second_rendatin_staff_acts_like_the_first(org):
    p = sampai(org, T.FORM)
    second = make_pegawai(org.kudus, org.rendatin_sub, nama="Hana Pratiwi")
    services.pengukuran_issue_forms(pengukuran=p, by=second)
    assert fresh(p).tahap == T.PENGUMPULAN


def test_an_acting_sekretaris_disposes_and_decides(org):
    today = org.kudus.today()
    PenjabatSementara.objects.create(
        satker=org.kudus, subbagian=None, pegawai=org.kasubag, jenis="Plh", mulai=today, selesai=today
    )
    p = services.pengukuran_dispose(
        satker=org.kudus, tahun=2026, jenis_periode="bulan", nomor=3, instruksi="Ukur Maret.", by=org.kasubag
    )
    assert p.disposisi_oleh == org.kasubag
    assert policy.is_sekretaris(org.kasubag, org.kudus)
    assert not policy.is_sekretaris(org.kasubag, org.bontang)
