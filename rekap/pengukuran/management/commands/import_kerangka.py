"""Import a satker's performance framework for one year from XLSX or CSV, as Rendatin does on the web."""

from kinerja.imports.command import ImportCommand
from rekap.pengukuran.kerangka.impor import kerangka_import


class Command(ImportCommand):
    help = (
        "Impor kerangka kinerja (sasaran, program, kegiatan, indikator dan target) satu satker untuk satu "
        "tahun dari berkas XLSX/CSV, satu baris per indikator. Indikator dicocokkan dengan kodenya: yang ada "
        "diperbarui, yang baru ditambahkan, tidak ada yang dihapus; satu baris salah membatalkan seluruh impor."
    )
    satker_example = "bontang"
    year_help = "Tahun kerangka, mis. 2026."
    year_refused = "Tahun {tahun} tidak masuk akal."

    def run(self, *, satker, tahun, fileobj, filename):
        return kerangka_import(satker=satker, tahun=tahun, fileobj=fileobj, filename=filename, by=None)

    def label(self, satker, tahun):
        return f"kerangka kinerja {satker.kode} {tahun}"
