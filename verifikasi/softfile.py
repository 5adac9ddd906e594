"""SOP step 3's output: *Softfile Dokumen Data Kinerja ASN Hasil Verifikasi*, for one person or a subbagian.

`softfile_data` reads a month once (a fixed number of queries, whatever the number of people and entries) into
plain dataclasses; `render_pdf` and `render_xlsx` turn that into a document. Nothing here writes to the
database: a download never changes the state of a month.
"""

import datetime
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import F, Q
from openpyxl import Workbook

from kinerja.kalender import MonthSummary, month_summaries
from kinerja.models import (
    BuktiDukung,
    EntriKinerja,
    Pegawai,
    Satker,
    StatusEntri,
    Subbagian,
)
from kinerja.organisasi import Verifier, sekretaris_on, verifier_for
from silabu.lib import pdf
from silabu.lib import xlsx as sheet
from silabu.lib.dates import format_bulan, format_tanggal, format_waktu
from silabu.templatetags.silabu import angka

from .models import LaporanBulanan

TITLE = "DATA KINERJA ASN HASIL VERIFIKASI"
DRAFT_MARK = "BELUM DIVERIFIKASI — DRAF"
ZONE_ABBR = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"pdf": PDF, "xlsx": XLSX}
STATUS_LABELS = dict(StatusEntri.choices)
ENTRY_FIELDS = (
    "pk",
    "pegawai_id",
    "tanggal",
    "kode_output__kode",
    "nama_kegiatan",
    "output_hasil",
    "volume",
    "satuan",
    "status",
)


def zone_abbr(satker: Satker) -> str:
    return ZONE_ABBR.get(satker.zona_waktu, satker.zona_waktu)


def satker_time(satker: Satker, moment: datetime.datetime) -> str:
    """22 November 2026 14:05 WIB, in the satker's own zone."""
    return f"{format_waktu(moment.astimezone(satker.tz))} {zone_abbr(satker)}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{angka(Decimal(str(value)))}%"


# --- the rows ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    no: int
    tanggal: datetime.date
    kode: str
    kegiatan: str
    output: str
    volume: Decimal
    satuan: str
    bukti: tuple[str, ...]
    status: str

    @property
    def tanggal_label(self) -> str:
        return format_tanggal(self.tanggal)

    @property
    def volume_label(self) -> str:
        return angka(self.volume)

    @property
    def bukti_count(self) -> int:
        return len(self.bukti)

    @property
    def bukti_names(self) -> str:
        return ", ".join(self.bukti)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Signatory:
    """One signature block: "Diverifikasi oleh," / "Plt. Kepala Subbagian …" / space / name / NIP."""

    role: str
    title: str
    nama: str = ""
    nip: str = ""
    place_date: str = ""  # "Kudus, 3 November 2026" above the block that dates the document

    @classmethod
    def of(cls, role: str, title: str, pegawai: Pegawai | None, place_date: str = "") -> "Signatory":
        if pegawai is None:
            return cls(role, title, place_date=place_date)
        return cls(role, title, pegawai.nama, pegawai.nip_display, place_date)


@dataclass(frozen=True)
class MonthStatus:
    verified: bool
    verifikator: Pegawai | None = None
    jabatan: str = ""
    verified_at: datetime.datetime | None = None  # in the satker's zone
    label: str = DRAFT_MARK


@dataclass
class PersonSection:
    pegawai: Pegawai
    rows: list[EntryRow]
    summary: MonthSummary
    status: MonthStatus
    signatures: list[Signatory] = field(default_factory=list)  # only in a one-person file

    @property
    def nama(self) -> str:
        return self.pegawai.nama

    @property
    def nip(self) -> str:
        return self.pegawai.nip_display

    @property
    def jabatan(self) -> str:
        return self.pegawai.jabatan

    @property
    def subbagian(self) -> str:
        return self.pegawai.subbagian.nama if self.pegawai.subbagian_id else "—"

    @cached_property
    def counts(self) -> Counter:
        return Counter(row.status for row in self.rows)

    @property
    def approved(self) -> int:
        return self.counts[StatusEntri.DISETUJUI]

    @property
    def returned(self) -> int:
        return self.counts[StatusEntri.DIKEMBALIKAN]

    @property
    def pending(self) -> int:
        return self.counts[StatusEntri.DIAJUKAN]

    @property
    def completeness_label(self) -> str:
        return percent(self.summary.completeness)


@dataclass
class SoftfileData:
    satker: Satker
    year: int
    month: int
    generated_at: datetime.datetime  # in the satker's zone
    sections: list[PersonSection]
    signatures: list[Signatory]
    subbagian: Subbagian | None = None

    @property
    def title(self) -> str:
        return TITLE

    @property
    def period_label(self) -> str:
        return format_bulan(self.year, self.month)

    @property
    def generated_label(self) -> str:
        return satker_time(self.satker, self.generated_at)

    @property
    def verified_count(self) -> int:
        return sum(1 for s in self.sections if s.status.verified)

    @property
    def is_final(self) -> bool:
        """Every person's month verified: the document is the verified softfile, not a draft."""
        return bool(self.sections) and self.verified_count == len(self.sections)

    @property
    def status_label(self) -> str:
        if self.subbagian is None:
            return self.sections[0].status.label if self.sections else DRAFT_MARK
        counted = f"{self.verified_count} dari {len(self.sections)} pegawai terverifikasi"
        return f"Terverifikasi ({counted})" if self.is_final else f"{DRAFT_MARK} ({counted})"

    @property
    def total_rows(self) -> int:
        return sum(len(s.rows) for s in self.sections)

    @property
    def totals(self) -> dict:
        """The subbagian's summary line: sums over people; completeness over all expected days."""
        expected = sum(s.summary.expected for s in self.sections)
        filled = sum(s.summary.filled for s in self.sections)
        return {
            "expected": expected,
            "filled": filled,
            "late": sum(s.summary.filled_late for s in self.sections),
            "completeness": round(100 * filled / expected, 1) if expected else None,
            "completeness_label": percent(round(100 * filled / expected, 1) if expected else None),
            "entries": self.total_rows,
            "approved": sum(s.approved for s in self.sections),
            "returned": sum(s.returned for s in self.sections),
            "pending": sum(s.pending for s in self.sections),
        }


# --- reading a month --------------------------------------------------------------------------------------


def _month_status(satker: Satker, laporan: LaporanBulanan | None) -> MonthStatus:
    if laporan is None or not laporan.is_verified:
        return MonthStatus(verified=False)
    verifikator = laporan.verifikator
    at = laporan.diverifikasi_pada.astimezone(satker.tz) if laporan.diverifikasi_pada else None
    name = verifikator.nama if verifikator else "—"
    when = satker_time(satker, at) if at else "—"
    return MonthStatus(
        verified=True,
        verifikator=verifikator,
        jabatan=laporan.verifikator_jabatan or (verifikator.jabatan if verifikator else ""),
        verified_at=at,
        label=f"Terverifikasi pada {when} oleh {name}",
    )


def _place_date(satker: Satker, day: datetime.date) -> str:
    return f"{satker.kota}, {format_tanggal(day)}"


def _person_signatures(satker: Satker, section: PersonSection, today: datetime.date) -> list[Signatory]:
    """The ASN who reported and whoever verified (or, in a draft, is to verify) the month."""
    pegawai, status = section.pegawai, section.status
    if status.verified:
        day = status.verified_at.date() if status.verified_at else today
        verifier = Signatory.of(
            "Diverifikasi oleh,", status.jabatan, status.verifikator, _place_date(satker, day)
        )
    else:
        expected = verifier_for(pegawai, today)
        verifier = Signatory.of(
            "Diverifikasi oleh,", expected.sign_title, expected.pegawai, _place_date(satker, today)
        )
    asn = Signatory.of("Pegawai yang melaporkan,", pegawai.jabatan, pegawai)
    return [asn, verifier]


def _subbagian_verifier(
    subbagian: Subbagian, sections: list[PersonSection], today: datetime.date
) -> Verifier:
    """The one verifier of a subbagian file: whoever verified most of its staff's months (the Kasubag, or the
    Plt/Plh who verified in their place); before anyone is verified, the staff's verifier today."""
    staff = [s for s in sections if s.pegawai.pk != subbagian.kasubag_id]
    votes = Counter(
        (s.status.verifikator.pk, s.status.jabatan)
        for s in staff
        if s.status.verified and s.status.verifikator
    )
    if votes:
        (pk, jabatan), _ = votes.most_common(1)[0]
        pegawai = next(
            s.status.verifikator for s in staff if s.status.verifikator and s.status.verifikator.pk == pk
        )
        return Verifier(pegawai, "", jabatan)  # jabatan as signed already carries "Plt." when acting
    if staff:
        return verifier_for(staff[0].pegawai, today)
    return Verifier(subbagian.kasubag, "", f"Kepala {subbagian.nama}")


def _sekretaris(satker: Satker, today: datetime.date) -> Verifier:
    """Who signs "Mengetahui, Sekretaris": an acting Sekretaris (Plt/Plh) on the day, else the holder."""
    return sekretaris_on(satker, today)


def softfile_data(
    *,
    satker: Satker,
    people: list[Pegawai],
    year: int,
    month: int,
    subbagian: Subbagian | None = None,
    now: datetime.datetime | None = None,
) -> SoftfileData:
    """Everything the documents show, for one person (subbagian=None) or a subbagian's people.

    People should come with `satker`, `subbagian__kasubag` and `satker__sekretaris` selected (see
    `subbagian_people`); the queries then stay fixed: entries, evidence names, laporan rows, the three of
    month_summaries, and a few for the signatories.
    """
    now = (now or satker.now()).astimezone(satker.tz)
    today = now.date()
    ids = [p.pk for p in people]

    # Plain tuples rather than model instances (with the output code joined in): a subbagian's month is
    # hundreds of rows, and building instances for them would cost more than the query.
    entries = (
        EntriKinerja.objects.filter(pegawai_id__in=ids)
        .in_month(year, month)
        .order_by("pegawai_id", "tanggal", F("jam_mulai").asc(nulls_first=True), "pk")
        .values_list(*ENTRY_FIELDS)
    )
    evidence: dict[int, list[str]] = {}
    for entri_id, name in (
        BuktiDukung.objects.filter(entri__pegawai_id__in=ids)
        .in_month(year, month)
        .order_by("entri_id", "pk")
        .values_list("entri_id", "nama_asli")
    ):
        evidence.setdefault(entri_id, []).append(name)
    laporan = {
        row.pegawai_id: row
        for row in LaporanBulanan.objects.filter(pegawai_id__in=ids, tahun=year, bulan=month).select_related(
            "verifikator"
        )
    }
    summaries = month_summaries(people, year, month, today=today)

    rows: dict[int, list[EntryRow]] = {pk: [] for pk in ids}
    for pk, pegawai_id, tanggal, kode, kegiatan, output, volume, satuan, status in entries:
        own = rows[pegawai_id]
        own.append(
            EntryRow(
                no=len(own) + 1,
                tanggal=tanggal,
                kode=kode,
                kegiatan=kegiatan,
                output=output,
                volume=volume,
                satuan=satuan,
                bukti=tuple(evidence.get(pk, ())),
                status=status,
            )
        )
    sections = [
        PersonSection(p, rows[p.pk], summaries[p.pk], _month_status(satker, laporan.get(p.pk)))
        for p in people
    ]

    if subbagian is None:
        for section in sections:
            section.signatures = _person_signatures(satker, section, today)
        signatures = sections[0].signatures if len(sections) == 1 else []
    else:
        verified = [s.status.verified_at for s in sections if s.status.verified_at]
        day = max(verified).date() if verified and all(s.status.verified for s in sections) else today
        verifier = _subbagian_verifier(subbagian, sections, today)
        sekretaris = _sekretaris(satker, today)
        signatures = [
            Signatory.of("Mengetahui,", sekretaris.sign_title, sekretaris.pegawai),
            Signatory.of(
                "Diverifikasi oleh,", verifier.sign_title, verifier.pegawai, _place_date(satker, day)
            ),
        ]
    return SoftfileData(
        satker=satker,
        year=year,
        month=month,
        generated_at=now,
        sections=sections,
        signatures=signatures,
        subbagian=subbagian,
    )


def _with_entries(subbagian: Subbagian, year: int, month: int):
    return (
        EntriKinerja.objects.filter(satker_id=subbagian.satker_id).in_month(year, month).values("pegawai_id")
    )


def subbagian_people(subbagian: Subbagian, year: int, month: int) -> list[Pegawai]:
    """The ASN of a subbagian for a month: the active ones, and anyone who has since left but logged entries."""
    return list(
        Pegawai.objects.asn()
        .filter(subbagian=subbagian)
        .filter(Q(aktif=True) | Q(pk__in=_with_entries(subbagian, year, month)))
        .distinct()
        .select_related("satker__sekretaris", "subbagian__kasubag")
        .order_by("nama", "pk")
    )


# --- renderers --------------------------------------------------------------------------------------------


def render_pdf(data: SoftfileData) -> bytes:
    footer = f"{data.satker.nama} · Data Kinerja ASN Hasil Verifikasi · {data.period_label}"
    if data.subbagian is not None:
        footer += f" · {data.subbagian.singkatan}"
    context = {"doc": data, "kop": pdf.letterhead(data.satker), "footer": pdf.css_string(footer)}
    return pdf.render_pdf("verifikasi/softfile.html", context)


ROW_HEADER = [
    "No",
    "Nama",
    "NIP",
    "Tanggal",
    "Kode output",
    "Nama kegiatan",
    "Output/hasil",
    "Volume",
    "Satuan",
    "Jumlah bukti",
    "Berkas bukti",
    "Keputusan",
]
ROW_WIDTHS = [6, 28, 22, 12, 20, 40, 45, 8, 12, 8, 30, 20]
SUMMARY_HEADER = [
    "No",
    "Nama",
    "NIP",
    "Jabatan",
    "Subbagian",
    "Hari kerja diharapkan",
    "Hari terisi",
    "Terlambat",
    "Kelengkapan (%)",
    "Jumlah entri",
    "Disetujui",
    "Dikembalikan",
    "Menunggu verifikasi",
    "Status verifikasi",
    "Diverifikasi pada",
    "Verifikator",
]
SUMMARY_WIDTHS = [6, 28, 22, 28, 30, 10, 10, 10, 12, 10, 10, 12, 12, 14, 20, 28]


def _header_block(ws, data: SoftfileData) -> None:
    satker = data.satker
    for line in satker.kop_lines:
        ws.append(sheet.bold_row(ws, [line]))
    ws.append(sheet.bold_row(ws, [satker.nama]))
    address = ", ".join(part for part in (satker.alamat, satker.kota) if part)
    if satker.telepon:
        address = f"{address}. Telp. {satker.telepon}" if address else f"Telp. {satker.telepon}"
    ws.append(sheet.safe_row(ws, [address]))
    ws.append([])
    ws.append(sheet.bold_row(ws, [data.title]))
    if data.subbagian is not None:
        ws.append(sheet.safe_row(ws, [f"Subbagian: {data.subbagian.nama}"]))
    elif data.sections:
        section = data.sections[0]
        ws.append(sheet.safe_row(ws, [f"Pegawai: {section.nama} (NIP {section.nip})"]))
    ws.append([f"Bulan: {data.period_label}"])
    ws.append([f"Dibuat: {data.generated_label}"])
    ws.append(sheet.bold_row(ws, [f"Status: {data.status_label}"]))
    ws.append([])


def _rows_sheet(wb: Workbook, data: SoftfileData) -> None:
    ws = wb.create_sheet("Data Kinerja")
    sheet.set_widths(ws, ROW_WIDTHS)
    _header_block(ws, data)
    ws.append(sheet.bold_row(ws, ROW_HEADER))
    safe = sheet.safe_cell
    number = 0
    for section in data.sections:
        nama, nip = section.nama, section.nip
        for row in section.rows:
            number += 1
            ws.append(
                [
                    number,
                    safe(ws, nama),
                    nip,
                    sheet.date_cell(ws, row.tanggal),
                    safe(ws, row.kode),
                    safe(ws, row.kegiatan),
                    safe(ws, row.output),
                    row.volume,
                    safe(ws, row.satuan),
                    row.bukti_count,
                    safe(ws, row.bukti_names),
                    row.status_label,
                ]
            )
    sheet.signature_rows(ws, data.signatures, columns=(2, 6, 10))


def _summary_sheet(wb: Workbook, data: SoftfileData) -> None:
    ws = wb.create_sheet("Ringkasan")
    sheet.set_widths(ws, SUMMARY_WIDTHS)
    _header_block(ws, data)
    ws.append(sheet.bold_row(ws, SUMMARY_HEADER))
    for number, s in enumerate(data.sections, 1):
        status = s.status
        ws.append(
            sheet.safe_row(
                ws,
                [
                    number,
                    s.nama,
                    s.nip,
                    s.jabatan,
                    s.subbagian,
                    s.summary.expected,
                    s.summary.filled,
                    s.summary.filled_late,
                    s.summary.completeness,
                    len(s.rows),
                    s.approved,
                    s.returned,
                    s.pending,
                    "Terverifikasi" if status.verified else DRAFT_MARK,
                    satker_time(data.satker, status.verified_at) if status.verified_at else None,
                    status.verifikator.nama if status.verifikator else None,
                ],
            )
        )
    t = data.totals
    ws.append(
        sheet.bold_row(
            ws,
            [
                None,
                "Jumlah",
                None,
                None,
                None,
                t["expected"],
                t["filled"],
                t["late"],
                t["completeness"],
                t["entries"],
                t["approved"],
                t["returned"],
                t["pending"],
                None,
                None,
                None,
            ],
        )
    )


def render_xlsx(data: SoftfileData) -> bytes:
    wb = Workbook(write_only=True)
    _rows_sheet(wb, data)
    _summary_sheet(wb, data)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- the two downloads ------------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "x"


def _render(data: SoftfileData, fmt: str, suffix: str) -> tuple[str, str, bytes]:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown softfile format: {fmt}")
    kind = "terverifikasi" if data.is_final else "draf"
    filename = f"data-kinerja-{kind}-{data.year}-{data.month:02d}-{_ascii(suffix)}.{fmt}"
    content = render_pdf(data) if fmt == "pdf" else render_xlsx(data)
    return filename, FORMATS[fmt], content


def softfile_for_pegawai(pegawai: Pegawai, year: int, month: int, fmt: str = "pdf") -> tuple[str, str, bytes]:
    data = softfile_data(satker=pegawai.satker, people=[pegawai], year=year, month=month)
    return _render(data, fmt, pegawai.nip or str(pegawai.pk))


def softfile_for_subbagian(
    subbagian: Subbagian, year: int, month: int, fmt: str = "pdf"
) -> tuple[str, str, bytes]:
    people = subbagian_people(subbagian, year, month)
    data = softfile_data(satker=subbagian.satker, people=people, year=year, month=month, subbagian=subbagian)
    return _render(data, fmt, subbagian.singkatan)
