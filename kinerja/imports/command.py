"""The body every spreadsheet import command shares (import_kode_output, import_pegawai, import_kerangka): the
file and the satker (and the year) as arguments, the whole import in a transaction that --dry-run rolls back,
each row error on stderr, and the summary on stdout as the verbosity asks."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ..errors import ImporGagal
from ..models import Satker

TAHUN_MIN, TAHUN_MAX = 2000, 2100


class ImportCommand(BaseCommand):
    """Subclasses set `help`, `satker_example`, `yearly` (a --tahun argument) and `what`, and implement run()."""

    satker_example = "kudus"
    yearly = True
    year_help = "Tahun anggaran, mis. 2026."
    year_refused = "Tahun anggaran {tahun} tidak masuk akal."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Berkas .xlsx atau .csv.")
        parser.add_argument("--satker", required=True, help=f"Kode satker, mis. {self.satker_example}.")
        if self.yearly:
            parser.add_argument("--tahun", required=True, type=int, help=self.year_help)
        parser.add_argument(
            "--dry-run", action="store_true", help="Periksa dan hitung saja; tidak menyimpan apa pun."
        )

    def run(self, *, satker: Satker, tahun: int | None, fileobj, filename: str):
        """The import itself (acted by nobody: `by=None`); returns a result with a `summary`."""
        raise NotImplementedError

    def label(self, satker: Satker, tahun: int | None) -> str:
        """What was imported, for the closing line: "kode output kudus 2026"."""
        raise NotImplementedError

    def report(self, result, *, dry_run: bool, verbosity: int) -> None:
        """Anything the import returns that must be shown even at verbosity 0 (passwords)."""

    def handle(self, *args, file: Path, satker: str, dry_run: bool, verbosity: int, tahun=None, **options):
        unit = Satker.objects.filter(kode=satker).first()
        if unit is None:
            raise CommandError(f"Satker dengan kode {satker!r} tidak ditemukan.")
        if self.yearly and not TAHUN_MIN <= tahun <= TAHUN_MAX:
            raise CommandError(self.year_refused.format(tahun=tahun))
        try:
            with file.open("rb") as fileobj, transaction.atomic():
                result = self.run(satker=unit, tahun=tahun, fileobj=fileobj, filename=file.name)
                if dry_run:
                    transaction.set_rollback(True)
        except OSError as error:
            raise CommandError(f"Berkas tidak dapat dibuka: {error}") from error
        except ImporGagal as error:
            for _, message in error.errors:
                self.stderr.write(message)
            raise CommandError(str(error)) from error
        self.report(result, dry_run=dry_run, verbosity=verbosity)
        if verbosity >= 1:
            prefix = "Uji coba (tidak disimpan)" if dry_run else "Selesai"
            self.stdout.write(self.style.SUCCESS(f"{prefix}: {self.label(unit, tahun)}: {result.summary}."))
