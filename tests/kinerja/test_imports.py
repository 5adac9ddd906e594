"""Imports of output codes and staff: what they write, every row error at once, nothing saved on error."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from kinerja import accounts
from kinerja import kode_output as kode_services
from kinerja.accounts import pegawai_reset_password
from kinerja.errors import DomainError, ImporGagal
from kinerja.imports import kode_output as kode_imports
from kinerja.imports import kode_output_import, pegawai_import
from kinerja.models import AuditLog, KodeOutput, LevelKode, Pegawai, Role, StatusPegawai, Subbagian
from tests.conftest import PASSWORD, make_nip

CODE_HEADER = ["kode", "uraian", "level", "subbagian", "aktif"]
STAFF_HEADER = ["nip", "nama", "jabatan", "golongan", "subbagian", "status", "peran", "email"]


def xlsx(rows: list[list]) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def csv_file(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def import_codes(org, rows, *, tahun=None, name="kode.xlsx"):
    fileobj = rows if isinstance(rows, io.BytesIO) else xlsx(rows)
    return kode_output_import(
        satker=org.kudus, tahun=tahun or org.kode.tahun, fileobj=fileobj, filename=name, by=org.rendatin
    )


def import_staff(org, rows, *, name="pegawai.xlsx"):
    fileobj = rows if isinstance(rows, io.BytesIO) else xlsx(rows)
    return pegawai_import(satker=org.kudus, fileobj=fileobj, filename=name, by=org.admin)


def refused(call, *args, **kwargs) -> ImporGagal:
    with pytest.raises(ImporGagal) as info:
        call(*args, **kwargs)
    return info.value


def by_row(error: ImporGagal) -> dict[int, str]:
    """Row number → its messages joined with " | " (a row can break several rules)."""
    found: dict[int, list[str]] = {}
    for number, message in error.errors:
        found.setdefault(number, []).append(message)
    return {number: " | ".join(messages) for number, messages in found.items()}


def code(org, kode, tahun=None) -> KodeOutput:
    return KodeOutput.objects.get(satker=org.kudus, tahun=tahun or org.kode.tahun, kode=kode)


def snapshot():
    return (
        KodeOutput.objects.count(),
        Pegawai.objects.count(),
        get_user_model().objects.count(),
        AuditLog.objects.count(),
        list(Subbagian.objects.order_by("pk").values_list("kasubag_id", flat=True)),
    )


# --- output codes ------------------------------------------------------------------------------------------


def test_code_import_builds_the_tree_and_updates_existing_codes(org):
    result = import_codes(
        org,
        [
            CODE_HEADER,
            ["3359.EBA", "Layanan Dukungan Manajemen Internal", "", "", ""],
            ["3359.EBA.994", "Layanan Perkantoran", "", "", "ya"],
            ["3359.EBA.994.002", "Operasional dan Pemeliharaan Kantor (revisi)", "", "KUL", "ya"],
            ["3359.EBA.994.003", "Pengadaan ATK", "", "Subbagian Keuangan, Umum dan Logistik", "tidak"],
            ["076.01.WA", "Program Dukungan Manajemen", "program", "", "1"],
            ["076.01.WA.1", "Kegiatan turunan", "KEGIATAN", "", "TRUE"],
        ],
    )

    assert (result.created, result.updated, result.unchanged) == (5, 1, 0)
    kegiatan = code(org, "3359")
    kro, ro = code(org, "3359.EBA"), code(org, "3359.EBA.994")
    assert (kro.parent, kro.level) == (kegiatan, LevelKode.KRO)
    assert (ro.parent, ro.level) == (kro, LevelKode.RO)
    updated = code(org, "3359.EBA.994.002")
    assert updated.pk == org.kode.pk
    assert updated.parent == ro
    assert updated.uraian == "Operasional dan Pemeliharaan Kantor (revisi)"
    assert (updated.level, updated.subbagian) == (LevelKode.KOMPONEN, org.kul)
    atk = code(org, "3359.EBA.994.003")
    assert (atk.parent, atk.subbagian, atk.aktif) == (ro, org.kul, False)
    program = code(org, "076.01.WA")
    assert (program.level, program.parent, program.aktif) == (LevelKode.PROGRAM, None, True)
    assert code(org, "076.01.WA.1").parent == program
    log = AuditLog.objects.get(action="kode_output_impor")
    assert (log.object_id, log.actor, log.satker) == (org.kudus.pk, org.rendatin.user, org.kudus)
    assert "5 baru, 1 diperbarui" in log.catatan


def test_code_import_is_scoped_to_satker_and_year(org):
    next_year = org.kode.tahun + 1
    import_codes(org, [["kode", "uraian"], ["3359.EBA", "KRO tahun depan"]], tahun=next_year)

    assert code(org, "3359.EBA", next_year).parent == KodeOutput.objects.get(
        satker=org.kudus, tahun=next_year, kode="3359"
    )
    assert not KodeOutput.objects.filter(tahun=org.kode.tahun, kode="3359.EBA").exists()
    assert not KodeOutput.objects.filter(satker=org.bontang).exists()


def test_parent_is_the_longest_existing_prefix(org):
    import_codes(
        org, [["kode", "uraian"], ["5000", "Kegiatan"], ["5000.AB.1.2", "Komponen tanpa KRO dan RO"]]
    )

    deep = code(org, "5000.AB.1.2")
    assert deep.parent == code(org, "5000")
    assert deep.level == LevelKode.KOMPONEN


def test_reimport_without_optional_columns_keeps_restriction_and_status(org):
    org.kode.subbagian = org.kul
    org.kode.aktif = False
    org.kode.level = LevelKode.RO
    org.kode.save()

    result = import_codes(org, [["Kode", "URAIAN"], ["3359.EBA.994.002", org.kode.uraian]])

    org.kode.refresh_from_db()
    assert (org.kode.subbagian, org.kode.aktif, org.kode.level) == (org.kul, False, LevelKode.RO)
    assert org.kode.parent.kode == "3359"
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_code_row_errors_are_all_reported_and_nothing_is_saved(org):
    before = snapshot()
    error = refused(
        import_codes,
        org,
        [
            ["kode", "uraian", "level", "subbagian", "aktif", "tahun"],
            ["6000", "Baik", "", "", "", ""],
            ["", "Tanpa kode", "", "", "", ""],
            ["6000.A", "", "", "", "", ""],
            ["6000", "Duplikat", "", "", "", ""],
            ["6000.B", "Subbagian asing", "", "KEUANGAN PUSAT", "", ""],
            ["6000.C", "Level salah", "subkomponen", "", "", ""],
            ["6000.D", "x" * 256, "", "", "", ""],
            ["6" * 61, "Kode panjang", "", "", "", ""],
            ["6000.E", "Aktif salah", "", "", "mungkin", ""],
            ["6000.F", "Tahun lain", "", "", "", 1999],
            ["6000..G", "Titik ganda", "", "", "", ""],
        ],
    )

    assert snapshot() == before
    messages = by_row(error)
    assert messages[3] == "Baris 3: kode wajib diisi."
    assert messages[4] == "Baris 4: uraian wajib diisi."
    assert messages[5] == "Baris 5: kode 6000 sudah ada pada baris 2."
    assert "subbagian 'KEUANGAN PUSAT' tidak ditemukan" in messages[6]
    assert "level 'subkomponen' tidak dikenal" in messages[7]
    assert messages[8] == "Baris 8: uraian terlalu panjang (256 karakter; maksimal 255)."
    assert messages[9] == "Baris 9: kode terlalu panjang (61 karakter; maksimal 60)."
    assert "aktif 'mungkin' tidak dikenal" in messages[10]
    assert "tahun 1999 berbeda" in messages[11]
    assert "bagian kosong" in messages[12]
    assert 2 not in messages
    assert str(error) == "Impor dibatalkan: 10 kesalahan pada berkas. Tidak ada data yang disimpan."


def test_csv_with_semicolons_and_windows_encoding(org):
    text = "KODE;Uraian;Level\r\n7000;Kegiatan “khusus”, tahap 1;\r\n7000.ABC;=SUM(A1:A2);kro\r\n"
    result = import_codes(org, csv_file(text, "cp1252"), name="kode.csv")

    assert result.created == 2
    assert code(org, "7000").uraian == "Kegiatan “khusus”, tahap 1"
    assert code(org, "7000.ABC").uraian == "=SUM(A1:A2)"  # kept as text, never evaluated
    assert code(org, "7000.ABC").parent == code(org, "7000")


def test_csv_with_commas_quotes_and_bom(org):
    text = 'kode,uraian\n8000,"Rapat, koordinasi\ndan evaluasi"\n\n8000.XYZ,Tindak lanjut\n'
    result = import_codes(org, csv_file("\ufeff" + text), name="kode.csv")

    assert result.created == 2
    assert code(org, "8000").uraian == "Rapat, koordinasi dan evaluasi"


def test_csv_row_numbers_count_blank_lines(org):
    error = refused(import_codes, org, csv_file("kode;uraian\n9000;Ada\n\n;Tanpa kode\n"))
    assert error.errors == [(4, "Baris 4: kode wajib diisi.")]


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 this is not really a zip",
        b"PK" + bytes(range(256)) * 4,
    ],
)
def test_corrupt_xlsx_gets_a_clear_error(org, content):
    error = refused(import_codes, org, io.BytesIO(content))
    assert "rusak" in str(error)
    assert KodeOutput.objects.filter(kode__startswith="PK").count() == 0


def test_zip_that_is_not_a_workbook_gets_a_clear_error(org):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    buffer.seek(0)
    assert "rusak" in str(refused(import_codes, org, buffer))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Berkas kosong."),
        (b"\n\n  \n", "Berkas kosong."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Format .xls lama tidak didukung"),
        (b"%PDF-1.7\n\x00\x01\x02", "bukan XLSX atau CSV"),
        (b"nama;keterangan\nA;B\n", "Kolom wajib tidak ada: kode, uraian."),
        (b"kode;uraian\n", "Berkas tidak berisi baris data"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(org, content, expected):
    assert expected in str(refused(import_codes, org, io.BytesIO(content)))


def test_file_size_and_row_limits(org, settings, monkeypatch):
    rows = [["kode", "uraian"]] + [[f"9{i:03d}", f"Kode {i}"] for i in range(5)]
    monkeypatch.setattr(kode_imports, "MAX_ROWS", 4)
    assert "lebih dari 4 baris" in str(refused(import_codes, org, rows))

    settings.IMPORT_MAX_BYTES = 100
    assert "terlalu besar" in str(refused(import_codes, org, csv_file("kode,uraian\n" + "1,a\n" * 50)))
    assert not KodeOutput.objects.filter(kode__startswith="9").exists()


def test_xlsx_numbers_and_blank_rows(org):
    result = import_codes(
        org, [["kode", "uraian", "aktif"], [4100, "Angka", True], [], ["4100.A", "Anak", 0]]
    )
    assert result.created == 2
    assert code(org, "4100").aktif is True
    assert (code(org, "4100.A").aktif, code(org, "4100.A").parent) == (False, code(org, "4100"))


def test_kode_output_set_aktif_writes_audit_and_refuses_shared_codes(org):
    kode = kode_services.kode_output_set_aktif(kode=org.kode, aktif=False, by=org.rendatin)
    assert kode.aktif is False
    log = AuditLog.objects.get(action="kode_output_aktif")
    assert (log.dari, log.ke, log.actor) == ("aktif", "nonaktif", org.rendatin.user)

    shared = KodeOutput.objects.create(tahun=org.kode.tahun, kode="0001", uraian="Bersama", level="kegiatan")
    with pytest.raises(DomainError):
        kode_services.kode_output_set_aktif(kode=shared, aktif=False, by=org.rendatin)


# --- staff -------------------------------------------------------------------------------------------------


def staff_rows(*rows):
    return [STAFF_HEADER, *rows]


def test_staff_import_creates_accounts_with_temporary_passwords(org):
    kasubag_hukum, staf, sekretaris = make_nip("19800101"), make_nip("19950505"), make_nip("19700707")
    result = import_staff(
        org,
        staff_rows(
            [
                kasubag_hukum,
                "Lina Marlina, S.H.",
                "Kepala Subbagian Hukum",
                "III/d",
                "HUKUM",
                "PNS",
                "kasubag",
                "",
            ],
            [
                f"{staf[:8]} {staf[8:14]} {staf[14]} {staf[15:]}",
                "Maman Suparman",
                "Operator",
                "IX",
                "Subbagian Hukum dan SDM",
                "pppk",
                "asn, admin",
                "maman@example.id",
            ],
            [sekretaris, "Nanang Kosim, M.Si.", "Sekretaris", "IV/b", "", "", "Sekretaris", ""],
            ["", "Oki Setiana", "Anggota KPU", "", "", "NON_ASN", "pimpinan", ""],
        ),
    )

    assert (result.created, result.updated) == (4, 0)
    assert [c.username for c in result.credentials] == [kasubag_hukum, staf, sekretaris, "oki-setiana"]
    for nama, username, password in result.credentials:
        person = Pegawai.objects.select_related("user").get(user__username=username)
        assert person.nama == nama
        assert person.wajib_ganti_sandi is True
        assert person.user.check_password(password)
        assert len(password) >= 12
    lina = Pegawai.objects.get(nip=kasubag_hukum)
    maman = Pegawai.objects.get(nip=staf)
    nanang = Pegawai.objects.get(nip=sekretaris)
    oki = Pegawai.objects.get(user__username="oki-setiana")
    org.hukum.refresh_from_db()
    org.kudus.refresh_from_db()
    assert org.hukum.kasubag == lina
    assert org.kudus.sekretaris == nanang
    assert (maman.status, maman.pangkat_golongan, maman.is_admin, maman.user.email) == (
        StatusPegawai.PPPK,
        "IX",
        True,
        "maman@example.id",
    )
    assert set(lina.roles) == {Role.ASN, Role.KASUBAG}
    assert (oki.nip, oki.status, oki.is_pimpinan, oki.subbagian) == (None, StatusPegawai.NON_ASN, True, None)
    log = AuditLog.objects.get(action="pegawai_impor")
    assert log.object_id == org.kudus.pk and log.actor == org.admin.user
    assert "4 akun baru" in log.catatan and "Kasubag HUKUM: Lina Marlina, S.H." in log.catatan


def test_existing_staff_are_updated_without_touching_their_password(org):
    result = import_staff(
        org,
        [
            ["NIP", "Nama", "Jabatan", "Pangkat/Golongan"],
            [org.asn.nip, "Ani Lestari, S.E., M.Ak.", "Analis Keuangan", "III/b"],
            [org.colleague.nip, org.colleague.nama, org.colleague.jabatan, ""],
            ["", org.pimpinan.nama, "", ""],
        ],
    )

    assert (result.created, result.updated, result.unchanged, result.credentials) == (0, 1, 2, [])
    org.asn.refresh_from_db()
    assert (org.asn.nama, org.asn.jabatan, org.asn.pangkat_golongan) == (
        "Ani Lestari, S.E., M.Ak.",
        "Analis Keuangan",
        "III/b",
    )
    assert org.asn.subbagian == org.kul  # no subbagian column: kept
    assert org.asn.user.check_password(PASSWORD)
    assert org.asn.wajib_ganti_sandi is False


def test_a_new_kasubag_replaces_the_holder(org):
    nip = make_nip("19880808")
    import_staff(org, staff_rows([nip, "Putri Ayu", "Kepala Subbagian KUL", "", "KUL", "PNS", "kasubag", ""]))

    org.kul.refresh_from_db()
    assert org.kul.kasubag.nip == nip
    assert not Subbagian.objects.filter(kasubag=org.kasubag).exists()


def test_a_kasubag_moving_to_another_subbagian_leaves_the_old_post(org):
    import_staff(
        org,
        staff_rows(
            [org.kasubag.nip, org.kasubag.nama, "Kepala Subbagian Hukum", "", "HUKUM", "", "kasubag", ""]
        ),
    )

    org.kul.refresh_from_db()
    org.hukum.refresh_from_db()
    assert (org.kul.kasubag, org.hukum.kasubag) == (None, org.kasubag)


def test_staff_row_errors_are_all_reported_and_nothing_is_saved(org):
    good = make_nip("19900101")
    before = snapshot()
    error = refused(
        import_staff,
        org,
        staff_rows(
            [good, "Baris Baik", "", "", "KUL", "", "", ""],
            ["19850312201001100", "NIP 17 digit", "", "", "KUL", "", "", ""],
            ["198513322010011001", "Tanggal salah", "", "", "KUL", "", "", ""],
            [good, "NIP kembar", "", "", "KUL", "", "", ""],
            [org.outsider.nip, "Orang Bontang", "", "", "KUL", "", "", ""],
            [make_nip("19910101"), "Kasubag A", "", "", "TEKNIS", "", "kasubag", ""],
            [make_nip("19910202"), "Kasubag B", "", "", "TEKNIS", "", "kasubag", ""],
            [make_nip("19910303"), "Kasubag tanpa sub", "", "", "", "", "kasubag", ""],
            [make_nip("19910404"), "Sekretaris A", "", "", "", "", "sekretaris", ""],
            [make_nip("19910505"), "Sekretaris B", "", "", "", "", "sekretaris", ""],
            [make_nip("19910606"), "Peran aneh", "", "", "KUL", "", "bendahara", ""],
            [make_nip("19910707"), "Status aneh", "", "", "KUL", "honorer", "", ""],
            ["", "Tanpa NIP", "", "", "KUL", "PNS", "", ""],
            [make_nip("19910808"), "Email salah", "", "", "KUL", "", "", "bukan-email"],
            [make_nip("19910909"), "Tanpa subbagian", "", "", "", "", "", ""],
            [make_nip("19911010"), "Subbagian asing", "", "", "GUDANG", "", "", ""],
            ["", "", "", "", "KUL", "", "", ""],
        ),
    )

    assert snapshot() == before
    messages = by_row(error)
    assert 2 not in messages
    assert messages[3] == "Baris 3: NIP 19850312201001100: NIP harus 18 digit angka."
    assert "tanggal lahir yang valid" in messages[4]
    assert messages[5] == f"Baris 5: NIP {good} sudah ada pada baris 2."
    assert messages[6] == f"Baris 6: NIP {org.outsider.nip} sudah terdaftar di satker lain."
    assert messages[8] == "Baris 8: subbagian TEKNIS sudah diberi kasubag pada baris 7."
    assert "kasubag memerlukan kolom subbagian" in messages[9]
    assert messages[11] == "Baris 11: sekretaris sudah ditetapkan pada baris 10."
    assert "peran 'bendahara' tidak dikenal" in messages[12]
    assert "status 'honorer' tidak dikenal" in messages[13]
    assert "NIP wajib diisi" in messages[14]
    assert "email 'bukan-email' tidak valid" in messages[15]
    assert "subbagian wajib diisi" in messages[16]
    assert "subbagian 'GUDANG' tidak ditemukan" in messages[17]
    assert "nama wajib diisi" in messages[18]
    assert [number for number, _ in error.errors] == sorted(number for number, _ in error.errors)


def test_nip_stored_as_a_number_gets_a_hint(org):
    error = refused(import_staff, org, [["nip", "nama", "subbagian"], [1.98503122010011e17, "Angka", "KUL"]])
    assert "format kolom NIP sebagai Teks" in error.errors[0][1]


def test_name_based_username_taken_by_another_account(org):
    get_user_model().objects.create_user(username="rina-wati", password="x")
    error = refused(
        import_staff, org, [["nip", "nama", "status", "peran"], ["", "Rina Wati", "NON_ASN", "pimpinan"]]
    )
    assert error.errors == [(2, "Baris 2: nama pengguna rina-wati sudah dipakai akun lain.")]


def test_staff_csv_import(org):
    nip = make_nip("19930303")
    text = f"nip;nama;subbagian;peran\n'{nip};Qori Amalia;RENDATIN;rendatin\n"
    result = import_staff(org, csv_file(text), name="pegawai.csv")

    assert result.created == 1
    assert Pegawai.objects.get(nip=nip).has_role(Role.RENDATIN)


def test_reset_password_gives_a_new_temporary_password(org):
    password = pegawai_reset_password(target=org.asn, by=org.admin)

    org.asn.refresh_from_db()
    org.asn.user.refresh_from_db()
    assert org.asn.user.check_password(password)
    assert not org.asn.user.check_password(PASSWORD)
    assert org.asn.wajib_ganti_sandi is True
    assert AuditLog.objects.filter(action="pegawai_reset_sandi", object_id=org.asn.pk).count() == 1
    assert accounts.temporary_password() != accounts.temporary_password()


@pytest.mark.parametrize(("target", "by"), [("admin", "admin"), ("outsider", "admin"), ("colleague", "asn")])
def test_reset_password_refused_outside_the_rules(org, target, by):
    with pytest.raises(DomainError):
        pegawai_reset_password(target=getattr(org, target), by=getattr(org, by))
    assert getattr(org, target).user.check_password(PASSWORD)


# --- management commands -----------------------------------------------------------------------------------


def write(tmp_path, name, buffer: io.BytesIO):
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def test_import_kode_output_command(org, tmp_path):
    path = write(
        tmp_path, "kode.xlsx", xlsx([["kode", "uraian"], ["3359.EBA", "KRO"], ["3359.EBA.994", "RO"]])
    )
    out = io.StringIO()
    call_command("import_kode_output", str(path), satker="kudus", tahun=org.kode.tahun, stdout=out)

    assert "2 baru" in out.getvalue()
    assert code(org, "3359.EBA.994").parent == code(org, "3359.EBA")


def test_import_kode_output_command_dry_run_changes_nothing(org, tmp_path):
    path = write(tmp_path, "kode.xlsx", xlsx([["kode", "uraian"], ["3359.EBA", "KRO"]]))
    before = snapshot()
    out = io.StringIO()
    call_command(
        "import_kode_output", str(path), "--dry-run", satker="kudus", tahun=org.kode.tahun, stdout=out
    )

    assert snapshot() == before
    assert "Uji coba" in out.getvalue() and "1 baru" in out.getvalue()


def test_import_kode_output_command_reports_row_errors(org, tmp_path):
    path = write(tmp_path, "kode.csv", io.BytesIO(b"kode;uraian\n;tanpa kode\n9;\n"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 kesalahan"):
        call_command(
            "import_kode_output", str(path), satker="kudus", tahun=2026, stderr=err, stdout=io.StringIO()
        )
    assert "Baris 2: kode wajib diisi." in err.getvalue()
    assert "Baris 3: uraian wajib diisi." in err.getvalue()

    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_kode_output", str(path), satker="entah", tahun=2026)


def test_import_pegawai_command_prints_passwords_once(org, tmp_path):
    nip = make_nip("19940404")
    path = write(tmp_path, "pegawai.xlsx", xlsx([["nip", "nama", "subbagian"], [nip, "Rudi Hartono", "KUL"]]))
    out = io.StringIO()
    call_command("import_pegawai", str(path), satker="kudus", verbosity=0, stdout=out)

    line = next(line for line in out.getvalue().splitlines() if line.startswith(nip))
    password = line.split("\t")[1]
    assert Pegawai.objects.get(nip=nip).user.check_password(password)


def test_import_pegawai_command_dry_run_changes_nothing(org, tmp_path):
    nip = make_nip("19940505")
    path = write(tmp_path, "pegawai.xlsx", xlsx([["nip", "nama", "subbagian"], [nip, "Sari Dewi", "KUL"]]))
    before = snapshot()
    out = io.StringIO()
    call_command("import_pegawai", str(path), "--dry-run", satker="kudus", stdout=out)

    assert snapshot() == before
    assert nip not in out.getvalue()
    assert "Uji coba" in out.getvalue()
