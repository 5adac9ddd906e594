"""Import a satker's performance framework for one year from XLSX or CSV, as Rendatin does on the web."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kinerja.errors import ImporGagal
from kinerja.models import Satker
from rekap.pengukuran.kerangka import TAHUN_MAX, TAHUN_MIN
from rekap.pengukuran.kerangka_impor import kerangka_import


class Command(BaseCommand):
    help = (
        "Impor kerangka kinerja (sasaran, program, kegiatan, indikator dan target) satu satker untuk satu "
        "tahun dari berkas XLSX/CSV, satu baris per indikator. Indikator dicocokkan dengan kodenya: yang ada "
        "diperbarui, yang baru ditambahkan, tidak ada yang dihapus; satu baris salah membatalkan seluruh impor."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Berkas .xlsx atau .csv.")
        parser.add_argument("--satker", required=True, help="Kode satker, mis. bontang.")
        parser.add_argument("--tahun", required=True, type=int, help="Tahun kerangka, mis. 2026.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Periksa dan hitung saja; tidak menyimpan apa pun."
        )

    def handle(self, *args, file: Path, satker: str, tahun: int, dry_run: bool, verbosity: int, **options):
        unit = Satker.objects.filter(kode=satker).first()
        if unit is None:
            raise CommandError(f"Satker dengan kode {satker!r} tidak ditemukan.")
        if not TAHUN_MIN <= tahun <= TAHUN_MAX:
            raise CommandError(f"Tahun {tahun} tidak masuk akal.")
        try:
            with file.open("rb") as fileobj, transaction.atomic():
                result = kerangka_import(
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
                self.style.SUCCESS(f"{prefix}: kerangka kinerja {unit.kode} {tahun}: {result.summary}.")
            )
