"""Import one budget year of a satker's output codes from XLSX or CSV, as Rendatin does on the web."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kinerja.errors import ImporGagal
from kinerja.imports import kode_output_import
from kinerja.models import Satker


class Command(BaseCommand):
    help = (
        "Impor kode output satu satker untuk satu tahun anggaran dari berkas XLSX/CSV (kolom kode, uraian, "
        "level, subbagian, aktif). Kode yang ada diperbarui, tidak ada yang dihapus; satu baris salah "
        "membatalkan seluruh impor."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Berkas .xlsx atau .csv.")
        parser.add_argument("--satker", required=True, help="Kode satker, mis. kudus.")
        parser.add_argument("--tahun", required=True, type=int, help="Tahun anggaran, mis. 2026.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Periksa dan hitung saja; tidak menyimpan apa pun."
        )

    def handle(self, *args, file: Path, satker: str, tahun: int, dry_run: bool, verbosity: int, **options):
        unit = Satker.objects.filter(kode=satker).first()
        if unit is None:
            raise CommandError(f"Satker dengan kode {satker!r} tidak ditemukan.")
        if not 2000 <= tahun <= 2100:
            raise CommandError(f"Tahun anggaran {tahun} tidak masuk akal.")
        try:
            with file.open("rb") as fileobj, transaction.atomic():
                result = kode_output_import(
                    satker=unit, tahun=tahun, fileobj=fileobj, filename=file.name, by=None
                )
                if dry_run:
                    transaction.set_rollback(True)
        except OSError as error:
            raise CommandError(f"Berkas tidak dapat dibuka: {error}") from error
        except ImporGagal as error:
            for _, message in error.errors:
                self.stderr.write(message)
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            prefix = "Uji coba (tidak disimpan)" if dry_run else "Selesai"
            self.stdout.write(
                self.style.SUCCESS(f"{prefix}: kode output {unit.kode} {tahun}: {result.summary}.")
            )
