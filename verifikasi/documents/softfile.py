"""SOP step 3's output: *Softfile Dokumen Data Kinerja ASN Hasil Verifikasi*, for one person or a subbagian.

`softfile_data` reads a month once (a fixed number of queries, whatever the number of people and entries) into
plain dataclasses; the `SoftfileData` report lays them out as a PDF (templates/verifikasi/softfile.html) or an
XLSX (two sheets: the entry rows and the summary per person). Nothing here writes to the database: a download
never changes the state of a month.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q

from kinerja.kalender import month_summaries
from kinerja.models import (
    BuktiDukung,
    EntriKinerja,
    Pegawai,
    Satker,
    Subbagian,
)
from kinerja.organisasi import sekretaris_on
from silabu.lib.dates import format_bulan, satker_time
from silabu.lib.formatting import format_percent
from silabu.lib.report import Rendered, Report, safe_filename
from silabu.lib.signatures import Signatory, place_date, signature_rows
from silabu.lib.xlsx import Sheet, Styled, bold

from ..models import LaporanBulanan
from .sections import (
    DRAFT_MARK,
    EntryRow,
    PersonSection,
    month_status,
    person_signatures,
    subbagian_verifier,
)

TITLE = "DATA KINERJA ASN HASIL VERIFIKASI"
FORMATS = ("pdf", "xlsx")
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


# An entry's columns, as this softfile and the compiled one (rekap.documents.compiled) print them.
ENTRY_COLUMNS = ["Kode output", "Nama kegiatan", "Output/hasil", "Volume", "Satuan", "Jumlah bukti"]
ROW_HEADER = ["No", "Nama", "NIP", "Tanggal", *ENTRY_COLUMNS, "Berkas bukti", "Keputusan"]
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


@dataclass
class SoftfileData(Report):
    """The softfile of one person's month (subbagian=None) or of a subbagian's people."""

    satker: Satker
    year: int
    month: int
    generated_at: datetime.datetime  # in the satker's zone
    sections: list[PersonSection]
    signatures: list[Signatory]
    subbagian: Subbagian | None = None

    formats = FORMATS
    template_name = "verifikasi/softfile.html"

    @property
    def title(self) -> str:
        return TITLE

    @property
    def period_label(self) -> str:
        return format_bulan(self.year, self.month)

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
            "completeness_label": format_percent(round(100 * filled / expected, 1) if expected else None),
            "entries": self.total_rows,
            "approved": sum(s.approved for s in self.sections),
            "returned": sum(s.returned for s in self.sections),
            "pending": sum(s.pending for s in self.sections),
        }

    # --- the file ------------------------------------------------------------------------------------------

    @property
    def footer(self) -> str:
        footer = f"{self.satker.nama} · Data Kinerja ASN Hasil Verifikasi · {self.period_label}"
        return f"{footer} · {self.subbagian.singkatan}" if self.subbagian is not None else footer

    def filename(self, fmt: str) -> str:
        if self.subbagian is not None:
            suffix = self.subbagian.singkatan
        else:
            pegawai = self.sections[0].pegawai
            suffix = pegawai.nip or str(pegawai.pk)
        kind = "terverifikasi" if self.is_final else "draf"
        return f"data-kinerja-{kind}-{self.year}-{self.month:02d}-{safe_filename(suffix)}.{fmt}"

    def sheets(self):
        yield Sheet("Data Kinerja", self._entry_rows(), widths=ROW_WIDTHS)
        yield Sheet("Ringkasan", self._summary_rows(), widths=SUMMARY_WIDTHS)

    def _heading(self) -> list[list]:
        lines = []
        if self.subbagian is not None:
            lines.append(f"Subbagian: {self.subbagian.nama}")
        elif self.sections:
            section = self.sections[0]
            lines.append(f"Pegawai: {section.nama} (NIP {section.nip})")
        lines += [
            f"Bulan: {self.period_label}",
            f"Dibuat: {self.generated_label}",
            Styled(f"Status: {self.status_label}", bold=True),
        ]
        return self.sheet_heading(self.title, lines)

    def _entry_rows(self):
        yield from self._heading()
        yield bold(ROW_HEADER)
        number = 0
        for section in self.sections:
            nama, nip = section.nama, section.nip
            for row in section.rows:
                number += 1
                yield (
                    number,
                    nama,
                    nip,
                    row.tanggal,
                    row.kode,
                    row.kegiatan,
                    row.output,
                    row.volume,
                    row.satuan,
                    row.bukti_count,
                    row.bukti_names,
                    row.status_label,
                )
        yield from signature_rows(self.signatures, columns=(2, 6, 10))

    def _summary_rows(self):
        yield from self._heading()
        yield bold(SUMMARY_HEADER)
        for number, s in enumerate(self.sections, 1):
            status = s.status
            yield (
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
                satker_time(self.satker, status.verified_at) if status.verified_at else None,
                status.verifikator.nama if status.verifikator else None,
            )
        t = self.totals
        yield bold(
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
            ]
        )


# --- reading a month --------------------------------------------------------------------------------------


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
        PersonSection(p, rows[p.pk], summaries[p.pk], month_status(satker, laporan.get(p.pk))) for p in people
    ]

    if subbagian is None:
        for section in sections:
            section.signatures = person_signatures(satker, section, today)
        signatures = sections[0].signatures if len(sections) == 1 else []
    else:
        verified = [s.status.verified_at for s in sections if s.status.verified_at]
        day = max(verified).date() if verified and all(s.status.verified for s in sections) else today
        verifier = subbagian_verifier(subbagian, sections, today)
        sekretaris = sekretaris_on(
            satker, today
        )  # an acting Sekretaris (Plt/Plh) on the day, else the holder
        signatures = [
            Signatory.of("Mengetahui,", sekretaris.sign_title, sekretaris.pegawai),
            Signatory.of(
                "Diverifikasi oleh,", verifier.sign_title, verifier.pegawai, place_date(satker.kota, day)
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


# --- the two softfiles -------------------------------------------------------------------------------------


def pegawai_softfile(pegawai: Pegawai, year: int, month: int) -> SoftfileData:
    return softfile_data(satker=pegawai.satker, people=[pegawai], year=year, month=month)


def subbagian_softfile(subbagian: Subbagian, year: int, month: int) -> SoftfileData:
    people = subbagian_people(subbagian, year, month)
    return softfile_data(satker=subbagian.satker, people=people, year=year, month=month, subbagian=subbagian)


def softfile_for_pegawai(pegawai: Pegawai, year: int, month: int, fmt: str = "pdf") -> Rendered:
    """The file at once (the site asks kinerja.document_store for it, which renders it off the request)."""
    return pegawai_softfile(pegawai, year, month).render(fmt)


def softfile_for_subbagian(subbagian: Subbagian, year: int, month: int, fmt: str = "pdf") -> Rendered:
    return subbagian_softfile(subbagian, year, month).render(fmt)
