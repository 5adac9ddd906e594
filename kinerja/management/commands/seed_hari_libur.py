from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kinerja.kalender_services import hari_libur_seed
from kinerja.models import Satker


class Command(BaseCommand):
    help = "Isi kalender hari libur satker dari libur nasional dan cuti bersama Indonesia (paket holidays)."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True, help="tahun kalender, mis. 2027")
        parser.add_argument("--satker", help="kode satker; kosong = semua satker")
        parser.add_argument("--dry-run", action="store_true", help="hitung saja, tanpa menyimpan")

    def handle(self, *args, tahun, satker=None, dry_run=False, verbosity=1, **options):
        satkers = Satker.objects.all()
        if satker:
            satkers = satkers.filter(kode=satker)
            if not satkers.exists():
                raise CommandError(f"Satker {satker!r} tidak ditemukan.")
        with transaction.atomic():
            for s in satkers:
                added = hari_libur_seed(satker=s, year=tahun, by=None)
                if verbosity:
                    self.stdout.write(f"{s.kode}: {added} hari libur {tahun} ditambahkan")
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("dry-run: tidak ada yang disimpan")
