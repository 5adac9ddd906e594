"""Reading back a Form Data Kinerja filled offline (the XLSX written by documents.form, step 4).

`parse_form(form, berkas)` returns {baris id: IsianBaris} for every row of the form, or raises ImporGagal: a
file that is not an XLSX, a workbook made for another satker, measurement, period, subbagian or an older
version (checked on its very hidden identification sheet before any value is read), or row-level errors
(row number, message) — a negative or non-numeric realisation, a row id that is not in the form. Nothing is
half-read: one error and no value is returned. Saving is the services' job (services.form_import).
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from kinerja.errors import ImporGagal
from kinerja.imports.base import open_workbook, read_upload
from silabu.lib import numbers
from silabu.lib.formatting import format_number as angka

from .documents import form as dokumen
from .models import FormDataKinerja
from .periode import label

if TYPE_CHECKING:
    from .services import IsianBaris

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ROWS = 5000
MAX_KETERANGAN = 2000
MAX_REALISASI = Decimal("999999999999.99")  # BarisPengukuran.realisasi: 14 digits, 2 of them decimals
HEADER_SEARCH_ROWS = 60

NOT_XLSX = (
    "Berkas ini bukan lembar kerja Excel (.xlsx) yang dapat dibaca. Unduh Form Data Kinerja dari SILABU, "
    "isi, simpan sebagai .xlsx, lalu unggah kembali."
)
NOT_FORM = (
    "Berkas ini bukan Form Data Kinerja dari SILABU (identitas form tidak ditemukan). Unduh form dari "
    "halaman pengukuran, isi kolom Realisasi dan Keterangan, lalu unggah kembali berkas itu."
)


def _meta(wb) -> dict[str, object]:
    if dokumen.META_SHEET not in wb.sheetnames or dokumen.FORM_SHEET not in wb.sheetnames:
        raise ImporGagal(NOT_FORM)
    meta = {}
    for i, row in enumerate(wb[dokumen.META_SHEET].iter_rows(max_col=2, values_only=True)):
        if i > 100:
            break
        if row and isinstance(row[0], str):
            meta[row[0]] = row[1] if len(row) > 1 else None
    if meta.get("jenis") != dokumen.META_JENIS:
        raise ImporGagal(NOT_FORM)
    return meta


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _check_identity(form: FormDataKinerja, meta: dict) -> None:
    """The workbook must be this form: same satker, measurement and period, subbagian, and version."""
    pengukuran = form.pengukuran
    current = label(pengukuran)
    if str(meta.get("satker")) != pengukuran.satker.kode:
        raise ImporGagal(
            "Berkas ini adalah form satker lain, bukan form satker Anda. Unduh form dari SILABU Anda."
        )
    same_period = (
        _as_int(meta.get("tahun")) == pengukuran.tahun
        and meta.get("jenis_periode") == pengukuran.jenis_periode
        and _as_int(meta.get("nomor")) == pengukuran.nomor
    )
    if not same_period:
        raise ImporGagal(
            f"Berkas ini adalah form periode {meta.get('periode') or 'lain'}, bukan periode {current}. "
            f"Unduh form periode {current} lalu isi kembali."
        )
    if _as_int(meta.get("pengukuran_id")) != pengukuran.pk:
        raise ImporGagal(
            f"Berkas ini dibuat untuk pengukuran kinerja lain, bukan pengukuran {current} yang sekarang. "
            "Unduh form terbaru lalu isi kembali."
        )
    if _as_int(meta.get("subbagian_id")) != form.subbagian_id:
        other = meta.get("subbagian") or "subbagian lain"
        raise ImporGagal(
            f"Berkas ini adalah form {other}, bukan form {form.subbagian.nama}. "
            f"Unggah form milik {form.subbagian.nama}."
        )
    versi = _as_int(meta.get("versi"))
    if versi != pengukuran.versi:
        raise ImporGagal(
            f"Berkas ini dibuat untuk versi {meta.get('versi')} pengukuran {current}; versi sekarang "
            f"{pengukuran.versi}. Unduh form terbaru, salin isiannya, lalu unggah kembali."
        )


def _header_row(ws) -> int:
    for number, row in enumerate(
        ws.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=dokumen.FORM_COL_ID, values_only=True), 1
    ):
        if len(row) >= dokumen.FORM_COL_ID and row[dokumen.FORM_COL_ID - 1] == dokumen.FORM_ID_HEADER:
            return number
    raise ImporGagal(
        "Susunan kolom form telah diubah (judul kolom ID baris tidak ditemukan). "
        "Unduh form terbaru dan isi tanpa menambah atau menghapus kolom."
    )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_realisasi(value) -> Decimal | None:
    """One Realisasi cell as a Decimal with two places; RealisasiTidakValid (a ValueError) with the reason."""
    try:
        return numbers.parse_decimal(value, grouping=False, minimum=Decimal(0), maximum=MAX_REALISASI)
    except numbers.NumberError as error:
        raise RealisasiTidakValid(_why(error)) from None


class RealisasiTidakValid(ValueError):
    """A Realisasi cell that cannot be saved; the message says why, in Indonesian."""


def _why(error: numbers.NumberError) -> str:
    if isinstance(error, numbers.BelowMinimum):
        return f"Realisasi tidak boleh negatif ({angka(error.number)})."
    if isinstance(error, numbers.TooPrecise):
        return f"Realisasi paling banyak 2 angka di belakang koma ({angka(error.number)})."
    if isinstance(error, numbers.AboveMaximum):
        return f"Realisasi terlalu besar ({angka(error.number)})."
    if error.reason == numbers.NotANumber.BOOL:
        return "Realisasi harus berupa angka, bukan nilai benar/salah."
    if error.reason == numbers.NotANumber.DATE:
        return "Realisasi harus berupa angka, bukan tanggal atau waktu."
    if error.reason == numbers.NotANumber.NONFINITE:
        return "Realisasi bukan angka yang sah."
    if error.reason == numbers.NotANumber.TEXT:
        text = str(error.value).strip()
        shown = text if len(text) <= 40 else text[:40] + "…"
        return f'Realisasi harus berupa angka, bukan teks "{shown}".'
    return "Realisasi harus berupa angka."


def _keterangan(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_form(form: FormDataKinerja, berkas) -> dict[int, "IsianBaris"]:
    """Every row of the workbook as {baris id: IsianBaris(realisasi, keterangan)}; ImporGagal otherwise."""
    from .services import IsianBaris  # here, not at the top: the services import this module

    content = read_upload(berkas, empty=NOT_XLSX)  # settings.IMPORT_MAX_BYTES, as every import
    wb = open_workbook(
        content,
        damaged=NOT_XLSX,
        max_unpacked=MAX_UNCOMPRESSED,
        too_big="Isi berkas terlalu besar untuk sebuah Form Data Kinerja.",
    )
    try:
        _check_identity(form, _meta(wb))
        ws = wb[dokumen.FORM_SHEET]
        ws.reset_dimensions()  # never trust the stored size: read every row there is
        header = _header_row(ws)
        known = dict(form.baris_set.values_list("pk", "indikator_kode"))
        result: dict[int, IsianBaris] = {}
        errors: list[tuple[int, str]] = []
        rows = ws.iter_rows(min_row=header + 1, max_col=dokumen.FORM_COL_ID, values_only=True)
        for number, values in enumerate(rows, header + 1):
            if number > header + MAX_ROWS:
                raise ImporGagal(f"Berkas terlalu banyak baris (lebih dari {MAX_ROWS}).")
            values = tuple(values) + (None,) * (dokumen.FORM_COL_ID - len(values))
            raw_id = values[dokumen.FORM_COL_ID - 1]
            raw_realisasi = values[dokumen.FORM_COL_REALISASI - 1]
            raw_keterangan = values[dokumen.FORM_COL_KETERANGAN - 1]
            if _blank(raw_id):
                if not (_blank(raw_realisasi) and _blank(raw_keterangan)):
                    errors.append(
                        (
                            number,
                            "Baris ini bukan baris indikator form (kolom ID baris kosong); "
                            "isi hanya baris indikator yang tersedia.",
                        )
                    )
                continue
            pk = _as_int(raw_id) if not isinstance(raw_id, bool) else None
            if pk is None or str(raw_id).strip() not in (str(pk), f"{pk}.0"):
                errors.append(
                    (number, f"ID baris {raw_id!s:.20} tidak valid; kolom ID baris tidak boleh diubah.")
                )
                continue
            if pk not in known:
                errors.append((number, f"ID baris {pk} bukan bagian dari form {form.subbagian.nama}."))
                continue
            if pk in result:
                errors.append((number, f"ID baris {pk} ({known[pk]}) muncul lebih dari sekali."))
                continue
            label = known[pk]
            try:
                realisasi = parse_realisasi(raw_realisasi)
            except RealisasiTidakValid as exc:
                errors.append((number, f"{label}: {exc}"))
                result[pk] = IsianBaris(realisasi=None)  # seen: not reported again as missing
                continue
            keterangan = _keterangan(raw_keterangan)
            if len(keterangan) > MAX_KETERANGAN:
                errors.append(
                    (number, f"{label}: keterangan terlalu panjang (paling banyak {MAX_KETERANGAN} huruf).")
                )
            result[pk] = IsianBaris(realisasi=realisasi, keterangan=keterangan)
    finally:
        wb.close()
    if errors:
        raise ImporGagal(
            f"Berkas tidak diimpor: {len(errors)} baris bermasalah, tidak ada isian yang disimpan. "
            "Perbaiki baris berikut lalu unggah kembali.",
            errors,
        )
    missing = [known[pk] for pk in known if pk not in result]
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise ImporGagal(
            f"Berkas ini tidak memuat {len(missing)} indikator yang sekarang ada di form ({shown}): form telah "
            "berubah sejak berkas diunduh. Unduh form terbaru, salin isiannya, lalu unggah kembali."
        )
    return result
