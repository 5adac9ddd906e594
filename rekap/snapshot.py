"""The frozen snapshot of a compiled month (SOP step 4, *menghimpun*), as plain JSON.

Everything a later document or page shows about the month is copied in — names, NIPs, jabatan, the output
codes' descriptions, the signatories — so later edits to master data never change what was compiled.
Only verified people's entries count in the totals; the unverified are listed as such.

Shape (all numbers are ints, volumes are decimal strings, dates ISO strings):

    {"versi": 1, "tahun", "bulan",
     "satker": {"nama", "kota", "zona_waktu", "alamat", "kop_baris": [..]},
     "penandatangan": {"rendatin": Person | None, "sekretaris": Person | None},
     "subbagian": [{"id", "nama", "singkatan", "kasubag": Person | None,
                    "pegawai": [PersonMonth], "output": [Output], "entri": [Entry],
                    "total": {"pegawai", "terverifikasi", "kegiatan", "kelengkapan"}}],
     "output": [Output],                  # the whole satker, by code
     "belum_terverifikasi": [{"nama", "nip", "subbagian", "menunggu", "dikembalikan", "entri"}],
     "total": {"pegawai", "terverifikasi", "kegiatan", "kelengkapan", "hari_kerja"}}
    Person = {"nama", "nip", "jabatan"}
    PersonMonth = Person + {"id", "terverifikasi", "verifikator": Person + {"acting"} | None,
                            "diverifikasi_pada", "hari_kerja", "hari_terisi", "terlambat", "kelengkapan", "entri"}
    Output = {"kode", "uraian", "kegiatan", "pegawai", "pegawai_ids", "volume": {satuan: "12.5"}, "hasil": [..]}
    Entry = [tanggal, pegawai_id, kode, nama_kegiatan, output_hasil, volume, satuan, jumlah_bukti]
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from kinerja.kalender import month_summaries
from kinerja.models import EntriKinerja, Pegawai, Satker, StatusEntri, Subbagian
from verifikasi.models import LaporanBulanan, StatusLaporan

VERSION = 1
NO_SUBBAGIAN = {"id": None, "nama": "Tanpa subbagian", "singkatan": "-"}
HASIL_PER_OUTPUT = 30  # distinct results listed per output code; the full rows are in "entri"


def person(pegawai: Pegawai | None, jabatan: str = "") -> dict | None:
    if pegawai is None:
        return None
    return {"nama": pegawai.nama, "nip": pegawai.nip_display, "jabatan": jabatan or pegawai.jabatan}


def people_to_verify(satker: Satker):
    """Everyone whose month is verified: the active ASN, except the Sekretaris (nobody verifies them)."""
    return (
        Pegawai.objects.filter(satker=satker)
        .active()
        .asn()
        .exclude(pk=satker.sekretaris_id or 0)
        .select_related("satker", "subbagian")
        .order_by("subbagian__urutan", "nama")
    )


def decimal_str(value: Decimal) -> str:
    return format(value.normalize(), "f")


class _OutputTotals:
    def __init__(self, kode: str, uraian: str):
        self.kode, self.uraian = kode, uraian
        self.kegiatan = 0
        self.people: set[int] = set()
        self.volume: dict[str, Decimal] = defaultdict(Decimal)
        self.hasil: dict[str, None] = {}

    def add(self, pegawai_id: int, volume: Decimal, satuan: str, hasil: str) -> None:
        self.kegiatan += 1
        self.people.add(pegawai_id)
        self.volume[satuan] += volume
        if len(self.hasil) < HASIL_PER_OUTPUT:
            self.hasil.setdefault(hasil, None)

    def as_json(self) -> dict:
        return {
            "kode": self.kode,
            "uraian": self.uraian,
            "kegiatan": self.kegiatan,
            "pegawai": len(self.people),
            "pegawai_ids": sorted(self.people),
            "volume": {satuan: decimal_str(v) for satuan, v in sorted(self.volume.items())},
            "hasil": list(self.hasil),
        }


def _average(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 1) if known else None


ENTRY_COLUMNS = (
    "pegawai_id",
    "tanggal",
    "kode_output__kode",
    "kode_output__uraian",
    "nama_kegiatan",
    "output_hasil",
    "volume",
    "satuan",
    "jumlah_bukti",
)


def _approved_entries(ids: list[int], verified: set[int], year: int, month: int) -> dict[int, list[tuple]]:
    """The approved entries of the verified people, in the order of the day's work, as ENTRY_COLUMNS tuples."""
    by_person: dict[int, list[tuple]] = defaultdict(list)
    rows = (
        EntriKinerja.objects.filter(pegawai_id__in=ids)
        .in_month(year, month)
        .approved()
        .annotate(jumlah_bukti=Count("bukti"))
        .order_by("tanggal", "jam_mulai", "pk")
        .values_list(*ENTRY_COLUMNS)
    )
    for row in rows:
        if row[0] in verified:
            by_person[row[0]].append(row)
    return by_person


def _new_section(subbagian: Subbagian | None) -> dict:
    if subbagian is None:
        head = {**NO_SUBBAGIAN, "kasubag": None}
    else:
        head = {
            "id": subbagian.pk,
            "nama": subbagian.nama,
            "singkatan": subbagian.singkatan,
            "kasubag": person(subbagian.kasubag),
        }
    return {**head, "pegawai": [], "_outputs": {}, "entri": []}


def _verifikator(laporan: LaporanBulanan) -> dict | None:
    if laporan.verifikator is None:
        return None
    return {**person(laporan.verifikator, laporan.verifikator_jabatan), "acting": laporan.verifikator_acting}


def _person_month(pegawai: Pegawai, summary, laporan: LaporanBulanan | None, entries: int) -> dict:
    """PersonMonth: who verified them and when (only once verified), how complete their month is."""
    verified = laporan is not None and laporan.status == StatusLaporan.TERVERIFIKASI
    return {
        **person(pegawai),
        "id": pegawai.pk,
        "terverifikasi": verified,
        "verifikator": _verifikator(laporan) if verified else None,
        "diverifikasi_pada": laporan.diverifikasi_pada.isoformat()
        if verified and laporan.diverifikasi_pada
        else None,
        "hari_kerja": summary.expected,
        "hari_terisi": summary.filled,
        "terlambat": summary.filled_late,
        "kelengkapan": summary.completeness,
        "entri": entries,
    }


def _unverified(pegawai: Pegawai, subbagian: str, counts: dict[str, int]) -> dict:
    return {
        **person(pegawai),
        "subbagian": subbagian,
        "menunggu": counts[StatusEntri.DIAJUKAN],
        "dikembalikan": counts[StatusEntri.DIKEMBALIKAN],
        "entri": sum(counts.values()),
    }


def _add_entries(section: dict, satker_outputs: dict[str, _OutputTotals], entries: list[tuple]) -> None:
    """A verified person's approved entries, into their subbagian's and the satker's output totals."""
    for pegawai_id, tanggal, kode, uraian, kegiatan, hasil, volume, satuan, bukti in entries:
        kode = kode or "-"
        for outputs in (section["_outputs"], satker_outputs):
            totals = outputs.get(kode)
            if totals is None:
                totals = outputs[kode] = _OutputTotals(kode, uraian or "")
            totals.add(pegawai_id, volume, satuan, hasil)
        section["entri"].append(
            [tanggal.isoformat(), pegawai_id, kode, kegiatan, hasil, decimal_str(volume), satuan, bukti]
        )


def _finish_section(section: dict) -> dict:
    outputs = section.pop("_outputs")
    section["output"] = [outputs[k].as_json() for k in sorted(outputs)]
    section["entri"].sort(key=lambda e: (e[0], e[1]))
    section["total"] = {
        "pegawai": len(section["pegawai"]),
        "terverifikasi": sum(1 for p in section["pegawai"] if p["terverifikasi"]),
        "kegiatan": len(section["entri"]),
        "kelengkapan": _average([p["kelengkapan"] for p in section["pegawai"]]),
    }
    return section


def _satker(satker: Satker) -> dict:
    return {
        "nama": satker.nama,
        "kota": satker.kota,
        "zona_waktu": satker.zona_waktu,
        "alamat": satker.alamat,
        "kop_baris": satker.kop_lines,
    }


@dataclass
class _MonthRead:
    """The month's people and what they did, read in a fixed number of queries."""

    people: list[Pegawai]
    laporan: dict[int, LaporanBulanan]
    verified: set[int]
    summaries: dict
    counts: dict[int, dict[str, int]]
    entries: dict[int, list[tuple]]

    @classmethod
    def read(cls, satker: Satker, year: int, month: int) -> "_MonthRead":
        people = list(people_to_verify(satker))
        ids = [p.pk for p in people]
        laporan = {
            lap.pegawai_id: lap
            for lap in LaporanBulanan.objects.filter(
                pegawai_id__in=ids, tahun=year, bulan=month
            ).select_related("verifikator")
        }
        verified = {pk for pk, lap in laporan.items() if lap.status == StatusLaporan.TERVERIFIKASI}
        return cls(
            people=people,
            laporan=laporan,
            verified=verified,
            summaries=month_summaries(people, year, month, today=satker.today()),
            counts=EntriKinerja.objects.filter(pegawai_id__in=ids)
            .in_month(year, month)
            .status_counts("pegawai_id"),
            entries=_approved_entries(ids, verified, year, month),
        )


def _sections(read: _MonthRead, subbagian_list: list[Subbagian]) -> tuple[list[dict], list[dict], list[dict]]:
    """Each person into their subbagian's section (people without one into "Tanpa subbagian", last): the
    sections that have people, the satker's outputs and the unverified people."""
    sections = {s.pk: _new_section(s) for s in subbagian_list}
    satker_outputs: dict[str, _OutputTotals] = {}
    unverified = []
    for p in read.people:
        section = sections.get(p.subbagian_id) or sections.setdefault(None, _new_section(None))
        mine = read.entries.get(p.pk, [])
        section["pegawai"].append(_person_month(p, read.summaries[p.pk], read.laporan.get(p.pk), len(mine)))
        if p.pk not in read.verified:
            unverified.append(_unverified(p, section["nama"], read.counts[p.pk]))
        _add_entries(section, satker_outputs, mine)
    outputs = [satker_outputs[k].as_json() for k in sorted(satker_outputs)]
    return [_finish_section(s) for s in sections.values() if s["pegawai"]], outputs, unverified


def _signatories(satker: Satker, subbagian_list: list[Subbagian]) -> dict:
    rendatin = next((s for s in subbagian_list if s.is_rendatin), None)
    return {
        "rendatin": person(rendatin.kasubag) if rendatin else None,
        "sekretaris": person(satker.sekretaris) if satker.sekretaris_id else None,
    }


def _total(sections: list[dict], verified: int) -> dict:
    people = [p for s in sections for p in s["pegawai"]]
    return {
        "pegawai": len(people),
        "terverifikasi": verified,
        "kegiatan": sum(s["total"]["kegiatan"] for s in sections),
        "kelengkapan": _average([p["kelengkapan"] for p in people]),
        "hari_kerja": max((p["hari_kerja"] for p in people), default=0),
    }


def build(satker: Satker, year: int, month: int) -> dict:
    """Read the month once (a fixed number of queries) into the snapshot."""
    read = _MonthRead.read(satker, year, month)
    subbagian_list = list(
        Subbagian.objects.filter(satker=satker).select_related("kasubag").order_by("urutan", "nama")
    )
    sections, outputs, unverified = _sections(read, subbagian_list)
    return {
        "versi": VERSION,
        "tahun": year,
        "bulan": month,
        "satker": _satker(satker),
        "penandatangan": _signatories(satker, subbagian_list),
        "subbagian": sections,
        "output": outputs,
        "belum_terverifikasi": unverified,
        "total": _total(sections, len(read.verified & {p.pk for p in read.people})),
    }
