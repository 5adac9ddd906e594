"""The documents of SOP steps 4–6 as generated documents (kinerja.dokumen): rendered off the request, stored.

- "rekap_bulanan" {tahun, bulan, fmt}: the compiled softfile (step 4), every verified entry row.
- "bahan_pleno" {tahun, bulan, fmt: "pdf"}: the plenary booklet (step 5): cover, summaries, charts, a section
  per subbagian; aggregates only.
- "hasil_pleno" {tahun, bulan, fmt}: the plenary's results (minutes, notes, corrections) and the compiled summary.
- "laporan_kinerja" {tahun, periode, fmt}: the FINAL months of a quarter, semester or year (rekap.aggregate).

A month's documents read only its frozen RekapBulanan snapshot (and the plenary record), never live master
data: a later rename of a person or an output code does not change them. Their data version is therefore the
snapshot's identity (plus the plenary record's change and finalisation times for the results).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja import dokumen as docs
from kinerja.errors import DomainError
from kinerja.models import Periode, Satker, TahapPeriode
from silabu.lib import pdf
from silabu.lib.dates import format_bulan, format_tanggal
from silabu.templatetags.silabu import angka
from verifikasi.softfile import PDF, XLSX, Signatory, percent, satker_time, zone_abbr

from . import aggregate, charts, spreadsheets
from .models import RapatPleno, RekapBulanan

RENDATIN_TITLE = "Kepala Subbagian Perencanaan, Data dan Informasi"
TITLE_REKAP = "DATA KINERJA ASN HASIL VERIFIKASI — HIMPUNAN"
TITLE_BAHAN = "Bahan Rapat Pleno Laporan Bulanan"
TITLE_HASIL = "HASIL RAPAT PLENO LAPORAN BULANAN"
TITLE_LAPORAN = "DATA KINERJA BAHAN LAPORAN KINERJA"
CHART_KELENGKAPAN = "Kelengkapan pengisian per subbagian (%)"
CHART_OUTPUT = "Jumlah kegiatan per kode output"


class DokumenTidakTersedia(DomainError):
    """The month (or its plenary) the document is about has not reached the step that makes it."""


# --- parameters ---------------------------------------------------------------------------------------------


def _month(params: dict) -> tuple[int, int]:
    year, month = int(params["tahun"]), int(params["bulan"])
    datetime.date(year, month, 1)  # a ValueError for a month that does not exist
    return year, month


def _fmt(params: dict, allowed=("pdf", "xlsx")) -> str:
    fmt = params.get("fmt", "pdf")
    if fmt not in allowed:
        raise ValueError(f"Unknown format: {fmt}")
    return fmt


def _find_rekap(satker: Satker, params: dict) -> RekapBulanan | None:
    year, month = _month(params)
    return (
        RekapBulanan.objects.filter(satker=satker, tahun=year, bulan=month).select_related("satker").first()
    )


def _require_rekap(satker: Satker, params: dict) -> RekapBulanan:
    rekap = _find_rekap(satker, params)
    if rekap is None:
        year, month = _month(params)
        raise DokumenTidakTersedia(f"Data kinerja {format_bulan(year, month)} belum dihimpun.")
    return rekap


# --- what the month's documents show, from the snapshot ------------------------------------------------------


def volume_label(volume: dict) -> str:
    """{"dokumen": "12.5"} (a snapshot's volumes) or Decimals, as "12,5 dokumen"."""
    return aggregate.volume_label({satuan: Decimal(str(v)) for satuan, v in volume.items()})


@dataclass(frozen=True)
class PersonRow:
    nama: str
    nip: str
    jabatan: str
    terverifikasi: bool
    verifikator: str
    hari_kerja: int
    hari_terisi: int
    terlambat: int
    kelengkapan: float | None
    entri: int

    @property
    def kelengkapan_label(self) -> str:
        return percent(self.kelengkapan)

    @property
    def status_label(self) -> str:
        return "Terverifikasi" if self.terverifikasi else "Belum diverifikasi"


@dataclass(frozen=True)
class OutputRow:
    kode: str
    uraian: str
    kegiatan: int
    pegawai: int
    volume: dict

    @property
    def volume_label(self) -> str:
        return volume_label(self.volume)


@dataclass(frozen=True)
class EntryRow:
    """One verified entry as printed (labels) and as a spreadsheet cell wants it (date, Decimal)."""

    no: int
    tanggal: datetime.date
    tanggal_label: str
    nama: str
    nip: str
    kode: str
    kegiatan: str
    hasil: str
    volume: Decimal
    volume_label: str  # "2 dokumen"
    satuan: str
    bukti: int


@dataclass(frozen=True)
class EntryGroup:
    """A person's rows within a subbagian's section."""

    nama: str
    nip: str
    rows: list[EntryRow]


@dataclass
class Section:
    nama: str
    singkatan: str
    kasubag: dict | None
    total: dict
    pegawai: list[PersonRow]
    outputs: list[OutputRow]
    groups: list[EntryGroup] = field(default_factory=list)

    @property
    def kelengkapan_label(self) -> str:
        return percent(self.total["kelengkapan"])

    @property
    def rows(self) -> list[EntryRow]:
        return [row for group in self.groups for row in group.rows]


def _person_row(p: dict) -> PersonRow:
    return PersonRow(
        nama=p["nama"],
        nip=p["nip"],
        jabatan=p["jabatan"],
        terverifikasi=p["terverifikasi"],
        verifikator=(p["verifikator"] or {}).get("nama", ""),
        hari_kerja=p["hari_kerja"],
        hari_terisi=p["hari_terisi"],
        terlambat=p["terlambat"],
        kelengkapan=p["kelengkapan"],
        entri=p["entri"],
    )


def _output_row(o: dict) -> OutputRow:
    return OutputRow(o["kode"], o["uraian"], o["kegiatan"], o["pegawai"], o["volume"])


def _entry_groups(sub: dict) -> list[EntryGroup]:
    """The subbagian's entries person by person (in the section's order of people), each by date."""
    people = {p["id"]: (p["nama"], p["nip"]) for p in sub["pegawai"]}
    by_person: dict[int, list] = {pk: [] for pk in people}
    for entry in sub["entri"]:  # already by date
        by_person.setdefault(entry[1], []).append(entry)
    dates: dict[str, tuple[datetime.date, str]] = {}
    groups, no = [], 0
    for pegawai_id, entries in by_person.items():
        if not entries:
            continue
        nama, nip = people.get(pegawai_id, ("—", ""))
        rows = []
        for tanggal, _, kode, kegiatan, hasil, volume, satuan, bukti in entries:
            day = dates.get(tanggal)
            if day is None:
                parsed = datetime.date.fromisoformat(tanggal)
                day = dates[tanggal] = (parsed, format_tanggal(parsed))
            no += 1
            amount = Decimal(volume)
            label = f"{angka(amount)} {satuan}".strip()
            rows.append(
                EntryRow(no, day[0], day[1], nama, nip, kode, kegiatan, hasil, amount, label, satuan, bukti)
            )
        groups.append(EntryGroup(nama, nip, rows))
    return groups


def _signatory(role: str, person: dict | None, fallback_title: str, place_date: str = "") -> Signatory:
    if not person:
        return Signatory(role, fallback_title, place_date=place_date)
    return Signatory(role, person.get("jabatan") or fallback_title, person["nama"], person["nip"], place_date)


def _snapshot_letterhead(satker: Satker, snap: dict) -> pdf.Letterhead:
    """The letterhead as the snapshot recorded the satker (the logo and phone as they are now)."""
    lines = list(snap.get("kop_baris") or [])
    if snap["nama"].casefold() not in {line.casefold() for line in lines}:
        lines.append(snap["nama"].upper())
    address = ", ".join(part for part in (snap.get("alamat"), snap.get("kota")) if part)
    if satker.telepon:
        address = f"{address} · Telp. {satker.telepon}" if address else f"Telp. {satker.telepon}"
    return pdf.Letterhead(lines, address, pdf.image_data_uri(satker.logo))


@dataclass
class MonthDoc:
    """A compiled month, ready for a template or a spreadsheet."""

    satker: Satker
    rekap: RekapBulanan
    generated_at: datetime.datetime
    sections: list[Section]
    outputs: list[OutputRow]
    signatures: list[Signatory]

    @property
    def data(self) -> dict:
        return self.rekap.data

    @property
    def year(self) -> int:
        return self.rekap.tahun

    @property
    def month(self) -> int:
        return self.rekap.bulan

    @property
    def period_label(self) -> str:
        return format_bulan(self.rekap.tahun, self.rekap.bulan)

    @property
    def generated_label(self) -> str:
        return satker_time(self.satker, self.generated_at)

    @property
    def compiled_label(self) -> str:
        return satker_time(self.satker, self.rekap.dihimpun_pada)

    @property
    def total(self) -> dict:
        return self.data["total"]

    @property
    def kelengkapan_label(self) -> str:
        return percent(self.total["kelengkapan"])

    @property
    def belum_terverifikasi(self) -> list[dict]:
        return self.data["belum_terverifikasi"]

    @property
    def alasan(self) -> str:
        return self.rekap.alasan_belum_lengkap

    @property
    def status_label(self) -> str:
        t = self.total
        counted = f"{t['terverifikasi']} dari {t['pegawai']} pegawai terverifikasi"
        return f"Lengkap ({counted})" if t["terverifikasi"] == t["pegawai"] else f"Belum lengkap ({counted})"

    @property
    def kota(self) -> str:
        return self.data["satker"].get("kota", "")

    def place_date(self, day: datetime.date) -> str:
        return f"{self.kota}, {format_tanggal(day)}"

    def completeness_chart(self) -> str:
        return charts.completeness_chart(
            [(s.singkatan or s.nama, s.nama, s.total["kelengkapan"]) for s in self.sections],
            title=CHART_KELENGKAPAN,
        )

    def output_chart(self) -> str:
        return charts.output_chart(self.data["output"], title=CHART_OUTPUT)


def month_doc(satker: Satker, rekap: RekapBulanan, *, entries: bool = False, now=None) -> MonthDoc:
    """The month's snapshot in rows; with `entries`, every verified entry row too (the compiled softfile)."""
    data = rekap.data
    sections = [
        Section(
            nama=sub["nama"],
            singkatan=sub["singkatan"],
            kasubag=sub["kasubag"],
            total=sub["total"],
            pegawai=[_person_row(p) for p in sub["pegawai"]],
            outputs=[_output_row(o) for o in sub["output"]],
            groups=_entry_groups(sub) if entries else [],
        )
        for sub in data["subbagian"]
    ]
    compiled_day = rekap.dihimpun_pada.astimezone(satker.tz).date()
    doc = MonthDoc(
        satker=satker,
        rekap=rekap,
        generated_at=(now or satker.now()).astimezone(satker.tz),
        sections=sections,
        outputs=[_output_row(o) for o in data["output"]],
        signatures=[],
    )
    signers = data["penandatangan"]
    doc.signatures = [
        _signatory("Mengetahui,", signers.get("sekretaris"), "Sekretaris"),
        _signatory("Dihimpun oleh,", signers.get("rendatin"), RENDATIN_TITLE, doc.place_date(compiled_day)),
    ]
    return doc


def _context(doc, kop: pdf.Letterhead, footer: str, **extra) -> dict:
    return {"doc": doc, "kop": kop, "footer": pdf.css_string(footer), **extra}


def _footer(doc: MonthDoc, what: str) -> str:
    return f"{doc.data['satker']['nama']} · {what} · {doc.period_label}"


def _filename(stem: str, year: int, suffix: str, fmt: str) -> str:
    return f"{stem}-{year}-{suffix}.{fmt}"


# --- step 4: the compiled softfile --------------------------------------------------------------------------


def _title_rekap(satker: Satker, params: dict) -> str:
    return f"Himpunan data kinerja {format_bulan(*_month(params))} ({_fmt(params).upper()})"


def _version_month(satker: Satker, params: dict) -> str:
    rekap = (
        RekapBulanan.objects.filter(satker=satker, tahun=params["tahun"], bulan=params["bulan"])
        .values_list("pk", "dihimpun_pada")
        .first()
    )
    return docs.fingerprint("rekap", *(rekap or ("belum-dihimpun",)))


def _render_rekap(satker: Satker, params: dict, progress) -> docs.Rendered:
    fmt = _fmt(params)
    rekap = _require_rekap(satker, params)
    doc = month_doc(satker, rekap, entries=True)
    progress(15)
    filename = _filename("himpunan-data-kinerja", doc.year, f"{doc.month:02d}", fmt)
    if fmt == "xlsx":
        return docs.Rendered(filename, XLSX, spreadsheets.rekap_xlsx(doc))
    kop = _snapshot_letterhead(satker, doc.data["satker"])
    context = _context(
        doc, kop, _footer(doc, "Himpunan Data Kinerja ASN Hasil Verifikasi"), title=TITLE_REKAP
    )
    content = pdf.render_pdf_parts(
        "rekap/dokumen/rekap_bulanan.html", [{**context, "part": part} for part in rekap_parts(doc)]
    )
    return docs.Rendered(filename, PDF, content)


ROWS_PER_PART = 400  # about 50 pages: WeasyPrint's peak memory follows the rows of one part


@dataclass
class Bagian:
    """A subbagian's section, or the rest of one too long for a part (`lanjutan`), in the compiled softfile."""

    section: Section
    groups: list[EntryGroup]
    lanjutan: bool = False

    @property
    def size(self) -> int:
        rows = sum(len(g.rows) + 1 for g in self.groups)
        return rows if self.lanjutan else rows + len(self.section.pegawai) + len(self.section.outputs)


@dataclass
class Part:
    bagian: list[Bagian]
    awal: bool = False


def rekap_parts(doc: MonthDoc, rows_per_part: int | None = None) -> list[Part]:
    """The compiled softfile cut into parts of about `rows_per_part` table rows, for render_pdf_parts: the
    summary first, then the sections in order; a person's rows are never split, a section may continue."""
    rows_per_part = rows_per_part or ROWS_PER_PART
    bagian: list[Bagian] = []
    for section in doc.sections:
        current = Bagian(section, [])
        for group in section.groups:
            if current.groups and current.size + len(group.rows) > rows_per_part:
                bagian.append(current)
                current = Bagian(section, [], lanjutan=True)
            current.groups.append(group)
        bagian.append(current)
    parts = [Part([], awal=True)]
    for b in bagian:
        last = parts[-1]
        if last.bagian and sum(x.size for x in last.bagian) + b.size > rows_per_part:
            parts.append(Part([b]))
        else:
            last.bagian.append(b)
    return parts


# --- step 5: the plenary booklet ----------------------------------------------------------------------------


def _title_bahan(satker: Satker, params: dict) -> str:
    return f"Bahan rapat pleno {format_bulan(*_month(params))} (PDF)"


def _render_bahan(satker: Satker, params: dict, progress) -> docs.Rendered:
    _fmt(params, allowed=("pdf",))
    rekap = _require_rekap(satker, params)
    doc = month_doc(satker, rekap)
    progress(15)
    kop = _snapshot_letterhead(satker, doc.data["satker"])
    content = pdf.render_pdf(
        "rekap/dokumen/bahan_pleno.html",
        _context(
            doc,
            kop,
            _footer(doc, TITLE_BAHAN),
            title=TITLE_BAHAN,
            chart_kelengkapan=doc.completeness_chart(),
            chart_output=doc.output_chart(),
            chart_titles=(CHART_KELENGKAPAN, CHART_OUTPUT),
        ),
    )
    return docs.Rendered(_filename("bahan-rapat-pleno", doc.year, f"{doc.month:02d}", "pdf"), PDF, content)


# --- steps 5–6: the plenary's results -----------------------------------------------------------------------


@dataclass(frozen=True)
class NoteRow:
    subbagian: str
    kode: str
    uraian: str
    catatan: str
    koreksi: str

    @property
    def lingkup(self) -> str:
        if self.kode:
            return "Kode output"
        return "Subbagian" if self.subbagian else "Umum"


@dataclass
class PlenoDoc:
    month: MonthDoc
    rapat: RapatPleno
    peserta: list[dict]  # Person dicts: as recorded at finalisation, or the current attendees before
    peserta_lain: list[str]
    notes: list[NoteRow]
    signatures: list[Signatory]

    @property
    def final(self) -> bool:
        return self.rapat.is_final

    @property
    def status_label(self) -> str:
        if self.final:
            return f"Final — difinalisasi pada {satker_time(self.month.satker, self.rapat.difinalisasi_pada)}"
        return "DRAF — hasil rapat belum difinalisasi"

    @property
    def tanggal_label(self) -> str:
        return format_tanggal(self.rapat.tanggal, with_day=True)

    @property
    def waktu_label(self) -> str:
        mulai, selesai = self.rapat.mulai, self.rapat.selesai
        if not mulai:
            return "—"
        text = f"{mulai:%H.%M}" + (f"–{selesai:%H.%M}" if selesai else " – selesai")
        return f"{text} {zone_abbr(self.month.satker)}"

    @property
    def pimpinan(self) -> str:
        p = self.rapat.pimpinan_rapat
        return p.nama if p else "—"

    @property
    def notes_umum(self) -> list[NoteRow]:
        return [n for n in self.notes if n.lingkup == "Umum"]

    @property
    def notes_subbagian(self) -> list[NoteRow]:
        return [n for n in self.notes if n.lingkup == "Subbagian"]

    @property
    def notes_output(self) -> list[NoteRow]:
        return [n for n in self.notes if n.lingkup == "Kode output"]

    @property
    def koreksi(self) -> list[NoteRow]:
        return [n for n in self.notes if n.koreksi]


def _find_rapat(rekap: RekapBulanan) -> RapatPleno | None:
    return RapatPleno.objects.filter(rekap=rekap).select_related("pimpinan_rapat").first()


def pleno_doc(satker: Satker, rekap: RekapBulanan, rapat: RapatPleno, now=None) -> PlenoDoc:
    month = month_doc(satker, rekap, now=now)
    if rapat.is_final:
        peserta = list(rapat.peserta_snapshot)
    else:
        from .snapshot import person

        peserta = [person(p) for p in rapat.peserta.order_by("nama")]
    uraian = {o["kode"]: o["uraian"] for o in rekap.data["output"]}
    notes = [
        NoteRow(c.subbagian_nama, c.kode_output, uraian.get(c.kode_output, ""), c.catatan, c.koreksi)
        for c in rapat.catatan_set.all()
    ]
    signers = rekap.data["penandatangan"]
    pimpinan = rapat.pimpinan_rapat
    place_date = month.place_date(rapat.tanggal)
    signatures = [
        Signatory(
            "Pimpinan Rapat,",
            (pimpinan.jabatan if pimpinan else "") or "",
            pimpinan.nama if pimpinan else "",
            pimpinan.nip_display if pimpinan else "",
        ),
        _signatory("Mengetahui,", signers.get("sekretaris"), "Sekretaris"),
        _signatory("Dicatat oleh,", signers.get("rendatin"), RENDATIN_TITLE, place_date),
    ]
    return PlenoDoc(
        month=month,
        rapat=rapat,
        peserta=peserta,
        peserta_lain=[line.strip() for line in rapat.peserta_lain.splitlines() if line.strip()],
        notes=notes,
        signatures=signatures,
    )


def _title_hasil(satker: Satker, params: dict) -> str:
    return f"Hasil rapat pleno {format_bulan(*_month(params))} ({_fmt(params).upper()})"


def _version_hasil(satker: Satker, params: dict) -> str:
    row = (
        RekapBulanan.objects.filter(satker=satker, tahun=params["tahun"], bulan=params["bulan"])
        .values_list("pk", "dihimpun_pada", "pleno__pk", "pleno__diubah", "pleno__difinalisasi_pada")
        .first()
    )
    return docs.fingerprint("hasil", *(row or ("belum-dihimpun",)))


def _render_hasil(satker: Satker, params: dict, progress) -> docs.Rendered:
    fmt = _fmt(params)
    rekap = _require_rekap(satker, params)
    rapat = _find_rapat(rekap)
    if rapat is None:
        raise DokumenTidakTersedia(f"Rapat pleno {format_bulan(rekap.tahun, rekap.bulan)} belum dicatat.")
    doc = pleno_doc(satker, rekap, rapat)
    progress(15)
    filename = _filename("hasil-rapat-pleno", rekap.tahun, f"{rekap.bulan:02d}", fmt)
    if fmt == "xlsx":
        return docs.Rendered(filename, XLSX, spreadsheets.hasil_xlsx(doc))
    kop = _snapshot_letterhead(satker, rekap.data["satker"])
    footer = _footer(doc.month, "Hasil Rapat Pleno Laporan Bulanan")
    content = pdf.render_pdf(
        "rekap/dokumen/hasil_pleno.html", _context(doc, kop, footer, title=TITLE_HASIL, month=doc.month)
    )
    return docs.Rendered(filename, PDF, content)


# --- step 6: the Laporan Kinerja data -----------------------------------------------------------------------


@dataclass
class LaporanDoc:
    satker: Satker
    report: aggregate.LaporanKinerja
    generated_at: datetime.datetime
    signatures: list[Signatory]

    @property
    def period_label(self) -> str:
        return self.report.periode_label

    @property
    def generated_label(self) -> str:
        return satker_time(self.satker, self.generated_at)


def laporan_doc(satker: Satker, year: int, periode: str, now=None) -> LaporanDoc:
    report = aggregate.laporan_kinerja(satker, year, periode)
    now = (now or satker.now()).astimezone(satker.tz)
    signers = report.penandatangan or {}
    place_date = f"{satker.kota}, {format_tanggal(now.date())}"
    return LaporanDoc(
        satker=satker,
        report=report,
        generated_at=now,
        signatures=[
            _signatory("Mengetahui,", signers.get("sekretaris"), "Sekretaris"),
            _signatory("Disusun oleh,", signers.get("rendatin"), RENDATIN_TITLE, place_date),
        ],
    )


def _periode(params: dict) -> tuple[int, str]:
    year, periode = int(params["tahun"]), params.get("periode", "TAHUN")
    if periode not in aggregate.PERIODE_BULAN:
        raise ValueError(f"Unknown periode: {periode}")
    return year, periode


def _title_laporan(satker: Satker, params: dict) -> str:
    year, periode = _periode(params)
    return f"Data Laporan Kinerja {aggregate.periode_label(year, periode)} ({_fmt(params).upper()})"


def _version_laporan(satker: Satker, params: dict) -> str:
    """The FINAL months included, each with its compilation and finalisation: nothing else can change."""
    year, periode = _periode(params)
    months = aggregate.PERIODE_BULAN[periode]
    final = list(
        Periode.objects.filter(satker=satker, tahun=year, bulan__in=months, tahap=TahapPeriode.FINAL)
        .order_by("bulan")
        .values_list("bulan", flat=True)
    )
    included = list(
        RekapBulanan.objects.filter(satker=satker, tahun=year, bulan__in=final)
        .order_by("bulan")
        .values_list("bulan", "pk", "dihimpun_pada", "pleno__difinalisasi_pada")
    )
    return docs.fingerprint("laporan", year, periode, included)


def _render_laporan(satker: Satker, params: dict, progress) -> docs.Rendered:
    fmt = _fmt(params)
    year, periode = _periode(params)
    doc = laporan_doc(satker, year, periode)
    progress(20)
    filename = _filename("data-laporan-kinerja", year, periode, fmt)
    if fmt == "xlsx":
        return docs.Rendered(filename, XLSX, spreadsheets.laporan_xlsx(doc))
    footer = f"{satker.nama} · Data Laporan Kinerja · {doc.period_label}"
    content = pdf.render_pdf(
        "rekap/dokumen/laporan_kinerja.html",
        _context(doc, pdf.letterhead(satker), footer, title=TITLE_LAPORAN, r=doc.report),
    )
    return docs.Rendered(filename, PDF, content)


# --- registry -----------------------------------------------------------------------------------------------


def register() -> None:
    docs.register(docs.Generator("rekap_bulanan", _title_rekap, _render_rekap, _version_month))
    docs.register(docs.Generator("bahan_pleno", _title_bahan, _render_bahan, _version_month))
    docs.register(docs.Generator("hasil_pleno", _title_hasil, _render_hasil, _version_hasil))
    docs.register(docs.Generator("laporan_kinerja", _title_laporan, _render_laporan, _version_laporan))
