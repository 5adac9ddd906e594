from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kinerja.models import Satker
from kinerja.services import periode_record_reached
from silabu.lib.periods import month_label


class Command(BaseCommand):
    help = (
        "Catat tahap VERIFIKASI bulan-bulan yang jendela verifikasinya sudah terbuka tetapi belum tercatat "
        "(dengan jejak audit), agar perubahan pengaturan atau kalender sesudahnya tidak mengembalikannya ke "
        "tahap terbuka. Dijalankan juga oleh kirim_pengingat setiap hari."
    )

    def add_arguments(self, parser):
        parser.add_argument("--satker", help="kode satker; kosong = semua satker")
        parser.add_argument("--dry-run", action="store_true", help="tampilkan saja, tanpa menyimpan")

    def handle(self, *args, satker=None, dry_run=False, verbosity=1, **options):
        satkers = Satker.objects.order_by("kode")
        if satker:
            satkers = satkers.filter(kode=satker)
            if not satkers.exists():
                raise CommandError(f"Satker {satker!r} tidak ditemukan.")
        total = 0
        with transaction.atomic():
            for s in satkers:
                moved = periode_record_reached(satker=s)
                total += len(moved)
                if verbosity:
                    for periode in moved:
                        self.stdout.write(
                            f"{s.kode}: {month_label(periode.tahun, periode.bulan)} → Verifikasi"
                        )
            if dry_run:
                transaction.set_rollback(True)
        if verbosity:
            prefix = "dry-run: akan dicatat" if dry_run else "Dicatat"
            self.stdout.write(f"{prefix} {total} bulan.")
