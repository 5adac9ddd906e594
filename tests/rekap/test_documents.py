"""The documents of SOP steps 4–6 (compiled softfile, plenary booklet, plenary results, Laporan Kinerja data):
their text and cells match the entries, they come from the frozen snapshot, and the charts draw the right bars.

Months are past months of last year (October, November): their verification window is long open, so they are
under VERIFICATION whatever day the tests run, and Rendatin can compile them.
The builders here are shared with tests/rekap/test_aggregate.py and test_presentasi.py.
"""

import datetime
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja import document_store as docs
from kinerja.errors import DomainError
from kinerja.models import Dokumen, EntriKinerja, KodeOutput, LevelKode, StatusDokumen, StatusEntri
from rekap import charts, services
from rekap.documents import compiled as compiled_softfile
from rekap.documents import month as month_document
from rekap.models import RekapBulanan
from silabu.lib.formatting import format_percent
from silabu.lib.xlsx import sheet_titles
from verifikasi.models import LaporanBulanan, StatusLaporan

D = datetime.date
KODE_A = "3359.EBA.994.002"
KODE_B = "3359.EBA.962.001"
FORMULA = '=HYPERLINK("http://contoh.invalid","klik")'


# --- builders -----------------------------------------------------------------------------------------------


def year_of(org) -> int:
    """Last year: its October and November are over and under verification whatever today is."""
    return min(org.kode_years)


def working_days(year: int, month: int) -> list[datetime.date]:
    first = D(year, month, 1)
    days = (first + datetime.timedelta(days=i) for i in range(31))
    return [d for d in days if d.month == month and d.weekday() < 5]


def kode_b(org) -> KodeOutput:
    year = year_of(org)
    return KodeOutput.objects.get_or_create(
        satker=org.kudus,
        tahun=year,
        kode=KODE_B,
        defaults={"uraian": "Layanan data dan informasi", "level": LevelKode.KOMPONEN},
    )[0]


def entri(org, pegawai, day, kode, *, volume, satuan, status=StatusEntri.DISETUJUI, **extra) -> EntriKinerja:
    values = {
        "satker": org.kudus,
        "pegawai": pegawai,
        "tanggal": day,
        "kode_output": kode,
        "nama_kegiatan": f"Kegiatan {pegawai.nama.split()[0]} {day.day}",
        "output_hasil": f"Hasil {day.isoformat()}",
        "volume": Decimal(volume),
        "satuan": satuan,
        "status": status,
    }
    values.update(extra)
    return EntriKinerja.objects.create(**values)


def fill_month(org, month: int = 10) -> None:
    """The month's entries, all approved:

    - Ani (KUL): 3 × code A, 2 dokumen each; 1 × code B, 1,5 laporan
    - Budi (KUL): 2 × code A, 1 dokumen each
    - Dedi (TEKNIS): 2 × code B, 3 berkas each
    Code A: 5 kegiatan, 2 people, 8 dokumen. Code B: 3 kegiatan, 2 people, 1,5 laporan + 6 berkas. 8 in all.
    """
    year = year_of(org)
    days = working_days(year, month)
    a, b = org.kode_years[year], kode_b(org)
    for day in days[:3]:
        entri(org, org.asn, day, a, volume="2", satuan="dokumen")
    entri(org, org.asn, days[3], b, volume="1.5", satuan="laporan")
    for day in days[:2]:
        entri(org, org.colleague, day, a, volume="1", satuan="dokumen")
    for day in days[:2]:
        entri(org, org.teknis_staff, day, b, volume="3", satuan="berkas")


def verify_all(org, month: int = 10, *, except_=()) -> None:
    """Every person's month verified by their Kasubag, as the verification step would leave it."""
    from rekap.snapshot import people_to_verify

    year = year_of(org)
    skip = {p.pk for p in except_}
    LaporanBulanan.objects.bulk_create(
        [
            LaporanBulanan(
                satker=org.kudus,
                pegawai=p,
                tahun=year,
                bulan=month,
                status=StatusLaporan.TERVERIFIKASI,
                verifikator=p.subbagian.kasubag if p.subbagian and p.subbagian.kasubag_id != p.pk else None,
                diverifikasi_pada=timezone.now(),
            )
            for p in people_to_verify(org.kudus)
            if p.pk not in skip
        ]
    )


def compiled(org, month: int = 10, *, unverified=(), reason: str = "") -> RekapBulanan:
    fill_month(org, month)
    verify_all(org, month, except_=unverified)
    return services.rekap_compile(
        satker=org.kudus, year=year_of(org), month=month, by=org.rendatin, reason=reason
    )


def recorded(org, rekap: RekapBulanan, **overrides):
    year = year_of(org)
    values = {
        "rekap": rekap,
        "by": org.rendatin,
        "tanggal": D(year, rekap.bulan, 1) + datetime.timedelta(days=40),
        "tempat": "Ruang Rapat KPU Kabupaten Kudus",
        "mulai": datetime.time(9, 0),
        "selesai": datetime.time(11, 30),
        "pimpinan_rapat": org.pimpinan,
        "peserta": [org.sekretaris, org.kasubag_rendatin, org.kasubag],
        "peserta_lain": "Perwakilan Bawaslu Kudus",
        "keputusan": f"Data kinerja bulan {rekap.bulan} diterima.",
        "catatan_umum": "Rapat berikutnya dimulai tepat waktu.",
        "catatan": [
            services.Catatan("Bukti dukung KUL perlu dilengkapi", koreksi="Tambah foto", subbagian=org.kul),
            services.Catatan("Volume kode A diperiksa ulang", koreksi="Koreksi satuan", kode_output=KODE_A),
            services.Catatan("Umum: format laporan diseragamkan"),
        ],
    }
    values.update(overrides)
    return services.pleno_save(**values)


def final(org, month: int = 10, **kwargs):
    """A month through the whole chain: compiled, plenary recorded and finalised (Periode FINAL)."""
    rekap = compiled(org, month, **kwargs)
    rapat = recorded(org, rekap)
    return services.pleno_finalise(rapat=rapat, by=org.rendatin)


def render(org, jenis: str, **params) -> docs.Rendered:
    return docs.GENERATORS[jenis].render(org.kudus, params, lambda percent: None)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """PDF text with its line breaks as spaces: a table cell may wrap."""
    return " ".join(text.split())


def cells(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def find_row(rows: list[list], first: object, column: int = 0) -> list:
    return next(r for r in rows if len(r) > column and r[column] == first)


# --- the generators and their versions -----------------------------------------------------------------------


def test_the_four_generators_are_registered():
    assert {"rekap_bulanan", "bahan_pleno", "hasil_pleno", "laporan_kinerja"} <= set(docs.GENERATORS)


def test_a_month_without_rekap_has_no_document(org):
    year = year_of(org)
    for jenis in ("rekap_bulanan", "bahan_pleno", "hasil_pleno"):
        with pytest.raises(DomainError, match="belum dihimpun"):
            render(org, jenis, tahun=year, bulan=10, fmt="pdf")


def test_requesting_a_document_of_an_uncompiled_month_records_the_reason(org):
    year = year_of(org)
    dokumen = docs.dokumen_request(
        satker=org.kudus, jenis="rekap_bulanan", params={"tahun": year, "bulan": 10, "fmt": "pdf"}
    )
    assert dokumen.status == StatusDokumen.GAGAL
    assert f"Oktober {year} belum dihimpun" in dokumen.pesan_galat


def test_hasil_pleno_needs_a_recorded_plenary(org):
    rekap = compiled(org)
    with pytest.raises(DomainError, match="belum dicatat"):
        render(org, "hasil_pleno", tahun=rekap.tahun, bulan=10, fmt="pdf")


def test_month_versions_are_constant_once_compiled_and_hasil_follows_the_plenary(org):
    year = year_of(org)
    params = {"tahun": year, "bulan": 10, "fmt": "pdf"}
    before = docs.GENERATORS["rekap_bulanan"].version(org.kudus, params)
    rekap = compiled(org)
    compiled_version = docs.GENERATORS["rekap_bulanan"].version(org.kudus, params)
    assert compiled_version != before
    assert docs.GENERATORS["bahan_pleno"].version(org.kudus, params) == compiled_version
    hasil = docs.GENERATORS["hasil_pleno"].version(org.kudus, params)
    rapat = recorded(org, rekap)
    recorded_version = docs.GENERATORS["hasil_pleno"].version(org.kudus, params)
    assert recorded_version != hasil
    recorded(org, rekap, tempat="Aula")
    corrected = docs.GENERATORS["hasil_pleno"].version(org.kudus, params)
    assert corrected != recorded_version
    services.pleno_finalise(rapat=rapat, by=org.rendatin)
    assert docs.GENERATORS["hasil_pleno"].version(org.kudus, params) != corrected
    # Nothing about the compiled month itself changed along the way.
    assert docs.GENERATORS["rekap_bulanan"].version(org.kudus, params) == compiled_version


def test_laporan_version_follows_the_final_months_only(org):
    year = year_of(org)
    params = {"tahun": year, "periode": "T4", "fmt": "xlsx"}
    empty = docs.GENERATORS["laporan_kinerja"].version(org.kudus, params)
    rekap = compiled(org)
    assert docs.GENERATORS["laporan_kinerja"].version(org.kudus, params) == empty  # compiled, not FINAL
    services.pleno_finalise(rapat=recorded(org, rekap), by=org.rendatin)
    assert docs.GENERATORS["laporan_kinerja"].version(org.kudus, params) != empty


def test_unknown_formats_and_periods_are_refused(org):
    rekap = compiled(org)
    with pytest.raises(ValueError):
        render(org, "bahan_pleno", tahun=rekap.tahun, bulan=10, fmt="xlsx")
    with pytest.raises(ValueError):
        render(org, "rekap_bulanan", tahun=rekap.tahun, bulan=10, fmt="docx")
    with pytest.raises(ValueError):
        render(org, "laporan_kinerja", tahun=rekap.tahun, periode="T5", fmt="pdf")


def test_progress_is_reported_while_rendering(org):
    rekap = compiled(org)
    seen = []
    docs.GENERATORS["rekap_bulanan"].render(
        org.kudus, {"tahun": rekap.tahun, "bulan": 10, "fmt": "xlsx"}, seen.append
    )
    assert seen and all(0 < p < 100 for p in seen)


# --- step 4: the compiled softfile ---------------------------------------------------------------------------


def test_rekap_bulanan_pdf_carries_every_verified_entry_and_the_totals(org):
    rekap = compiled(org)
    year = rekap.tahun
    rendered = render(org, "rekap_bulanan", tahun=year, bulan=10, fmt="pdf")
    assert rendered.filename == f"himpunan-data-kinerja-{year}-10.pdf"
    assert rendered.content_type == "application/pdf"
    text = flat(pdf_text(rendered.content))
    assert "DATA KINERJA ASN HASIL VERIFIKASI" in text and "HIMPUNAN" in text
    assert f"Bulan: Oktober {year}" in text
    assert "KOMISI PEMILIHAN UMUM" in text  # the letterhead
    assert "Lengkap (8 dari 8 pegawai terverifikasi)" in text
    assert "Jumlah 8 8 8" in text  # people, verified, activities
    assert "3359.EBA.994.002 Operasional dan pemeliharaan kantor 5 2 8 dokumen" in text
    assert "3359.EBA.962.001 Layanan data dan informasi 3 2 6 berkas; 1,5 laporan" in text
    assert text.count("Kegiatan Ani ") == 4 and text.count("Kegiatan Budi ") == 2
    assert text.count("Kegiatan Dedi ") == 2
    assert "Ani Lestari, S.E. · NIP " + org.asn.nip_display + " · 4 kegiatan" in text
    assert "1,5 laporan" in text and "3 berkas" in text
    for person in (org.sekretaris, org.kasubag_rendatin):
        assert person.nama in text and f"NIP. {person.nip_display}" in text
    assert "Mengetahui," in text and "Dihimpun oleh," in text
    assert "WIB" in text  # the generation time in the satker's zone


def test_rekap_parts_cut_long_sections_between_people_and_keep_the_order(org):
    rekap = compiled(org)
    doc = month_document.month_doc(org.kudus, rekap, entries=True)
    # size = people + outputs of a section's opening, + each person's rows and heading row:
    # KUL 3 + 2, Ani 4 + 1, Budi 2 + 1; TEKNIS 2 + 1, Dedi 2 + 1; RENDATIN 2 + 0; HUKUM 1 + 0
    parts = compiled_softfile.rekap_parts(doc, rows_per_part=8)
    shape = [
        [(b.section.singkatan, [g.nama.split()[0] for g in b.groups], b.lanjutan) for b in part.bagian]
        for part in parts
    ]
    assert [p.awal for p in parts] == [True] + [False] * (len(parts) - 1)
    assert shape == [
        [("KUL", ["Ani"], False)],  # 10 rows: a person's rows are never split, even past the size
        [("KUL", ["Budi"], True)],  # KUL continues; TEKNIS (6) would take this part to 9
        [("TEKNIS", ["Dedi"], False), ("RENDATIN", [], False)],
        [("HUKUM", [], False)],
    ]
    assert [len(p.bagian) for p in compiled_softfile.rekap_parts(doc)] == [4]  # the default: one part
    people = [g.nama for part in parts for b in part.bagian for g in b.groups]
    assert people == [g.nama for s in doc.sections for g in s.groups]  # nobody twice, nobody lost
    assert [b.section.singkatan for part in parts for b in part.bagian if not b.lanjutan] == [
        s.singkatan for s in doc.sections
    ]


def test_rekap_bulanan_pdf_in_parts_numbers_pages_on_and_keeps_every_row(org, monkeypatch):
    rekap = compiled(org)
    one_part = pdf_text(render(org, "rekap_bulanan", tahun=rekap.tahun, bulan=10, fmt="pdf").content)
    monkeypatch.setattr(compiled_softfile, "ROWS_PER_PART", 8)
    content = render(org, "rekap_bulanan", tahun=rekap.tahun, bulan=10, fmt="pdf").content
    reader = PdfReader(io.BytesIO(content))
    pages = [flat(page.extract_text()) for page in reader.pages]
    assert [f"Halaman {n}" in text for n, text in enumerate(pages, 1)] == [True] * len(pages)
    assert not any(" dari " in text.split("Halaman")[-1] for text in pages)
    text = flat("\n".join(pages))
    assert "Subbagian Keuangan, Umum dan Logistik (lanjutan)" in text
    assert text.count("KOMISI PEMILIHAN UMUM") == 1  # the letterhead opens the document only
    assert text.count("Kegiatan Ani ") == 4 and text.count("Kegiatan Budi ") == 2
    assert text.count("Kegiatan Dedi ") == 2
    assert reader.metadata.title.startswith("DATA KINERJA ASN HASIL VERIFIKASI")
    assert "Halaman 1 dari" not in flat(one_part)  # the compiled softfile always numbers without a total


def test_rekap_bulanan_lists_the_unverified_with_the_recorded_reason(org):
    rekap = compiled(org, unverified=[org.teknis_staff], reason="Dedi cuti sakit panjang")
    text = flat(pdf_text(render(org, "rekap_bulanan", tahun=rekap.tahun, bulan=10, fmt="pdf").content))
    assert "Belum lengkap (7 dari 8 pegawai terverifikasi)" in text
    assert "BELUM LENGKAP" in text
    assert "Alasan dihimpun sebelum semua terverifikasi: Dedi cuti sakit panjang" in text
    assert f"1 Dedi Kurniawan {org.teknis_staff.nip_display}" in text
    assert "Kegiatan Dedi" not in text  # their entries are left out of the totals and rows
    assert "Jumlah 8 7 6" in text


def test_rekap_bulanan_xlsx_has_a_summary_and_a_sheet_per_subbagian(org):
    rekap = compiled(org)
    rendered = render(org, "rekap_bulanan", tahun=rekap.tahun, bulan=10, fmt="xlsx")
    assert rendered.filename.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(rendered.content))
    assert wb.sheetnames == ["Ringkasan", "KUL", "TEKNIS", "RENDATIN", "HUKUM"]
    rows = cells(wb["Ringkasan"])
    assert find_row(rows, "Subbagian Keuangan, Umum dan Logistik", 1)[2:6] == ["Citra Dewi, S.H.", 3, 3, 6]
    assert find_row(rows, "Jumlah", 1)[3:6] == [8, 8, 8]
    assert find_row(rows, KODE_A, 1)[1:6] == [
        KODE_A,
        "Operasional dan pemeliharaan kantor",
        5,
        2,
        "8 dokumen",
    ]
    assert find_row(rows, KODE_B, 1)[3:6] == [3, 2, "6 berkas; 1,5 laporan"]
    ani = find_row(rows, org.asn.nama, 1)
    assert ani[2] == org.asn.nip_display and ani[4] == org.kul.nama and ani[9] == 4
    flat_cells = {v for r in rows for v in r if v is not None}
    assert {org.sekretaris.nama, org.kasubag_rendatin.nama} <= flat_cells
    assert f"NIP. {org.kasubag_rendatin.nip_display}" in flat_cells

    kul = cells(wb["KUL"])
    header = kul.index(
        [
            "No",
            "Tanggal",
            "Nama",
            "NIP",
            "Kode output",
            "Nama kegiatan",
            "Output/hasil",
            "Volume",
            "Satuan",
            "Jumlah bukti",
        ]
    )
    entries = [r for r in kul[header + 1 :] if isinstance(r[0], int)]
    assert len(entries) == 6
    first = entries[0]
    day = working_days(rekap.tahun, 10)[0]
    assert first[1].date() == day and first[2] == org.asn.nama and first[4] == KODE_A
    assert first[7] == 2 and first[8] == "dokumen"
    assert sum(Decimal(str(r[7])) for r in entries if r[8] == "dokumen") == 8
    assert ["Kegiatan Ani 1" in (r[5] or "") for r in entries].count(True) >= 1
    teknis = cells(wb["TEKNIS"])
    assert len([r for r in teknis if r and r[2] == org.teknis_staff.nama]) == 2


def test_spreadsheet_text_cannot_become_a_formula(org):
    year = year_of(org)
    entri(
        org,
        org.asn,
        working_days(year, 10)[5],
        org.kode_years[year],
        volume="1",
        satuan="dokumen",
        nama_kegiatan=FORMULA,
    )
    rekap = compiled(org)
    content = render(org, "rekap_bulanan", tahun=rekap.tahun, bulan=10, fmt="xlsx").content
    ws = load_workbook(io.BytesIO(content))["KUL"]
    [cell] = [c for row in ws.iter_rows() for c in row if c.value == FORMULA]
    assert cell.data_type == "s"
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert all(b"<f>" not in z.read(name) for name in z.namelist() if name.startswith("xl/worksheets/"))


def test_sheet_titles_are_short_unique_and_legal():
    titles = sheet_titles(
        ["Ringkasan", "A/B:C*D?", "x" * 40, "x" * 40, "KUL", "kul"], reserved=("Ringkasan",)
    )
    assert all(len(t) <= 31 for t in titles)
    assert len({t.casefold() for t in titles} | {"ringkasan"}) == len(titles) + 1
    assert titles[1] == "A B C D" and titles[4] == "KUL" and titles[5] == "kul (2)"
    assert titles[3].endswith("(2)")


# --- step 5: the booklet and its charts ----------------------------------------------------------------------


def test_bahan_pleno_has_a_cover_summaries_charts_and_a_section_per_subbagian(org):
    rekap = compiled(org)
    year = rekap.tahun
    rendered = render(org, "bahan_pleno", tahun=year, bulan=10, fmt="pdf")
    reader = PdfReader(io.BytesIO(rendered.content))
    cover = flat(reader.pages[0].extract_text())
    assert "KOMISI PEMILIHAN UMUM" in cover and "Bahan Rapat Pleno Laporan Bulanan" in cover
    assert f"Bulan Oktober {year}" in cover and "8 pegawai · 8 terverifikasi · 8 kegiatan" in cover
    text = flat(pdf_text(rendered.content))
    assert "Jumlah 8 8 8" in text
    assert "Kelengkapan pengisian per subbagian" in text and "Jumlah kegiatan per kode output" in text
    for sub in (org.kul, org.teknis, org.rendatin_sub, org.hukum):
        assert text.count(sub.nama) >= 2  # in the summary, and its own section
    people = {p["nama"]: p for s in rekap.data["subbagian"] for p in s["pegawai"]}
    ani = people[org.asn.nama]
    assert f"{org.asn.nama} {org.asn.nip_display} {ani['hari_terisi']} / {ani['hari_kerja']}" in text
    assert "Kegiatan Ani" not in text  # aggregates, not the entry rows
    assert f"NIP. {org.sekretaris.nip_display}" in text and f"NIP. {org.kasubag_rendatin.nip_display}" in text
    assert len(reader.pages) >= 3 + len(rekap.data["subbagian"])


def svg_bars(svg: str) -> list[tuple[str, str, float]]:
    """(label, value text, bar length) of each bar of a chart."""
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    bars = []
    for g in root.findall("s:g", ns):
        track, bar = g.findall("s:rect", ns)
        bars.append((g.get("data-label"), g.get("data-value"), float(bar.get("width"))))
        assert float(bar.get("width")) <= float(track.get("width"))
    return bars


def test_the_booklet_charts_draw_a_bar_per_subbagian_and_per_output(org):
    rekap = compiled(org)
    doc = month_document.month_doc(org.kudus, rekap)
    completeness = svg_bars(doc.completeness_chart())
    assert [b[0] for b in completeness] == ["KUL", "TEKNIS", "RENDATIN", "HUKUM"]
    expected = [s["total"]["kelengkapan"] for s in rekap.data["subbagian"]]
    assert [b[1] for b in completeness] == [format_percent(v) for v in expected]
    outputs = svg_bars(doc.output_chart())
    assert [(b[0], b[1]) for b in outputs] == [(KODE_B, "3"), (KODE_A, "5")]
    assert outputs[1][2] > outputs[0][2]  # 5 activities draw a longer bar than 3
    assert abs(outputs[0][2] / outputs[1][2] - 3 / 5) < 0.01


def test_chart_lengths_scale_and_text_is_escaped():
    svg = charts.hbar_chart(
        [
            charts.Bar('<b>"A" & B</b>', 50, "50%"),
            charts.Bar("Full", 100, "100%"),
            charts.Bar("None", None, "—"),
            charts.Bar("Ctl\x01x", 0, "0"),
        ],
        title="Uji <grafik>",
        max_value=100,
    )
    bars = svg_bars(svg)  # well-formed XML whatever the labels were
    assert bars[0][0] == '<b>"A" & B</b>' and bars[1][2] == 2 * bars[0][2] and bars[2][2] == 0
    assert bars[3][0] == "Ctlx"
    assert "<b>" not in svg and "Uji &lt;grafik&gt;" in svg
    empty = charts.output_chart([], title="Kosong")
    assert "Tidak ada data." in empty and not svg_bars(empty)


def test_completeness_colours_follow_the_bands():
    assert charts.completeness_color(95) == charts.GOOD
    assert charts.completeness_color(80) == charts.FAIR
    assert charts.completeness_color(40) == charts.POOR
    assert charts.completeness_color(None) == charts.UNKNOWN


# --- steps 5–6: the plenary's results ------------------------------------------------------------------------


def test_hasil_pleno_pdf_is_the_minutes_with_notes_corrections_and_signatures(org):
    rekap = compiled(org)
    rapat = recorded(org, rekap)
    year = rekap.tahun
    draft = flat(pdf_text(render(org, "hasil_pleno", tahun=year, bulan=10, fmt="pdf").content))
    assert "DRAF — hasil rapat belum difinalisasi" in draft
    services.pleno_finalise(rapat=rapat, by=org.rendatin)
    text = flat(pdf_text(render(org, "hasil_pleno", tahun=year, bulan=10, fmt="pdf").content))
    from silabu.lib.dates import format_tanggal

    assert "HASIL RAPAT PLENO LAPORAN BULANAN" in text and f"Bulan Oktober {year}" in text
    assert "Final — difinalisasi pada" in text and "DRAF" not in text
    assert f"Hari, tanggal {format_tanggal(rapat.tanggal, with_day=True)}" in text
    assert "Waktu 09.00–11.30 WIB" in text
    assert "Tempat Ruang Rapat KPU Kabupaten Kudus" in text
    assert f"Pimpinan rapat {org.pimpinan.nama}" in text
    for person in (org.sekretaris, org.kasubag_rendatin, org.kasubag):
        assert f"{person.nama} {person.nip_display}" in text
    assert "Perwakilan Bawaslu Kudus" in text
    assert "Data kinerja bulan 10 diterima." in text
    assert f"{org.kul.nama} Bukti dukung KUL perlu dilengkapi Tambah foto" in text
    assert (
        f"{KODE_A} Operasional dan pemeliharaan kantor — Volume kode A diperiksa ulang Koreksi satuan" in text
    )
    assert "Umum: format laporan diseragamkan" in text
    assert "Koreksi yang disepakati" in text
    assert "Pimpinan Rapat," in text and "Dicatat oleh," in text and "Mengetahui," in text
    assert f"NIP. {org.sekretaris.nip_display}" in text and f"NIP. {org.kasubag_rendatin.nip_display}" in text
    assert "Jumlah 8 8 8" in text  # the compiled summary follows the minutes


def test_hasil_pleno_xlsx_has_minutes_notes_and_summary(org):
    final(org)
    content = render(org, "hasil_pleno", tahun=year_of(org), bulan=10, fmt="xlsx").content
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Hasil Rapat", "Catatan", "Ringkasan"]
    minutes = cells(wb["Hasil Rapat"])
    assert find_row(minutes, "Tempat")[1] == "Ruang Rapat KPU Kabupaten Kudus"
    assert find_row(minutes, "Pimpinan rapat")[1] == org.pimpinan.nama
    assert find_row(minutes, "Keputusan rapat")[1] == "Data kinerja bulan 10 diterima."
    assert find_row(minutes, org.sekretaris.nama, 1)[2] == org.sekretaris.nip_display
    assert find_row(minutes, "Perwakilan Bawaslu Kudus", 1)[3] == "Peserta lain"
    notes = cells(wb["Catatan"])
    kul = find_row(notes, "Subbagian", 1)
    assert kul[2:] == [org.kul.nama, None, None, "Bukti dukung KUL perlu dilengkapi", "Tambah foto"]
    kode = find_row(notes, "Kode output", 1)
    assert kode[3:] == [
        KODE_A,
        "Operasional dan pemeliharaan kantor",
        "Volume kode A diperiksa ulang",
        "Koreksi satuan",
    ]
    assert find_row(notes, "Umum", 1)[5] == "Umum: format laporan diseragamkan"
    summary = cells(wb["Ringkasan"])
    assert find_row(summary, "Jumlah", 1)[3:6] == [8, 8, 8]


def test_finalising_archives_every_document_of_the_month(org):
    final(org)
    archived = Dokumen.objects.filter(satker=org.kudus, arsip=True)
    assert sorted((d.jenis, d.params["fmt"]) for d in archived) == sorted(services.ARCHIVED_DOCUMENTS)
    assert all(d.status == StatusDokumen.SIAP and len(d.sha256) == 64 for d in archived)


# --- the snapshot: later master-data edits do not change a month's documents --------------------------------


def _stable(text: str) -> str:
    """Document text without its generation time (the only thing allowed to differ between renders)."""
    import re

    return re.sub(r"Dibuat: \d+ \w+ \d{4} \d{2}:\d{2} WIB", "Dibuat: …", text)


def test_renaming_people_and_output_codes_later_changes_no_month_document(org):
    rapat = final(org)
    year = year_of(org)
    before = {
        (jenis, fmt): render(org, jenis, tahun=year, bulan=10, fmt=fmt).content
        for jenis, fmt in services.ARCHIVED_DOCUMENTS
    }
    for person in (org.asn, org.kasubag, org.sekretaris, org.kasubag_rendatin):
        person.nama = f"{person.nama} (baru)"
        person.save()
    KodeOutput.objects.filter(kode=KODE_A).update(uraian="Uraian yang diganti")
    org.kul.nama = "Subbagian Umum (baru)"
    org.kul.save()
    for (jenis, fmt), old in before.items():
        new = render(org, jenis, tahun=year, bulan=10, fmt=fmt).content
        if fmt == "pdf":
            old_text, new_text = _stable(flat(pdf_text(old))), _stable(flat(pdf_text(new)))
            assert old_text == new_text, jenis
            assert "(baru)" not in new_text and "Uraian yang diganti" not in new_text
            assert org.kasubag.nama.replace(" (baru)", "") in new_text  # as compiled, and as attended
        else:
            wb = load_workbook(io.BytesIO(new))
            values = {str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v}
            assert not any("(baru)" in v or "Uraian yang diganti" in v for v in values), jenis
    assert rapat.is_final


def test_generation_time_follows_the_satker_zone(org):
    rekap = compiled(org)
    org.kudus.zona_waktu = "Asia/Makassar"
    org.kudus.save()
    text = flat(pdf_text(render(org, "bahan_pleno", tahun=rekap.tahun, bulan=10, fmt="pdf").content))
    assert "WITA" in text


# --- step 6: the Laporan Kinerja data ------------------------------------------------------------------------


def test_laporan_kinerja_pdf_sums_the_final_months_and_names_the_missing(org):
    final(org, 10)
    final(org, 11)
    year = year_of(org)
    rendered = render(org, "laporan_kinerja", tahun=year, periode="T4", fmt="pdf")
    assert rendered.filename == f"data-laporan-kinerja-{year}-T4.pdf"
    text = flat(pdf_text(rendered.content))
    assert "DATA KINERJA BAHAN LAPORAN KINERJA" in text and f"Periode: Triwulan IV {year}" in text
    assert f"{KODE_A} Operasional dan pemeliharaan kantor 10 2 16 dokumen Oktober, November" in text
    assert f"{KODE_B} Layanan data dan informasi 6 2 12 berkas; 3 laporan Oktober, November" in text
    assert "Jumlah 16" in text
    assert f"Bulan belum final (tidak dihitung): Desember {year}" in text
    assert text.count("Bukti dukung KUL perlu dilengkapi") == 2 and text.count("Tambah foto") == 2
    assert "Data kinerja bulan 10 diterima." in text and "Data kinerja bulan 11 diterima." in text
    assert f"NIP. {org.sekretaris.nip_display}" in text and f"NIP. {org.kasubag_rendatin.nip_display}" in text


def test_laporan_kinerja_xlsx_per_output_per_subbagian_months_and_notes(org):
    final(org, 10)
    final(org, 11)
    year = year_of(org)
    wb = load_workbook(
        io.BytesIO(render(org, "laporan_kinerja", tahun=year, periode="S2", fmt="xlsx").content)
    )
    assert wb.sheetnames == ["Per kode output", "Subbagian x Output", "Bulan", "Catatan pleno"]
    outputs = cells(wb["Per kode output"])
    assert find_row(outputs, KODE_A, 1)[2:] == [
        "Operasional dan pemeliharaan kantor",
        10,
        2,
        "16 dokumen",
        "Oktober, November",
    ]
    assert find_row(outputs, "Jumlah", 1)[3] == 16
    per_sub = cells(wb["Subbagian x Output"])
    kul_a = next(r for r in per_sub if r[1] == org.kul.nama and r[2] == KODE_A)
    assert kul_a[4:7] == [10, 2, "16 dokumen"]
    teknis_b = next(r for r in per_sub if r[1] == org.teknis.nama and r[2] == KODE_B)
    assert teknis_b[4:7] == [4, 1, "12 berkas"]
    assert find_row(per_sub, f"Jumlah {org.kul.nama}", 1)[4:6] == [12, 2]
    months = cells(wb["Bulan"])
    assert find_row(months, f"Oktober {year}")[1] == "Final"
    assert find_row(months, f"Juli {year}")[1] == "Belum final"
    assert find_row(months, f"November {year}")[4] == "Data kinerja bulan 11 diterima."
    notes = cells(wb["Catatan pleno"])
    assert len([r for r in notes if isinstance(r[0], int)]) == 6
    assert find_row(notes, "Kode output", 2)[4:] == [
        KODE_A,
        "Volume kode A diperiksa ulang",
        "Koreksi satuan",
    ]


def test_hasil_pleno_names_the_current_attendees_until_finalised_then_those_recorded(org):
    rekap = compiled(org)
    rapat = recorded(org, rekap)
    old_name = org.kasubag.nama
    org.kasubag.nama = "Citra Dewi Baru"
    org.kasubag.save()
    draft = flat(pdf_text(render(org, "hasil_pleno", tahun=rekap.tahun, bulan=10, fmt="pdf").content))
    assert "Citra Dewi Baru" in draft  # not final yet: the record follows the people it names
    services.pleno_finalise(rapat=rapat, by=org.rendatin)
    org.kasubag.nama = "Citra Dewi Lagi"
    org.kasubag.save()
    text = flat(pdf_text(render(org, "hasil_pleno", tahun=rekap.tahun, bulan=10, fmt="pdf").content))
    assert "Citra Dewi Baru" in text and "Citra Dewi Lagi" not in text  # as they attended
    assert old_name not in text
