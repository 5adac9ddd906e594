"""`python -m tests.bench.softfile`: the verified softfile of a subbagian against the floor of its renderers.

Ten people of one subbagian of the seeded bench satker, October 2025 (about 650 entries). Each figure is the
median of three runs after one warm-up; in each run ours and the bare version take turns, and an XLSX run
is a batch of ten calls (reported per call), as one 0.1 s call is too short to time on a shared machine:

- PDF: our softfile (queries, template, letterhead, summary, one table per person, signatures) against
  WeasyPrint rendering a bare HTML table of the same rows and columns with minimal CSS. Target: ≤ 1.3×.
- XLSX: our softfile (two sheets, header block, styles, formula guard) against openpyxl's write-only mode
  writing the same cells with no styling. Target: ≤ 1.5×.

"End to end" includes reading the month from the database; "render only" starts from the same rows.
Uses the database of tests/bench/run.py (var/bench.sqlite3), seeding it on the first run.
"""

import gc
import html
import io
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

import logging  # noqa: E402
import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()
logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress lines would swamp the table

from django.core.management import call_command  # noqa: E402

YEAR = 2025
MONTH = 10
PEOPLE = 10
RUNS = 3
XLSX_BATCH = 10  # calls per timed XLSX run (one call is ~0.1 s)
PDF_TARGET = 1.3
XLSX_TARGET = 1.5


def medians(contenders: dict, batch: int = 1) -> dict[str, float]:
    """Median seconds per call of each contender over RUNS runs, after one warm-up call each.

    The contenders take turns within every run, so a busy moment of a shared machine slows them alike; a
    run of a fast renderer is a batch of calls (timed together, reported per call) so that one run is long
    enough not to be mostly timer and scheduler noise.
    """
    for fn in contenders.values():
        fn()  # warm-up: fonts, templates, imports
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(RUNS):
        for name, fn in contenders.items():
            # A WeasyPrint render leaves some 400,000 objects of cyclic garbage; collect it first, or the
            # next timed call pays for it (an XLSX right after a PDF measured 1.5x slower than alone).
            gc.collect()
            started = time.perf_counter()
            for _ in range(batch):
                fn()
            times[name].append((time.perf_counter() - started) / batch)
    return {name: statistics.median(values) for name, values in times.items()}


BARE_CSS = (
    "@page { size: A4 landscape } table { width: 100%; border-collapse: collapse } td { border: 0.5pt solid }"
)
PDF_HEADER = ("No", "Tanggal", "Kode output", "Nama kegiatan", "Output/hasil", "Volume", "Satuan", "Bukti")
PDF_HEADER += ("Berkas bukti", "Keputusan")


def bare_pdf(rows: list[tuple], css: str = BARE_CSS) -> bytes:
    import weasyprint

    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in [PDF_HEADER, *rows]
    )
    page = f"<html><head><style>{css}</style></head><body><table>{body}</table></body></html>"
    return weasyprint.HTML(string=page).write_pdf()


def bare_xlsx(rows: list[tuple]) -> bytes:
    from openpyxl import Workbook

    from verifikasi.documents.softfile import ROW_HEADER

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data Kinerja")
    ws.append(ROW_HEADER)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main() -> None:
    DB.parent.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    from tests.bench.run import BENCH_SATKER, seed

    seed()
    from kinerja.models import Satker, Subbagian
    from verifikasi.documents import softfile

    satker = Satker.objects.get(kode=BENCH_SATKER)
    subbagian = Subbagian.objects.select_related("satker", "kasubag").get(satker=satker, singkatan="KUL")
    people = softfile.subbagian_people(subbagian, YEAR, MONTH)[:PEOPLE]
    assert len(people) == PEOPLE, f"the bench subbagian has {len(people)} people, not {PEOPLE}"

    def data():
        return softfile.softfile_data(
            satker=satker, people=people, year=YEAR, month=MONTH, subbagian=subbagian
        )

    month = data()
    pdf_rows = [
        (r.no, r.tanggal_label, r.kode, r.kegiatan, r.output, r.volume_label, r.satuan, r.bukti_count)
        + (r.bukti_names, r.status_label)
        for s in month.sections
        for r in s.rows
    ]
    xlsx_rows = [
        (r.no, s.nama, s.nip, r.tanggal, r.kode, r.kegiatan, r.output, r.volume, r.satuan, r.bukti_count)
        + (r.bukti_names, r.status_label)
        for s in month.sections
        for r in s.rows
    ]
    print(
        f"\n{subbagian.singkatan} of {satker.nama}, {MONTH:02d}/{YEAR}: "
        f"{len(people)} people, {month.total_rows} entries; median of {RUNS} interleaved runs after a warm-up\n"
    )

    xlsx = medians(
        {
            "bare": lambda: bare_xlsx(xlsx_rows),
            "end to end": lambda: data().render_xlsx(),
            "render only": lambda: month.render_xlsx(),
        },
        batch=XLSX_BATCH,
    )
    pdf = medians(
        {
            "bare": lambda: bare_pdf(pdf_rows),
            "end to end": lambda: data().render_pdf(),
            "render only": lambda: month.render_pdf(),
            # For reference: the bare table with a fixed table layout, WeasyPrint's cheapest table.
            "bare, fixed layout": lambda: bare_pdf(pdf_rows, BARE_CSS + " table { table-layout: fixed }"),
        }
    )
    figures = [
        ("PDF, end to end", pdf["end to end"], pdf["bare"], PDF_TARGET),
        ("PDF, render only", pdf["render only"], pdf["bare"], PDF_TARGET),
        ("XLSX, end to end", xlsx["end to end"], xlsx["bare"], XLSX_TARGET),
        ("XLSX, render only", xlsx["render only"], xlsx["bare"], XLSX_TARGET),
    ]
    print(f"{'document':<20}{'ours s':>9}{'bare s':>9}{'ratio':>8}{'target':>9}")
    for name, ours, bare, target in figures:
        ratio = ours / bare
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{name:<20}{ours:>9.3f}{bare:>9.3f}{ratio:>8.2f}{'≤ ' + str(target):>9}  {verdict}")

    fixed = pdf["bare, fixed layout"]
    print(
        f"\nbare PDF table with table-layout: fixed: {fixed:.3f} s (ours, end to end: {pdf['end to end'] / fixed:.2f}x)"
    )
    print(f"queries for the month's data: {softfile_queries(data)}")


def softfile_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


if __name__ == "__main__":
    main()
