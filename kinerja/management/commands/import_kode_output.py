"""Import one budget year of a satker's output codes from XLSX or CSV, as Rendatin does on the web."""

from kinerja.imports import kode_output_import
from kinerja.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Impor kode output satu satker untuk satu tahun anggaran dari berkas XLSX/CSV (kolom kode, uraian, "
        "level, subbagian, aktif). Kode yang ada diperbarui, tidak ada yang dihapus; satu baris salah "
        "membatalkan seluruh impor."
    )

    def run(self, *, satker, tahun, fileobj, filename):
        return kode_output_import(satker=satker, tahun=tahun, fileobj=fileobj, filename=filename, by=None)

    def label(self, satker, tahun):
        return f"kode output {satker.kode} {tahun}"
