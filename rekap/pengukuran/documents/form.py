"""The Form Data Kinerja of one subbagian (steps 3–4), "pengukuran_form" {pengukuran_id, subbagian_id,
fmt: xlsx|pdf}.

The XLSX is filled offline and imported back (rekap/pengukuran/formulir.py): only Realisasi and Keterangan are
unlocked; a very hidden sheet identifies the measurement, subbagian, period and version, and a hidden column
holds each row's id.
"""

import datetime
from dataclasses import dataclass

from openpyxl.worksheet.datavalidation import DataValidation

from kinerja import document_store as docs
from kinerja.document_store import DokumenTidakTersedia
from kinerja.models import Satker, Subbagian
from silabu.lib.dates import satker_time
from silabu.lib.report import safe_filename
from silabu.lib.signatures import Signatory, place_date, place_undated, signature_rows
from silabu.lib.xlsx import Sheet, Styled

from ..models import FormDataKinerja, Pengukuran
from .base import NUMBER, Baris, PengukuranDoc, int_param, local, pengukuran_of, periode_of

TITLE = "FORM DATA KINERJA"
# The identification of a Form Data Kinerja workbook (formulir.py reads it back).
META_SHEET = "SILABU"
META_JENIS = "form_data_kinerja"
META_FORMAT = 1
FORM_SHEET = "Form Data Kinerja"
FORM_ID_HEADER = "ID baris (jangan diubah)"
FORM_HEADER = [
    "No",
    "Sasaran",
    "Program",
    "Kegiatan",
    "Indikator",
    "Satuan",
    "Target",
    "Realisasi",
    "Keterangan",
    FORM_ID_HEADER,
]
FORM_WIDTHS = [6, 30, 30, 30, 42, 12, 14, 14, 40, 12]
FORM_COL_REALISASI = 8  # H
FORM_COL_KETERANGAN = 9  # I
FORM_COL_ID = 10  # J
FILL_EDIT = "FFF2CC"


@dataclass
class FormDoc(PengukuranDoc):
    form: FormDataKinerja
    rows: list[Baris]
    generated_at: datetime.datetime

    template_name = "pengukuran/dokumen/form.html"

    @property
    def subbagian(self) -> Subbagian:
        return self.form.subbagian

    @property
    def status_label(self) -> str:
        form = self.form
        if form.diserahkan_pada:
            who = f" oleh {form.diserahkan_oleh.nama}" if form.diserahkan_oleh else ""
            return f"Diserahkan pada {satker_time(self.satker, form.diserahkan_pada)}{who}"
        if form.diterbitkan_pada:
            who = f" oleh {form.diterbitkan_oleh.nama}" if form.diterbitkan_oleh else ""
            return (
                f"Diterbitkan pada {satker_time(self.satker, form.diterbitkan_pada)}{who}; belum diserahkan"
            )
        return "Konsep (belum diterbitkan)"

    @property
    def signatures(self) -> list[Signatory]:
        form, satker = self.form, self.satker
        kasubag = self.subbagian.kasubag
        title = f"Kepala {self.subbagian.nama}"
        if form.diserahkan_pada:
            day = local(satker, form.diserahkan_pada)
            who = form.diserahkan_oleh or kasubag
            own_title = title if who is not None and who == kasubag else (who.jabatan if who else "") or title
            return [Signatory.of("Diserahkan oleh,", own_title, who, place_date(satker.kota, day))]
        return [Signatory.of("Diisi oleh,", title, kasubag, place_undated(satker.kota))]

    @property
    def meta(self) -> list[tuple[str, object]]:
        """The hidden identification formulir.parse_form checks before it reads a single value."""
        p, form = self.pengukuran, self.form
        return [
            ("jenis", META_JENIS),
            ("format", META_FORMAT),
            ("satker", self.satker.kode),
            ("pengukuran_id", p.pk),
            ("form_id", form.pk),
            ("subbagian_id", form.subbagian_id),
            ("subbagian", self.subbagian.nama),
            ("tahun", p.tahun),
            ("jenis_periode", p.jenis_periode),
            ("nomor", p.nomor),
            ("periode", self.periode_label),
            ("versi", p.versi),
            ("dibuat", self.generated_at.isoformat()),
        ]

    # --- the file ------------------------------------------------------------------------------------------

    @property
    def footer(self) -> str:
        return f"{self.satker.nama} · Form Data Kinerja · {self.subbagian.singkatan} · {self.periode_label}"

    def filename(self, fmt: str) -> str:
        subbagian = safe_filename(self.subbagian.singkatan, lower=True)
        return f"form-data-kinerja-{self.periode_slug}-{subbagian}-v{self.pengukuran.versi}.{fmt}"

    def sheets(self):
        """The form, protected but for Realisasi and Keterangan, and its very hidden identification."""
        heading = self.sheet_heading(
            TITLE,
            [
                f"Subbagian: {self.subbagian.nama}",
                f"Periode: {self.periode_label}",
                f"Status: {self.status_label}",
                f"Dibuat: {self.generated_label}",
                "Isi hanya kolom Realisasi (angka ≥ 0, paling banyak 2 angka desimal) dan Keterangan, "
                "lalu unggah kembali berkas ini di SILABU.",
            ],
        )
        header_row = len(heading) + 1
        yield self.table_sheet(
            FORM_SHEET,
            heading,
            self._table_rows(heading),
            widths=FORM_WIDTHS,
            hidden_columns=("J",),
            protected=True,
            widths_adjustable=True,
            validations=self._validations(header_row),
        )
        meta = [*self.meta, ("baris_header", header_row)]
        yield Sheet(META_SHEET, meta, protected=True, very_hidden=True)

    def _table_rows(self, heading: list[list]):
        yield from heading
        yield [Styled(h, bold=True, wrap=True) for h in FORM_HEADER]
        for row in self.rows:
            yield (
                row.no,
                Styled(row.sasaran, wrap=True),
                Styled(row.program, wrap=True),
                Styled(row.kegiatan, wrap=True),
                Styled(f"{row.indikator_kode} {row.indikator_uraian}".strip(), wrap=True),
                row.satuan,
                row.target if not row.is_rentang else row.target_label,
                Styled(row.realisasi_isian, number_format=NUMBER, unlocked=True, fill=FILL_EDIT),
                Styled(row.keterangan or None, wrap=True, unlocked=True, fill=FILL_EDIT),
                row.id,
            )
        yield from signature_rows(self.signatures, columns=(5,))

    def _validations(self, header_row: int) -> list[DataValidation]:
        if not self.rows:
            return []
        first, last = header_row + 1, header_row + len(self.rows)
        validation = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Realisasi tidak valid",
            error="Realisasi harus berupa angka 0 atau lebih.",
        )
        validation.add(f"H{first}:H{last}")
        return [validation]


def form_query(satker: Satker, params: dict) -> tuple[Pengukuran, FormDataKinerja]:
    pengukuran = pengukuran_of(satker, params)
    form = (
        FormDataKinerja.objects.filter(pengukuran=pengukuran, subbagian_id=int_param(params, "subbagian_id"))
        .select_related("subbagian__kasubag", "diterbitkan_oleh", "diserahkan_oleh")
        .first()
    )
    if form is None:
        raise DokumenTidakTersedia("Form data kinerja subbagian ini tidak ada dalam pengukuran tersebut.")
    return pengukuran, form


def form_data(satker: Satker, params: dict) -> FormDoc:
    pengukuran, form = form_query(satker, params)
    rows = [Baris.from_model(row, no) for no, row in enumerate(form.baris_set.order_by("urutan", "pk"), 1)]
    return FormDoc(satker, pengukuran, form, rows, satker.now())


def version(satker: Satker, params: dict) -> str:
    pengukuran, form = form_query(satker, params)
    rows = form.baris_set.order_by("urutan", "pk").values_list(
        "pk",
        "sasaran",
        "program",
        "kegiatan",
        "indikator_uraian",
        "satuan",
        "target",
        "target_bawah",
        "target_atas",
        "realisasi_usulan",
        "realisasi",
        "keterangan",
    )
    return docs.fingerprint(
        pengukuran.diubah.isoformat(),
        pengukuran.versi,
        form.diterbitkan_pada,
        form.diserahkan_pada,
        form.subbagian.nama,
        form.subbagian.kasubag_id,
        list(rows),
    )


def title(satker: Satker, params: dict) -> str:
    try:
        pengukuran, form = form_query(satker, params)
    except DokumenTidakTersedia:
        return "Form Data Kinerja"
    label = periode_of(pengukuran)
    return f"Form Data Kinerja {form.subbagian.singkatan} — {label} ({params.get('fmt', 'pdf').upper()})"
