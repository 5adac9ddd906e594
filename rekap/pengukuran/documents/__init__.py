"""The documents of the measurement SOP (Bontang, DESIGN.md §3) as generated documents (kinerja.document_store),
one module each:

- "pengukuran_form" {pengukuran_id, subbagian_id, fmt: xlsx|pdf}: the Form Data Kinerja of one subbagian
  (steps 3–4), filled offline and imported back (.form).
- "pengukuran_kertas_kerja" {pengukuran_id, versi, fmt: xlsx|pdf}: the kertas kerja pengukuran kinerja (step 5),
  with live formulas in the XLSX (.kertas_kerja).
- "pengukuran_laporan" {pengukuran_id, versi, fmt: "pdf"}: the recap (step 6) and the report to the Sekretaris
  (steps 7–9) with the decision block (.laporan).
- "pengukuran_disposisi" {pengukuran_id, fmt: "pdf"}: the Sekretaris' disposition sheet (step 1) (.disposisi).

The rows, parameters and signatories they share are in .base and .lembar. Nothing here writes to the
database; every reader runs a fixed number of queries.
"""

from kinerja import document_store as docs

from . import disposisi, form, kertas_kerja, laporan
from .base import pengukuran_of, periode_of
from .lembar import Lembar, lembar_version

JENIS_FORM = "pengukuran_form"
JENIS_KERTAS_KERJA = "pengukuran_kertas_kerja"
JENIS_LAPORAN = "pengukuran_laporan"
JENIS_DISPOSISI = "pengukuran_disposisi"


def _lembar_title(kind: type[Lembar]):
    def title(satker, params: dict) -> str:
        try:
            pengukuran = pengukuran_of(satker, params)
        except docs.DokumenTidakTersedia:
            return kind.name
        versi = params.get("versi", pengukuran.versi)
        return f"{kind.name} {periode_of(pengukuran)} versi {versi} ({params.get('fmt', 'pdf').upper()})"

    return title


def register() -> None:
    for generator in [
        docs.report_generator(JENIS_FORM, title=form.title, build=form.form_data, version=form.version),
        docs.report_generator(
            JENIS_KERTAS_KERJA,
            title=_lembar_title(kertas_kerja.KertasKerja),
            build=kertas_kerja.kertas_kerja_data,
            version=lembar_version,
        ),
        docs.report_generator(
            JENIS_LAPORAN,
            title=_lembar_title(laporan.LaporanPengukuran),
            build=laporan.laporan_data,
            version=laporan.version,
            formats=laporan.LaporanPengukuran.formats,
        ),
        docs.report_generator(
            JENIS_DISPOSISI,
            title=disposisi.title,
            build=disposisi.disposisi_data,
            version=disposisi.version,
            formats=disposisi.Disposisi.formats,
        ),
    ]:
        docs.register(generator)
