"""`make bench`: seed a satker-year once (40 staff × 12 months × 3 entries a working day) and measure pages.

Prints, per page, the median and 95th-percentile server time over repeated requests through the full
middleware stack, and the number of SQL queries. The seeded database is kept in var/bench.sqlite3 and
reused by later runs (delete it to reseed).
"""

import os
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
DB = BASE / "var" / "bench.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silabu.settings_test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
sys.path.insert(0, str(BASE))

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

BENCH_SATKER = "bench"
YEAR = 2025
REPEAT = 25


def seed() -> None:
    import random

    from django.core.files.base import ContentFile
    from django.db import transaction

    from demo import kinerja as demo
    from kinerja.models import BuktiDukung, EntriKinerja, Satker

    if Satker.objects.filter(kode=BENCH_SATKER).exists():
        return
    print("Seeding a satker-year (first run only)…", flush=True)
    started = time.perf_counter()
    rng = random.Random(7)
    with transaction.atomic():
        satker = demo.create_satker(
            kode=BENCH_SATKER, nama="KPU Kabupaten Bench", kota="Kudus", zona_waktu="Asia/Jakarta"
        )
        demo.seed_calendar(satker, [YEAR])
        subbagian = demo.create_subbagian(satker)
        people = demo.create_people(satker, subbagian, rng, extra_per_sub=5)
        staff = [p for short in demo.STAFF for p in people[short]]
        codes = demo.create_kode_output(satker, YEAR, subbagian)
        by_sub = demo.codes_by_subbagian(codes, subbagian)
        total = 0
        for month in range(1, 13):
            total += demo.create_month_entries(
                staff,
                by_sub,
                YEAR,
                month,
                rng,
                until=django.utils.timezone.now().date(),
                per_day=(3, 3),
                empty_rate=0.03,
            )
        # Evidence rows for half the entries, sharing one stored file (the pages never read file bodies).
        shared = BuktiDukung(
            entri=EntriKinerja.objects.first(),
            nama_asli="bukti.pdf",
            content_type="application/pdf",
            ukuran=9,
            sha256="0" * 64,
        )
        shared.berkas.save("bukti.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        ids = list(EntriKinerja.objects.filter(satker=satker).values_list("pk", flat=True)[::2])
        BuktiDukung.objects.bulk_create(
            [
                BuktiDukung(
                    entri_id=pk,
                    berkas=shared.berkas.name,
                    nama_asli="bukti.pdf",
                    content_type="application/pdf",
                    ukuran=9,
                    sha256="0" * 64,
                )
                for pk in ids
            ],
            batch_size=5000,
        )
    print(
        f"  {len(staff)} staff, {total} entries, {len(ids)} evidence rows in {time.perf_counter() - started:.1f} s"
    )


def measure(client: Client, url: str) -> tuple[float, float, int]:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(ctx.captured_queries)


def main() -> None:
    DB.parent.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    seed()
    from kinerja.models import EntriKinerja, Pegawai, Satker

    satker = Satker.objects.get(kode=BENCH_SATKER)
    pegawai = (
        Pegawai.objects.filter(satker=satker, subbagian__singkatan="KUL", subbagian_dipimpin__isnull=True)
        .order_by("pk")
        .first()
    )
    client = Client()
    client.force_login(pegawai.user, backend="kinerja.auth.NipOrUsernameBackend")
    month_entries = EntriKinerja.objects.filter(
        pegawai=pegawai, tanggal__year=YEAR, tanggal__month=10
    ).count()
    entri = EntriKinerja.objects.filter(pegawai=pegawai).first()
    print(
        f"\nSatker-year: {EntriKinerja.objects.filter(satker=satker).count()} entries; "
        f"measured as one ASN with {month_entries} entries in October {YEAR}; {REPEAT} requests per page\n"
    )
    pages = [
        ("Entry form (tambah)", "/kinerja/entri/tambah/"),
        ("Entry form (salin)", f"/kinerja/entri/tambah/?salin={entri.pk}"),
        ("Bulan saya", f"/kinerja/bulan/{YEAR}/10/"),
        ("Entry list (page 1)", f"/kinerja/entri/?tahun={YEAR}&bulan=10"),
        ("Entry list (page 3)", f"/kinerja/entri/?tahun={YEAR}&bulan=10&page=3"),
        ("Home", "/"),
        ("Output-code search", "/kinerja/kode-output/cari/?q=994"),
    ]
    print(f"{'page':<24}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    report(client, pages)
    verification_pages(satker, pegawai)


def report(client: Client, pages) -> None:
    for name, url in pages:
        median, p95, queries = measure(client, url)
        print(f"{name:<24}{median:>10.1f}{p95:>10.1f}{queries:>9}")


def review_month(pegawai) -> None:
    """Give one person the issue's review month: 90 entries with 60 evidence files in October."""
    import datetime
    import itertools

    from kinerja.models import BuktiDukung, EntriKinerja

    entries = EntriKinerja.objects.filter(pegawai=pegawai, tanggal__year=YEAR, tanggal__month=10)
    existing = list(entries)
    days = itertools.cycle(sorted({e.tanggal for e in existing}))
    template = existing[0]
    extra = [
        EntriKinerja(
            satker=pegawai.satker,
            pegawai=pegawai,
            tanggal=next(days),
            kode_output=template.kode_output,
            nama_kegiatan="Kegiatan tambahan",
            output_hasil="Hasil",
            dibuat=datetime.datetime(YEAR, 10, 31, tzinfo=datetime.UTC),
        )
        for _ in range(max(0, 90 - len(existing)))
    ]
    EntriKinerja.objects.bulk_create(extra)
    month = list(entries.order_by("pk"))
    with_evidence = set(BuktiDukung.objects.filter(entri__in=month).values_list("entri_id", flat=True))
    shared = BuktiDukung.objects.filter(entri__satker=pegawai.satker).first()
    missing = 60 - len(with_evidence)
    BuktiDukung.objects.bulk_create(
        [
            BuktiDukung(
                entri=e,
                berkas=shared.berkas.name,
                nama_asli="bukti.pdf",
                content_type="application/pdf",
                ukuran=9,
                sha256="0" * 64,
            )
            for e in [e for e in month if e.pk not in with_evidence][: max(0, missing)]
        ]
    )


def verification_pages(satker, pegawai) -> None:
    from kinerja.models import BuktiDukung, EntriKinerja

    review_month(pegawai)
    kasubag = pegawai.subbagian.kasubag
    client = Client()
    client.force_login(kasubag.user, backend="kinerja.auth.NipOrUsernameBackend")
    entries = EntriKinerja.objects.filter(pegawai=pegawai, tanggal__year=YEAR, tanggal__month=10)
    evidence = BuktiDukung.objects.filter(entri__in=entries).count()
    print(
        f"\nVerification, as the Kasubag of {pegawai.subbagian.singkatan}; review month: {entries.count()} entries, "
        f"{evidence} evidence files"
    )
    report(
        client,
        [
            ("Verification queue", f"/verifikasi/?tahun={YEAR}&bulan=10"),
            ("Review page", f"/verifikasi/{pegawai.pk}/{YEAR}/10/"),
        ],
    )


if __name__ == "__main__":
    main()
