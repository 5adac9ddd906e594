"""SOP step 6: the FINAL months of a period summed from their snapshots (never live entries), with the plenary
notes carried along and the months not yet FINAL listed as missing; and the page that shows it."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.models import Dokumen, StatusDokumen, StatusEntri
from rekap import aggregate
from rekap.models import RekapBulanan
from tests.rekap.test_documents import KODE_A, KODE_B, compiled, entri, final, working_days, year_of


@pytest.fixture
def two_final_months(org):
    final(org, 10)
    final(org, 11)
    return year_of(org)


def by_kode(outputs):
    return {o.kode: o for o in outputs}


def test_outputs_are_summed_over_the_final_months(org, two_final_months):
    report = aggregate.laporan_kinerja(org.kudus, two_final_months, "T4")
    outputs = by_kode(report.outputs)
    a, b = outputs[KODE_A], outputs[KODE_B]
    assert (a.kegiatan, a.pegawai, a.volume, a.bulan) == (10, 2, {"dokumen": Decimal(16)}, [10, 11])
    assert (b.kegiatan, b.pegawai, b.volume) == (6, 2, {"berkas": Decimal(12), "laporan": Decimal(3)})
    assert a.uraian == "Operasional dan pemeliharaan kantor" and a.volume_label == "16 dokumen"
    assert report.kegiatan == 16
    assert report.periode_label == f"Triwulan IV {two_final_months}"


def test_people_are_counted_once_over_the_period(org, two_final_months):
    """Ani and Budi worked on code A in both months: two people, not four."""
    report = aggregate.laporan_kinerja(org.kudus, two_final_months, "TAHUN")
    assert by_kode(report.outputs)[KODE_A].pegawai == 2
    kul = next(s for s in report.subbagian if s.nama == org.kul.nama)
    assert kul.pegawai == 2


def test_subbagian_totals_per_output_code(org, two_final_months):
    report = aggregate.laporan_kinerja(org.kudus, two_final_months, "S2")
    sections = {s.nama: s for s in report.subbagian}
    assert list(sections) == [org.kul.nama, org.teknis.nama, org.rendatin_sub.nama, org.hukum.nama]
    kul = sections[org.kul.nama]
    assert (kul.kegiatan, kul.bulan, kul.singkatan) == (12, [10, 11], "KUL")
    kul_outputs = by_kode(kul.outputs)
    assert (kul_outputs[KODE_A].kegiatan, kul_outputs[KODE_A].volume) == (10, {"dokumen": Decimal(16)})
    assert (kul_outputs[KODE_B].kegiatan, kul_outputs[KODE_B].pegawai) == (2, 1)
    teknis = by_kode(sections[org.teknis.nama].outputs)
    assert list(teknis) == [KODE_B] and teknis[KODE_B].volume == {"berkas": Decimal(12)}
    assert sections[org.rendatin_sub.nama].outputs == [] and sections[org.rendatin_sub.nama].kegiatan == 0


def test_months_not_final_are_listed_missing_and_not_counted(org, two_final_months):
    year = two_final_months
    compiled(org, 9)  # compiled, but its plenary not finalised
    report = aggregate.laporan_kinerja(org.kudus, year, "S2")
    assert [b.bulan for b in report.bulan_final] == [10, 11]
    missing = {b.bulan: b for b in report.bulan_hilang}
    assert sorted(missing) == [7, 8, 9, 12]
    assert missing[9].tahap == "Dihimpun" and missing[12].tahap == ""
    assert missing[9].label == f"September {year}"
    assert by_kode(report.outputs)[KODE_A].kegiatan == 10  # September's entries left out
    t3 = aggregate.laporan_kinerja(org.kudus, year, "T3")
    assert t3.bulan_final == [] and t3.outputs == [] and t3.subbagian == [] and len(t3.bulan_hilang) == 3


def test_the_snapshot_counts_not_the_live_entries(org, two_final_months):
    year = two_final_months
    before = by_kode(aggregate.laporan_kinerja(org.kudus, year, "T4").outputs)[KODE_A].kegiatan
    entri(org, org.asn, working_days(year, 10)[8], org.kode_years[year], volume="5", satuan="dokumen")
    after = by_kode(aggregate.laporan_kinerja(org.kudus, year, "T4").outputs)[KODE_A]
    assert after.kegiatan == before and after.volume == {"dokumen": Decimal(16)}


def test_plenary_notes_and_decisions_are_carried_along(org, two_final_months):
    report = aggregate.laporan_kinerja(org.kudus, two_final_months, "T4")
    assert [(c.bulan, c.lingkup) for c in report.catatan] == [
        (10, "Subbagian"),
        (10, "Kode output"),
        (10, "Umum"),
        (11, "Subbagian"),
        (11, "Kode output"),
        (11, "Umum"),
    ]
    note = report.catatan_output[0]
    assert (note.kode_output, note.catatan, note.koreksi) == (
        KODE_A,
        "Volume kode A diperiksa ulang",
        "Koreksi satuan",
    )
    assert [c.catatan for c in report.catatan_umum] == ["Umum: format laporan diseragamkan"] * 2
    kul = next(s for s in report.subbagian if s.nama == org.kul.nama)
    assert [(c.bulan, c.koreksi) for c in kul.catatan] == [(10, "Tambah foto"), (11, "Tambah foto")]
    october = report.bulan[0]
    assert october.final and october.keputusan == "Data kinerja bulan 10 diterima."
    assert october.catatan_umum == "Rapat berikutnya dimulai tepat waktu."
    assert october.tempat == "Ruang Rapat KPU Kabupaten Kudus" and october.difinalisasi_pada is not None
    assert (october.pegawai, october.terverifikasi, october.kegiatan) == (8, 8, 8)
    assert report.penandatangan["rendatin"]["nama"] == org.kasubag_rendatin.nama


def test_a_fixed_number_of_queries_whatever_the_months(org, django_assert_num_queries):
    year = year_of(org)
    final(org, 10)
    with django_assert_num_queries(3):
        aggregate.laporan_kinerja(org.kudus, year, "TAHUN")
    final(org, 11)
    with django_assert_num_queries(3):
        aggregate.laporan_kinerja(org.kudus, year, "TAHUN")


def test_an_unknown_period_is_refused(org):
    with pytest.raises(ValueError):
        aggregate.laporan_kinerja(org.kudus, 2025, "T5")


def test_period_months():
    assert aggregate.PERIODE_BULAN["T2"] == (4, 5, 6)
    assert aggregate.PERIODE_BULAN["S1"] == (1, 2, 3, 4, 5, 6)
    assert len(aggregate.PERIODE_BULAN["TAHUN"]) == 12
    assert aggregate.periode_label(2025, "S2") == "Semester II 2025"


# --- the page ----------------------------------------------------------------------------------------------

URL = reverse("rekap:laporan_kinerja")


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("who", ["asn", "kasubag", "other_kasubag", "admin", "outsider"])
def test_other_roles_are_refused(org, login, who):
    response = login(getattr(org, who)).get(URL)
    assert response.status_code == 403
    assert "Data Laporan Kinerja hanya untuk Rendatin, Sekretaris, dan Pimpinan." in response.content.decode()


@pytest.mark.parametrize("who", ["rendatin", "kasubag_rendatin", "sekretaris", "pimpinan"])
def test_rendatin_sekretaris_and_pimpinan_see_the_page(org, login, who):
    assert login(getattr(org, who)).get(URL).status_code == 200


def test_post_is_not_allowed(org, login):
    assert login(org.rendatin).post(URL).status_code == 405


def test_the_page_shows_the_aggregate_and_asks_for_documents(org, login, two_final_months):
    year = two_final_months
    response = login(org.sekretaris).get(URL, {"tahun": year, "periode": "T4"})
    page = response.content.decode()
    assert f"Data Laporan Kinerja — Triwulan IV {year}" in page
    assert KODE_A in page and "16 dokumen" in page and "12 berkas; 3 laporan" in page
    assert "Belum final (tidak dihitung): <strong>Desember" in page
    assert "Bukti dukung KUL perlu dilengkapi" in page and "Koreksi satuan" in page
    assert "Data kinerja bulan 11 diterima." in page
    action = reverse("rekap:dokumen_minta")
    assert page.count(f'action="{action}"') == 2
    for fmt in ("xlsx", "pdf"):
        assert f'name="fmt" value="{fmt}"' in page
    assert 'name="jenis" value="laporan_kinerja"' in page and 'name="periode" value="T4"' in page
    assert f'name="tahun" value="{year}"' in page
    report = response.context["r"]
    assert by_kode(report.outputs)[KODE_A].kegiatan == 10


def test_the_button_asks_for_the_document(org, login, two_final_months):
    client = login(org.rendatin)
    response = client.post(
        reverse("rekap:dokumen_minta"),
        {"jenis": "laporan_kinerja", "tahun": two_final_months, "periode": "T4", "fmt": "xlsx"},
    )
    dokumen = Dokumen.objects.get(jenis="laporan_kinerja")
    assert response.status_code == 302 and response["Location"] == reverse(
        "kinerja:dokumen", args=[dokumen.pk]
    )
    assert dokumen.status == StatusDokumen.SIAP and dokumen.nama_berkas.endswith("T4.xlsx")


def test_bad_parameters_fall_back_to_the_current_year(org, login):
    response = login(org.rendatin).get(URL, {"tahun": "abc", "periode": "T9"})
    assert response.status_code == 200
    assert (response.context["year"], response.context["periode"]) == (org.kudus.today().year, "TAHUN")
    assert "Belum ada bulan berstatus final" in response.content.decode()


def test_the_page_runs_a_fixed_number_of_queries(org, login):
    year = year_of(org)
    client = login(org.rendatin)
    final(org, 10)
    client.get(URL, {"tahun": year})  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(URL, {"tahun": year})
    final(org, 11)
    entri(
        org,
        org.colleague,
        datetime.date(year, 11, 28),
        org.kode_years[year],
        volume="1",
        satuan="dokumen",
        status=StatusEntri.DISETUJUI,
    )
    with CaptureQueriesContext(connection) as two:
        client.get(URL, {"tahun": year})
    assert len(one.captured_queries) == len(two.captured_queries)


def test_no_compile_without_rendatin(org):
    """The aggregate never compiles anything itself: a month nobody compiled stays missing."""
    year = year_of(org)
    report = aggregate.laporan_kinerja(org.kudus, year, "T4")
    assert report.bulan_final == [] and [b.final for b in report.bulan] == [False] * 3
    assert RekapBulanan.objects.count() == 0


def test_months_are_labelled_as_ranges():
    assert aggregate.months_label([10, 11]) == "Oktober, November"
    assert aggregate.months_label(list(range(1, 13))) == "Januari–Desember"
    assert aggregate.months_label([1, 3, 4, 5, 9]) == "Januari, Maret–Mei, September"
    assert aggregate.months_label([]) == "—"
