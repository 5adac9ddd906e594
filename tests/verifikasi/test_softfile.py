"""The verified softfile (SOP step 3's output): its text and cells, who may download it, and that downloading
never writes and runs a fixed number of queries."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from PIL import Image, ImageFile
from pypdf import PdfReader

from kinerja.models import (
    AuditLog,
    BuktiDukung,
    Dokumen,
    EntriKinerja,
    JenisPenjabat,
    PenjabatSementara,
    StatusDokumen,
    StatusEntri,
)
from silabu.lib import xlsx
from silabu.lib.dates import satker_time
from silabu.lib.pdf import LocalOnlyFetcher, static_root
from silabu.lib.report import XLSX
from tests.conftest import make_pegawai
from verifikasi.documents import softfile
from verifikasi.models import LaporanBulanan, StatusLaporan

FORMULA = '=HYPERLINK("http://contoh.invalid","klik")'
PLT_TITLE = "Plt. Kepala Subbagian Keuangan, Umum dan Logistik"
KASUBAG_TITLE = "Kepala Subbagian Keuangan, Umum dan Logistik"


def year_of(org) -> int:
    """A past year with output codes: its October is over, whatever today is."""
    return min(org.kode_years)


def working_days(year: int) -> list[datetime.date]:
    first = datetime.date(year, 10, 1)
    days = (first + datetime.timedelta(days=i) for i in range(31))
    return [d for d in days if d.weekday() < 5]


def add_month(org, pegawai, *, days: int = 5, per_day: int = 2, kegiatan: str = "Menyusun laporan") -> list:
    """`per_day` entries on each of the first `days` working days of October, one evidence file each."""
    year = year_of(org)
    statuses = [StatusEntri.DISETUJUI, StatusEntri.DIKEMBALIKAN, StatusEntri.DIAJUKAN]
    entries = []
    for i, day in enumerate(working_days(year)[:days]):
        for j in range(per_day):
            n = i * per_day + j
            entri = EntriKinerja.objects.create(
                satker=org.kudus,
                pegawai=pegawai,
                tanggal=day,
                kode_output=org.kode_years[year],
                nama_kegiatan=f"{kegiatan} {n + 1}",
                output_hasil=f"Laporan {n + 1} tersusun",
                volume=Decimal("1.5") if n == 0 else Decimal(2),
                satuan="dokumen",
                status=statuses[n % 3],
                filled_late=(i == 0),
            )
            bukti = BuktiDukung(
                entri=entri,
                nama_asli=f"kuitansi-{n + 1}.pdf",
                content_type="application/pdf",
                ukuran=8,
                sha256="0" * 64,
            )
            bukti.berkas.save("kuitansi.pdf", ContentFile(b"%PDF-1.4"), save=False)
            bukti.save()
            entries.append(entri)
    return entries


def verify(org, pegawai, by, title=KASUBAG_TITLE, acting=""):
    year = year_of(org)
    return LaporanBulanan.objects.create(
        satker=org.kudus,
        pegawai=pegawai,
        tahun=year,
        bulan=10,
        status=StatusLaporan.TERVERIFIKASI,
        verifikator=by,
        verifikator_jabatan=title,
        verifikator_acting=acting,
        diverifikasi_pada=datetime.datetime(year, 11, 3, 3, 5, tzinfo=datetime.UTC),  # 10:05 WIB
    )


@pytest.fixture
def month(org):
    """Ani's October: 10 entries on 5 days, one whose activity looks like a formula; verified by her Kasubag.
    Budi (colleague) logged 4 entries and nobody verified his month yet."""
    entries = add_month(org, org.asn)
    entries[1].nama_kegiatan = FORMULA
    entries[1].save(update_fields=["nama_kegiatan"])
    add_month(org, org.colleague, days=2, kegiatan="Mencatat barang")
    verify(org, org.asn, org.kasubag)
    return entries


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def workbook(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def find_row(ws, first: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no row starting with {first!r}")


def sheet_xml(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]


# --- the person's PDF ---------------------------------------------------------------------------------------


def test_pdf_of_a_verified_month_shows_identity_rows_totals_and_signatures(org, month):
    year = year_of(org)
    org.kudus.telepon = "(0291) 438 100"
    org.kudus.save()
    filename, content_type, content = softfile.softfile_for_pegawai(org.asn, year, 10, "pdf")
    assert filename == f"data-kinerja-terverifikasi-{year}-10-{org.asn.nip}.pdf"
    assert content_type == "application/pdf"
    text = pdf_text(content)
    assert text.startswith("KOMISI PEMILIHAN UMUM KABUPATEN KUDUS Jl. Ganesha")  # the office named once
    assert "KPU KABUPATEN KUDUS" not in text
    assert "Jl. Ganesha No. 4, Purwosari, Kudus · Telp. (0291) 438 100" in text  # the city once
    assert f"KPU Kabupaten Kudus · Data Kinerja ASN Hasil Verifikasi · Oktober {year}" in text  # page footer
    assert "Halaman 1 dari" in text
    assert "DATA KINERJA ASN HASIL VERIFIKASI" in text
    assert f"Bulan: Oktober {year}" in text
    assert re.search(r"Dibuat: \d{1,2} \w+ \d{4} \d\d:\d\d WIB", text)
    assert "Ani Lestari, S.E." in text
    assert org.asn.nip_display in text
    assert "Penata Kelola Keuangan" in text
    assert "Subbagian Keuangan, Umum dan Logistik" in text
    assert f"Terverifikasi pada 3 November {year} 10:05 WIB oleh Citra Dewi, S.H." in text
    assert "BELUM DIVERIFIKASI" not in text
    # The rows: Indonesian dates, code, evidence names, decisions, volume with a decimal comma.
    first_day = working_days(year)[0]
    assert f"{first_day.day} Oktober {year}" in text
    assert "3359.EBA.994.002" in text
    assert "kuitansi-1.pdf" in text
    assert "Disetujui" in text and "Dikembalikan" in text and "Menunggu verifikasi" in text
    assert "1,5" in text
    # Shown literally, as typed (pypdf adds a space where the cell wraps the text).
    assert FORMULA in text.replace("// ", "//")
    # Totals: 10 entries on 5 of the month's working days, the first of them filled late.
    expected = len(working_days(year))
    completeness = str(round(100 * 5 / expected, 1)).replace(".", ",")
    assert f"Hari kerja diharapkan: {expected}" in text
    assert "Hari terisi: 5" in text
    assert "Terlambat: 1" in text
    assert f"Kelengkapan: {completeness}%" in text
    assert "Jumlah entri: 10" in text
    assert "Disetujui: 4" in text and "Dikembalikan: 3" in text and "Menunggu verifikasi: 3" in text
    # Signature blocks: the ASN and the verifier, with names and NIPs.
    assert "Pegawai yang melaporkan," in text
    assert "Diverifikasi oleh," in text
    assert KASUBAG_TITLE in text
    assert org.kasubag.nip_display in text
    assert f"Kudus, 3 November {year}" in text


def test_pdf_of_a_month_verified_by_a_plt_signs_as_plt(org, month):
    year = year_of(org)
    LaporanBulanan.objects.filter(pegawai=org.asn).delete()
    plt = org.rendatin
    PenjabatSementara.objects.create(
        satker=org.kudus,
        subbagian=org.kul,
        pegawai=plt,
        jenis=JenisPenjabat.PLT,
        mulai=datetime.date(year, 10, 1),
        selesai=datetime.date(year, 11, 30),
    )
    verify(org, org.asn, plt, title=PLT_TITLE, acting="Plt")
    text = pdf_text(softfile.softfile_for_pegawai(org.asn, year, 10, "pdf")[2])
    assert PLT_TITLE in text
    assert f"oleh {plt.nama}" in text
    assert plt.nip_display in text


@pytest.mark.parametrize("laporan_status", [None, StatusLaporan.BELUM])
def test_pdf_of_an_unverified_month_is_marked_as_draft(org, month, laporan_status):
    year = year_of(org)
    if laporan_status is not None:
        LaporanBulanan.objects.create(
            satker=org.kudus, pegawai=org.colleague, tahun=year, bulan=10, status=laporan_status
        )
    filename, _, content = softfile.softfile_for_pegawai(org.colleague, year, 10, "pdf")
    assert filename == f"data-kinerja-draf-{year}-10-{org.colleague.nip}.pdf"
    text = pdf_text(content)
    assert "BELUM DIVERIFIKASI — DRAF" in text
    assert "Terverifikasi pada" not in text
    assert "Mencatat barang 1" in text
    # The draft names who is to verify it: the Kasubag today.
    assert org.kasubag.nama in text


def test_generation_time_is_in_the_satkers_zone(org, month, monkeypatch):
    moment = datetime.datetime(2026, 11, 22, 7, 5, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    data = softfile.softfile_data(satker=org.kudus, people=[org.asn], year=year_of(org), month=10)
    assert data.generated_label == "22 November 2026 14:05 WIB"
    assert satker_time(org.bontang, moment) == "22 November 2026 15:05 WITA"


# --- the subbagian's PDF ------------------------------------------------------------------------------------


def test_subbagian_pdf_has_summary_of_everyone_and_one_verifier_and_the_sekretaris(org, month):
    year = year_of(org)
    filename, _, content = softfile.softfile_for_subbagian(org.kul, year, 10, "pdf")
    # Budi's and the Kasubag's months are not verified yet: the file is a draft.
    assert filename == f"data-kinerja-draf-{year}-10-KUL.pdf"
    text = pdf_text(content)
    assert "Subbagian Keuangan, Umum dan Logistik" in text
    assert "BELUM DIVERIFIKASI — DRAF (1 dari 3 pegawai terverifikasi)" in text
    assert "Ringkasan" in text
    for person in (org.asn, org.colleague, org.kasubag):
        assert person.nama in text
        assert person.nip_display in text
    assert "Mencatat barang 4" in text
    assert "Jumlah" in text
    assert "Mengetahui," in text
    assert org.sekretaris.nama in text and org.sekretaris.nip_display in text
    assert KASUBAG_TITLE in text
    assert org.teknis_staff.nama not in text


def test_subbagian_verifier_is_the_plt_who_verified_most(org, month):
    year = year_of(org)
    extra = make_pegawai(org.kudus, org.kul, nama="Lina Marlina")
    add_month(org, extra, days=1)
    plt = org.rendatin
    verify(org, org.colleague, plt, title=PLT_TITLE, acting="Plt")
    verify(org, extra, plt, title=PLT_TITLE, acting="Plt")
    data = softfile.softfile_data(
        satker=org.kudus,
        people=softfile.subbagian_people(org.kul, year, 10),
        year=year,
        month=10,
        subbagian=org.kul,
    )
    sekretaris, verifier = data.signatures
    assert (verifier.title, verifier.nama, verifier.nip) == (PLT_TITLE, plt.nama, plt.nip_display)
    assert (sekretaris.role, sekretaris.title, sekretaris.nama) == (
        "Mengetahui,",
        "Sekretaris",
        org.sekretaris.nama,
    )
    assert PLT_TITLE in pdf_text(data.render_pdf())


# --- XLSX ---------------------------------------------------------------------------------------------------


def test_xlsx_of_a_person_has_header_rows_and_summary(org, month):
    year = year_of(org)
    filename, content_type, content = softfile.softfile_for_pegawai(org.asn, year, 10, "xlsx")
    assert filename == f"data-kinerja-terverifikasi-{year}-10-{org.asn.nip}.xlsx"
    assert content_type == XLSX
    wb = workbook(content)
    assert wb.sheetnames == ["Data Kinerja", "Ringkasan"]
    ws = wb["Data Kinerja"]
    assert ws["A1"].value == "KOMISI PEMILIHAN UMUM"
    assert ws["A1"].font.b
    # The letterhead says the office once: its two kop lines, then the address (no "KPU KABUPATEN KUDUS" row).
    assert [ws.cell(r, 1).value for r in (1, 2)] == ["KOMISI PEMILIHAN UMUM", "KABUPATEN KUDUS"]
    assert str(ws.cell(3, 1).value).startswith("Jl. Ganesha")
    column_a = [c.value for c in ws["A"]]
    assert "DATA KINERJA ASN HASIL VERIFIKASI" in column_a
    assert f"Bulan: Oktober {year}" in column_a
    assert any(str(v).startswith("Dibuat: ") and str(v).endswith(" WIB") for v in column_a)
    assert f"Status: Terverifikasi pada 3 November {year} 10:05 WIB oleh Citra Dewi, S.H." in column_a

    header = find_row(ws, "No")
    assert [c.value for c in ws[header]][:12] == softfile.ROW_HEADER
    assert all(c.font.b for c in ws[header][:12])
    first = [c.value for c in ws[header + 1]][:12]
    assert first[0] == 1
    assert first[1:3] == ["Ani Lestari, S.E.", org.asn.nip_display]
    assert first[3] == datetime.datetime.combine(working_days(year)[0], datetime.time())
    assert ws.cell(header + 1, 4).number_format == "dd/mm/yyyy"
    assert first[4:] == [
        "3359.EBA.994.002",
        "Menyusun laporan 1",
        "Laporan 1 tersusun",
        1.5,
        "dokumen",
        1,
        "kuitansi-1.pdf",
        "Disetujui",
    ]
    assert ws.cell(header + 10, 1).value == 10
    assert ws.cell(header + 11, 1).value is None

    # The formula-looking activity is a string cell holding exactly what was typed.
    cell = ws.cell(header + 2, 6)
    assert cell.value == FORMULA
    assert cell.data_type == "s"
    assert all("<f>" not in xml and "<f " not in xml for xml in sheet_xml(content))

    # Signatures below the rows.
    values = [c.value for row in ws.iter_rows(min_row=header + 11) for c in row if c.value]
    assert "Pegawai yang melaporkan," in values and "Diverifikasi oleh," in values
    assert f"NIP. {org.kasubag.nip_display}" in values and KASUBAG_TITLE in values

    summary = wb["Ringkasan"]
    top = find_row(summary, "No")
    assert [c.value for c in summary[top]] == softfile.SUMMARY_HEADER
    row = [c.value for c in summary[top + 1]]
    expected = len(working_days(year))
    assert row[1:14] == [
        "Ani Lestari, S.E.",
        org.asn.nip_display,
        "Penata Kelola Keuangan",
        "Subbagian Keuangan, Umum dan Logistik",
        expected,
        5,
        1,
        round(100 * 5 / expected, 1),
        10,
        4,
        3,
        3,
        "Terverifikasi",
    ]
    assert row[15] == "Citra Dewi, S.H."


def test_xlsx_of_a_subbagian_totals_everyone(org, month):
    year = year_of(org)
    filename, _, content = softfile.softfile_for_subbagian(org.kul, year, 10, "xlsx")
    assert filename == f"data-kinerja-draf-{year}-10-KUL.xlsx"
    wb = workbook(content)
    ws = wb["Data Kinerja"]
    header = find_row(ws, "No")
    names = {ws.cell(r, 2).value for r in range(header + 1, header + 15)}
    assert names == {"Ani Lestari, S.E.", "Budi Santoso"}  # the Kasubag logged nothing
    summary = wb["Ringkasan"]
    top = find_row(summary, "No")
    rows = [[c.value for c in r] for r in summary.iter_rows(min_row=top + 1, max_row=top + 4)]
    assert [r[1] for r in rows] == ["Ani Lestari, S.E.", "Budi Santoso", "Citra Dewi, S.H.", "Jumlah"]
    assert rows[1][13] == "BELUM DIVERIFIKASI — DRAF"
    total = rows[3]
    assert total[9:13] == [14, 6, 4, 4]  # entries, approved, returned, pending
    assert total[6] == 5 + 2


@pytest.mark.parametrize(
    "text",
    ["=1+2", "+62 812", "-5", "@SUM(A1)", "  =1+2", "\t=1+2", "\r=1+2", "\n=1+2", "\tteks", "\rteks"],
)
def test_risky_text_is_written_as_text(text):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("t")
    ws.append([xlsx.safe_cell(ws, text), xlsx.safe_cell(ws, "biasa"), xlsx.safe_cell(ws, 3)])
    buffer = io.BytesIO()
    wb.save(buffer)
    assert xlsx.is_risky(text)
    cell = load_workbook(io.BytesIO(buffer.getvalue()))["t"]["A1"]
    assert cell.data_type == "s"
    assert cell.value == text.replace("\r", "\n")  # XML itself reads a carriage return as a line feed
    assert cell.quotePrefix
    assert "<f>" not in sheet_xml(buffer.getvalue())[0]


@pytest.mark.parametrize("text", ["biasa", "1+1", "a=b", "e-mail", ""])
def test_plain_text_passes_unchanged(text):
    assert not xlsx.is_risky(text)
    assert xlsx.safe_cell(None, text) == text


def test_control_characters_that_xml_cannot_carry_are_dropped():
    assert xlsx.safe_cell(None, "laporan\x00\x0b akhir") == "laporan akhir"


# --- the PDF fetcher ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://contoh.invalid/logo.png",
        "https://contoh.invalid/a.css",
        "ftp://contoh.invalid/a",
        "file:///etc/passwd",
        f"file://{static_root()}/../pyproject.toml",
    ],
)
def test_pdf_fetcher_refuses_network_and_files_outside_static(url):
    with pytest.raises(ValueError):
        LocalOnlyFetcher(static_root()).fetch(url)


def test_pdf_fetcher_serves_static_files_and_data_uris():
    fetcher = LocalOnlyFetcher(static_root())
    css = next(static_root().glob("css/*.css"))
    assert fetcher.fetch(css.as_uri()).read() == css.read_bytes()
    assert fetcher.fetch("data:text/plain;base64,aGFsbw==").read() == b"halo"


def test_rendering_leaves_pillows_truncated_image_flag_alone(org, month):
    """WeasyPrint turns ImageFile.LOAD_TRUNCATED_IMAGES on when imported; evidence checks need it off."""
    softfile.softfile_for_pegawai(org.asn, year_of(org), 10, "pdf")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_satker_text_cannot_break_out_of_the_page_footer(org, month):
    org.kudus.nama = 'KPU "Uji" </style><h1>x\\'
    data = softfile.softfile_data(satker=org.kudus, people=[org.asn], year=year_of(org), month=10)
    text = pdf_text(data.render_pdf())
    assert 'KPU "Uji" </style><h1>x\\ · Data Kinerja ASN Hasil Verifikasi' in text


def test_satker_logo_is_embedded_as_a_data_uri(org, month):
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, "PNG")
    png = png.getvalue()
    org.kudus.logo.save("logo.png", ContentFile(png), save=False)
    data = softfile.softfile_data(satker=org.kudus, people=[org.asn], year=year_of(org), month=10)
    content = data.render_pdf()
    assert PdfReader(io.BytesIO(content)).pages[0].images  # the logo is drawn
    org.kudus.logo.delete(save=False)


# --- downloads never write, and cost a fixed number of queries ----------------------------------------------


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


DOCUMENT_TABLES = {"kinerja.Dokumen", "django_tasks_db.DBTaskResult"}


def month_state() -> dict[str, int]:
    """Row counts of everything but the generated documents and their own audit rows (a document's life is
    audited: asked, made, ready)."""
    counts = {label: n for label, n in row_counts().items() if label not in DOCUMENT_TABLES}
    counts["kinerja.AuditLog"] = AuditLog.objects.exclude(content_type__model="dokumen").count()
    return counts


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
@pytest.mark.parametrize("kind", ["pegawai", "subbagian"])
def test_downloading_never_writes(org, month, login, fmt, kind):
    year = year_of(org)
    client = login(org.kasubag)
    if kind == "pegawai":
        url = reverse("verifikasi:softfile_pegawai", args=[org.colleague.pk, year, 10, fmt])
    else:
        url = reverse("verifikasi:softfile_subbagian", args=[org.kul.pk, year, 10, fmt])
    before = month_state()
    # Asking for the file stores a generated document, and changes nothing of the month.
    response = client.post(url)
    dokumen = Dokumen.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "kinerja:dokumen", args=[dokumen.pk]
    )
    assert dokumen.status == StatusDokumen.SIAP
    assert month_state() == before
    # Downloading it writes nothing at all.
    before = row_counts()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        content = b"".join(response.streaming_content)
    assert response.status_code == 200 and content
    writes = [
        q["sql"] for q in ctx.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
    ]
    assert writes == []
    assert row_counts() == before
    assert LaporanBulanan.objects.filter(pegawai=org.colleague).count() == 0


def test_softfile_is_made_once_and_again_when_the_data_changes(org, month, login):
    year = year_of(org)
    client = login(org.kasubag)
    url = reverse("verifikasi:softfile_pegawai", args=[org.colleague.pk, year, 10, "xlsx"])
    page = client.get(url)
    assert page.status_code == 200 and "Buat softfile XLSX" in page.content.decode()
    client.post(url)
    client.post(url)
    assert Dokumen.objects.count() == 1
    entri = EntriKinerja.objects.filter(pegawai=org.colleague).first()
    entri.nama_kegiatan = "Kegiatan yang diperbaiki"
    entri.save()
    client.post(url)
    assert Dokumen.objects.count() == 2
    newest = Dokumen.objects.order_by("-pk").first()
    workbook = load_workbook(newest.berkas.open("rb"))
    cells = [c for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "Kegiatan yang diperbaiki" in cells


def queries_for(org, year) -> int:
    people = softfile.subbagian_people(org.kul, year, 10)
    with CaptureQueriesContext(connection) as ctx:
        data = softfile.softfile_data(satker=org.kudus, people=people, year=year, month=10, subbagian=org.kul)
    assert len(data.sections) == len(people)
    return len(ctx.captured_queries)


def test_softfile_queries_do_not_grow_with_people_or_entries(org, month):
    year = year_of(org)
    few = queries_for(org, year)  # Ani, Budi and the Kasubag
    for i in range(4):
        person = make_pegawai(org.kudus, org.kul, nama=f"Staf Tambahan {i}")
        add_month(org, person, days=8, per_day=3)
        verify(org, person, org.kasubag)
    many = queries_for(org, year)  # seven people, many more entries and evidence rows
    assert few == many
    assert few <= 12


# --- the views: who may download, and the response ----------------------------------------------------------


PEGAWAI_MATRIX = [
    ("asn", 200),
    ("kasubag", 200),
    ("sekretaris", 200),
    ("rendatin", 200),
    ("kasubag_rendatin", 200),
    ("colleague", 404),
    ("other_kasubag", 404),
    ("teknis_staff", 404),
    ("pimpinan", 404),
    ("admin", 404),
    ("outsider", 404),
]
SUBBAGIAN_MATRIX = [
    ("kasubag", 200),
    ("sekretaris", 200),
    ("rendatin", 200),
    ("kasubag_rendatin", 200),
    ("asn", 404),
    ("colleague", 404),
    ("other_kasubag", 404),
    ("teknis_staff", 404),
    ("pimpinan", 404),
    ("admin", 404),
    ("outsider", 404),
]


@pytest.mark.parametrize(("who", "status"), PEGAWAI_MATRIX)
def test_who_may_download_a_persons_softfile(org, month, login, who, status):
    url = reverse("verifikasi:softfile_pegawai", args=[org.asn.pk, year_of(org), 10, "xlsx"])
    assert login(getattr(org, who)).get(url).status_code == status


@pytest.mark.parametrize(("who", "status"), SUBBAGIAN_MATRIX)
def test_who_may_download_a_subbagians_softfile(org, month, login, who, status):
    url = reverse("verifikasi:softfile_subbagian", args=[org.kul.pk, year_of(org), 10, "xlsx"])
    assert login(getattr(org, who)).get(url).status_code == status


def test_acting_head_may_download_the_subbagians_files_while_acting(org, month, login):
    today = org.kudus.today()
    PenjabatSementara.objects.create(
        satker=org.kudus,
        subbagian=org.kul,
        pegawai=org.teknis_staff,
        jenis=JenisPenjabat.PLH,
        mulai=today,
        selesai=today,
    )
    client = login(org.teknis_staff)
    year = year_of(org)
    assert (
        client.get(reverse("verifikasi:softfile_subbagian", args=[org.kul.pk, year, 10, "xlsx"])).status_code
        == 200
    )
    assert (
        client.get(reverse("verifikasi:softfile_pegawai", args=[org.asn.pk, year, 10, "xlsx"])).status_code
        == 200
    )
    # Not the Kasubag's own file: the Kasubag is verified by the Sekretaris.
    assert (
        client.get(
            reverse("verifikasi:softfile_pegawai", args=[org.kasubag.pk, year, 10, "xlsx"])
        ).status_code
        == 404
    )


def test_a_former_plt_may_download_the_month_they_verified(org, month, login):
    year = year_of(org)
    verify(org, org.colleague, org.teknis_staff, title=PLT_TITLE, acting="Plt")
    client = login(org.teknis_staff)
    assert (
        client.get(
            reverse("verifikasi:softfile_pegawai", args=[org.colleague.pk, year, 10, "xlsx"])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("verifikasi:softfile_subbagian", args=[org.kul.pk, year, 10, "xlsx"])).status_code
        == 200
    )
    assert (
        client.get(reverse("verifikasi:softfile_pegawai", args=[org.asn.pk, year, 10, "xlsx"])).status_code
        == 404
    )


def test_anonymous_is_sent_to_login(org, client):
    for url in (
        reverse("verifikasi:softfile_pegawai", args=[org.asn.pk, year_of(org), 10, "pdf"]),
        reverse("verifikasi:softfile_subbagian", args=[org.kul.pk, year_of(org), 10, "pdf"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("fmt", ["csv", "PDF", "xls", "html"])
def test_unknown_format_is_404(org, login, fmt):
    client = login(org.sekretaris)
    year = year_of(org)
    assert (
        client.get(reverse("verifikasi:softfile_pegawai", args=[org.asn.pk, year, 10, fmt])).status_code
        == 404
    )
    assert (
        client.get(reverse("verifikasi:softfile_subbagian", args=[org.kul.pk, year, 10, fmt])).status_code
        == 404
    )


def test_bad_month_pimpinan_and_other_satker_are_404(org, login):
    client = login(org.sekretaris)
    year = year_of(org)
    assert (
        client.get(reverse("verifikasi:softfile_pegawai", args=[org.asn.pk, year, 13, "pdf"])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("verifikasi:softfile_pegawai", args=[org.pimpinan.pk, year, 10, "pdf"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("verifikasi:softfile_pegawai", args=[org.outsider.pk, year, 10, "pdf"])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("verifikasi:softfile_subbagian", args=[999999, year, 10, "pdf"])).status_code
        == 404
    )


def test_download_response_is_a_private_attachment(org, month, login):
    year = year_of(org)
    client = login(org.asn)
    url = reverse("verifikasi:softfile_pegawai", args=[org.asn.pk, year, 10, "pdf"])
    client.post(url)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="data-kinerja-terverifikasi-{year}-10-{org.asn.nip}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    assert "Ani Lestari, S.E." in pdf_text(content)
