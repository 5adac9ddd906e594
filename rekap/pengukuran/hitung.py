"""Computations of a measurement that read but never write: the period's months, realisation derived from
verified entries (step 4's prefill), each row's capaian and category (step 5) and the recap (step 6)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from kinerja.models import EntriKinerja, Satker, StatusEntri
from verifikasi.models import LaporanBulanan, StatusLaporan

from . import rumus
from .models import AturanRealisasi, BarisPengukuran, Indikator, Pengukuran, SkalaKategori
from .periode import period_months


def skala_for(satker: Satker) -> list[rumus.Kategori]:
    bands = [rumus.Kategori(b.nama, b.minimum) for b in SkalaKategori.objects.filter(satker=satker)]
    return bands or list(rumus.DEFAULT_SKALA)


def realisasi_dari_entri(pengukuran: Pengukuran, rows: list[BarisPengukuran]) -> dict[int, Decimal]:
    """Realisation of the linked indicators from verified entries of the period (a fixed number of queries):
    the entries approved in months the person's Kasubag has verified, whose output code is linked."""
    linked = [r for r in rows if r.aturan_realisasi != AturanRealisasi.MANUAL]
    if not linked:
        return {}
    codes = _linked_codes(linked)
    totals = _verified_totals(pengukuran, set().union(*codes.values()) if codes else set())
    return {row.pk: _realisasi(row, codes.get(row.indikator_id, set()), totals) for row in linked}


def _realisasi(row: BarisPengukuran, mine: set[int], totals: dict) -> Decimal:
    """The number of entries, or their volume in the row's unit, under the output codes linked to the row."""
    if row.aturan_realisasi == AturanRealisasi.JUMLAH_ENTRI:
        value = Decimal(sum(n for (kode, _), (n, _) in totals.items() if kode in mine))
    else:
        satuan = row.satuan_volume.strip().lower()
        value = sum((v for (kode, s), (_, v) in totals.items() if kode in mine and s == satuan), Decimal(0))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _linked_codes(rows: list[BarisPengukuran]) -> dict[int, set[int]]:
    """indicator id → the ids of the output codes linked to it."""
    codes: dict[int, set[int]] = defaultdict(set)
    through = Indikator.kode_output.through
    for indikator_id, kode_id in through.objects.filter(
        indikator_id__in=[r.indikator_id for r in rows]
    ).values_list("indikator_id", "kodeoutput_id"):
        codes[indikator_id].add(kode_id)
    return codes


def _verified_totals(pengukuran: Pengukuran, codes: set[int]) -> dict[tuple[int, str], tuple[int, Decimal]]:
    """(output code id, unit) → (approved entries, their volume) in the period's verified person-months."""
    months = period_months(pengukuran.jenis_periode, pengukuran.nomor)
    verified: dict[int, set[int]] = defaultdict(set)
    for pegawai_id, bulan in LaporanBulanan.objects.filter(
        satker=pengukuran.satker, tahun=pengukuran.tahun, bulan__in=months, status=StatusLaporan.TERVERIFIKASI
    ).values_list("pegawai_id", "bulan"):
        verified[bulan].add(pegawai_id)
    if not codes or not verified:
        return {}
    entries = (
        EntriKinerja.objects.in_months(pengukuran.tahun, months)
        .filter(
            satker=pengukuran.satker,
            status=StatusEntri.DISETUJUI,
            kode_output_id__in=codes,
        )
        .values("kode_output_id", "pegawai_id", "tanggal__month", "satuan")
        .annotate(n=Count("id"), volume=Sum("volume"))
    )
    totals: dict[tuple[int, str], list] = defaultdict(lambda: [0, Decimal(0)])
    for row in entries:
        if row["pegawai_id"] not in verified.get(row["tanggal__month"], ()):
            continue  # not verified: not counted
        key = (row["kode_output_id"], row["satuan"].strip().lower())
        totals[key][0] += row["n"]
        totals[key][1] += row["volume"] or 0
    return {k: (v[0], v[1]) for k, v in totals.items()}


def hitung_baris(row: BarisPengukuran, skala) -> None:
    """Step 5 for one row, in memory: capaian by the formula (or the manual one), category, and why not."""
    row.pesan = ""
    try:
        row.capaian = rumus.capaian(
            arah=row.arah,
            realisasi=row.realisasi,
            target=row.target,
            bawah=row.target_bawah,
            atas=row.target_atas,
        )
    except rumus.RumusError as exc:
        row.capaian = None
        row.pesan = str(exc)
    row.kategori = rumus.kategori(row.capaian_akhir, skala)


# --- step 6: the recap -----------------------------------------------------------------------------------


@dataclass
class Kelompok:
    """A sasaran, program or kegiatan: its rows' average capaian and the count per category."""

    nama: str
    rows: list[BarisPengukuran] = field(default_factory=list)
    children: dict[str, "Kelompok"] = field(default_factory=dict)

    @property
    def measured(self) -> list[Decimal]:
        return [r.capaian_akhir for r in self.rows if r.capaian_akhir is not None]

    @property
    def rata_rata(self) -> Decimal | None:
        values = self.measured
        if not values:
            return None
        return (sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def per_kategori(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for r in self.rows:
            counts[r.kategori or "Belum terukur"] += 1
        return dict(counts)


@dataclass
class Rekap:
    total: Kelompok
    sasaran: list[Kelompok]
    skala: list[rumus.Kategori]

    @property
    def kategori_names(self) -> list[str]:
        return [k.nama for k in sorted(self.skala, key=lambda k: k.minimum, reverse=True)]


def rekap(pengukuran: Pengukuran, rows: list[BarisPengukuran] | None = None) -> Rekap:
    """Average capaian and counts per category, per sasaran → program → kegiatan, from the rows as stored."""
    if rows is None:
        rows = list(pengukuran.baris_set.order_by("urutan", "pk"))
    total = Kelompok("Seluruh indikator")
    tree: dict[str, Kelompok] = {}
    for row in rows:
        total.rows.append(row)
        sasaran = tree.setdefault(row.sasaran, Kelompok(row.sasaran))
        program = sasaran.children.setdefault(row.program, Kelompok(row.program))
        kegiatan = program.children.setdefault(row.kegiatan, Kelompok(row.kegiatan))
        for group in (sasaran, program, kegiatan):
            group.rows.append(row)
    return Rekap(total=total, sasaran=list(tree.values()), skala=skala_for(pengukuran.satker))
