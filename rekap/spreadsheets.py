"""The spreadsheets of SOP steps 4–6, written with openpyxl's write-only workbook through silabu.lib.xlsx.

Each renderer takes the plain rows rekap.documents prepared (a MonthDoc, PlenoDoc or LaporanDoc) and returns
the file's bytes. Every text cell passes the formula guard; sheet names are unique and at most 31 characters.
"""

import io
import re

from openpyxl import Workbook

from silabu.lib import xlsx as sheet
from silabu.lib.dates import format_tanggal

MAX_TITLE = 31
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_titles(names: list[str], reserved: tuple[str, ...] = ()) -> list[str]:
    """Names fit for sheet tabs: no characters Excel forbids, at most 31 long, unique (case-insensitively)."""
    taken = {r.casefold() for r in reserved}
    titles = []
    for name in names:
        base = _BAD_TITLE.sub(" ", name).strip().strip("'") or "Subbagian"
        title = base[:MAX_TITLE]
        n = 2
        while title.casefold() in taken:
            suffix = f" ({n})"
            title = base[: MAX_TITLE - len(suffix)] + suffix
            n += 1
        taken.add(title.casefold())
        titles.append(title)
    return titles


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _header(ws, kop_lines: list[str], nama: str, address: str, title: str, meta: list[str]) -> None:
    for line in kop_lines:
        ws.append(sheet.bold_row(ws, [line]))
    if nama.casefold() not in {line.casefold() for line in kop_lines}:
        ws.append(sheet.bold_row(ws, [nama]))
    if address:
        ws.append(sheet.safe_row(ws, [address]))
    ws.append([])
    ws.append(sheet.bold_row(ws, [title]))
    for line in meta:
        ws.append(sheet.safe_row(ws, [line]))
    ws.append([])


def _month_header(ws, doc, title: str, extra: list[str] = ()) -> None:
    snap = doc.data["satker"]
    address = ", ".join(part for part in (snap.get("alamat"), snap.get("kota")) if part)
    meta = [f"Bulan: {doc.period_label}", *extra, f"Dibuat: {doc.generated_label}"]
    _header(ws, list(snap.get("kop_baris") or []), snap["nama"], address, title, meta)


# --- the compiled month -------------------------------------------------------------------------------------

SUMMARY_HEADER = [
    "No",
    "Subbagian",
    "Kepala subbagian",
    "Pegawai",
    "Terverifikasi",
    "Kegiatan",
    "Kelengkapan (%)",
]
OUTPUT_HEADER = ["No", "Kode output", "Uraian", "Kegiatan", "Pegawai", "Volume per satuan"]
PEOPLE_HEADER = [
    "No",
    "Nama",
    "NIP",
    "Jabatan",
    "Subbagian",
    "Hari kerja",
    "Hari terisi",
    "Terlambat",
    "Kelengkapan (%)",
    "Entri disetujui",
    "Status",
    "Verifikator",
]
ENTRY_HEADER = [
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
ENTRY_WIDTHS = [6, 12, 28, 22, 20, 40, 45, 8, 12, 8]
SUMMARY_WIDTHS = [6, 40, 28, 22, 28, 30, 10, 10, 12, 12, 16, 28]


def _summary_rows(ws, doc) -> None:
    """Per subbagian, per output code and per person: the compiled month's summary."""
    ws.append(sheet.bold_row(ws, ["Ringkasan per subbagian"]))
    ws.append(sheet.bold_row(ws, SUMMARY_HEADER))
    for no, s in enumerate(doc.sections, 1):
        t = s.total
        kasubag = s.kasubag["nama"] if s.kasubag else None
        ws.append(
            sheet.safe_row(
                ws, [no, s.nama, kasubag, t["pegawai"], t["terverifikasi"], t["kegiatan"], t["kelengkapan"]]
            )
        )
    t = doc.total
    ws.append(
        sheet.bold_row(
            ws, [None, "Jumlah", None, t["pegawai"], t["terverifikasi"], t["kegiatan"], t["kelengkapan"]]
        )
    )
    ws.append([])
    ws.append(sheet.bold_row(ws, ["Total per kode output"]))
    ws.append(sheet.bold_row(ws, OUTPUT_HEADER))
    for no, o in enumerate(doc.outputs, 1):
        ws.append(sheet.safe_row(ws, [no, o.kode, o.uraian, o.kegiatan, o.pegawai, o.volume_label]))
    ws.append(sheet.bold_row(ws, [None, "Jumlah", None, sum(o.kegiatan for o in doc.outputs)]))


def _people_rows(ws, doc) -> None:
    ws.append([])
    ws.append(sheet.bold_row(ws, ["Kelengkapan per pegawai"]))
    ws.append(sheet.bold_row(ws, PEOPLE_HEADER))
    no = 0
    for s in doc.sections:
        for p in s.pegawai:
            no += 1
            ws.append(
                sheet.safe_row(
                    ws,
                    [
                        no,
                        p.nama,
                        p.nip,
                        p.jabatan,
                        s.nama,
                        p.hari_kerja,
                        p.hari_terisi,
                        p.terlambat,
                        p.kelengkapan,
                        p.entri,
                        p.status_label,
                        p.verifikator or None,
                    ],
                )
            )


def _unverified_rows(ws, doc) -> None:
    if not doc.belum_terverifikasi:
        return
    ws.append([])
    ws.append(sheet.bold_row(ws, ["Pegawai belum terverifikasi (data tidak dihimpun)"]))
    ws.append(sheet.safe_row(ws, [f"Alasan dihimpun: {doc.alasan or '—'}"]))
    ws.append(sheet.bold_row(ws, ["No", "Nama", "NIP", "Subbagian", "Menunggu", "Dikembalikan", "Entri"]))
    for no, p in enumerate(doc.belum_terverifikasi, 1):
        ws.append(
            sheet.safe_row(
                ws, [no, p["nama"], p["nip"], p["subbagian"], p["menunggu"], p["dikembalikan"], p["entri"]]
            )
        )


def _entry_sheet(wb: Workbook, title: str, doc, section) -> None:
    ws = wb.create_sheet(title)
    sheet.set_widths(ws, ENTRY_WIDTHS)
    _month_header(ws, doc, "DATA KINERJA ASN HASIL VERIFIKASI — HIMPUNAN", [f"Subbagian: {section.nama}"])
    ws.append(sheet.bold_row(ws, ENTRY_HEADER))
    safe = sheet.safe_cell
    for r in section.rows:
        ws.append(
            [
                r.no,
                sheet.date_cell(ws, r.tanggal),
                safe(ws, r.nama),
                r.nip,
                safe(ws, r.kode),
                safe(ws, r.kegiatan),
                safe(ws, r.hasil),
                r.volume,
                safe(ws, r.satuan),
                r.bukti,
            ]
        )
    ws.append(sheet.bold_row(ws, [None, "Jumlah", f"{len(section.rows)} kegiatan"]))


def rekap_xlsx(doc) -> bytes:
    """The compiled softfile: "Ringkasan" (summary, outputs, people, the unverified, signatures) and one sheet
    of entry rows per subbagian."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Ringkasan")
    sheet.set_widths(ws, SUMMARY_WIDTHS)
    _month_header(ws, doc, "DATA KINERJA ASN HASIL VERIFIKASI — HIMPUNAN", [f"Status: {doc.status_label}"])
    _summary_rows(ws, doc)
    _people_rows(ws, doc)
    _unverified_rows(ws, doc)
    sheet.signature_rows(ws, doc.signatures, columns=(2, 5, 8))
    titles = sheet_titles([s.singkatan or s.nama for s in doc.sections], reserved=("Ringkasan",))
    for title, section in zip(titles, doc.sections, strict=True):
        _entry_sheet(wb, title, doc, section)
    return _save(wb)


# --- the plenary's results ----------------------------------------------------------------------------------

NOTE_HEADER = [
    "No",
    "Lingkup",
    "Subbagian",
    "Kode output",
    "Uraian output",
    "Catatan",
    "Koreksi yang disepakati",
]


def _text_lines(ws, label: str, text: str) -> None:
    lines = [line for line in text.splitlines() if line.strip()] or ["—"]
    ws.append(sheet.safe_row(ws, [label, lines[0]]))
    for line in lines[1:]:
        ws.append(sheet.safe_row(ws, [None, line]))


def hasil_xlsx(doc) -> bytes:
    """The plenary's minutes ("Hasil Rapat"), its notes ("Catatan") and the compiled summary ("Ringkasan")."""
    month, rapat = doc.month, doc.rapat
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Hasil Rapat")
    sheet.set_widths(ws, [22, 40, 28, 40])
    _month_header(ws, month, "HASIL RAPAT PLENO LAPORAN BULANAN", [f"Status: {doc.status_label}"])
    ws.append(sheet.safe_row(ws, ["Hari, tanggal", doc.tanggal_label]))
    ws.append(sheet.safe_row(ws, ["Waktu", doc.waktu_label]))
    ws.append(sheet.safe_row(ws, ["Tempat", rapat.tempat]))
    ws.append(sheet.safe_row(ws, ["Pimpinan rapat", doc.pimpinan]))
    ws.append([])
    ws.append(sheet.bold_row(ws, ["Peserta"]))
    ws.append(sheet.bold_row(ws, ["No", "Nama", "NIP", "Jabatan"]))
    for no, p in enumerate(doc.peserta, 1):
        ws.append(sheet.safe_row(ws, [no, p["nama"], p["nip"] or None, p["jabatan"] or None]))
    for line in doc.peserta_lain:
        ws.append(sheet.safe_row(ws, [None, line, None, "Peserta lain"]))
    ws.append([])
    _text_lines(ws, "Keputusan rapat", rapat.keputusan)
    _text_lines(ws, "Catatan umum", rapat.catatan)
    sheet.signature_rows(ws, doc.signatures, columns=(2, 5, 8))

    ws = wb.create_sheet("Catatan")
    sheet.set_widths(ws, [6, 14, 36, 20, 36, 50, 50])
    _month_header(ws, month, "CATATAN DAN KOREKSI RAPAT PLENO")
    ws.append(sheet.bold_row(ws, NOTE_HEADER))
    for no, n in enumerate(doc.notes, 1):
        ws.append(
            sheet.safe_row(
                ws,
                [no, n.lingkup, n.subbagian or None, n.kode or None, n.uraian or None, n.catatan, n.koreksi],
            )
        )
    if not doc.notes:
        ws.append(["Tidak ada catatan."])

    ws = wb.create_sheet("Ringkasan")
    sheet.set_widths(ws, SUMMARY_WIDTHS)
    _month_header(ws, month, "RINGKASAN DATA KINERJA HASIL VERIFIKASI", [f"Status: {month.status_label}"])
    _summary_rows(ws, month)
    _unverified_rows(ws, month)
    return _save(wb)


# --- the Laporan Kinerja data -------------------------------------------------------------------------------

LAPORAN_OUTPUT_HEADER = ["No", "Kode output", "Uraian", "Kegiatan", "Pegawai", "Volume per satuan", "Bulan"]
LAPORAN_SUB_HEADER = [
    "No",
    "Subbagian",
    "Kode output",
    "Uraian",
    "Kegiatan",
    "Pegawai",
    "Volume per satuan",
    "Bulan",
]
MONTH_HEADER = [
    "Bulan",
    "Status",
    "Tanggal rapat pleno",
    "Tempat",
    "Keputusan rapat",
    "Catatan umum",
    "Pegawai",
    "Terverifikasi",
    "Kegiatan",
    "Kelengkapan (%)",
]
LAPORAN_NOTE_HEADER = [
    "No",
    "Bulan",
    "Lingkup",
    "Subbagian",
    "Kode output",
    "Catatan",
    "Koreksi yang disepakati",
]


def _laporan_header(ws, doc, title: str) -> None:
    satker = doc.satker
    address = ", ".join(part for part in (satker.alamat, satker.kota) if part)
    final = ", ".join(b.label for b in doc.report.bulan_final) or "—"
    missing = ", ".join(b.label for b in doc.report.bulan_hilang) or "—"
    meta = [
        f"Periode: {doc.period_label}",
        f"Bulan final: {final}",
        f"Bulan belum final (tidak dihitung): {missing}",
        f"Dibuat: {doc.generated_label}",
    ]
    _header(ws, satker.kop_lines, satker.nama, address, title, meta)


def laporan_xlsx(doc) -> bytes:
    """Per output code, per subbagian × output code, the months (with decisions) and the plenary notes."""
    r = doc.report
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Per kode output")
    sheet.set_widths(ws, [6, 22, 50, 10, 10, 30, 40])
    _laporan_header(ws, doc, "DATA KINERJA BAHAN LAPORAN KINERJA — PER KODE OUTPUT")
    ws.append(sheet.bold_row(ws, LAPORAN_OUTPUT_HEADER))
    for no, o in enumerate(r.outputs, 1):
        ws.append(
            sheet.safe_row(ws, [no, o.kode, o.uraian, o.kegiatan, o.pegawai, o.volume_label, o.bulan_label])
        )
    ws.append(sheet.bold_row(ws, [None, "Jumlah", None, r.kegiatan]))
    sheet.signature_rows(ws, doc.signatures, columns=(2, 5, 8))

    ws = wb.create_sheet("Subbagian x Output")
    sheet.set_widths(ws, [6, 36, 22, 50, 10, 10, 30, 40])
    _laporan_header(ws, doc, "DATA KINERJA BAHAN LAPORAN KINERJA — PER SUBBAGIAN DAN KODE OUTPUT")
    ws.append(sheet.bold_row(ws, LAPORAN_SUB_HEADER))
    no = 0
    for s in r.subbagian:
        for o in s.outputs:
            no += 1
            ws.append(
                sheet.safe_row(
                    ws, [no, s.nama, o.kode, o.uraian, o.kegiatan, o.pegawai, o.volume_label, o.bulan_label]
                )
            )
        ws.append(
            sheet.bold_row(
                ws, [None, f"Jumlah {s.nama}", None, None, s.kegiatan, s.pegawai, None, s.bulan_label]
            )
        )

    ws = wb.create_sheet("Bulan")
    sheet.set_widths(ws, [18, 14, 20, 24, 50, 40, 10, 12, 10, 14])
    _laporan_header(ws, doc, "BULAN DALAM PERIODE DAN KEPUTUSAN RAPAT PLENO")
    ws.append(sheet.bold_row(ws, MONTH_HEADER))
    for b in r.bulan:
        if not b.final:
            ws.append(sheet.safe_row(ws, [b.label, f"Belum final ({b.tahap})" if b.tahap else "Belum final"]))
            continue
        ws.append(
            sheet.safe_row(
                ws,
                [
                    b.label,
                    "Final",
                    format_tanggal(b.tanggal_rapat) or None,
                    b.tempat or None,
                    b.keputusan or None,
                    b.catatan_umum or None,
                    b.pegawai,
                    b.terverifikasi,
                    b.kegiatan,
                    b.kelengkapan,
                ],
            )
        )

    ws = wb.create_sheet("Catatan pleno")
    sheet.set_widths(ws, [6, 14, 14, 36, 22, 50, 50])
    _laporan_header(ws, doc, "CATATAN DAN KOREKSI RAPAT PLENO")
    ws.append(sheet.bold_row(ws, LAPORAN_NOTE_HEADER))
    for no, c in enumerate(r.catatan, 1):
        ws.append(
            sheet.safe_row(
                ws,
                [
                    no,
                    c.bulan_label,
                    c.lingkup,
                    c.subbagian or None,
                    c.kode_output or None,
                    c.catatan,
                    c.koreksi,
                ],
            )
        )
    if not r.catatan:
        ws.append(["Tidak ada catatan."])
    return _save(wb)
