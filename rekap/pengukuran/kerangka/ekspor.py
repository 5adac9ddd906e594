"""The framework as a spreadsheet: the import's template, which is also the export of a year (the year's
indicators filled in), so a round trip changes nothing."""

from kinerja.models import Satker
from silabu.lib.xlsx import Sheet, bold, workbook_bytes

from ..models import AturanRealisasi, Indikator, JenisTarget
from ..periode import PERIODS
from .data import Target
from .impor import HEADER
from .queries import targets_of, tree


def _cell_target(target: Target):
    if target.bawah is not None or target.atas is not None:
        return target.teks()
    return target.nilai


ATURAN_TEXT = {
    AturanRealisasi.MANUAL: "manual",
    AturanRealisasi.JUMLAH_ENTRI: "jumlah entri",
    AturanRealisasi.JUMLAH_VOLUME: "jumlah volume",
}


def _row(sasaran, program, kegiatan, ind: Indikator) -> list:
    """One indicator as the import reads it back (the columns of impor.HEADER)."""
    targets = targets_of(ind)
    tahunan = Target(ind.target_tahunan, ind.target_bawah, ind.target_atas)
    rentang = ind.jenis_target == JenisTarget.RENTANG
    return [
        sasaran.kode,
        sasaran.uraian,
        program.kode,
        program.uraian,
        kegiatan.kode,
        kegiatan.uraian,
        ind.kode,
        ind.uraian,
        ind.satuan,
        ind.arah,
        None if rentang else tahunan.nilai,
        tahunan.bawah if rentang else None,
        tahunan.atas if rentang else None,
        *(_cell_target(targets.get(key, Target())) for key in PERIODS),
        ind.subbagian.singkatan,
        ", ".join(k.kode for k in ind.kode_output.all()),
        ATURAN_TEXT[ind.aturan_realisasi],
        ind.satuan_volume,
        "ya" if ind.aktif else "tidak",
    ]


def _indicator_rows(satker: Satker, tahun: int):
    yield bold(HEADER)
    for sasaran in tree(satker, tahun):
        for program in sasaran.program_set.all():
            for kegiatan in program.kegiatan_set.all():
                for ind in kegiatan.indikator_set.all():
                    yield _row(sasaran, program, kegiatan, ind)


def kerangka_xlsx(satker: Satker, tahun: int) -> bytes:
    """The import template: the header row, then the year's indicators as they are (an empty year gives the
    bare template). Importing this file back changes nothing."""
    widths = [12, 40, 12, 40, 12, 40, 14, 50, 12, 8, 14, 12, 12, *([9] * len(PERIODS)), 12, 30, 14, 14, 8]
    return workbook_bytes(
        [
            Sheet("Kerangka", _indicator_rows(satker, tahun), widths=widths),
            Sheet("Petunjuk", [bold(["Kolom", "Isi"]), *PETUNJUK], widths=[18, 100]),
        ]
    )


PETUNJUK = [
    (
        "(umum)",
        "Satu baris per indikator; hanya lembar pertama yang dibaca. Baris pertama berisi nama kolom.",
    ),
    (
        "(umum)",
        "Indikator dicocokkan dengan kode indikator pada tahun itu: yang ada diperbarui, yang baru "
        "ditambahkan, tidak ada yang dihapus. Satu baris salah membatalkan seluruh impor.",
    ),
    ("kode sasaran / sasaran", "Wajib. Baris dengan kode sasaran yang sama harus memiliki uraian yang sama."),
    ("kode program / program", "Wajib; program di bawah sasaran baris itu."),
    ("kode kegiatan / kegiatan", "Wajib; kegiatan di bawah program baris itu."),
    ("kode indikator / indikator", "Wajib; kode indikator unik dalam satu tahun (maks. 40 karakter)."),
    ("satuan", "Wajib, mis. persen, dokumen, kegiatan."),
    ("arah", "naik (semakin tinggi semakin baik) atau turun (semakin rendah semakin baik); kosong = naik."),
    ("target tahunan", "Satu angka (koma atau titik desimal), atau rentang 80-90. Tidak boleh negatif."),
    ("target bawah / target atas", "Untuk target rentang: isi keduanya dan kosongkan target tahunan."),
    ("T1–T4, S1–S2", "Target per triwulan dan per semester (tidak wajib); rentang ditulis 80-90."),
    ("Januari–Desember", "Target per bulan (tidak wajib)."),
    ("subbagian", "Wajib: singkatan subbagian penanggung jawab, mis. KUL."),
    ("kode output", "Kode output tahun itu, dipisah koma, untuk realisasi dari entri kinerja terverifikasi."),
    ("aturan", "manual (diisi subbagian), jumlah entri, atau jumlah volume; kosong = manual."),
    ("satuan volume", "Untuk jumlah volume: satuan entri yang dijumlah, mis. dokumen."),
    ("aktif", "ya/tidak; kosong = ya. Bila kolom tidak ada, status indikator yang ada tidak diubah."),
]


def template_filename(satker: Satker, tahun: int) -> str:
    return f"kerangka-kinerja-{satker.kode}-{tahun}.xlsx"
