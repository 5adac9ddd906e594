"""The recap (step 6) and the report to the Sekretaris (steps 7–9) with the decision block,
"pengukuran_laporan" {pengukuran_id, versi, fmt: "pdf"}.
"""

from kinerja.models import Satker
from silabu.lib.formatting import format_fixed

from .. import hitung
from .lembar import Lembar, laporan_signatures, lembar_of, lembar_version

BELUM_TERUKUR = "Belum terukur"


class LaporanPengukuran(Lembar):
    formats = ("pdf",)
    template_name = "pengukuran/dokumen/laporan.html"

    name = "Laporan Hasil Pengukuran Kinerja"
    file_prefix = "laporan-pengukuran-kinerja"


def _rekap_rows(lembar: Lembar) -> tuple[list[str], list[dict]]:
    """hitung.rekap as table rows: overall, then each sasaran → program → kegiatan, with counts per category."""
    result = hitung.rekap(lembar.pengukuran, lembar.rows)
    result.skala = lembar.skala
    names = [k.nama for k in sorted(lembar.skala, key=lambda k: k.minimum, reverse=True)]
    if any(not r.kategori for r in lembar.rows):
        names.append(BELUM_TERUKUR)

    def line(group, level: int, jenis: str) -> dict:
        counts = group.per_kategori
        return {
            "level": level,
            "jenis": jenis,
            "nama": group.nama,
            "jumlah": len(group.rows),
            "terukur": len(group.measured),
            "rata_rata": group.rata_rata,
            "rata_rata_label": format_fixed(group.rata_rata),
            "counts": [counts.get(name, 0) for name in names],
        }

    rows = [line(result.total, 0, "Total")]
    for sasaran in result.sasaran:
        rows.append(line(sasaran, 1, "Sasaran"))
        for program in sasaran.children.values():
            rows.append(line(program, 2, "Program"))
            for kegiatan in program.children.values():
                rows.append(line(kegiatan, 3, "Kegiatan"))
    return names, rows


def laporan_data(satker: Satker, params: dict) -> LaporanPengukuran:
    lembar = lembar_of(satker, params, kind=LaporanPengukuran)
    lembar.kategori_names, lembar.rekap_rows = _rekap_rows(lembar)
    lembar.signatures = laporan_signatures(lembar)
    return lembar


def version(satker: Satker, params: dict) -> str:
    # the signatories follow the steps, and every step saves the Pengukuran (its `diubah`)
    return lembar_version(satker, params)
