"""Rendatin after verification: compiles the month, opens the plenary presentation, records the plenary,
finalises it, and downloads the results as PDF and XLSX (opened here and read back: names and totals)."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.models import Dokumen, TahapPeriode
from kinerja.services import periode_tahap
from rekap import services as rekap_services
from rekap.models import RapatPleno, RekapBulanan

from .helpers import nav, october, october_staff, text_of, verify_october

PLACE = "Ruang Rapat Pleno KPU Kabupaten Kudus"
DECISION = "Laporan bulanan Oktober diterima dengan koreksi."
NOTE = "Foto kegiatan KUL belum lengkap."


@pytest.fixture
def verified(office):
    people = october_staff(office)
    for person in people:
        verify_october(office, person)
    return people


def download(page, row_label: str, fmt: str):
    """Ask for a document by its button in the month's document list, then take the file from its page."""
    row = page.locator("#dokumen li", has_text=row_label)
    row.get_by_role("button", name=fmt).click()
    page.get_by_role("link", name="Unduh").wait_for()
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh").click()
    return info.value


def read(download_) -> bytes:
    with open(download_.path(), "rb") as f:
        return f.read()


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_rendatin_compiles_holds_the_plenary_finalises_and_downloads(page, office, verified, login, shot):
    demo = office
    year, month = october(demo)
    label = f"Oktober {year}"
    login(page, demo.rendatin)

    # The board of last year, then the month.
    nav(page, "Rekap")
    page.get_by_label("Tahun").fill(str(year))
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_role("heading", name=f"Pemantauan laporan bulanan {year}").wait_for()
    shot(page, "papan")
    page.locator("#papan").get_by_role("link", name=label).click()
    page.get_by_role("heading", name=f"Rekap data kinerja — {label}").wait_for()
    assert "Semua pegawai sudah diverifikasi." in text_of(page)
    shot(page, "bulan")

    # Step 4: compile, after a confirmation page with the month's figures.
    page.get_by_role("link", name=f"Himpun {label}").click()
    page.get_by_role("heading", name=f"Himpun data kinerja {label}?").wait_for()
    assert "7 dari 7 pegawai terverifikasi." in text_of(page)
    assert periode_tahap(demo.kudus, year, month) == TahapPeriode.VERIFICATION
    shot(page, "himpun")
    page.get_by_role("button", name="Ya, himpun").click()
    page.get_by_text(f"{label} dihimpun: 7 dari 7 pegawai terverifikasi, 14 kegiatan.").wait_for()
    assert periode_tahap(demo.kudus, year, month) == TahapPeriode.COMPILED
    shot(page, "dihimpun")

    # Step 5: the presentation, slide by slide with the keyboard.
    page.get_by_role("link", name="Presentasi rapat pleno").click()
    cover = page.get_by_role("heading", name="Bahan Rapat Pleno Laporan Bulanan")
    cover.wait_for()
    assert "7 pegawai · 7 terverifikasi · 14 kegiatan" in page.locator("#sampul").inner_text()
    shot(page, "presentasi-sampul")
    page.keyboard.press("ArrowRight")
    page.get_by_role("heading", name=f"Ringkasan {label}").wait_for(state="visible")
    assert not cover.is_visible()
    shot(page, "presentasi-ringkasan")
    # With JS the slide menu hides at the top edge and slides down when the pointer reaches it.
    page.mouse.move(20, 2)
    page.get_by_role("link", name=f"← Kembali ke {label}").click()

    # Record the plenary.
    page.get_by_role("link", name="Catat rapat pleno").click()
    page.get_by_role("heading", name=f"Rapat Pleno Laporan Bulanan — {label}").wait_for()
    page.get_by_label("Mulai").fill("09:00")
    page.get_by_label("Selesai").fill("10:45")
    page.get_by_label("Tempat").fill(PLACE)
    page.get_by_label("Pimpinan rapat").select_option(label=f"{demo.pimpinan.nama} (Pimpinan)")
    for person in (demo.pimpinan, demo.sekretaris, demo.kasubag_rendatin):
        page.get_by_role("checkbox", name=person.nama).check()
    page.get_by_label("Peserta lain").fill("Perwakilan Bawaslu Kudus")
    page.get_by_label("Keputusan rapat").fill(DECISION)
    first = page.locator(".catatan-baris").first
    first.get_by_label("Subbagian").select_option(label=demo.kul.nama)
    first.get_by_label("Catatan", exact=True).fill(NOTE)
    first.get_by_label("Koreksi yang disepakati").fill("Lengkapi foto sebelum tanggal 20.")
    shot(page, "pleno-isi")
    page.get_by_role("button", name="Simpan catatan rapat").click()
    page.get_by_text(f"Rapat pleno {label} dicatat.").wait_for()
    rapat = RapatPleno.objects.get(rekap__tahun=year, rekap__bulan=month)
    assert (rapat.tempat, rapat.keputusan, rapat.pimpinan_rapat) == (PLACE, DECISION, demo.pimpinan)
    assert rapat.catatan_set.get().catatan == NOTE

    # Step 6: finalise.
    page.get_by_role("link", name="Finalisasi hasil rapat…").click()
    page.get_by_role("heading", name=f"Finalisasi hasil rapat pleno {label}?").wait_for()
    shot(page, "finalisasi")
    page.get_by_role("button", name="Ya, finalisasi").click()
    page.get_by_text(f"Hasil rapat pleno {label} difinalisasi").wait_for()
    assert periode_tahap(demo.kudus, year, month) == TahapPeriode.FINAL
    assert Dokumen.objects.filter(satker=demo.kudus, arsip=True).count() == 5
    shot(page, "final")

    # Download the results and read them back.
    results = "Softfile data kinerja ASN hasil rapat pleno"
    pdf = download(page, results, "PDF")
    assert pdf.suggested_filename.endswith(".pdf")
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(read(pdf))).pages).split())
    assert "HASIL RAPAT PLENO LAPORAN BULANAN" in text and f"Bulan {label}" in text
    assert f"Tempat {PLACE}" in text and DECISION in text and NOTE in text
    assert f"Pimpinan rapat {demo.pimpinan.nama}" in text
    assert "Jumlah 7 7 14" in text
    shot(page, "dokumen-pdf")

    page.goto(f"/rekap/{year}/{month}/")
    xlsx = download(page, results, "XLSX")
    assert xlsx.suggested_filename.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(read(xlsx)))
    minutes = [list(r) for r in wb["Hasil Rapat"].iter_rows(values_only=True)]
    assert next(r for r in minutes if r and r[0] == "Tempat")[1] == PLACE
    assert any(demo.sekretaris.nama in r for r in minutes)
    summary = [list(r) for r in wb["Ringkasan"].iter_rows(values_only=True)]
    assert next(r for r in summary if len(r) > 1 and r[1] == "Jumlah")[3:6] == [7, 7, 14]
    notes = [c for r in wb["Catatan"].iter_rows(values_only=True) for c in r]
    assert NOTE in notes and demo.kul.nama in notes

    rekap = RekapBulanan.objects.get(satker=demo.kudus, tahun=year, bulan=month)
    assert (rekap.jumlah_pegawai, rekap.jumlah_terverifikasi, rekap.jumlah_entri) == (7, 7, 14)


@pytest.fixture
def finalised(demo):
    """October compiled, its plenary recorded and finalised through the services (fake documents)."""
    year, month = october(demo)
    for person in october_staff(demo):
        verify_october(demo, person)
    rekap = rekap_services.rekap_compile(satker=demo.kudus, year=year, month=month, by=demo.rendatin)
    rapat = rekap_services.pleno_save(
        rekap=rekap,
        by=demo.rendatin,
        tanggal=datetime.date(year, 11, 12),
        tempat=PLACE,
        pimpinan_rapat=demo.pimpinan,
        peserta=[demo.pimpinan, demo.sekretaris],
        keputusan=DECISION,
    )
    rekap_services.pleno_finalise(rapat=rapat, by=demo.rendatin)
    return year, month


def test_archived_documents_name_their_format_once(page, demo, finalised, login):
    login(page, demo.rendatin)
    page.goto("/rekap/{}/{}/".format(*finalised))
    archived = page.locator("#arsip-bulan").inner_text()
    assert "(PDF)" in archived and not re.search(r"\((PDF|XLSX)\) \((PDF|XLSX)\)", archived)


def test_audit_trail_dates_the_plenary_in_indonesian(page, demo, finalised, login):
    year, month = finalised
    login(page, demo.rendatin)
    page.goto(f"/rekap/{year}/{month}/")
    assert f"Rapat pleno 12 November {year} di {PLACE}" in text_of(page)
