"""One version of a measurement as its kertas kerja (step 5) and its report to the Sekretaris (steps 6–9) show
it: the rows, the scale, the Sekretaris' decisions, and the signatories of the steps.
"""

import datetime
from dataclasses import dataclass, field

from kinerja import document_store as docs
from kinerja.models import Satker
from silabu.lib.dates import satker_time
from silabu.lib.formatting import format_number
from silabu.lib.signatures import Signatory, place_date, place_undated

from .. import hitung, rumus
from ..models import LangkahPengukuran, VersiPengukuran
from .base import (
    Baris,
    PengukuranDoc,
    live_rows,
    local,
    pengukuran_of,
    rendatin_of,
    rendatin_unit,
    rows_from_data,
    sekretaris_title,
    skala_from_data,
    versi_of,
)

DRAFT_MARK = "DRAF — BELUM DISETUJUI SEKRETARIS"


@dataclass
class Lembar(PengukuranDoc):
    """What the kertas kerja and the report show for one version of a measurement; each of the two documents
    is a kind of it."""

    versi: int
    rows: list[Baris]
    skala: list[rumus.Kategori]
    keputusan: VersiPengukuran | None  # the Sekretaris' decision on this version, if made
    riwayat: list[VersiPengukuran]  # the decisions on earlier versions
    generated_at: datetime.datetime
    signatures: list[Signatory] = field(default_factory=list)
    rekap_rows: list[dict] = field(default_factory=list)
    kategori_names: list[str] = field(default_factory=list)

    @property
    def is_final(self) -> bool:
        return self.keputusan is not None

    @property
    def keputusan_label(self) -> str:
        k = self.keputusan
        if k is None:
            return ""
        when = satker_time(self.satker, k.pada)
        who = f" oleh {k.oleh.nama}" if k.oleh else ""
        return f"{k.get_keputusan_display()} Sekretaris pada {when}{who}"

    @property
    def status_label(self) -> str:
        if self.keputusan is not None:
            return self.keputusan_label
        return f"{DRAFT_MARK} ({self.pengukuran.get_tahap_display()})"

    @property
    def riwayat_rows(self) -> list[dict]:
        """The decisions on earlier versions and on this one, dated in the satker's zone."""
        decided = [*self.riwayat, *([self.keputusan] if self.keputusan else [])]
        return [
            {
                "versi": v.versi,
                "keputusan": v.get_keputusan_display(),
                "pada": satker_time(self.satker, v.pada),
                "oleh": v.oleh.nama if v.oleh else "—",
                "catatan": v.catatan or "—",
            }
            for v in decided
        ]

    @property
    def skala_rows(self) -> list[dict]:
        """The scale from the best band down, with its range as people read it."""
        bands = sorted(self.skala, key=lambda k: k.minimum, reverse=True)
        result = []
        for i, band in enumerate(bands):
            if i == len(bands) - 1 and len(bands) > 1:
                label = f"< {format_number(bands[i - 1].minimum)}"
            elif i == 0:
                label = f"≥ {format_number(band.minimum)}"
            else:
                label = f"≥ {format_number(band.minimum)} dan < {format_number(bands[i - 1].minimum)}"
            result.append({"nama": band.nama, "rentang": label, "minimum": band.minimum})
        return result

    # --- the file: each kind names itself ------------------------------------------------------------------

    name = ""  # "Kertas Kerja Pengukuran Kinerja"
    file_prefix = ""  # "kertas-kerja-pengukuran"

    @property
    def footer(self) -> str:
        return f"{self.satker.nama} · {self.name} · {self.periode_label} · Versi {self.versi}"

    def filename(self, fmt: str) -> str:
        return f"{self.file_prefix}-{self.periode_slug}-v{self.versi}.{fmt}"


def lembar_of(satker: Satker, params: dict, kind: type[Lembar] = Lembar) -> Lembar:
    """The rows of one version: the archived data of a decided version, else the live rows measured now, as the
    document `kind`."""
    pengukuran = pengukuran_of(satker, params)
    versi = versi_of(params, pengukuran)
    versions = list(pengukuran.versi_set.select_related("oleh").order_by("versi"))
    keputusan = next((v for v in versions if v.versi == versi), None)
    if keputusan is not None:
        rows = rows_from_data(keputusan.data)
        skala = skala_from_data(keputusan.data) or hitung.skala_for(satker)
    else:
        skala = hitung.skala_for(satker)
        rows = live_rows(pengukuran, skala)
    return kind(
        satker=satker,
        pengukuran=pengukuran,
        versi=versi,
        rows=rows,
        skala=skala,
        keputusan=keputusan,
        riwayat=[v for v in versions if v.versi < versi],
        generated_at=satker.now(),
    )


def lembar_version(satker: Satker, params: dict) -> str:
    """The fingerprint of one version's data: constant once decided, else the live rows and scale."""
    pengukuran = pengukuran_of(satker, params)
    versi = versi_of(params, pengukuran)
    decided = (
        VersiPengukuran.objects.filter(pengukuran=pengukuran, versi=versi)
        .values_list("pk", "keputusan", "pada")
        .first()
    )
    if decided is not None:
        return docs.fingerprint("arsip", *decided)
    rows = pengukuran.baris_set.order_by("urutan", "pk").values_list(
        "pk",
        "sasaran",
        "program",
        "kegiatan",
        "indikator_kode",
        "indikator_uraian",
        "satuan",
        "arah",
        "target",
        "target_bawah",
        "target_atas",
        "realisasi",
        "keterangan",
        "capaian_manual",
        "alasan_manual",
    )
    skala = hitung.skala_for(satker)
    return docs.fingerprint(
        "live", pengukuran.diubah.isoformat(), pengukuran.versi, pengukuran.tahap, list(rows), skala
    )


# --- signatories --------------------------------------------------------------------------------------------


def laporan_signatures(lembar: Lembar) -> list[Signatory]:
    """Who measured (step 5), the Kasubag Rendatin who checked and sent it (step 8), and the Sekretaris' block:
    "Disetujui," or "Dikembalikan," dated when decided, blank for a hand decision before that."""
    satker, pengukuran = lembar.satker, lembar.pengukuran
    steps = {
        s.langkah: s
        for s in LangkahPengukuran.objects.filter(
            pengukuran=pengukuran, versi=lembar.versi, langkah__in=(5, 7, 8), selesai__isnull=False
        )
        .select_related("oleh")
        .order_by("selesai", "pk")
    }
    rendatin = rendatin_of(satker)
    unit = rendatin_unit(rendatin)
    measured = steps.get(5) or steps.get(7)
    staf = measured.oleh if measured else None
    staf_title = (staf.jabatan if staf and staf.jabatan else "") or f"Staf {unit}"
    checked = steps.get(8)
    kasubag = checked.oleh if checked and checked.oleh else (rendatin.kasubag if rendatin else None)
    signatures = [
        Signatory.of(
            "Diukur oleh,",
            staf_title,
            staf,
            place_date(satker.kota, local(satker, measured.selesai)) if measured else "",
        ),
        Signatory.of(
            "Diperiksa oleh,",
            f"Kepala {unit}",
            kasubag,
            place_date(satker.kota, local(satker, checked.selesai)) if checked else "",
        ),
    ]
    keputusan = lembar.keputusan
    if keputusan is not None:
        day = local(satker, keputusan.pada).date()
        signatures.append(
            Signatory.of(
                f"{keputusan.get_keputusan_display()},",
                sekretaris_title(satker, keputusan.oleh, day),
                keputusan.oleh,
                place_date(satker.kota, day),
            )
        )
    else:
        signatures.append(
            Signatory.of(
                "Disetujui / Dikembalikan *)",
                "Sekretaris",
                satker.sekretaris,
                place_undated(satker.kota),
            )
        )
    return signatures
