"""The offline Form Data Kinerja round trip: the XLSX written by rekap.pengukuran.documents.form, filled with
openpyxl as a person would in a spreadsheet program, read back by rekap.pengukuran.formdata_reader.parse_form —
and every file that is not this form, or is filled wrongly, refused with its row numbers and nothing read."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from kinerja.errors import ImporGagal
from rekap.pengukuran.documents import form as form_document
from rekap.pengukuran.formdata_reader import parse_form, parse_realisasi
from rekap.pengukuran.models import BarisPengukuran, FormDataKinerja, Pengukuran, TahapPengukuran
from rekap.pengukuran.services import IsianBaris
from tests.pengukuran.test_documents import make_pengukuran, table_rows

D = Decimal
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def pengukuran(org) -> Pengukuran:
    return make_pengukuran(org, tahap=TahapPengukuran.PENGUMPULAN)


def form_of(pengukuran, subbagian) -> FormDataKinerja:
    return FormDataKinerja.objects.select_related("pengukuran__satker", "subbagian").get(
        pengukuran=pengukuran, subbagian=subbagian
    )


def download(form: FormDataKinerja) -> bytes:
    params = {"pengukuran_id": form.pengukuran_id, "subbagian_id": form.subbagian_id, "fmt": "xlsx"}
    return form_document.form_data(form.pengukuran.satker, params).render_xlsx()


def fill(content: bytes, values: dict[str, tuple]) -> bytes:
    """Open the workbook as a spreadsheet program would, type into rows by indicator code, save."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb[form_document.FORM_SHEET]
    _, numbers = table_rows(ws)
    by_code = {ws.cell(r, 5).value.split()[0]: r for r in numbers}
    for code, (realisasi, keterangan) in values.items():
        r = by_code[code]
        if realisasi is not ...:
            ws.cell(r, 8).value = realisasi
        if keterangan is not ...:
            ws.cell(r, 9).value = keterangan
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="form.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def row_number(content: bytes, code: str) -> int:
    ws = load_workbook(io.BytesIO(content))[form_document.FORM_SHEET]
    _, numbers = table_rows(ws)
    return next(r for r in numbers if ws.cell(r, 5).value.startswith(f"{code} "))


def ids(form) -> dict[str, int]:
    return dict(BarisPengukuran.objects.filter(form=form).values_list("indikator_kode", "pk"))


# --- the round trip -----------------------------------------------------------------------------------------


def test_round_trip_reads_back_what_was_typed(org, pengukuran):
    form = form_of(pengukuran, org.kul)
    content = fill(
        download(form),
        {
            "IK.1": (92.5, "Sesuai laporan bulanan"),
            "IK.2": (0, ...),  # a realisation of 0 is a value, not a blank
            "IK.6": ("12,75", ...),  # typed as text with a decimal comma
            "IK.8": (None, "Belum ada kegiatan pada triwulan ini"),  # emptied, with the reason
        },
    )
    nilai = parse_form(form, upload(content))
    pk = ids(form)
    assert set(nilai) == set(pk.values())  # every row of the form, nothing else
    assert all(isinstance(v, IsianBaris) for v in nilai.values())
    assert nilai[pk["IK.1"]] == IsianBaris(realisasi=D("92.50"), keterangan="Sesuai laporan bulanan")
    assert nilai[pk["IK.2"]].realisasi == D("0.00")
    assert nilai[pk["IK.6"]].realisasi == D("12.75")
    assert nilai[pk["IK.8"]] == IsianBaris(realisasi=None, keterangan="Belum ada kegiatan pada triwulan ini")
    # what was prefilled and left alone comes back unchanged
    assert nilai[pk["IK.7"]].realisasi == D("5.00")
    assert nilai[pk["IK.7"]].keterangan == ""


def test_prefill_from_verified_entries_is_read_back(org, pengukuran):
    form = form_of(pengukuran, org.teknis)
    BarisPengukuran.objects.filter(form=form).update(realisasi=None, realisasi_usulan=D("17.25"))
    nilai = parse_form(form, download(form))  # bytes are accepted too
    assert {v.realisasi for v in nilai.values()} == {D("17.25")}


def test_formula_like_notes_come_back_as_the_text_typed(org, pengukuran):
    form = form_of(pengukuran, org.kul)
    BarisPengukuran.objects.filter(form=form, indikator_kode="IK.1").update(keterangan="=1+1 bukan rumus")
    nilai = parse_form(form, upload(download(form)))
    assert nilai[ids(form)["IK.1"]].keterangan == "=1+1 bukan rumus"


def test_a_spreadsheets_floating_point_noise_is_accepted_but_not_a_third_decimal(org, pengukuran):
    form = form_of(pengukuran, org.kul)
    nilai = parse_form(form, upload(fill(download(form), {"IK.1": (0.1 + 0.2, ...)})))
    assert nilai[ids(form)["IK.1"]].realisasi == D("0.30")
    with pytest.raises(ImporGagal) as caught:
        parse_form(form, upload(fill(download(form), {"IK.1": (1.234, ...)})))
    assert "paling banyak 2 angka di belakang koma" in caught.value.errors[0][1]


# --- row-level errors: nothing read -------------------------------------------------------------------------


def test_row_errors_are_all_reported_with_their_row_numbers(org, pengukuran):
    form = form_of(pengukuran, org.kul)
    content = fill(
        download(form),
        {"IK.1": (-5, ...), "IK.2": ("sepuluh", ...), "IK.6": (True, ...)},
    )
    with pytest.raises(ImporGagal) as caught:
        parse_form(form, upload(content))
    error = caught.value
    assert "tidak ada isian yang disimpan" in str(error)
    assert error.errors == [
        (row_number(content, "IK.1"), "IK.1: Realisasi tidak boleh negatif (-5)."),
        (row_number(content, "IK.2"), 'IK.2: Realisasi harus berupa angka, bukan teks "sepuluh".'),
        (row_number(content, "IK.6"), "IK.6: Realisasi harus berupa angka, bukan nilai benar/salah."),
    ]


def test_a_row_id_that_is_not_in_the_form(org, pengukuran):
    form = form_of(pengukuran, org.kul)
    other = BarisPengukuran.objects.filter(form__subbagian=org.teknis, pengukuran=pengukuran).first()
    content = download(form)
    wb = load_workbook(io.BytesIO(content))
    ws = wb[form_document.FORM_SHEET]
    r = row_number(content, "IK.2")
    ws.cell(r, 10).value = other.pk  # someone unprotected the sheet and changed the hidden id
    ws.cell(r + 1, 10).value = "abc"
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ImporGagal) as caught:
        parse_form(form, upload(buffer.getvalue()))
    assert caught.value.errors == [
        (r, f"ID baris {other.pk} bukan bagian dari form Subbagian Keuangan, Umum dan Logistik."),
        (r + 1, "ID baris abc tidak valid; kolom ID baris tidak boleh diubah."),
    ]


def test_a_duplicated_row_and_a_row_added_below_the_table(org, pengukuran):
    form = form_of(pengukuran, org.kul)
    content = download(form)
    wb = load_workbook(io.BytesIO(content))
    ws = wb[form_document.FORM_SHEET]
    first, second = row_number(content, "IK.1"), row_number(content, "IK.2")
    ws.cell(second, 10).value = ws.cell(first, 10).value
    ws.cell(ws.max_row + 3, 8).value = 10  # a value typed under the table, outside any indicator row
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ImporGagal) as caught:
        parse_form(form, upload(buffer.getvalue()))
    messages = [m for _, m in caught.value.errors]
    assert messages[0] == f"ID baris {ws.cell(first, 10).value} (IK.1) muncul lebih dari sekali."
    assert messages[1].startswith("Baris ini bukan baris indikator form")


# --- a workbook that is not this form -----------------------------------------------------------------------


def test_a_form_of_another_subbagian_is_refused(org, pengukuran):
    kul, teknis = form_of(pengukuran, org.kul), form_of(pengukuran, org.teknis)
    with pytest.raises(ImporGagal, match=r"form Subbagian Teknis .* bukan form Subbagian Keuangan") as caught:
        parse_form(kul, upload(download(teknis)))
    assert caught.value.errors == []


def test_a_form_of_another_period_is_refused(org, pengukuran):
    earlier = make_pengukuran(org, tahap=TahapPengukuran.PENGUMPULAN, nomor=1)
    with pytest.raises(ImporGagal, match="form periode Triwulan I 2026, bukan periode Triwulan II 2026"):
        parse_form(form_of(pengukuran, org.kul), upload(download(form_of(earlier, org.kul))))


def test_a_form_of_another_satker_is_refused(org, pengukuran):
    content = download(form_of(pengukuran, org.kul))
    bontang = make_pengukuran(org, tahap=TahapPengukuran.PENGUMPULAN, satker=org.bontang)
    with pytest.raises(ImporGagal, match="form satker lain"):
        parse_form(form_of(bontang, org.kul), upload(content))


def test_a_form_of_an_older_version_is_refused(org, pengukuran):
    form = form_of(pengukuran, org.kul)
    content = download(form)
    Pengukuran.objects.filter(pk=pengukuran.pk).update(versi=2)
    form = form_of(pengukuran, org.kul)
    with pytest.raises(
        ImporGagal, match="dibuat untuk versi 1 pengukuran Triwulan II 2026; versi sekarang 2"
    ):
        parse_form(form, upload(content))


def test_a_form_whose_rows_changed_since_download_is_refused(org, pengukuran):
    form = form_of(pengukuran, org.kul)
    content = download(form)
    row = BarisPengukuran.objects.filter(form=form).order_by("-urutan").first()
    row.form = form  # a new indicator added to the form after the download
    row.pk = None
    row.indikator = type(row.indikator).objects.create(
        kegiatan=row.indikator.kegiatan, kode="IK.99", uraian="Baru", satuan="dokumen", subbagian=org.kul
    )
    row.indikator_kode = "IK.99"
    row.save()
    with pytest.raises(ImporGagal, match=r"tidak memuat 1 indikator .*\(IK\.99\).*Unduh form terbaru"):
        parse_form(form, upload(content))


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4 bukan lembar kerja",
        b"",
        b"No,Indikator,Realisasi\n1,IK.1,80\n",
    ],
    ids=["pdf", "empty", "csv"],
)
def test_not_an_xlsx_at_all(org, pengukuran, content):
    with pytest.raises(ImporGagal, match=r"bukan lembar kerja Excel \(\.xlsx\)"):
        parse_form(form_of(pengukuran, org.kul), upload(content, "form.xlsx"))


def test_a_zip_that_is_not_a_workbook(org, pengukuran):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("halo.txt", "bukan xlsx")
    with pytest.raises(ImporGagal, match="bukan lembar kerja Excel"):
        parse_form(form_of(pengukuran, org.kul), upload(buffer.getvalue()))


def test_an_xlsx_that_is_not_a_silabu_form(org, pengukuran):
    wb = Workbook()
    wb.active.append(["No", "Indikator", "Realisasi"])
    wb.active.append([1, "IK.1", 80])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ImporGagal, match="bukan Form Data Kinerja dari SILABU"):
        parse_form(form_of(pengukuran, org.kul), upload(buffer.getvalue()))


def test_a_file_too_large_is_refused_before_reading(org, pengukuran):
    big = SimpleUploadedFile("form.xlsx", b"0" * (5 * 1024 * 1024 + 1), content_type=XLSX)
    with pytest.raises(ImporGagal, match="terlalu besar"):
        parse_form(form_of(pengukuran, org.kul), big)


# --- one cell ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("  ", None),
        (0, D("0.00")),
        (12, D("12.00")),
        (12.5, D("12.50")),
        ("12,5", D("12.50")),
        ("7.25", D("7.25")),
        (0.1 + 0.2, D("0.30")),
    ],
)
def test_parse_realisasi_accepts(value, expected):
    assert parse_realisasi(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-0.01, "tidak boleh negatif"),
        ("abc", "bukan teks"),
        ("1.000,5", "bukan teks"),
        ("#DIV/0!", "bukan teks"),
        (True, "benar/salah"),
        (float("nan"), "bukan angka yang sah"),
        (1.005, "paling banyak 2 angka"),
        (1e13, "terlalu besar"),
    ],
)
def test_parse_realisasi_refuses(value, message):
    with pytest.raises(ValueError, match=message):
        parse_realisasi(value)


# --- through the service ------------------------------------------------------------------------------------


def test_the_service_saves_an_imported_form_or_nothing(org, pengukuran):
    from rekap.pengukuran import services

    form = form_of(pengukuran, org.kul)
    bad = fill(download(form), {"IK.1": (77, "dicek"), "IK.2": (-1, ...)})
    with pytest.raises(ImporGagal):
        services.form_import(form=form, by=org.kasubag, berkas=upload(bad))
    ik1 = BarisPengukuran.objects.get(form=form, indikator_kode="IK.1")
    assert (ik1.realisasi, ik1.keterangan) == (D(85), "")  # nothing half-imported
    good = fill(download(form), {"IK.1": (77, "dicek")})
    services.form_import(form=form, by=org.kasubag, berkas=upload(good))
    ik1.refresh_from_db()
    assert (ik1.realisasi, ik1.keterangan) == (D(77), "dicek")
