"""Onboard or update a satker's staff from an XLSX or CSV file (what the Admin does on the web)."""

from kinerja.imports import pegawai_import
from kinerja.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Impor pegawai satu satker dari berkas XLSX/CSV (kolom nip, nama, jabatan, golongan, subbagian, "
        "status, peran, email). Akun baru mendapat kata sandi sementara yang dicetak sekali; satu baris "
        "salah membatalkan seluruh impor."
    )
    yearly = False

    def run(self, *, satker, tahun, fileobj, filename):
        return pegawai_import(satker=satker, fileobj=fileobj, filename=filename, by=None)

    def label(self, satker, tahun):
        return f"pegawai {satker.kode}"

    def report(self, result, *, dry_run, verbosity):
        # The temporary passwords exist only now: print them whatever the verbosity (none in a dry run).
        if dry_run or not result.credentials:
            return
        self.stdout.write("Kata sandi sementara (serahkan secara pribadi; wajib diganti saat pertama masuk):")
        for nama, username, password in result.credentials:
            self.stdout.write(f"{username}\t{password}\t{nama}")
