"""`python -m tests.bench.pengukuran`: the measurement SOP (Bontang) on a satker-year (issue 5's benchmark).

Seeds its own database once (var/bench-pengukuran.sqlite3; delete it to reseed): a satker with 40 staff and a
year of verified entries, a framework of 60 indicators (imported from XLSX, half of them linked to output
codes), and 12 monthly measurements driven through the services: January to November approved (with their
archived documents), December with every form handed in, waiting for step 5.

Then measures December, each call inside a transaction that is rolled back (the database never changes):

- measuring the period (services.pengukuran_measure, step 5): target < 1 s;
- the recap (hitung.rekap, step 6) and the worksheet XLSX ("pengukuran_kertas_kerja"): < 2 s each;
- the report PDF ("pengukuran_laporan"): < 10 s; the worksheet PDF is printed beside it.

Median of three runs after a warm-up, with the SQL query count of one run. The SOP's own standards are printed
beside: step 5 one day, step 6 180 minutes, steps 7–8 60 + 90 minutes.
"""

import io
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
DB = BASE / "var" / "bench-pengukuran.sqlite3"

SATKER = "bench-ukur"
YEAR = 2025
MEASURED_MONTH = 12
RUNS = 3
N_INDIKATOR = 60
# name: (what, target seconds, SOP standard of the step it serves)
MEASUREMENTS = {
    "ukur": ("Mengukur 1 periode (langkah 5)", 1.0, "1 hari"),
    "rekap": ("Rekap sasaran/program/kegiatan (6)", 2.0, "180 menit"),
    "kertas_kerja_xlsx": ("Kertas kerja XLSX (langkah 5)", 2.0, "1 hari"),
    "kertas_kerja_pdf": ("Kertas kerja PDF (langkah 5)", 10.0, "1 hari"),
    "laporan_pdf": ("Laporan hasil pengukuran PDF (7–8)", 10.0, "60 + 90 menit"),
}


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silabu.settings_test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(BASE))
    import logging
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("django_tasks").setLevel(logging.WARNING)


# --- the seed ---------------------------------------------------------------------------------------------


def verify_year(satker) -> None:
    """Every entry approved and every person's month verified (set directly: verification is not timed)."""
    import datetime

    from kinerja.models import EntriKinerja, Pegawai, StatusEntri
    from verifikasi.models import LaporanBulanan, StatusLaporan

    EntriKinerja.objects.filter(satker=satker, tanggal__year=YEAR).update(status=StatusEntri.DISETUJUI)
    people = Pegawai.objects.filter(satker=satker, entri_set__tanggal__year=YEAR).distinct()
    LaporanBulanan.objects.bulk_create(
        [
            LaporanBulanan(
                satker=satker,
                pegawai=p,
                tahun=YEAR,
                bulan=m,
                status=StatusLaporan.TERVERIFIKASI,
                verifikator=p.subbagian.kasubag if p.subbagian else None,
                diverifikasi_pada=datetime.datetime(YEAR, m, 28, tzinfo=datetime.UTC),
            )
            for p in people.select_related("subbagian")
            for m in range(1, 13)
        ],
        batch_size=2000,
    )


def framework_xlsx(satker) -> bytes:
    """60 indicators over 3 sasaran × 2 programs × 2 kegiatan, half of them linked to the year's leaf codes."""
    import openpyxl

    from demo import kinerja as demo
    from kinerja.models import KodeOutput, LevelKode
    from rekap.pengukuran.kerangka.impor import HEADER
    from silabu.lib.dates import nama_bulan

    periods = ["T1", "T2", "T3", "T4"]
    months = [nama_bulan(m) for m in range(1, 13)]
    leaves = list(
        KodeOutput.objects.filter(satker=satker, tahun=YEAR, level=LevelKode.KOMPONEN).order_by("kode")
    )
    subs = list(satker.subbagian_set.order_by("urutan"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n in range(N_INDIKATOR):
        s, p, k = n // 20 + 1, (n // 10) % 2 + 1, (n // 5) % 2 + 1
        values = dict.fromkeys(HEADER)
        values.update(
            {
                "kode sasaran": f"SS.{s}",
                "sasaran": f"Sasaran strategis {s}",
                "kode program": f"P.{s}.{p}",
                "program": f"Program {s}.{p}",
                "kode kegiatan": f"K.{s}.{p}.{k}",
                "kegiatan": f"Kegiatan {s}.{p}.{k}",
                "kode indikator": f"IK.{n + 1:02d}",
                "indikator": f"Indikator kinerja kegiatan nomor {n + 1} dengan uraian yang cukup panjang",
                "subbagian": subs[n % len(subs)].singkatan,
                "arah": "turun" if n % 7 == 3 else "naik",
            }
        )
        if n % 2 == 0:
            kode = leaves[(n // 2) % len(leaves)]
            satuan = demo.KEGIATAN.get(kode.kode, [("", "", "kegiatan")])[0][2]
            values.update(
                {
                    "satuan": satuan,
                    "kode output": kode.kode,
                    "aturan": "jumlah entri" if n % 4 == 0 else "jumlah volume",
                    "satuan volume": "" if n % 4 == 0 else satuan,
                    "target tahunan": 240,
                    **dict.fromkeys(periods, 60),
                    **dict.fromkeys(months, 20),
                }
            )
        elif n % 5 == 1:
            values.update(
                {
                    "satuan": "indeks",
                    "target bawah": 80,
                    "target atas": 90,
                    **dict.fromkeys([*periods, *months], "80-90"),
                }
            )
        else:
            values.update(
                {
                    "satuan": "persen",
                    "target tahunan": 100 if n % 7 != 3 else 5,
                    **dict.fromkeys([*periods, *months], 100 if n % 7 != 3 else 5),
                }
            )
        sheet.append([values[h] for h in HEADER])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def drive_year(satker, people) -> None:
    """Twelve monthly measurements: January–November approved, December at step 5."""
    from rekap.pengukuran import kerangka, periode, services

    sekretaris = people["sekretaris"]
    kasubag_rendatin = people["RENDATIN"][0]
    rendatin = people["RENDATIN"][1]
    pilihan: dict[int, list[int]] = {}
    for ind in kerangka.indikator_of_year(satker, YEAR).order_by("kode"):
        pilihan.setdefault(ind.subbagian_id, []).append(ind.pk)
    for month in range(1, 13):
        p = services.pengukuran_dispose(
            satker=satker,
            tahun=YEAR,
            jenis_periode="bulan",
            nomor=month,
            instruksi="Laksanakan pengukuran kinerja bulan ini.",
            by=sekretaris,
        )
        services.pengukuran_draft_forms(pengukuran=p, by=kasubag_rendatin, pilihan=pilihan)
        services.pengukuran_issue_forms(pengukuran=p, by=rendatin)
        for form in p.form_set.select_related("subbagian__kasubag"):
            by = form.subbagian.kasubag
            nilai = {
                row.pk: services.IsianBaris(
                    realisasi=row.realisasi
                    if row.realisasi is not None
                    else (row.target or row.target_bawah or Decimal(0)) * Decimal("0.9"),
                    keterangan="Sesuai data subbagian.",
                )
                for row in form.baris_set.all()
            }
            services.form_fill(form=form, by=by, nilai=nilai)
            services.form_submit(form=form, by=by)
        if month == MEASURED_MONTH:
            continue
        services.pengukuran_measure(pengukuran=p, by=rendatin)
        services.pengukuran_recap(pengukuran=p, by=rendatin)
        services.pengukuran_report_draft(pengukuran=p, by=rendatin)
        services.pengukuran_send(pengukuran=p, by=kasubag_rendatin)
        services.pengukuran_approve(pengukuran=p, by=sekretaris, catatan="Disetujui.")
        print(f"  {periode.label(p)} disetujui", flush=True)


def seed() -> None:
    import datetime
    import random

    from django.db import transaction

    from demo import kinerja as demo
    from kinerja.models import Satker
    from rekap.pengukuran.kerangka.impor import kerangka_import

    if Satker.objects.filter(kode=SATKER).exists():
        return
    print("Seeding a measurement satker-year (first run only)…", flush=True)
    started = time.perf_counter()
    rng = random.Random(11)
    with transaction.atomic():
        satker = demo.create_satker(
            kode=SATKER, nama="KPU Kota Bench", kota="Bontang", zona_waktu="Asia/Makassar"
        )
        demo.seed_calendar(satker, [YEAR, YEAR + 1])
        subbagian = demo.create_subbagian(satker)
        people = demo.create_people(satker, subbagian, rng, extra_per_sub=5)
        staff = [p for short in demo.STAFF for p in people[short]]
        codes = demo.create_kode_output(satker, YEAR, subbagian)
        by_sub = demo.codes_by_subbagian(codes, subbagian)
        total = sum(
            demo.create_month_entries(
                staff, by_sub, YEAR, month, rng, until=datetime.date(YEAR, 12, 31), per_day=(2, 3)
            )
            for month in range(1, 13)
        )
        verify_year(satker)
        result = kerangka_import(
            satker=satker,
            tahun=YEAR,
            fileobj=io.BytesIO(framework_xlsx(satker)),
            filename="bench.xlsx",
            by=None,
        )
        print(f"  {len(staff)} staff, {total} entries; framework: {result.summary}", flush=True)
        drive_year(satker, people)
    print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)


# --- measuring ----------------------------------------------------------------------------------------------


def timed(fn) -> tuple[float, int]:
    """Seconds and SQL queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        fn()
        seconds = time.perf_counter() - started
    return seconds, len(ctx.captured_queries)


def measure(name: str, satker, pengukuran, rendatin) -> dict:
    """Median seconds of RUNS runs after a warm-up (each in a rolled-back transaction) and one run's queries."""
    from django.db import transaction

    from kinerja.document_store import GENERATORS
    from rekap.pengukuran import hitung, services

    def noop(percent):
        return None

    def ukur():
        return services.pengukuran_measure(pengukuran=pengukuran, by=rendatin)

    doc = {
        "kertas_kerja_xlsx": ("pengukuran_kertas_kerja", "xlsx"),
        "kertas_kerja_pdf": ("pengukuran_kertas_kerja", "pdf"),
        "laporan_pdf": ("pengukuran_laporan", "pdf"),
    }

    def run() -> tuple[float, int]:
        with transaction.atomic():
            if name == "ukur":
                result = timed(ukur)
            else:
                ukur()  # the period measured first, as step 6 onwards see it
                if name == "rekap":

                    def recap():
                        summary = hitung.rekap(pengukuran)
                        # Every average and count of the tree (sasaran → program → kegiatan), as a page shows them.
                        groups, figures = [summary.total, *summary.sasaran], []
                        while groups:
                            group = groups.pop()
                            figures.append((group.rata_rata, group.per_kategori))
                            groups.extend(group.children.values())
                        return figures

                    result = timed(recap)
                else:
                    jenis, fmt = doc[name]
                    params = {"pengukuran_id": pengukuran.pk, "versi": pengukuran.versi, "fmt": fmt}
                    result = timed(lambda: GENERATORS[jenis].render(satker, params, noop))
            transaction.set_rollback(True)
        return result

    run()  # warm-up: templates, fonts
    runs = [run() for _ in range(RUNS)]
    return {"seconds": statistics.median(r[0] for r in runs), "queries": runs[0][1]}


def main() -> None:
    setup_django()
    from django.core.management import call_command

    DB.parent.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    seed()

    from kinerja.models import Satker
    from rekap.pengukuran.models import Pengukuran

    satker = Satker.objects.get(kode=SATKER)
    pengukuran = Pengukuran.objects.get(
        satker=satker, tahun=YEAR, jenis_periode="bulan", nomor=MEASURED_MONTH
    )
    rendatin = satker.pegawai_set.filter(subbagian__is_rendatin=True, subbagian_dipimpin__isnull=True).first()
    rows = pengukuran.baris_set.count()
    decided = Pengukuran.objects.filter(satker=satker, tahap="disetujui").count()
    print(
        f"\nMeasurement SOP on the bench satker-year {YEAR}: {rows} indicators, {decided} months approved; "
        f"measuring December (each run rolled back)\n"
    )
    print(f"{'measurement':<40}{'seconds':>9}{'target':>9}{'queries':>9}  SOP")
    failures = 0
    for name, (label, target, sop) in MEASUREMENTS.items():
        r = measure(name, satker, pengukuran, rendatin)
        ok = r["seconds"] < target
        failures += not ok
        print(
            f"{label:<40}{r['seconds']:>9.3f}{'< ' + str(target):>9}{r['queries']:>9}  {sop}"
            f"{'' if ok else '  MISSED'}"
        )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
