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
from decimal import Decimal

from django.db.models import Count

from kinerja.kalender import month_summaries
from kinerja.models import EntriKinerja, Pegawai, Satker, StatusEntri, Subbagian
from silabu.lib.dates import month_bounds
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


def build(satker: Satker, year: int, month: int) -> dict:
    """Read the month once (a fixed number of queries) into the snapshot."""
    start, end = month_bounds(year, month)
    people = list(people_to_verify(satker))
    ids = [p.pk for p in people]
    laporan = {
        lap.pegawai_id: lap
        for lap in LaporanBulanan.objects.filter(pegawai_id__in=ids, tahun=year, bulan=month).select_related(
            "verifikator"
        )
    }
    verified = {pk for pk, lap in laporan.items() if lap.status == StatusLaporan.TERVERIFIKASI}
    summaries = month_summaries(people, year, month, today=satker.today())
    status_counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    entries_by_person: dict[int, list] = defaultdict(list)
    rows = (
        EntriKinerja.objects.filter(pegawai_id__in=ids, tanggal__range=(start, end))
        .annotate(jumlah_bukti=Count("bukti"))
        .order_by("tanggal", "jam_mulai", "pk")
        .values_list(
            "pegawai_id",
            "status",
            "tanggal",
            "kode_output__kode",
            "kode_output__uraian",
            "nama_kegiatan",
            "output_hasil",
            "volume",
            "satuan",
            "jumlah_bukti",
        )
    )
    for row in rows:
        status_counts[row[0]][row[1]] += 1
        if row[0] in verified and row[1] == StatusEntri.DISETUJUI:
            entries_by_person[row[0]].append(row)

    subbagian_list = list(
        Subbagian.objects.filter(satker=satker).select_related("kasubag").order_by("urutan", "nama")
    )
    sections = {
        s.pk: {
            "id": s.pk,
            "nama": s.nama,
            "singkatan": s.singkatan,
            "kasubag": person(s.kasubag),
            "pegawai": [],
            "_outputs": {},
            "entri": [],
        }
        for s in subbagian_list
    }
    satker_outputs: dict[str, _OutputTotals] = {}
    unverified = []
    for p in people:
        section = sections.get(p.subbagian_id)
        if section is None:
            section = sections.setdefault(
                None, {**NO_SUBBAGIAN, "kasubag": None, "pegawai": [], "_outputs": {}, "entri": []}
            )
        summary = summaries[p.pk]
        lap = laporan.get(p.pk)
        is_verified = p.pk in verified
        mine = entries_by_person.get(p.pk, [])
        verifikator = None
        if is_verified and lap.verifikator is not None:
            verifikator = {
                **person(lap.verifikator, lap.verifikator_jabatan),
                "acting": lap.verifikator_acting,
            }
        section["pegawai"].append(
            {
                **person(p),
                "id": p.pk,
                "terverifikasi": is_verified,
                "verifikator": verifikator,
                "diverifikasi_pada": lap.diverifikasi_pada.isoformat()
                if is_verified and lap.diverifikasi_pada
                else None,
                "hari_kerja": summary.expected,
                "hari_terisi": summary.filled,
                "terlambat": summary.filled_late,
                "kelengkapan": summary.completeness,
                "entri": len(mine),
            }
        )
        if not is_verified:
            counts = status_counts.get(p.pk, {})
            unverified.append(
                {
                    **person(p),
                    "subbagian": section["nama"],
                    "menunggu": counts.get(StatusEntri.DIAJUKAN, 0),
                    "dikembalikan": counts.get(StatusEntri.DIKEMBALIKAN, 0),
                    "entri": sum(counts.values()),
                }
            )
        for pegawai_id, _, tanggal, kode, uraian, kegiatan, hasil, volume, satuan, bukti in mine:
            kode = kode or "-"
            for outputs in (section["_outputs"], satker_outputs):
                totals = outputs.get(kode)
                if totals is None:
                    totals = outputs[kode] = _OutputTotals(kode, uraian or "")
                totals.add(pegawai_id, volume, satuan, hasil)
            section["entri"].append(
                [tanggal.isoformat(), pegawai_id, kode, kegiatan, hasil, decimal_str(volume), satuan, bukti]
            )

    result_sections = []
    for section in sections.values():
        if not section["pegawai"]:
            continue
        outputs = section.pop("_outputs")
        section["output"] = [outputs[k].as_json() for k in sorted(outputs)]
        section["entri"].sort(key=lambda e: (e[0], e[1]))
        section["total"] = {
            "pegawai": len(section["pegawai"]),
            "terverifikasi": sum(1 for p in section["pegawai"] if p["terverifikasi"]),
            "kegiatan": len(section["entri"]),
            "kelengkapan": _average([p["kelengkapan"] for p in section["pegawai"]]),
        }
        result_sections.append(section)

    rendatin = next((s for s in subbagian_list if s.is_rendatin), None)
    all_people = [p for s in result_sections for p in s["pegawai"]]
    return {
        "versi": VERSION,
        "tahun": year,
        "bulan": month,
        "satker": {
            "nama": satker.nama,
            "kota": satker.kota,
            "zona_waktu": satker.zona_waktu,
            "alamat": satker.alamat,
            "kop_baris": satker.kop_lines,
        },
        "penandatangan": {
            "rendatin": person(rendatin.kasubag) if rendatin else None,
            "sekretaris": person(satker.sekretaris) if satker.sekretaris_id else None,
        },
        "subbagian": result_sections,
        "output": [satker_outputs[k].as_json() for k in sorted(satker_outputs)],
        "belum_terverifikasi": unverified,
        "total": {
            "pegawai": len(all_people),
            "terverifikasi": len(verified & set(ids)),
            "kegiatan": sum(s["total"]["kegiatan"] for s in result_sections),
            "kelengkapan": _average([p["kelengkapan"] for p in all_people]),
            "hari_kerja": max((p["hari_kerja"] for p in all_people), default=0),
        },
    }
