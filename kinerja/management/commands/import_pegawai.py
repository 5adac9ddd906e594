"""Onboard or update a satker's staff from an XLSX or CSV file (what the Admin does on the web)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kinerja.errors import ImporGagal
from kinerja.imports import pegawai_import
from kinerja.models import Satker


class Command(BaseCommand):
    help = (
        "Impor pegawai satu satker dari berkas XLSX/CSV (kolom nip, nama, jabatan, golongan, subbagian, "
        "status, peran, email). Akun baru mendapat kata sandi sementara yang dicetak sekali; satu baris "
        "salah membatalkan seluruh impor."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Berkas .xlsx atau .csv.")
        parser.add_argument("--satker", required=True, help="Kode satker, mis. kudus.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Periksa dan hitung saja; tidak menyimpan apa pun."
        )

    def handle(self, *args, file: Path, satker: str, dry_run: bool, verbosity: int, **options):
        unit = Satker.objects.filter(kode=satker).first()
        if unit is None:
            raise CommandError(f"Satker dengan kode {satker!r} tidak ditemukan.")
        try:
            with file.open("rb") as fileobj, transaction.atomic():
                result = pegawai_import(satker=unit, fileobj=fileobj, filename=file.name, by=None)
                if dry_run:
                    transaction.set_rollback(True)
        except OSError as error:
            raise CommandError(f"Berkas tidak dapat dibuka: {error}") from error
        except ImporGagal as error:
            for _, message in error.errors:
                self.stderr.write(message)
            raise CommandError(str(error)) from error
        if dry_run:
            if verbosity >= 1:
                self.stdout.write(self.style.SUCCESS(f"Uji coba (tidak disimpan): {result.summary}."))
            return
        # The temporary passwords exist only now: print them whatever the verbosity.
        if result.credentials:
            self.stdout.write(
                "Kata sandi sementara (serahkan secara pribadi; wajib diganti saat pertama masuk):"
            )
            for nama, username, password in result.credentials:
                self.stdout.write(f"{username}\t{password}\t{nama}")
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Selesai: pegawai {unit.kode}: {result.summary}."))
