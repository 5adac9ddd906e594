"""A compiled month as its documents show it: the rows of its frozen RekapBulanan snapshot, read once.

Every document of SOP steps 4–6 about one month (the compiled softfile, the plenary booklet, the plenary's
results) is a `MonthDoc` or carries one. It reads only the snapshot (and the plenary record), never live
master data: a later rename of a person or an output code does not change it. The sheets shared by those
documents (the summary per subbagian and output code, the people, those not verified) are written here once.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja import document_store as docs
from kinerja.document_store import DokumenTidakTersedia
from kinerja.models import Satker
from silabu.lib.dates import format_bulan, format_tanggal, satker_time
from silabu.lib.formatting import format_number, format_percent
from silabu.lib.letterhead import Letterhead
from silabu.lib.report import Report
from silabu.lib.signatures import Signatory, place_date
from silabu.lib.xlsx import bold

from .. import aggregate, angka, charts
from ..models import RekapBulanan

RENDATIN_TITLE = "Kepala Subbagian Perencanaan, Data dan Informasi"
CHART_KELENGKAPAN = "Kelengkapan pengisian per subbagian (%)"
CHART_OUTPUT = "Jumlah kegiatan per kode output"
SUMMARY_HEADER = [
    "No",
    "Subbagian",
    "Kepala subbagian",
    angka.label("pegawai"),
    angka.label("terverifikasi"),
    angka.label("kegiatan"),
    f"{angka.label('kelengkapan')} (%)",
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
SUMMARY_WIDTHS = [6, 40, 28, 22, 28, 30, 10, 10, 12, 12, 16, 28]


# --- parameters ---------------------------------------------------------------------------------------------


def month_of(params: dict) -> tuple[int, int]:
    year, month = int(params["tahun"]), int(params["bulan"])
    datetime.date(year, month, 1)  # a ValueError for a month that does not exist
    return year, month


def find_rekap(satker: Satker, params: dict) -> RekapBulanan | None:
    year, month = month_of(params)
    return (
        RekapBulanan.objects.filter(satker=satker, tahun=year, bulan=month).select_related("satker").first()
    )


def require_rekap(satker: Satker, params: dict) -> RekapBulanan:
    rekap = find_rekap(satker, params)
    if rekap is None:
        year, month = month_of(params)
        raise DokumenTidakTersedia(f"Data kinerja {format_bulan(year, month)} belum dihimpun.")
    return rekap


def version_month(satker: Satker, params: dict) -> str:
    """A month's snapshot cannot change: its identity is the data version."""
    rekap = (
        RekapBulanan.objects.filter(satker=satker, tahun=params["tahun"], bulan=params["bulan"])
        .values_list("pk", "dihimpun_pada")
        .first()
    )
    return docs.fingerprint("rekap", *(rekap or ("belum-dihimpun",)))


# --- the rows -----------------------------------------------------------------------------------------------


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
        return format_percent(self.kelengkapan)

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
        return format_percent(self.total["kelengkapan"])

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
            label = f"{format_number(amount)} {satuan}".strip()
            rows.append(
                EntryRow(no, day[0], day[1], nama, nip, kode, kegiatan, hasil, amount, label, satuan, bukti)
            )
        groups.append(EntryGroup(nama, nip, rows))
    return groups


# --- the month ----------------------------------------------------------------------------------------------


@dataclass
class MonthDoc(Report):
    """A compiled month, ready for a template or a spreadsheet. The documents about it subclass it."""

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
    def compiled_label(self) -> str:
        return satker_time(self.satker, self.rekap.dihimpun_pada)

    @property
    def letterhead(self) -> Letterhead:
        """The satker as the snapshot recorded it (its logo and phone as they are now)."""
        snap = self.data["satker"]
        return Letterhead.of(
            kop_lines=snap.get("kop_baris"),
            nama=snap["nama"],
            alamat=snap.get("alamat") or "",
            kota=snap.get("kota") or "",
            telepon=self.satker.telepon,
            logo=self.satker.logo,
        )

    @property
    def total(self) -> dict:
        return self.data["total"]

    @property
    def kelengkapan_label(self) -> str:
        return format_percent(self.total["kelengkapan"])

    @property
    def belum_terverifikasi(self) -> list[dict]:
        return self.data["belum_terverifikasi"]

    @property
    def alasan(self) -> str:
        return self.rekap.alasan_belum_lengkap

    @property
    def notice(self) -> str:
        """The compilation's exception, on every page of the month's documents that shows its numbers."""
        return angka.notice_of(self.rekap)

    @property
    def status_label(self) -> str:
        t = self.total
        counted = angka.verified_of(t["terverifikasi"], t["pegawai"])
        return f"Lengkap ({counted})" if t["terverifikasi"] == t["pegawai"] else f"Belum lengkap ({counted})"

    @property
    def kota(self) -> str:
        return self.data["satker"].get("kota", "")

    def place_date(self, day: datetime.date) -> str:
        return place_date(self.kota, day)

    def month_footer(self, what: str) -> str:
        return f"{self.data['satker']['nama']} · {what} · {self.period_label}"

    def month_filename(self, stem: str, fmt: str) -> str:
        return f"{stem}-{self.year}-{self.month:02d}.{fmt}"

    def completeness_chart(self) -> str:
        return charts.completeness_chart(
            [(s.singkatan or s.nama, s.nama, s.total["kelengkapan"]) for s in self.sections],
            title=CHART_KELENGKAPAN,
        )

    def output_chart(self) -> str:
        return charts.output_chart(self.data["output"], title=CHART_OUTPUT)

    # --- the sheets' parts shared by the month's documents ------------------------------------------------

    def month_heading(self, title: str, extra: list[str] = ()) -> list[list]:
        notice = [self.notice] if self.notice else []
        return self.sheet_heading(
            title, [f"Bulan: {self.period_label}", *extra, *notice, f"Dibuat: {self.generated_label}"]
        )

    def summary_rows(self):
        """Per subbagian and per output code: the compiled month's summary."""
        yield bold(["Ringkasan per subbagian"])
        yield bold(SUMMARY_HEADER)
        for no, s in enumerate(self.sections, 1):
            t = s.total
            kasubag = s.kasubag["nama"] if s.kasubag else None
            yield (no, s.nama, kasubag, t["pegawai"], t["terverifikasi"], t["kegiatan"], t["kelengkapan"])
        t = self.total
        yield bold([None, "Jumlah", None, t["pegawai"], t["terverifikasi"], t["kegiatan"], t["kelengkapan"]])
        yield ()
        yield bold(["Total per kode output"])
        yield bold(OUTPUT_HEADER)
        for no, o in enumerate(self.outputs, 1):
            yield (no, o.kode, o.uraian, o.kegiatan, o.pegawai, o.volume_label)
        yield bold([None, "Jumlah", None, sum(o.kegiatan for o in self.outputs)])

    def people_rows(self):
        yield ()
        yield bold(["Kelengkapan per pegawai"])
        yield bold(PEOPLE_HEADER)
        no = 0
        for s in self.sections:
            for p in s.pegawai:
                no += 1
                yield (
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
                )

    def unverified_rows(self):
        if not self.belum_terverifikasi:
            return
        yield ()
        yield bold(["Pegawai belum terverifikasi (data tidak dihimpun)"])
        yield (f"Alasan dihimpun: {self.alasan or '—'}",)
        yield bold(["No", "Nama", "NIP", "Subbagian", "Menunggu", "Dikembalikan", "Entri"])
        for no, p in enumerate(self.belum_terverifikasi, 1):
            yield (no, p["nama"], p["nip"], p["subbagian"], p["menunggu"], p["dikembalikan"], p["entri"])


def month_doc(
    satker: Satker, rekap: RekapBulanan, *, entries: bool = False, now=None, kind: type[MonthDoc] = MonthDoc
) -> MonthDoc:
    """The month's snapshot in rows; with `entries`, every verified entry row too (the compiled softfile).
    `kind` is the document about the month that is made of it."""
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
    doc = kind(
        satker=satker,
        rekap=rekap,
        generated_at=(now or satker.now()).astimezone(satker.tz),
        sections=sections,
        outputs=[_output_row(o) for o in data["output"]],
        signatures=[],
    )
    signers = data["penandatangan"]
    doc.signatures = [
        Signatory.recorded("Mengetahui,", signers.get("sekretaris"), "Sekretaris"),
        Signatory.recorded(
            "Dihimpun oleh,", signers.get("rendatin"), RENDATIN_TITLE, doc.place_date(compiled_day)
        ),
    ]
    return doc
