"""Importing the framework from XLSX/CSV: row-level errors, all or nothing, update by code, the template
round trip, the page and the management command."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kinerja.errors import ImporGagal
from kinerja.models import AuditLog, KodeOutput, LevelKode
from rekap.pengukuran import kerangka
from rekap.pengukuran.kerangka import Target
from rekap.pengukuran.kerangka.ekspor import kerangka_xlsx
from rekap.pengukuran.kerangka.impor import HEADER, kerangka_import
from rekap.pengukuran.models import Indikator, Kegiatan, Program, Sasaran, TargetPeriode

YEAR = datetime.date.today().year
D = Decimal
COLUMNS = [
    "kode sasaran",
    "sasaran",
    "kode program",
    "program",
    "kode kegiatan",
    "kegiatan",
    "kode indikator",
    "indikator",
    "satuan",
    "arah",
    "target tahunan",
    "target bawah",
    "target atas",
    "T1",
    "T2",
    "T3",
    "T4",
    "Januari",
    "subbagian",
    "kode output",
    "aturan",
    "satuan volume",
]


def row(kode="IK1", **values) -> list:
    base = {
        "kode sasaran": "S1",
        "sasaran": "Meningkatnya kualitas layanan",
        "kode program": "P1",
        "program": "Dukungan manajemen",
        "kode kegiatan": "K1",
        "kegiatan": "Layanan perkantoran",
        "kode indikator": kode,
        "indikator": f"Indikator {kode}",
        "satuan": "persen",
        "arah": "naik",
        "target tahunan": 90,
        "subbagian": "KUL",
    }
    base.update(values)
    return [base.get(column) for column in COLUMNS]


def xlsx(rows: list[list], header: list[str] = COLUMNS) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    for r in rows:
        workbook.active.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(org, content: bytes, tahun: int = YEAR, name: str = "kerangka.xlsx"):
    return kerangka_import(
        satker=org.kudus, tahun=tahun, fileobj=io.BytesIO(content), filename=name, by=org.rendatin
    )


def errors_of(org, rows, **kwargs) -> list[str]:
    with pytest.raises(ImporGagal) as info:
        run(org, xlsx(rows), **kwargs)
    return [message for _, message in info.value.errors]


def test_import_builds_the_tree_with_targets_links_and_rules(org):
    result = run(
        org,
        xlsx(
            [
                row("IK1", T1=20, T2="45,5", Januari=7),
                row(
                    "IK2",
                    **{
                        "target tahunan": None,
                        "target bawah": 80,
                        "target atas": 90,
                        "T1": "20-25",
                        "arah": "turun",
                        "subbagian": "teknis",
                        "kode output": "3359.EBA.994.002",
                        "aturan": "jumlah volume",
                        "satuan volume": "dokumen",
                    },
                ),
                row(
                    "IK3",
                    **{
                        "kode sasaran": "S2",
                        "sasaran": "Sasaran dua",
                        "kode program": "P1",
                        "program": "Program lain",
                        "target tahunan": "80 s.d. 90",
                        "aturan": "jumlah entri",
                        "kode output": "3359.EBA.994.002, 3359.EBA.994.002",
                    },
                ),
            ]
        ),
    )
    assert (result.created, result.updated, result.unchanged, result.kelompok_baru) == (3, 0, 0, 6)
    assert [s.kode for s in Sasaran.objects.filter(satker=org.kudus, tahun=YEAR).order_by("urutan")] == [
        "S1",
        "S2",
    ]
    assert Program.objects.filter(sasaran__tahun=YEAR).count() == 2  # P1 under S1 and another P1 under S2
    ik1, ik2, ik3 = (Indikator.objects.get(kode=k) for k in ("IK1", "IK2", "IK3"))
    assert (ik1.target_tahunan, ik1.jenis_target, ik1.subbagian, ik1.aturan_realisasi) == (
        90,
        "tunggal",
        org.kul,
        "manual",
    )
    assert kerangka.targets_of(ik1) == {
        ("triwulan", 1): Target(nilai=D(20)),
        ("triwulan", 2): Target(nilai=D("45.5")),
        ("bulan", 1): Target(nilai=D(7)),
    }
    assert (ik2.jenis_target, ik2.target_bawah, ik2.target_atas, ik2.arah, ik2.subbagian) == (
        "rentang",
        80,
        90,
        "turun",
        org.teknis,
    )
    assert kerangka.targets_of(ik2) == {("triwulan", 1): Target(bawah=D(20), atas=D(25))}
    assert (ik2.aturan_realisasi, ik2.satuan_volume, list(ik2.kode_output.all())) == (
        "jumlah_volume",
        "dokumen",
        [org.kode],
    )
    assert (ik3.target_bawah, ik3.target_atas) == (80, 90)
    assert set(ik3.kode_output.values_list("kode", flat=True)) == {"3359.EBA.994.002"}
    log = AuditLog.objects.get(action="kerangka_impor")
    assert log.actor == org.rendatin.user and "kerangka.xlsx" in log.catatan and "3 baru" in log.catatan


def test_every_row_error_is_reported_with_its_row_number_and_nothing_is_saved(org):
    messages = errors_of(
        org,
        [
            row("OK1"),  # row 2 is fine, yet not saved
            row("E3", subbagian="KEUANGAN"),
            row("E4", **{"kode output": "9999.XXX", "aturan": "jumlah entri"}),
            row("E5", **{"target tahunan": "sembilan puluh"}),
            row("E6", **{"target tahunan": -5}),
            row("E7", **{"target tahunan": None, "target bawah": 90, "target atas": 80}),
            row("OK1"),
            row("E9", **{"sasaran": "Uraian lain untuk S1"}),
            row("E10", satuan=None),
            row("E11", T3="abc"),
            row("E12", arah="naik turun"),
            row("E13", **{"aturan": "jumlah volume", "kode output": "3359.EBA.994.002"}),
            row("E14", T1="10-20"),
            row("E15", **{"aturan": "jumlah entri", "kode output": "3359"}),
        ],
    )
    assert messages == [
        "Baris 3: subbagian 'KEUANGAN' tidak ditemukan pada satker ini (tulis singkatannya, mis. KUL).",
        f"Baris 4: kode output 9999.XXX tidak ada pada tahun {YEAR} satker ini.",
        "Baris 5: target tahunan bukan angka yang valid: sembilan puluh.",
        "Baris 6: target tahunan tidak boleh negatif (-5).",
        "Baris 7: target tahunan: batas bawah (90) lebih besar dari batas atas (80).",
        "Baris 8: kode indikator OK1 sudah ada pada baris 2.",
        "Baris 9: uraian sasaran S1 berbeda dengan baris 2; satu kode satu uraian.",
        "Baris 10: kolom satuan wajib diisi.",
        "Baris 11: target T3 bukan angka yang valid: abc.",
        "Baris 12: arah 'naik turun' tidak dikenal; isi naik atau turun.",
        "Baris 13: jumlah volume memerlukan satuan volume (mis. dokumen) yang dijumlah.",
        "Baris 14: target Triwulan I: rentang hanya untuk indikator bertarget rentang; tulis satu angka.",
        # an entry never carries a kegiatan code, so a link to one could never count anything
        "Baris 15: kode output 3359 berlevel Kegiatan dan tidak dipakai entri harian; tautkan kode RO atau "
        "komponen.",
    ]
    assert not Sasaran.objects.exists() and not Indikator.objects.exists()
    assert not AuditLog.objects.filter(action="kerangka_impor").exists()


def test_a_late_database_failure_leaves_nothing_half_imported(org, monkeypatch):
    from rekap.pengukuran.kerangka import services as kerangka_services

    calls = {"n": 0}
    real = kerangka_services.set_targets

    def failing(indikator, targets):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(indikator, targets)

    monkeypatch.setattr(kerangka_services, "set_targets", failing)
    with pytest.raises(RuntimeError):
        run(org, xlsx([row("A1"), row("A2"), row("A3")]))
    assert (
        not Sasaran.objects.exists() and not Indikator.objects.exists() and not TargetPeriode.objects.exists()
    )


def test_missing_required_column_refuses_the_file(org):
    with pytest.raises(ImporGagal, match="Kolom wajib tidak ada: subbagian"):
        run(org, xlsx([row()[:-4]], header=COLUMNS[:-4]))


def test_reimport_updates_by_code_creates_new_and_deletes_nothing(org):
    run(org, xlsx([row("IK1", T1=20), row("IK2"), row("IK3")]))
    ik1 = Indikator.objects.get(kode="IK1")
    result = run(
        org,
        xlsx(
            [
                row(
                    "IK1",
                    indikator="Uraian baru",
                    T1=25,
                    **{"kode kegiatan": "K2", "kegiatan": "Kegiatan dua"},
                ),
                row("IK2"),
                row("IK4"),
            ]
        ),
    )
    assert (result.created, result.updated, result.unchanged, result.kelompok_baru) == (1, 1, 1, 1)
    ik1.refresh_from_db()
    assert ik1.uraian == "Uraian baru" and ik1.kegiatan.kode == "K2"
    assert kerangka.targets_of(ik1) == {("triwulan", 1): Target(nilai=D(25))}
    # IK3 was not in the file: kept as it was.
    assert set(Indikator.objects.values_list("kode", flat=True)) == {"IK1", "IK2", "IK3", "IK4"}
    assert Kegiatan.objects.filter(kode="K1").exists()


def test_columns_absent_from_the_file_leave_existing_values_and_empty_ones_clear_them(org):
    run(
        org, xlsx([row("IK1", T1=20, T2=40, **{"kode output": "3359.EBA.994.002", "aturan": "jumlah entri"})])
    )
    ik1 = Indikator.objects.get(kode="IK1")
    # No T1..T4, no kode output column: targets and links stay; the new Januari target is added.
    header = [c for c in COLUMNS if c not in ("T1", "T2", "T3", "T4", "kode output")]
    values = dict(zip(COLUMNS, row("IK1", Januari=5, aturan="jumlah entri"), strict=True))
    run(org, xlsx([[values[c] for c in header]], header=header))
    assert kerangka.targets_of(ik1) == {
        ("triwulan", 1): Target(nilai=D(20)),
        ("triwulan", 2): Target(nilai=D(40)),
        ("bulan", 1): Target(nilai=D(5)),
    }
    assert list(ik1.kode_output.all()) == [org.kode]
    # The columns present but empty: their targets go; an active flag column switches the indicator off.
    run(org, xlsx([row("IK1", T1=20) + ["tidak"]], header=[*COLUMNS, "aktif"]))
    ik1.refresh_from_db()
    assert kerangka.targets_of(ik1) == {("triwulan", 1): Target(nilai=D(20))}
    assert not ik1.kode_output.exists() and ik1.aturan_realisasi == "manual" and not ik1.aktif


def test_the_template_round_trips_without_changes(org):
    run(
        org,
        xlsx(
            [
                row("IK1", T1=20.5, Januari=7, indikator="+62 bukan rumus"),
                row(
                    "IK2",
                    **{
                        "target tahunan": None,
                        "target bawah": "82,5",
                        "target atas": 90,
                        "T2": "20-22,5",
                        "kode output": "3359.EBA.994.002",
                        "aturan": "jumlah volume",
                        "satuan volume": "dokumen",
                    },
                ),
            ]
        ),
    )
    content = kerangka_xlsx(org.kudus, YEAR)
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert rows[1][7] == "+62 bukan rumus" and sheet.cell(2, 8).data_type == "s"
    assert sheet.cell(2, 8).quotePrefix
    assert [s.title for s in book.worksheets] == ["Kerangka", "Petunjuk"]
    result = run(org, content)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_an_empty_year_gives_the_bare_template(org):
    rows = list(openpyxl.load_workbook(io.BytesIO(kerangka_xlsx(org.kudus, YEAR))).worksheets[0].values)
    assert rows == [tuple(HEADER)]


def test_csv_with_semicolons_and_decimal_commas(org):
    text = (
        "kode sasaran;sasaran;kode program;program;kode kegiatan;kegiatan;kode indikator;indikator;satuan;"
        "target tahunan;T1;subbagian\n"
        "S1;Sasaran;P1;Program;K1;Kegiatan;IK1;Indikator, dengan koma;persen;92,5;25%;rendatin\n"
    )
    result = run(org, text.encode(), name="kerangka.csv")
    assert result.created == 1
    ik1 = Indikator.objects.get(kode="IK1")
    assert (ik1.uraian, ik1.target_tahunan, ik1.subbagian) == (
        "Indikator, dengan koma",
        D("92.5"),
        org.rendatin_sub,
    )


def test_codes_of_another_satker_or_year_are_unknown(org):
    KodeOutput.objects.create(
        satker=org.bontang, tahun=YEAR, kode="BONTANG.1", uraian="x", level=LevelKode.KOMPONEN
    )
    messages = errors_of(org, [row("IK1", **{"kode output": "BONTANG.1"})], tahun=YEAR + 1)
    assert messages == [f"Baris 2: kode output BONTANG.1 tidak ada pada tahun {YEAR + 1} satker ini."]


# --- the page -----------------------------------------------------------------------------------------------


def test_import_page_reports_row_errors_and_then_imports(org, login):
    client = login(org.rendatin)
    url = reverse("pengukuran:kerangka_impor")
    bad = SimpleUploadedFile("k.xlsx", xlsx([row("IK1"), row("IK2", subbagian="XYZ")]))
    response = client.post(url, {"tahun": YEAR, "berkas": bad})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Impor dibatalkan: 1 kesalahan" in page and "Baris 3: subbagian" in page
    assert not Indikator.objects.exists()
    good = SimpleUploadedFile("k.xlsx", xlsx([row("IK1"), row("IK2")]))
    response = client.post(url, {"tahun": YEAR, "berkas": good}, follow=True)
    assert f"Impor kerangka kinerja {YEAR} selesai: indikator 2 baru" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"?tahun={YEAR}")


def test_import_page_is_for_rendatin_only(org, login):
    upload = SimpleUploadedFile("k.xlsx", xlsx([row("IK1")]))
    response = login(org.sekretaris).post(
        reverse("pengukuran:kerangka_impor"), {"tahun": YEAR, "berkas": upload}
    )
    assert response.status_code == 403 and not Indikator.objects.exists()


# --- the command --------------------------------------------------------------------------------------------


def test_command_imports_and_dry_run_saves_nothing(org, tmp_path):
    path = tmp_path / "kerangka.xlsx"
    path.write_bytes(xlsx([row("IK1"), row("IK2")]))
    out = io.StringIO()
    call_command("import_kerangka", str(path), satker="kudus", tahun=YEAR, dry_run=True, stdout=out)
    assert "Uji coba (tidak disimpan)" in out.getvalue() and not Indikator.objects.exists()
    call_command("import_kerangka", str(path), satker="kudus", tahun=YEAR, stdout=out)
    assert f"kerangka kinerja kudus {YEAR}: indikator 2 baru" in out.getvalue()
    assert Indikator.objects.count() == 2


def test_command_reports_row_errors_and_unknown_satker(org, tmp_path):
    path = tmp_path / "kerangka.xlsx"
    path.write_bytes(xlsx([row("IK1", **{"target tahunan": -1})]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Impor dibatalkan"):
        call_command("import_kerangka", str(path), satker="kudus", tahun=YEAR, stderr=err)
    assert "Baris 2: target tahunan tidak boleh negatif (-1)." in err.getvalue()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_kerangka", str(path), satker="tidakada", tahun=YEAR)
