import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kinerja.kalender import working_days
from kinerja.models import Satker
from kinerja.services import periode_record_reached
from silabu.lib.dates import format_tanggal
from verifikasi.reminders import ReminderRun, remind_deadlines, remind_empty_days


def _tanggal(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal tidak valid: {value!r} (format TTTT-BB-HH)") from None


class Command(BaseCommand):
    help = (
        "Kirim pengingat (pemberitahuan di SILABU dan e-mail): hari kerja yang belum terisi bulan ini, dan "
        "tenggat verifikasi yang tinggal satu hari kerja. Jadwalkan harian (cron); menjalankannya dua kali "
        "pada hari yang sama tidak mengirim ulang. Pada akhir pekan dan hari libur satker tidak ada pengingat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--satker", help="kode satker; kosong = semua satker")
        parser.add_argument(
            "--tanggal",
            type=_tanggal,
            help="hari pengingat (TTTT-BB-HH); bawaan: hari ini menurut zona waktu tiap satker",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="tampilkan saja, tanpa menyimpan atau mengirim"
        )

    def handle(self, *args, satker=None, tanggal=None, dry_run=False, verbosity=1, **options):
        satkers = Satker.objects.order_by("kode")
        if satker:
            satkers = satkers.filter(kode=satker)
            if not satkers.exists():
                raise CommandError(f"Satker {satker!r} tidak ditemukan.")
        totals = {"notices": 0, "emails": 0}
        for s in satkers:
            today = tanggal or s.today()
            if not dry_run and tanggal is None:
                # the daily job writes down the months whose verification has opened (with an audit row)
                periode_record_reached(satker=s)
            if not working_days(s, today, today):
                # Nobody is nagged on a day off; an entry made on the next working day is not late anyway.
                if verbosity:
                    self.stdout.write(f"{s.kode}: {format_tanggal(today, with_day=True)} bukan hari kerja.")
                continue
            with transaction.atomic():
                runs = [remind_empty_days(s, today, dry_run), remind_deadlines(s, today, dry_run)]
                if dry_run:
                    transaction.set_rollback(True)  # the functions write nothing; this makes sure of it
            for run in runs:
                totals["notices"] += run.notices
                totals["emails"] += run.emails
                self._report(s, run, dry_run, verbosity)
        if verbosity:
            prefix = "dry-run: akan dikirim" if dry_run else "Terkirim"
            self.stdout.write(f"{prefix} {totals['notices']} pemberitahuan dan {totals['emails']} e-mail.")

    def _report(self, satker: Satker, run: ReminderRun, dry_run: bool, verbosity: int) -> None:
        if verbosity >= 2 and run.skipped:
            self.stdout.write(f"{satker.kode} {run.jenis}: {run.skipped}")
        for pegawai in run.no_verifier:
            if verbosity:
                self.stderr.write(f"{satker.kode}: {pegawai.nama} tidak punya verifikator (jabatan kosong).")
        if verbosity >= 2 or (dry_run and verbosity):
            for reminder in run.reminders:
                email = f" <{reminder.email}>" if reminder.email else " (tanpa e-mail)"
                self.stdout.write(
                    f"{satker.kode} {run.jenis} → {reminder.pegawai.nama}{email}: {reminder.pesan}"
                )
        elif verbosity and run.reminders:
            self.stdout.write(f"{satker.kode} {run.jenis}: {run.notices} pemberitahuan, {run.emails} e-mail")
