"""The documents of SOP steps 4–6 as generated documents (kinerja.document_store): rendered off the request,
stored. One module per document, on the rows of one compiled month (.month):

- "rekap_bulanan" {tahun, bulan, fmt}: the compiled softfile (step 4), every verified entry row (.compiled).
- "bahan_pleno" {tahun, bulan, fmt: "pdf"}: the plenary booklet (step 5): cover, summaries, charts, a section
  per subbagian; aggregates only (.pleno).
- "hasil_pleno" {tahun, bulan, fmt}: the plenary's results (minutes, notes, corrections) and the compiled summary
  (.pleno).
- "laporan_kinerja" {tahun, periode, fmt}: the FINAL months of a quarter, semester or year (.laporan).

A month's documents read only its frozen RekapBulanan snapshot (and the plenary record), never live master
data: a later rename of a person or an output code does not change them. Their data version is therefore the
snapshot's identity (plus the plenary record's change and finalisation times for the results).
"""

from kinerja import document_store as docs

from . import compiled, laporan, pleno
from .month import version_month


def register() -> None:
    for generator in [
        docs.report_generator(
            "rekap_bulanan", title=compiled.title, build=compiled.build, version=version_month
        ),
        docs.report_generator(
            "bahan_pleno",
            title=pleno.title_bahan,
            build=pleno.build_bahan,
            version=version_month,
            formats=pleno.Booklet.formats,
        ),
        docs.report_generator(
            "hasil_pleno", title=pleno.title_hasil, build=pleno.build_hasil, version=pleno.version_hasil
        ),
        docs.report_generator(
            "laporan_kinerja", title=laporan.title, build=laporan.build, version=laporan.version
        ),
    ]:
        docs.register(generator)
