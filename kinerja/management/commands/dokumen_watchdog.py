"""manage.py dokumen_watchdog: fail and ask again every document render whose worker stopped beating."""

from django.core.management.base import BaseCommand

from kinerja import document_store as docs


class Command(BaseCommand):
    help = (
        "Dokumen yang sedang dibuat tetapi pekerjanya tidak lagi mengirim denyut (DOKUMEN_STALL_SECONDS): "
        "dicatat gagal (tetap tersimpan sebagai riwayat) dan diminta lagi sebagai baris baru."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="tampilkan saja, tanpa mengubah apa pun")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        # each stalled render is failed and retried in transactions of its own (kinerja.document_store)
        done = docs.dokumen_watchdog(dry_run=dry_run)
        for stalled, retry in done:
            if verbosity:
                if dry_run:
                    self.stdout.write(f"terhenti: dokumen #{stalled.pk} {stalled.judul}")
                elif retry is None:
                    self.stdout.write(f"terhenti, dibiarkan gagal: dokumen #{stalled.pk} {stalled.judul}")
                else:
                    self.stdout.write(
                        f"terhenti, diminta lagi: dokumen #{stalled.pk} → #{retry.pk} {stalled.judul}"
                    )
        if verbosity:
            self.stdout.write(
                f"{len(done)} dokumen terhenti" + (" (dry-run: tidak ada yang diubah)" if dry_run else "")
            )
