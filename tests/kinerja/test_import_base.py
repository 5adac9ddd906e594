"""kinerja.imports.base: what the output-code, staff and framework imports (and the Form Data Kinerja reader)
share — one path that refuses a bad file, row errors that refuse the whole file, and nothing half-written."""

import io
import zipfile

import pytest
from django.db import IntegrityError

from kinerja.errors import ImporGagal
from kinerja.imports import base, kode_output_import, pegawai_import
from kinerja.models import AuditLog, KodeOutput, Subbagian
from rekap.pengukuran.kerangka.impor import kerangka_import
from tests import hostile_zips
from tests.pengukuran.test_formdata_reader import form_of, upload
from tests.pengukuran.test_formdata_reader import pengukuran as pengukuran  # noqa: F401 (fixture)


def codes(org, fileobj):
    return kode_output_import(
        satker=org.kudus, tahun=2026, fileobj=fileobj, filename="k.csv", by=org.rendatin
    )


def staff(org, fileobj):
    return pegawai_import(satker=org.kudus, fileobj=fileobj, filename="p.csv", by=org.admin)


def framework(org, fileobj):
    return kerangka_import(satker=org.kudus, tahun=2026, fileobj=fileobj, filename="f.csv", by=org.rendatin)


IMPORTS = {"kode_output": codes, "pegawai": staff, "kerangka": framework}


def zip_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


# --- one path for the file --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(IMPORTS))
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Berkas kosong."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Format .xls lama tidak didukung"),
        (b"PK\x03\x04 not really a zip", "rusak"),
        (b"%PDF-1.7\n\x00\x01", "bukan XLSX atau CSV"),
    ],
    ids=["empty", "xls", "broken-zip", "binary"],
)
def test_every_import_refuses_a_bad_file_the_same_way(org, name, content, message):
    with pytest.raises(ImporGagal, match=message.replace(".", r"\.")):
        IMPORTS[name](org, io.BytesIO(content))
    assert not AuditLog.objects.filter(action__endswith="_impor").exists()


@pytest.mark.parametrize("name", list(IMPORTS))
def test_every_import_reads_at_most_one_byte_past_the_limit(org, settings, name):
    settings.IMPORT_MAX_BYTES = 64
    fileobj = io.BytesIO(b"kode,uraian\n" + b"1,a\n" * 1000)
    with pytest.raises(ImporGagal, match="Berkas terlalu besar; maksimal"):
        IMPORTS[name](org, fileobj)
    assert fileobj.tell() == 65


def test_a_zip_bomb_is_refused_before_openpyxl_unpacks_it(org, settings, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(base.openpyxl, "load_workbook", never)
    settings.IMPORT_MAX_BYTES = 10_000
    bomb = zip_of("xl/worksheets/sheet1.xml", b"0" * (40 * 10_000 + 1))  # compresses to a few hundred bytes
    assert len(bomb) < 10_000
    with pytest.raises(ImporGagal, match="rusak"):
        codes(org, io.BytesIO(bomb))


def test_the_form_data_reader_uses_the_same_path_with_its_own_words(org, settings, pengukuran):  # noqa: F811
    form = form_of(pengukuran, org.kul)
    with pytest.raises(ImporGagal, match=r"bukan lembar kerja Excel \(\.xlsx\)"):
        from rekap.pengukuran.formdata_reader import parse_form

        parse_form(form, upload(b""))
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(ImporGagal, match="terlalu besar"):
        parse_form(form, upload(b"PK" + b"0" * 200))


def test_the_header_names_the_missing_required_columns_with_its_row(org):
    with pytest.raises(ImporGagal) as caught:
        codes(org, io.BytesIO(b"\n\nnama;catatan\nA;B\n"))
    assert str(caught.value).startswith("Kolom wajib tidak ada: kode, uraian.")
    assert caught.value.errors == [(3, f"Baris 3: {caught.value}")]


def test_rows_keep_their_spreadsheet_numbers_and_unknown_columns_are_ignored(org):
    table = base.read_rows(
        io.BytesIO(b"Kode;URAIAN;lain\n\n1;satu;x\n;\n2;dua;y\n"),
        aliases={"kode": "kode", "uraian": "uraian"},
        required=("kode",),
        max_rows=10,
    )
    assert table.columns == {"kode", "uraian"}
    assert [(r.number, r.text("kode"), r.text("uraian")) for r in table.rows] == [
        (3, "1", "satu"),
        (5, "2", "dua"),
    ]


# --- row errors ------------------------------------------------------------------------------------------------


def test_row_errors_read_on_their_own_and_come_in_row_order():
    errors = base.RowErrors()
    errors.raise_if_any()  # nothing wrong: nothing raised
    errors.add(7, "kode wajib diisi.")
    errors.length(3, "uraian", "x" * 6, 5)
    errors.length(4, "uraian", "x" * 5, 5)  # fits
    with pytest.raises(ImporGagal) as caught:
        errors.raise_if_any()
    assert str(caught.value) == "Impor dibatalkan: 2 kesalahan pada berkas. Tidak ada data yang disimpan."
    assert caught.value.errors == [
        (3, "Baris 3: uraian terlalu panjang (6 karakter; maksimal 5)."),
        (7, "Baris 7: kode wajib diisi."),
    ]


def test_flags_and_subbagian_cells(org):
    errors = base.RowErrors()
    row = base.Row(2, {"aktif": "Tidak", "ya": "entah", "subbagian": "kul", "lain": "Bagian Entah"})
    assert base.flag(row, "aktif", errors) is False
    assert base.flag(row, "kosong", errors, default=True) is True
    base.flag(row, "ya", errors)
    lookup = base.SubbagianLookup(org.kudus)
    assert lookup.find(row, errors) == org.kul
    assert lookup.find(row, errors, column="kosong") is None
    assert lookup.find(row, errors, column="lain", hint=" (tulis singkatannya)") is None
    assert [message for _, message in errors] == [
        "Baris 2: ya 'entah' tidak dikenal; isi ya atau tidak.",
        "Baris 2: subbagian 'Bagian Entah' tidak ditemukan pada satker ini (tulis singkatannya).",
    ]


def test_a_short_name_wins_over_another_subbagian_full_name(org):
    clash = Subbagian.objects.create(satker=org.kudus, nama="KUL", singkatan="LAIN", urutan=9)
    lookup = base.SubbagianLookup(org.kudus)
    assert lookup.find(base.Row(2, {"subbagian": "KUL"}), base.RowErrors()) == org.kul
    assert lookup.find(base.Row(2, {"subbagian": "lain"}), base.RowErrors()) == clash


# --- nothing half-written ----------------------------------------------------------------------------------------


def test_a_write_that_fails_late_leaves_nothing_and_no_audit_row(org):
    def write(locked):
        KodeOutput.objects.create(satker=locked, tahun=2026, kode="9001", uraian="Setengah")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        base.import_into(
            org.kudus, write, busy="Kode output", action="x_impor", title="x", filename="x.csv", by=None
        )
    assert not KodeOutput.objects.filter(kode="9001").exists()
    assert not AuditLog.objects.filter(action="x_impor").exists()


def test_a_clash_with_another_process_is_refused_with_the_busy_message(org):
    def write(locked):
        KodeOutput.objects.create(satker=locked, tahun=2026, kode="9002", uraian="Bentrok")
        raise IntegrityError("unique constraint")

    with pytest.raises(
        ImporGagal, match="^Kode output sedang diubah oleh proses lain; tidak ada yang disimpan"
    ):
        base.import_into(
            org.kudus, write, busy="Kode output", action="x_impor", title="x", filename="x.csv", by=None
        )
    assert not KodeOutput.objects.filter(kode="9002").exists()


def test_a_finished_import_is_recorded_with_its_file_and_summary(org):
    class Result:
        summary = "1 baru"

    result = base.import_into(
        org.kudus,
        lambda locked: Result(),
        busy="Kode output",
        action="x_impor",
        title="kode output 2026",
        filename="../../kode <b>.csv",
        by=org.rendatin,
    )
    log = AuditLog.objects.get(action="x_impor")
    assert isinstance(result, Result)
    assert (log.actor, log.satker) == (org.rendatin.user, org.kudus)
    assert log.catatan.startswith("Impor kode output 2026 dari ") and log.catatan.endswith(": 1 baru.")
    assert "../" not in log.catatan


def test_one_wrong_row_of_many_refuses_the_whole_file(org):
    text = "kode;uraian\n" + "".join(f"77{i:02d};Kode {i}\n" for i in range(30)) + "77.;rusak\n"
    with pytest.raises(ImporGagal) as caught:
        codes(org, io.BytesIO(text.encode()))
    assert [number for number, _ in caught.value.errors] == [32]
    assert not KodeOutput.objects.filter(kode__startswith="77").exists()


def test_a_row_repeating_an_earlier_key_is_an_error_naming_the_first():
    table = base.Table(
        frozenset({"kode"}), [base.Row(n, {"kode": k}) for n, k in ((2, "A"), (3, ""), (4, "B"), (5, "A"))]
    )
    errors = base.RowErrors()

    def parse(row):
        if not row.text("kode"):
            errors.add(row.number, "kode wajib diisi.")
            return None
        return row.text("kode")

    kept = base.parsed_once(
        table,
        parse,
        key=str,
        again=lambda item, first: f"{item} sudah ada pada baris {first}.",
        errors=errors,
    )
    assert [(row.number, item) for row, item in kept] == [(2, "A"), (4, "B")]
    assert errors == [(3, "Baris 3: kode wajib diisi."), (5, "Baris 5: A sudah ada pada baris 2.")]


@pytest.mark.parametrize("declared", [None, 1000], ids=["true-size", "understated"])
def test_an_xlsx_member_inflating_to_a_gigabyte_is_refused_before_openpyxl(org, monkeypatch, declared):
    opened = []  # a list, not a raise: open_workbook turns any exception from openpyxl into "damaged"
    monkeypatch.setattr(base.openpyxl, "load_workbook", lambda *args, **kwargs: opened.append(args))
    bomb = hostile_zips.bomb("xl/", mib=1100, declared=declared)
    assert len(bomb) < 2 * 1024 * 1024  # under IMPORT_MAX_BYTES
    with pytest.raises(ImporGagal, match="rusak"):
        codes(org, io.BytesIO(bomb))
    assert opened == []


def test_the_form_data_reader_refuses_a_bomb_with_its_own_words(org, pengukuran):  # noqa: F811
    from rekap.pengukuran.formdata_reader import parse_form

    with pytest.raises(ImporGagal, match="Isi berkas terlalu besar untuk sebuah Form Data Kinerja"):
        parse_form(form_of(pengukuran, org.kul), upload(hostile_zips.bomb("xl/", mib=1100)))
