import datetime
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from demo import kinerja as demo
from demo import pengukuran as pengukuran_demo
from demo.rekap import seed_rekap
from demo.verifikasi import seed_verification
from kinerja import kalender_services
from kinerja.models import JenisPenjabat, Satker
from silabu.lib.dates import shift_month

KUDUS = "kudus"


class Command(BaseCommand):
    help = (
        "Bangun data demo KPU Kabupaten Kudus: empat subbagian, Sekretaris, Kasubag, staf, kode output, "
        "hari libur dan dua bulan penuh entri kinerja dengan bukti dukung. Aman dijalankan berulang."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="benih acak, agar data demo selalu sama")

    def handle(self, *args, seed=2026, verbosity=1, **options):
        satker = Satker.objects.filter(kode=KUDUS).first()
        if satker is None:
            with transaction.atomic():
                satker = self._build(random.Random(seed), verbosity)
        elif verbosity:
            self.stdout.write("Data demo sudah ada; tidak ada yang diubah.")
        if verbosity:
            self._print_logins(satker)
        pengukuran_demo.seed_pengukuran(verbosity=verbosity, stdout=self.stdout)

    def _build(self, rng: random.Random, verbosity: int) -> Satker:
        satker = demo.create_satker(
            kode=KUDUS,
            nama="KPU Kabupaten Kudus",
            kota="Kudus",
            zona_waktu="Asia/Jakarta",
            alamat="Jl. Ganesha No. 4, Purwosari, Kec. Kota Kudus, Kabupaten Kudus, Jawa Tengah 59332",
            kop="KOMISI PEMILIHAN UMUM\nKABUPATEN KUDUS",
        )
        satker.telepon = "(0291) 445544"
        satker.save(update_fields=["telepon"])
        today = satker.today()
        demo.seed_calendar(satker, {today.year - 1, today.year, today.year + 1})
        subbagian = demo.create_subbagian(satker)
        people = demo.create_people(satker, subbagian, rng)
        codes = {}
        for year in {shift_month(today.year, today.month, -2)[0], today.year}:
            codes.update({(year, k): v for k, v in demo.create_kode_output(satker, year, subbagian).items()})
        staff = [p for short in demo.STAFF for p in people[short]]
        demo.add_leave(staff, rng, today)
        # A Plh for the Teknis head during a week of last month: the Plh verifies in that week.
        last_year, last_month = shift_month(today.year, today.month, -1)
        teknis = subbagian["TEKNIS"]
        kalender_services.penjabat_add(
            satker=satker,
            subbagian=teknis,
            pegawai=people["TEKNIS"][1],
            jenis=JenisPenjabat.PLH,
            mulai=today.replace(year=last_year, month=last_month, day=20),
            selesai=today.replace(year=last_year, month=last_month, day=27),
            nomor_sk="800/123/PL.02-Kpt/3319/2026",
            by=people["admin"],
        )
        pool = demo.EvidencePool(rng, satker.tz)
        total = 0
        yesterday = today - datetime.timedelta(days=1)
        for delta in (-2, -1, 0):
            year, month = shift_month(today.year, today.month, delta)
            year_codes = {k: v for (y, k), v in codes.items() if y == year}
            by_sub = demo.codes_by_subbagian(year_codes, subbagian)
            total += demo.create_month_entries(
                staff, by_sub, year, month, rng, until=yesterday, evidence=pool
            )
        seed_verification(satker, people, today, verbosity=verbosity, stdout=self.stdout)
        seed_rekap(satker, people, today, verbosity=verbosity, stdout=self.stdout)
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.id", demo.DEMO_PASSWORD)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Data demo dibuat: {len(staff)} staf, {total} entri kinerja.")
            )
        return satker

    def _print_logins(self, satker: Satker) -> None:
        demo.print_logins(
            satker,
            self.stdout,
            f"\nMasuk di http://127.0.0.1:8000/ — kata sandi semua akun demo: {demo.DEMO_PASSWORD}",
            extra=(("Admin sistem (Django admin)", "admin", "superuser"),),
        )
