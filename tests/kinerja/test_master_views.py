"""Master data pages: output codes (Rendatin/Admin) and staff (Admin) — permissions, outcomes, query counts."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.models import AuditLog, EntriKinerja, KodeOutput, LevelKode, Pegawai
from tests.conftest import PASSWORD, make_nip, make_pegawai


def xlsx_upload(rows: list[list], name: str = "berkas.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def sign_in(username: str, password: str):
    """A fresh browser posting the login form; returns (client, response)."""
    client = Client()
    return client, client.post(reverse("login"), {"username": username, "password": password})


# --- permission matrix -------------------------------------------------------------------------------------

CODE_PAGES = ["kinerja:kode_output_list", "kinerja:kode_output_import"]
STAFF_PAGES = ["kinerja:pegawai_list", "kinerja:pegawai_import"]


@pytest.mark.parametrize("name", [*CODE_PAGES, *STAFF_PAGES])
def test_anonymous_is_sent_to_login(client, org, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "args"),
    [("kinerja:kode_output_toggle", "kode"), ("kinerja:pegawai_reset_password", "asn")],
)
def test_anonymous_is_sent_to_login_from_object_pages(client, org, name, args):
    url = reverse(name, args=[getattr(org, args).pk])
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("person", "codes", "staff"),
    [
        ("asn", 403, 403),
        ("kasubag", 403, 403),
        ("sekretaris", 403, 403),
        ("pimpinan", 403, 403),
        ("outsider", 403, 403),
        ("rendatin", 200, 403),
        ("kasubag_rendatin", 200, 403),
        ("admin", 200, 200),
    ],
)
def test_permission_matrix(org, login, person, codes, staff):
    client = login(getattr(org, person))
    for name in CODE_PAGES:
        assert client.get(reverse(name)).status_code == codes, name
    for name in STAFF_PAGES:
        assert client.get(reverse(name)).status_code == staff, name
    reset = client.get(reverse("kinerja:pegawai_reset_password", args=[org.colleague.pk]))
    assert reset.status_code == (200 if staff == 200 else 403)


def test_wrong_role_gets_an_indonesian_message(org, login):
    response = login(org.kasubag).get(reverse("kinerja:kode_output_import"))
    assert response.status_code == 403
    assert "hanya untuk Rendatin dan Admin" in response.content.decode()


def test_kasubag_cannot_post_a_code_import(org, login):
    before = KodeOutput.objects.count()
    upload = xlsx_upload([["kode", "uraian"], ["3359.EBA", "KRO"]])
    response = login(org.kasubag).post(
        reverse("kinerja:kode_output_import"), {"tahun": org.kode.tahun, "berkas": upload}
    )
    assert response.status_code == 403
    assert KodeOutput.objects.count() == before


def test_toggle_is_post_only(org, login):
    response = login(org.rendatin).get(reverse("kinerja:kode_output_toggle", args=[org.kode.pk]))
    assert response.status_code == 405
    org.kode.refresh_from_db()
    assert org.kode.aktif is True


def test_asn_cannot_toggle(org, login):
    response = login(org.asn).post(reverse("kinerja:kode_output_toggle", args=[org.kode.pk]))
    assert response.status_code == 403
    org.kode.refresh_from_db()
    assert org.kode.aktif is True


def test_codes_of_another_satker_and_shared_codes_are_not_found_for_toggling(org, login):
    year = org.kode.tahun
    theirs = KodeOutput.objects.create(
        satker=org.bontang, tahun=year, kode="9999", uraian="Bontang", level="kegiatan"
    )
    shared = KodeOutput.objects.create(
        satker=None, tahun=year, kode="0001", uraian="Bersama", level="kegiatan"
    )
    client = login(org.rendatin)
    for kode in (theirs, shared):
        response = client.post(reverse("kinerja:kode_output_toggle", args=[kode.pk]))
        assert response.status_code == 404
        kode.refresh_from_db()
        assert kode.aktif is True


def test_reset_password_of_another_satker_is_not_found(org, login):
    client = login(org.admin)
    url = reverse("kinerja:pegawai_reset_password", args=[org.outsider.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    org.outsider.user.refresh_from_db()
    assert org.outsider.user.check_password(PASSWORD)


def test_admin_cannot_reset_own_password_here(org, login):
    response = login(org.admin).post(reverse("kinerja:pegawai_reset_password", args=[org.admin.pk]))
    assert response.status_code == 403
    org.admin.user.refresh_from_db()
    assert org.admin.user.check_password(PASSWORD)


def test_non_admin_cannot_reset_passwords(org, login):
    url = reverse("kinerja:pegawai_reset_password", args=[org.asn.pk])
    for person in (org.rendatin, org.sekretaris, org.kasubag):
        assert login(person).post(url).status_code == 403
    org.asn.user.refresh_from_db()
    assert org.asn.user.check_password(PASSWORD)


# --- output codes ------------------------------------------------------------------------------------------


def test_code_list_shows_the_year_with_entry_counts(org, login):
    EntriKinerja.objects.create(
        satker=org.kudus,
        pegawai=org.asn,
        tanggal=org.kudus.today(),
        kode_output=org.kode,
        nama_kegiatan="Membersihkan",
        output_hasil="Bersih",
    )
    KodeOutput.objects.create(
        satker=org.bontang, tahun=org.kode.tahun, kode="7777", uraian="Rahasia Bontang", level="kegiatan"
    )
    response = login(org.rendatin).get(reverse("kinerja:kode_output_list"))

    page = response.context["page"]
    assert [k.kode for k in page.object_list] == ["3359", "3359.EBA.994.002"]
    assert {k.kode: k.jumlah_entri for k in page.object_list} == {"3359": 0, "3359.EBA.994.002": 1}
    assert "Rahasia Bontang" not in response.content.decode()
    assert reverse("kinerja:kode_output_import") in response.content.decode()


def test_code_list_filters_by_year_and_search(org, login):
    client = login(org.rendatin)
    next_year = org.kode.tahun + 1
    response = client.get(reverse("kinerja:kode_output_list"), {"tahun": next_year, "q": "pemeliharaan"})
    assert [k.pk for k in response.context["page"].object_list] == [org.kode_years[next_year].pk]
    response = client.get(reverse("kinerja:kode_output_list"), {"tahun": "bukan-angka"})
    assert response.context["year"] == org.kudus.today().year


def test_toggle_switches_a_code_off_and_on_with_audit(org, login):
    client = login(org.rendatin)
    url = reverse("kinerja:kode_output_toggle", args=[org.kode.pk])

    response = client.post(url, {"aktif": "0", "q": "994"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('kinerja:kode_output_list')}?tahun={org.kode.tahun}&q=994"
    org.kode.refresh_from_db()
    assert org.kode.aktif is False
    client.post(url)  # without a wanted state: toggles
    org.kode.refresh_from_db()
    assert org.kode.aktif is True
    assert list(AuditLog.objects.filter(action="kode_output_aktif").values_list("ke", flat=True)) == [
        "aktif",
        "nonaktif",
    ]


def test_code_import_page_defaults_to_this_year(org, login):
    response = login(org.rendatin).get(reverse("kinerja:kode_output_import"))
    assert response.context["form"].initial["tahun"] == org.kudus.today().year
    assert "subbagian" in response.content.decode()


def test_code_import_saves_and_redirects_with_a_message(org, login):
    client = login(org.kasubag_rendatin)
    upload = xlsx_upload(
        [
            ["kode", "uraian", "subbagian"],
            ["3359.EBA", "Layanan Dukungan", ""],
            ["3359.EBA.994", "Perkantoran", "KUL"],
        ]
    )
    response = client.post(
        reverse("kinerja:kode_output_import"), {"tahun": org.kode.tahun, "berkas": upload}, follow=True
    )

    assert response.redirect_chain[-1][0] == f"{reverse('kinerja:kode_output_list')}?tahun={org.kode.tahun}"
    assert "2 baru" in response.content.decode()
    ro = KodeOutput.objects.get(satker=org.kudus, tahun=org.kode.tahun, kode="3359.EBA.994")
    assert (ro.level, ro.subbagian, ro.parent.kode) == (LevelKode.RO, org.kul, "3359.EBA")


def test_code_import_with_errors_shows_them_and_saves_nothing(org, login):
    before = KodeOutput.objects.count()
    upload = xlsx_upload(
        [["kode", "uraian"], ["3359.EBA", "Baik"], ["", "Tanpa kode"], ["3359.EBA", "Kembar"]]
    )
    response = login(org.rendatin).post(
        reverse("kinerja:kode_output_import"), {"tahun": org.kode.tahun, "berkas": upload}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Baris 3: kode wajib diisi." in content
    assert "Baris 4: kode 3359.EBA sudah ada pada baris 2." in content
    assert "Tidak ada data yang disimpan" in content
    assert KodeOutput.objects.count() == before


def test_code_import_of_a_corrupt_file_is_a_message_not_a_500(org, login):
    upload = SimpleUploadedFile("rusak.xlsx", b"PK\x03\x04rusak-bukan-zip")
    response = login(org.admin).post(reverse("kinerja:kode_output_import"), {"tahun": 2026, "berkas": upload})
    assert response.status_code == 200
    assert "rusak" in response.content.decode()


def test_code_import_requires_a_file(org, login):
    response = login(org.rendatin).post(reverse("kinerja:kode_output_import"), {"tahun": 2026})
    assert response.status_code == 200
    assert response.context["form"].errors["berkas"]


# --- staff -------------------------------------------------------------------------------------------------


def test_staff_list_shows_people_of_the_satker(org, login):
    response = login(org.admin).get(reverse("kinerja:pegawai_list"))

    content = response.content.decode()
    assert org.kasubag.nip_display in content
    assert "Kepala Subbagian" in content  # role labels
    assert org.outsider.nama not in content
    assert reverse("kinerja:pegawai_import") in content
    assert reverse("kinerja:pegawai_reset_password", args=[org.asn.pk]) in content
    assert reverse("kinerja:pegawai_reset_password", args=[org.admin.pk]) not in content


def test_staff_import_shows_temporary_passwords_that_work_once(org, login):
    nip, kasubag_nip = make_nip("19920202"), make_nip("19810101")
    upload = xlsx_upload(
        [
            ["nip", "nama", "jabatan", "subbagian", "peran"],
            [nip, "Tono Sugiarto", "Pengelola Data", "RENDATIN", ""],
            [kasubag_nip, "Umi Kalsum, S.H.", "Kepala Subbagian Hukum", "HUKUM", "kasubag"],
        ]
    )
    response = login(org.admin).post(reverse("kinerja:pegawai_import"), {"berkas": upload})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    credentials = {c.username: c.password for c in response.context["result"].credentials}
    assert set(credentials) == {nip, kasubag_nip}
    content = response.content.decode()
    assert credentials[nip] in content and "hanya ditampilkan sekali" in content

    tono = Pegawai.objects.get(nip=nip)
    assert tono.wajib_ganti_sandi is True and tono.has_role("rendatin")
    org.hukum.refresh_from_db()
    assert org.hukum.kasubag.nip == kasubag_nip

    browser, signed_in = sign_in(nip, credentials[nip])
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("home")
    forced = browser.get(reverse("kinerja:entri_create"))
    assert forced.status_code == 302 and forced["Location"] == reverse("password_change")


def test_staff_import_with_errors_shows_rows_and_saves_nothing(org, login):
    before = Pegawai.objects.count()
    upload = xlsx_upload(
        [
            ["nip", "nama", "subbagian"],
            ["1985031220100110", "Pendek", "KUL"],
            ["198513322010011001", "Tanggal salah", "KUL"],
            [org.outsider.nip, "Orang Bontang", "KUL"],
            [make_nip("19900909"), "Baik", "KUL"],
        ]
    )
    response = login(org.admin).post(reverse("kinerja:pegawai_import"), {"berkas": upload})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Baris 2: NIP 1985031220100110: NIP harus 18 digit angka." in content
    assert "Baris 3: NIP 198513322010011001" in content
    assert f"Baris 4: NIP {org.outsider.nip} sudah terdaftar di satker lain." in content
    assert Pegawai.objects.count() == before


def test_reset_password_confirm_then_new_password_works_and_old_does_not(org, login):
    client = login(org.admin)
    url = reverse("kinerja:pegawai_reset_password", args=[org.asn.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200 and org.asn.nama in confirm.content.decode()
    org.asn.user.refresh_from_db()
    assert org.asn.user.check_password(PASSWORD)  # GET changes nothing

    done = client.post(url)
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    password = done.context["password"]
    assert password in done.content.decode()
    org.asn.refresh_from_db()
    assert org.asn.wajib_ganti_sandi is True
    assert AuditLog.objects.filter(action="pegawai_reset_sandi", object_id=org.asn.pk).exists()

    _, old = sign_in(org.asn.nip, PASSWORD)
    assert old.status_code == 200 and "kata sandi salah" in old.content.decode()
    browser, new = sign_in(org.asn.nip, password)
    assert new.status_code == 302
    assert browser.get(reverse("home"))["Location"] == reverse("password_change")


# --- query counts ------------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_codes(org, count: int, start: int) -> None:
    year = org.kode.tahun
    parent = KodeOutput.objects.get(satker=org.kudus, tahun=year, kode="3359")
    for i in range(start, start + count):
        kode = KodeOutput.objects.create(
            satker=org.kudus,
            tahun=year,
            kode=f"3359.X{i:02d}",
            uraian=f"Kode {i}",
            level=LevelKode.KRO,
            parent=parent,
            subbagian=org.kul if i % 2 else None,
        )
        EntriKinerja.objects.create(
            satker=org.kudus,
            pegawai=org.asn,
            tanggal=datetime.date(year, 1, 2),
            kode_output=kode,
            nama_kegiatan="Kegiatan",
            output_hasil="Hasil",
        )


def add_people(org, count: int, start: int) -> None:
    subs = [org.kul, org.teknis, org.hukum, None]
    for i in range(start, start + count):
        make_pegawai(org.kudus, subs[i % 4], nama=f"Pegawai {i:02d}", nip=make_nip("19870101"))


def test_code_list_query_count_does_not_grow_with_rows(org, login):
    client = login(org.rendatin)
    url = reverse("kinerja:kode_output_list")
    add_codes(org, 5, 0)
    few = count_queries(client, url)
    add_codes(org, 30, 5)
    assert count_queries(client, url) == few


def test_staff_list_query_count_does_not_grow_with_rows(org, login):
    client = login(org.admin)
    url = reverse("kinerja:pegawai_list")
    add_people(org, 5, 0)
    few = count_queries(client, url)
    add_people(org, 30, 5)
    assert count_queries(client, url) == few
