"""A month compiled before everyone was verified tells the truth on every surface (issue 12 §2).

The month under test is October of last year, compiled with 6 of its 8 people verified and a recorded reason,
then taken through its plenary to FINAL. Every surface that shows its numbers — the board (row and drill), the
month page, the booklet, the presentation, the plenary's results, the compiled softfile and the Laporan Kinerja
(page, PDF and XLSX) — carries the same exception notice (rekap.angka.exception_notice), and labels its figures
by what they count.
"""

import html
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.models import StatusEntri
from rekap import angka
from rekap.models import RekapBulanan
from tests.rekap.test_documents import entri, final, flat, pdf_text, render, working_days, year_of

REASON = "Dedi dan Budi cuti sakit panjang"


def texts(body) -> str:
    if isinstance(body, bytes):
        body = body.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture
def partial(org):
    # Budi's last entry was never decided: once compiled, it is left out, not "pending" any more
    day = working_days(year_of(org), 10)[5]
    entri(
        org,
        org.colleague,
        day,
        org.kode_years[year_of(org)],
        volume="1",
        satuan="dokumen",
        status=StatusEntri.DIAJUKAN,
    )
    final(org, unverified=[org.teknis_staff, org.colleague], reason=REASON)
    rekap = RekapBulanan.objects.get()
    assert (rekap.jumlah_terverifikasi, rekap.jumlah_pegawai) == (6, 8)
    return org, rekap


def test_the_notice_says_who_counts_and_why(partial):
    _, rekap = partial
    assert angka.notice_of(rekap) == (
        "Pengecualian saat dihimpun: 6 dari 8 pegawai terverifikasi; "
        f"data 2 pegawai yang belum terverifikasi tidak dihitung. Alasan: {REASON}"
    )
    assert angka.exception_notice(people=8, verified=8, reason="") == ""


def _pages(org, login) -> dict[str, str]:
    year = year_of(org)
    client = login(org.rendatin)
    get = lambda url: texts(client.get(url).content)  # noqa: E731
    return {
        "board": get(f"{reverse('rekap:papan')}?tahun={year}&bulan=10"),
        "month page": get(reverse("rekap:bulan", args=[year, 10])),
        "presentation": get(reverse("rekap:presentasi", args=[year, 10])),
        "laporan kinerja page": get(f"{reverse('rekap:laporan_kinerja')}?tahun={year}&periode=T4"),
    }


def _documents(org) -> dict[str, str]:
    year = year_of(org)

    def pdf(jenis, **params):
        return flat(pdf_text(render(org, jenis, tahun=year, fmt="pdf", **params).content))

    workbook = load_workbook(
        io.BytesIO(render(org, "laporan_kinerja", tahun=year, periode="T4", fmt="xlsx").content)
    )
    xlsx = " ".join(str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c)
    return {
        "booklet": pdf("bahan_pleno", bulan=10),
        "plenary results": pdf("hasil_pleno", bulan=10),
        "compiled softfile": pdf("rekap_bulanan", bulan=10),
        "laporan kinerja pdf": pdf("laporan_kinerja", periode="T4"),
        "laporan kinerja xlsx": xlsx,
    }


def test_every_surface_of_the_month_carries_its_exception(partial, login):
    org, rekap = partial
    notice = angka.notice_of(rekap)
    surfaces = {**_pages(org, login), **_documents(org)}
    missing = [name for name, text in surfaces.items() if notice not in text]
    assert not missing, f"no exception notice on: {missing}"


def test_the_figures_say_what_they_count(partial, login):
    org, _ = partial
    pages = _pages(org, login)
    board = pages["board"]
    # verification was closed by compiling without two people: not "Tepat waktu · selesai"
    page = login(org.rendatin).get(f"{reverse('rekap:papan')}?tahun={year_of(org)}&bulan=10")
    october = texts(page.content.decode().split('id="bulan-10"')[1].split("</tr>")[0])
    assert "Dihimpun sebelum semua terverifikasi (6 dari 8 pegawai terverifikasi)" in october
    assert "Tepat waktu" not in october and "selesai" not in october
    assert (
        "1 tidak dihimpun" in october
    )  # the unresolved entries of the unverified are not "pending" in FINAL
    assert angka.label("tertunda") in board and "Keputusan tertunda" not in board
    assert angka.label("kelengkapan") in board
    # the Laporan Kinerja counts verified people as such, not "Pegawai 8"
    laporan = pages["laporan kinerja page"]
    assert "6 dari 8 pegawai terverifikasi" in laporan
    assert angka.label("terverifikasi") in laporan and angka.label("kegiatan") in laporan
    for name in ("presentation",):
        assert angka.label("kegiatan") in pages[name] and angka.label("kelengkapan") in pages[name]
    booklet = _documents(org)["booklet"]
    assert "kegiatan terverifikasi" in booklet and "Kelengkapan pengisian (semua pegawai)" in booklet
