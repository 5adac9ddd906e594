"""An ASN on a phone: logs in, adds the day's entry with a photo from the camera (a file upload), sees the day
turn "filled" in Bulan saya, and fixes an entry the Kasubag returned with a note."""

import pytest

from kinerja.models import BuktiDukung, EntriKinerja, JenisBukti, StatusEntri
from verifikasi import services as verifikasi

from .helpers import jpeg, make_entri, nav, october, text_of, work_day

NOTE = "Lampirkan foto berita acara rekonsiliasi."


@pytest.fixture
def returned(demo):
    """Ani's October entry, returned by her Kasubag through the verification service."""
    entri = make_entri(demo, demo.asn, 6, nama_kegiatan="Rekonsiliasi BMN semester I")
    laporan = verifikasi.laporan_for(demo.asn, *october(demo))
    verifikasi.entri_return(laporan=laporan, entri=entri, by=demo.kasubag, note=NOTE)
    return entri


@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)
@pytest.mark.parametrize("javascript", [True, False], indirect=True, ids=["js", "no-js"])
def test_asn_adds_the_days_entry_with_a_photo(page, demo, login, shot, tmp_path):
    day = work_day(demo.kudus)
    login(page, demo.asn)
    shot(page, "beranda")

    nav(page, "Isi kinerja")
    page.get_by_role("heading", name="Tambah entri kinerja").wait_for()
    page.get_by_label("Tanggal kegiatan").fill(day.isoformat())
    page.get_by_label("Kode output/kegiatan").select_option(label=demo.kode.label_pilihan)
    page.get_by_label("Nama kegiatan").fill("Menyusun laporan realisasi anggaran")
    page.get_by_label("Output hasil").fill("Draf laporan realisasi anggaran bulan ini")
    page.get_by_label("Volume").fill("2")
    page.get_by_label("Satuan").fill("dokumen")
    page.get_by_label("Jam mulai").fill("08:00")
    page.get_by_label("Jam selesai").fill("11:30")
    page.get_by_label("Ambil foto").set_input_files(jpeg(tmp_path))
    shot(page, "entri-baru")
    with page.expect_request(lambda r: r.method == "POST" and "/entri/tambah/" in r.url):
        page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/kinerja/bulan/**")

    assert f"Entri {day:%d-%m-%Y} tersimpan." in text_of(page)
    cell = page.locator(f'td[data-date="{day.isoformat()}"]')
    if day.weekday() < 5:
        assert cell.get_attribute("data-state") == "filled"
    assert "1 entri" in (cell.get_by_role("link").get_attribute("aria-label") or "")
    shot(page, "bulan-saya")

    entri = EntriKinerja.objects.get(pegawai=demo.asn, tanggal=day)
    assert entri.nama_kegiatan == "Menyusun laporan realisasi anggaran"
    assert (entri.volume, entri.satuan, entri.status) == (2, "dokumen", StatusEntri.DIAJUKAN)
    assert entri.jam_mulai.strftime("%H:%M") == "08:00"
    foto = BuktiDukung.objects.get(entri=entri)
    assert foto.jenis == JenisBukti.FOTO and foto.nama_asli == "foto-kegiatan.jpg" and foto.thumbnail


@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)
def test_asn_fixes_a_returned_entry(page, demo, returned, login, shot, tmp_path):
    login(page, demo.asn)
    card = page.get_by_role("region", name="1 entri dikembalikan untuk diperbaiki")
    assert NOTE in card.inner_text()
    shot(page, "beranda-dikembalikan")

    card.get_by_role("link", name="Rekonsiliasi BMN semester I").click()
    page.get_by_role("heading", name="Ubah entri kinerja").wait_for()
    assert NOTE in text_of(page)
    page.get_by_label("Output hasil").fill("Berita acara rekonsiliasi BMN semester I, ditandatangani")
    page.get_by_label("Ambil foto").set_input_files(jpeg(tmp_path, "berita-acara.jpg"))
    shot(page, "perbaiki")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url(f"**/kinerja/entri/{returned.pk}/")

    assert "Perubahan entri tersimpan." in text_of(page)
    assert "Menunggu verifikasi" in text_of(page)
    shot(page, "diperbaiki")
    returned.refresh_from_db()
    assert returned.status == StatusEntri.DIAJUKAN
    assert returned.output_hasil == "Berita acara rekonsiliasi BMN semester I, ditandatangani"
    assert list(returned.bukti.values_list("nama_asli", flat=True)) == ["berita-acara.jpg"]

    page.goto("/")
    assert page.get_by_role("region", name="entri dikembalikan").count() == 0
