"""The Admin's working-calendar pages: holidays, leave and acting heads — permissions, outcomes, refusals,
what the rest of the system then sees (month summary, verifier), and query counts."""

import datetime

import holidays
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja import kalender_services as ks
from kinerja.errors import DomainError
from kinerja.kalender import DayState, month_summary
from kinerja.models import (
    AuditLog,
    HariLibur,
    JenisKetidakhadiran,
    JenisLibur,
    JenisPenjabat,
    Ketidakhadiran,
    Pegawai,
    PenjabatSementara,
    Periode,
    StatusPegawai,
    Subbagian,
    TahapPeriode,
)
from kinerja.organisasi import verifier_for
from tests.conftest import make_nip, make_pegawai

D = datetime.date
WORKDAY = D(2026, 3, 10)  # a Tuesday that is no national holiday

LIST_PAGES = ["kinerja:hari_libur_list", "kinerja:ketidakhadiran_list", "kinerja:penjabat_list"]
FORM_PAGES = ["kinerja:hari_libur_create", "kinerja:ketidakhadiran_create", "kinerja:penjabat_create"]
OBJECT_PAGES = [
    ("kinerja:hari_libur_update", "libur"),
    ("kinerja:hari_libur_delete", "libur"),
    ("kinerja:ketidakhadiran_delete", "absen"),
    ("kinerja:penjabat_delete", "plh"),
]


class Rows:
    """One holiday, one absence and one Plh in each satker."""

    def __init__(self, org):
        self.libur = HariLibur.objects.create(
            satker=org.kudus, tanggal=D(2026, 9, 23), nama="Hari Jadi Kudus", jenis=JenisLibur.LOKAL
        )
        self.absen = Ketidakhadiran.objects.create(
            pegawai=org.asn, jenis=JenisKetidakhadiran.SAKIT, mulai=D(2026, 9, 1), selesai=D(2026, 9, 2)
        )
        self.plh = PenjabatSementara.objects.create(
            satker=org.kudus,
            subbagian=org.kul,
            pegawai=org.colleague,
            jenis=JenisPenjabat.PLH,
            mulai=D(2026, 9, 7),
            selesai=D(2026, 9, 11),
        )
        self.their_libur = HariLibur.objects.create(
            satker=org.bontang, tanggal=D(2026, 11, 9), nama="Hari Jadi Bontang", jenis=JenisLibur.LOKAL
        )
        self.their_absen = Ketidakhadiran.objects.create(
            pegawai=org.outsider, jenis=JenisKetidakhadiran.IZIN, mulai=D(2026, 9, 1), selesai=D(2026, 9, 1)
        )
        self.their_plh = PenjabatSementara.objects.create(
            satker=org.bontang, pegawai=org.outsider, mulai=D(2026, 9, 1), selesai=D(2026, 9, 30)
        )


@pytest.fixture
def rows(org):
    return Rows(org)


def fresh(pegawai: Pegawai) -> Pegawai:
    return Pegawai.objects.with_org().get(pk=pegawai.pk)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- permission matrix -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*LIST_PAGES, *FORM_PAGES])
def test_anonymous_is_sent_to_login(client, org, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "attr"), [*OBJECT_PAGES, ("kinerja:hari_libur_seed", None)])
def test_anonymous_is_sent_to_login_from_changing_pages(client, rows, name, attr):
    url = reverse(name, args=[getattr(rows, attr).pk]) if attr else reverse(name)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("asn", 403),
        ("kasubag", 403),
        ("sekretaris", 403),
        ("rendatin", 403),
        ("pimpinan", 403),
        ("outsider", 403),
        ("admin", 200),
    ],
)
def test_permission_matrix(rows, org, login, person, status):
    client = login(getattr(org, person))
    for name in [*LIST_PAGES, *FORM_PAGES]:
        assert client.get(reverse(name)).status_code == status, name
    for name, attr in OBJECT_PAGES:
        assert client.get(reverse(name, args=[getattr(rows, attr).pk])).status_code == status, name


def test_wrong_role_gets_an_indonesian_message(org, login):
    response = login(org.kasubag).get(reverse("kinerja:hari_libur_list"))
    assert response.status_code == 403
    assert "hanya untuk Admin satker" in response.content.decode()


@pytest.mark.parametrize("person", ["asn", "kasubag", "sekretaris"])
def test_wrong_role_cannot_post_changes(rows, org, login, person):
    client = login(getattr(org, person))
    posts = [
        (reverse("kinerja:hari_libur_create"), {"tanggal": "2026-03-10", "nama": "Libur", "jenis": "lokal"}),
        (reverse("kinerja:hari_libur_update", args=[rows.libur.pk]), {"nama": "Diubah", "jenis": "lokal"}),
        (reverse("kinerja:hari_libur_delete", args=[rows.libur.pk]), {}),
        (reverse("kinerja:hari_libur_seed"), {"tahun": 2026}),
        (reverse("kinerja:ketidakhadiran_delete", args=[rows.absen.pk]), {}),
        (reverse("kinerja:penjabat_delete", args=[rows.plh.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert HariLibur.objects.filter(satker=org.kudus).count() == 1
    rows.libur.refresh_from_db()
    assert rows.libur.nama == "Hari Jadi Kudus"
    assert Ketidakhadiran.objects.filter(pk=rows.absen.pk).exists()
    assert PenjabatSementara.objects.filter(pk=rows.plh.pk).exists()
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize(
    ("name", "attr"),
    [
        ("kinerja:hari_libur_update", "their_libur"),
        ("kinerja:hari_libur_delete", "their_libur"),
        ("kinerja:ketidakhadiran_delete", "their_absen"),
        ("kinerja:penjabat_delete", "their_plh"),
    ],
)
def test_objects_of_another_satker_are_not_found(rows, org, login, name, attr):
    client = login(org.admin)
    url = reverse(name, args=[getattr(rows, attr).pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"nama": "Diubah", "jenis": "lokal"}).status_code == 404
    assert type(getattr(rows, attr)).objects.filter(pk=getattr(rows, attr).pk).exists()
    rows.their_libur.refresh_from_db()
    assert rows.their_libur.nama == "Hari Jadi Bontang"


def test_seed_is_post_only(org, login):
    response = login(org.admin).get(reverse("kinerja:hari_libur_seed"), {"tahun": 2026})
    assert response.status_code == 405
    assert not HariLibur.objects.exists()


@pytest.mark.parametrize(
    ("name", "attr", "text"),
    [
        ("kinerja:hari_libur_delete", "libur", "Hari Jadi Kudus"),
        ("kinerja:ketidakhadiran_delete", "absen", "Ani Lestari"),
        ("kinerja:penjabat_delete", "plh", "Budi Santoso"),
    ],
)
def test_get_on_delete_asks_and_changes_nothing(rows, org, login, name, attr, text):
    obj = getattr(rows, attr)
    response = login(org.admin).get(reverse(name, args=[obj.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert text in content and "Ya, hapus" in content and 'method="post"' in content
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_nav_shows_the_calendar_to_the_admin_only(org, login, client):
    url = reverse("kinerja:hari_libur_list")
    assert url in login(org.admin).get(reverse("kinerja:pegawai_list")).content.decode()
    client.logout()
    assert url not in login(org.asn).get(reverse("kinerja:entri_list")).content.decode()


@pytest.mark.parametrize("name", LIST_PAGES)
def test_calendar_pages_link_to_each_other(org, login, name):
    content = login(org.admin).get(reverse(name)).content.decode()
    for other in LIST_PAGES:
        assert f'href="{reverse(other)}"' in content
    assert 'aria-current="page"' in content


# --- holidays ----------------------------------------------------------------------------------------------


def test_holiday_list_shows_the_year_in_indonesian_with_the_day(rows, org, login):
    response = login(org.admin).get(reverse("kinerja:hari_libur_list"), {"tahun": 2026})
    content = response.content.decode()
    assert "Rabu, 23 September 2026" in content
    assert "Hari Jadi Kudus" in content and "Libur lokal" in content
    assert "Hari Jadi Bontang" not in content
    assert reverse("kinerja:hari_libur_update", args=[rows.libur.pk]) in content
    assert 'type="date"' in content


def test_empty_holiday_year_says_what_to_do(org, login):
    response = login(org.admin).get(reverse("kinerja:hari_libur_list"), {"tahun": 2030})
    content = response.content.decode()
    assert "Belum ada hari libur tahun 2030" in content
    assert "Isi dari kalender nasional 2030" in content
    assert response.context["year"] == 2030


def test_holiday_list_ignores_a_bad_year(org, login):
    response = login(org.admin).get(reverse("kinerja:hari_libur_list"), {"tahun": "abc"})
    assert response.context["year"] == org.kudus.today().year


def test_admin_adds_a_holiday_with_audit(org, login):
    response = login(org.admin).post(
        reverse("kinerja:hari_libur_create"),
        {"tanggal": "2026-03-10", "nama": "Hari Jadi Kabupaten", "jenis": JenisLibur.LOKAL},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('kinerja:hari_libur_list')}?tahun=2026"
    libur = HariLibur.objects.get(satker=org.kudus, tanggal=WORKDAY)
    assert (libur.nama, libur.jenis) == ("Hari Jadi Kabupaten", JenisLibur.LOKAL)
    log = AuditLog.objects.get(action="hari_libur_tambah")
    assert (log.object_id, log.actor, log.satker) == (libur.pk, org.admin.user, org.kudus)


def test_holiday_form_errors_are_shown_and_nothing_saved(org, login):
    response = login(org.admin).post(reverse("kinerja:hari_libur_create"), {"tanggal": "", "nama": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"tanggal", "nama", "jenis"}
    assert not HariLibur.objects.exists()


def test_a_second_holiday_on_the_same_date_is_refused(rows, org, login):
    response = login(org.admin).post(
        reverse("kinerja:hari_libur_create"), {"tanggal": "2026-09-23", "nama": "Lain", "jenis": "lokal"}
    )
    assert response.status_code == 200
    assert "sudah tercatat sebagai hari libur: Hari Jadi Kudus" in response.content.decode()
    assert HariLibur.objects.filter(satker=org.kudus).count() == 1
    assert not AuditLog.objects.exists()


def test_the_same_date_in_another_satker_is_no_clash(rows, org, login):
    login(org.admin).post(
        reverse("kinerja:hari_libur_create"), {"tanggal": "2026-11-09", "nama": "Lokal", "jenis": "lokal"}
    )
    assert HariLibur.objects.filter(tanggal=D(2026, 11, 9)).count() == 2


def test_admin_edits_a_holiday_with_audit(rows, org, login):
    client = login(org.admin)
    url = reverse("kinerja:hari_libur_update", args=[rows.libur.pk])
    form = client.get(url)
    assert form.status_code == 200 and "Rabu, 23 September 2026" in form.content.decode()
    assert form.context["form"].initial == {"nama": "Hari Jadi Kudus", "jenis": JenisLibur.LOKAL}

    response = client.post(url, {"nama": "Hari Jadi Kota Kudus", "jenis": JenisLibur.NASIONAL})
    assert response.status_code == 302
    rows.libur.refresh_from_db()
    assert (rows.libur.nama, rows.libur.jenis, rows.libur.tanggal) == (
        "Hari Jadi Kota Kudus",
        JenisLibur.NASIONAL,
        D(2026, 9, 23),
    )
    log = AuditLog.objects.get(action="hari_libur_ubah")
    assert (log.dari, log.ke) == (JenisLibur.LOKAL, JenisLibur.NASIONAL)
    assert "Hari Jadi Kudus → Hari Jadi Kota Kudus" in log.catatan


def test_admin_deletes_a_holiday_with_audit(rows, org, login):
    response = login(org.admin).post(reverse("kinerja:hari_libur_delete", args=[rows.libur.pk]), follow=True)
    assert not HariLibur.objects.filter(pk=rows.libur.pk).exists()
    assert any("dihapus" in m for m in messages_of(response))
    log = AuditLog.objects.get(action="hari_libur_hapus")
    assert log.object_id == rows.libur.pk and "Hari Jadi Kudus" in log.catatan


def test_seed_adds_the_national_calendar_once(org, login):
    client = login(org.admin)
    expected = holidays.Indonesia(years=2026, categories=("public", "government"), language="id")

    first = client.post(reverse("kinerja:hari_libur_seed"), {"tahun": 2026}, follow=True)
    assert first.redirect_chain[-1][0] == f"{reverse('kinerja:hari_libur_list')}?tahun=2026"
    assert f"Kalender nasional 2026: {len(expected)} hari libur ditambahkan." in messages_of(first)
    assert HariLibur.objects.filter(satker=org.kudus, tanggal__year=2026).count() == len(expected)
    merdeka = HariLibur.objects.get(satker=org.kudus, tanggal=D(2026, 8, 17))
    assert merdeka.nama == "Hari Kemerdekaan Republik Indonesia" and merdeka.jenis == JenisLibur.NASIONAL
    assert HariLibur.objects.get(satker=org.kudus, tanggal=D(2026, 12, 24)).jenis == JenisLibur.CUTI_BERSAMA
    assert "Senin, 17 Agustus 2026" in first.content.decode()
    assert not HariLibur.objects.filter(satker=org.bontang).exists()

    second = client.post(reverse("kinerja:hari_libur_seed"), {"tahun": 2026}, follow=True)
    assert "Kalender nasional 2026: 0 hari libur ditambahkan; semua sudah tercatat." in messages_of(second)
    assert HariLibur.objects.filter(satker=org.kudus, tanggal__year=2026).count() == len(expected)
    assert AuditLog.objects.filter(action="hari_libur_isi_nasional").count() == 1


def test_seed_keeps_the_admins_own_days(org, login):
    HariLibur.objects.create(
        satker=org.kudus, tanggal=D(2026, 8, 17), nama="HUT RI (ubahan)", jenis="nasional"
    )
    login(org.admin).post(reverse("kinerja:hari_libur_seed"), {"tahun": 2026})
    assert HariLibur.objects.get(satker=org.kudus, tanggal=D(2026, 8, 17)).nama == "HUT RI (ubahan)"


def test_seed_with_a_bad_year_is_a_message(org, login):
    response = login(org.admin).post(reverse("kinerja:hari_libur_seed"), {"tahun": "x"}, follow=True)
    assert "Tahun tidak valid." in messages_of(response)
    assert not HariLibur.objects.exists()


def test_holiday_in_a_compiled_month_is_refused(org, login):
    Periode.objects.create(satker=org.kudus, tahun=2026, bulan=3, tahap=TahapPeriode.FINAL)
    response = login(org.admin).post(
        reverse("kinerja:hari_libur_create"), {"tanggal": "2026-03-10", "nama": "Telat", "jenis": "lokal"}
    )
    assert response.status_code == 200
    assert "Maret 2026 (Final): kalender bulan itu tidak dapat diubah lagi." in response.content.decode()
    assert not HariLibur.objects.exists()


# --- leave -------------------------------------------------------------------------------------------------


def absence(**overrides) -> dict:
    data = {"jenis": JenisKetidakhadiran.CUTI_TAHUNAN, "mulai": "2026-03-09", "selesai": "2026-03-11"}
    data.update(overrides)
    return data


def test_leave_list_is_newest_first_and_of_this_satker_only(rows, org, login):
    Ketidakhadiran.objects.create(
        pegawai=org.colleague, jenis="izin", mulai=D(2026, 10, 5), selesai=D(2026, 10, 5)
    )
    response = login(org.admin).get(reverse("kinerja:ketidakhadiran_list"))
    listed = [row.pegawai for row in response.context["page"].object_list]
    assert listed == [org.colleague, org.asn]
    content = response.content.decode()
    assert "Senin, 5 Oktober 2026" in content and "1 September 2026 s.d. 2 September 2026" in content
    assert org.outsider.nama not in content


def test_leave_list_filters_by_person(rows, org, login):
    Ketidakhadiran.objects.create(
        pegawai=org.colleague, jenis="izin", mulai=D(2026, 10, 5), selesai=D(2026, 10, 5)
    )
    client = login(org.admin)
    response = client.get(reverse("kinerja:ketidakhadiran_list"), {"pegawai": org.asn.pk})
    assert [row.pk for row in response.context["page"].object_list] == [rows.absen.pk]
    assert response.context["form"].initial["pegawai"] == org.asn.pk
    # Someone of another satker is no filter at all.
    response = client.get(reverse("kinerja:ketidakhadiran_list"), {"pegawai": org.outsider.pk})
    assert response.context["chosen"] is None
    assert len(response.context["page"].object_list) == 2


def test_empty_leave_list_says_what_to_do(org, login):
    content = login(org.admin).get(reverse("kinerja:ketidakhadiran_list")).content.decode()
    assert "Belum ada ketidakhadiran yang tercatat" in content and "formulir di samping" in content


def test_leave_person_choice_is_the_satkers_active_asn(org, login):
    inactive = make_pegawai(org.kudus, org.kul, nama="Pensiunan", aktif=False)
    form = login(org.admin).get(reverse("kinerja:ketidakhadiran_list")).context["form"]
    choices = set(form.fields["pegawai"].queryset)
    assert org.asn in choices and org.kasubag in choices and org.admin in choices
    assert not choices & {org.pimpinan, org.outsider, inactive}


def test_admin_adds_an_absence_with_audit(org, login):
    response = login(org.admin).post(
        reverse("kinerja:ketidakhadiran_create"), absence(pegawai=org.asn.pk, keterangan="Surat cuti 12/2026")
    )
    assert response.status_code == 302
    row = Ketidakhadiran.objects.get(pegawai=org.asn)
    assert (row.jenis, row.mulai, row.selesai, row.keterangan) == (
        JenisKetidakhadiran.CUTI_TAHUNAN,
        D(2026, 3, 9),
        D(2026, 3, 11),
        "Surat cuti 12/2026",
    )
    log = AuditLog.objects.get(action="ketidakhadiran_tambah")
    assert (log.object_id, log.actor, log.ke) == (row.pk, org.admin.user, JenisKetidakhadiran.CUTI_TAHUNAN)


def test_admin_deletes_an_absence_with_audit(rows, org, login):
    login(org.admin).post(reverse("kinerja:ketidakhadiran_delete", args=[rows.absen.pk]))
    assert not Ketidakhadiran.objects.filter(pk=rows.absen.pk).exists()
    assert AuditLog.objects.get(action="ketidakhadiran_hapus").object_id == rows.absen.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            absence(mulai="2026-03-11", selesai="2026-03-09"),
            "Tanggal selesai tidak boleh sebelum tanggal mulai.",
        ),
        (
            absence(mulai="2026-08-31", selesai="2026-09-01"),
            "sudah tercatat sakit 1 September 2026 s.d. 2 September",
        ),
        (
            absence(mulai="2026-01-01", selesai="2026-04-03"),
            "Rentang 93 hari terlalu panjang untuk cuti tahunan (paling lama 92 hari)",
        ),
        (
            absence(jenis=JenisKetidakhadiran.CUTI_MELAHIRKAN, mulai="2026-01-01", selesai="2026-07-04"),
            "Rentang 185 hari terlalu panjang untuk cuti melahirkan (paling lama 184 hari)",
        ),
    ],
)
def test_refused_absences_say_why_and_save_nothing(rows, org, login, data, message):
    response = login(org.admin).post(
        reverse("kinerja:ketidakhadiran_create"), {**data, "pegawai": org.asn.pk}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Ketidakhadiran.objects.filter(pegawai=org.asn)) == [rows.absen]
    assert not AuditLog.objects.exists()


def test_three_months_of_leave_and_six_of_maternity_leave_are_fine(org):
    ks.ketidakhadiran_add(
        pegawai=org.asn,
        jenis="cuti_tahunan",
        mulai=D(2026, 1, 1),
        selesai=D(2026, 4, 2),
        keterangan="",
        by=org.admin,
    )  # 92 days
    ks.ketidakhadiran_add(
        pegawai=org.colleague,
        jenis=JenisKetidakhadiran.CUTI_MELAHIRKAN,
        mulai=D(2026, 1, 1),
        selesai=D(2026, 7, 3),
        keterangan="",
        by=org.admin,
    )  # 184 days
    assert Ketidakhadiran.objects.count() == 2


def test_touching_ranges_do_not_overlap(rows, org):
    ks.ketidakhadiran_add(
        pegawai=org.asn, jenis="izin", mulai=D(2026, 9, 3), selesai=D(2026, 9, 3), keterangan="", by=org.admin
    )
    assert Ketidakhadiran.objects.filter(pegawai=org.asn).count() == 2


def test_absence_of_another_satkers_person_is_refused(org, login):
    response = login(org.admin).post(
        reverse("kinerja:ketidakhadiran_create"), absence(pegawai=org.outsider.pk)
    )
    assert response.status_code == 200 and response.context["form"].errors["pegawai"]
    with pytest.raises(DomainError, match="bukan pegawai satker Anda"):
        ks.ketidakhadiran_add(
            pegawai=org.outsider, jenis="izin", mulai=WORKDAY, selesai=WORKDAY, keterangan="", by=org.admin
        )
    assert not Ketidakhadiran.objects.exists()


def test_absence_in_a_compiled_month_is_refused(org, login):
    Periode.objects.create(satker=org.kudus, tahun=2026, bulan=4, tahap=TahapPeriode.COMPILED)
    response = login(org.admin).post(
        reverse("kinerja:ketidakhadiran_create"),
        absence(pegawai=org.asn.pk, mulai="2026-03-30", selesai="2026-04-02"),
    )
    assert "April 2026 (Dihimpun): kalender bulan itu tidak dapat diubah lagi." in response.content.decode()
    assert not Ketidakhadiran.objects.exists()


# --- acting heads ------------------------------------------------------------------------------------------


def appointment(org, **overrides) -> dict:
    data = {
        "jabatan": str(org.kul.pk),
        "pegawai": org.colleague.pk,
        "jenis": JenisPenjabat.PLH,
        "mulai": "2026-12-07",
        "selesai": "2026-12-11",
        "nomor_sk": "12/SDM.01/3319/2026",
    }
    data.update(overrides)
    return data


def test_post_choice_is_the_sekretaris_and_the_satkers_subbagian(org, login):
    form = login(org.admin).get(reverse("kinerja:penjabat_list")).context["form"]
    labels = [label for _, label in form.fields["jabatan"].choices]
    assert labels == [
        "— pilih jabatan —",
        "Sekretaris",
        "Kepala Subbagian Keuangan, Umum dan Logistik",
        "Kepala Subbagian Teknis Penyelenggaraan Pemilu dan Hupmas",
        "Kepala Subbagian Perencanaan, Data dan Informasi",
        "Kepala Subbagian Hukum dan SDM",
    ]
    people = set(form.fields["pegawai"].queryset)
    assert org.colleague in people and org.pimpinan not in people and org.outsider not in people


def test_admin_appoints_an_acting_head_with_audit(org, login):
    response = login(org.admin).post(reverse("kinerja:penjabat_create"), appointment(org))
    assert response.status_code == 302
    row = PenjabatSementara.objects.get()
    assert (row.satker, row.subbagian, row.pegawai, row.jenis, row.nomor_sk) == (
        org.kudus,
        org.kul,
        org.colleague,
        JenisPenjabat.PLH,
        "12/SDM.01/3319/2026",
    )
    log = AuditLog.objects.get(action="penjabat_tambah")
    assert log.object_id == row.pk and "12/SDM.01/3319/2026" in log.catatan


def test_admin_appoints_an_acting_sekretaris(org, login):
    login(org.admin).post(
        reverse("kinerja:penjabat_create"), appointment(org, jabatan="sekretaris", pegawai=org.kasubag.pk)
    )
    row = PenjabatSementara.objects.get()
    assert row.subbagian is None and row.pegawai == org.kasubag


def test_admin_deletes_an_appointment_with_audit(rows, org, login):
    login(org.admin).post(reverse("kinerja:penjabat_delete", args=[rows.plh.pk]))
    assert not PenjabatSementara.objects.filter(pk=rows.plh.pk).exists()
    assert AuditLog.objects.get(action="penjabat_hapus").object_id == rows.plh.pk


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pegawai": "kasubag"}, "adalah pemegang jabatan Kepala Subbagian Keuangan, Umum dan Logistik"),
        ({"jabatan": "sekretaris", "pegawai": "sekretaris"}, "adalah pemegang jabatan Sekretaris"),
        (
            {"mulai": "2026-09-11", "selesai": "2026-09-14"},
            "sudah memiliki Plh. Budi Santoso 7 September 2026",
        ),
        (
            {"mulai": "2026-12-11", "selesai": "2026-12-07"},
            "Tanggal selesai tidak boleh sebelum tanggal mulai.",
        ),
        (
            {"mulai": "2026-01-01", "selesai": "2027-02-04"},
            "Rentang 400 hari terlalu panjang untuk Plh (paling lama 92 hari)",
        ),
    ],
)
def test_refused_appointments_say_why_and_save_nothing(rows, org, login, overrides, message):
    if "pegawai" in overrides:
        overrides = {**overrides, "pegawai": getattr(org, overrides["pegawai"]).pk}
    response = login(org.admin).post(reverse("kinerja:penjabat_create"), appointment(org, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(PenjabatSementara.objects.filter(satker=org.kudus)) == [rows.plh]
    assert not AuditLog.objects.exists()


def test_the_same_dates_for_another_post_are_fine(rows, org):
    ks.penjabat_add(
        satker=org.kudus,
        subbagian=org.teknis,
        pegawai=org.teknis_staff,
        jenis="Plt",
        mulai=D(2026, 9, 7),
        selesai=D(2026, 9, 11),
        nomor_sk="",
        by=org.admin,
    )
    assert PenjabatSementara.objects.filter(satker=org.kudus).count() == 2


def test_appointments_across_satkers_are_refused(org, login):
    bontang_sub = Subbagian.objects.create(
        satker=org.bontang, nama="Subbagian Umum Bontang", singkatan="UMUM"
    )
    common = {"jenis": "Plh", "mulai": WORKDAY, "selesai": WORKDAY, "nomor_sk": "", "by": org.admin}
    with pytest.raises(DomainError, match="harus pegawai satker ini"):
        ks.penjabat_add(satker=org.kudus, subbagian=org.kul, pegawai=org.outsider, **common)
    with pytest.raises(DomainError, match="harus subbagian satker ini"):
        ks.penjabat_add(satker=org.kudus, subbagian=bontang_sub, pegawai=org.colleague, **common)
    response = login(org.admin).post(
        reverse("kinerja:penjabat_create"),
        appointment(org, jabatan=str(bontang_sub.pk), pegawai=org.outsider.pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"jabatan", "pegawai"}
    assert not PenjabatSementara.objects.exists()


def test_acting_list_shows_who_verifies_today(org, login):
    today = org.kudus.today()
    PenjabatSementara.objects.create(
        satker=org.kudus, subbagian=org.kul, pegawai=org.colleague, mulai=today, selesai=today
    )
    PenjabatSementara.objects.create(
        satker=org.kudus,
        pegawai=org.kasubag_rendatin,
        jenis=JenisPenjabat.PLT,
        mulai=today + datetime.timedelta(days=30),
        selesai=today + datetime.timedelta(days=60),
    )
    PenjabatSementara.objects.create(
        satker=org.kudus,
        subbagian=org.teknis,
        pegawai=org.teknis_staff,
        mulai=today - datetime.timedelta(days=60),
        selesai=today - datetime.timedelta(days=30),
    )
    response = login(org.admin).get(reverse("kinerja:penjabat_list"))
    assert [r.pegawai for r in response.context["acting_today"]] == [org.colleague]
    assert [r.pegawai for r in response.context["coming"]] == [org.colleague, org.kasubag_rendatin]
    assert [r.pegawai for r in response.context["page"].object_list] == [org.teknis_staff]
    content = response.content.decode()
    assert "Plh. Budi Santoso" in content and "Citra Dewi, S.H." in content  # acting head and the holder
    assert "Pegawai Subbagian Keuangan, Umum dan Logistik" in content


def test_empty_acting_list_says_what_to_do(org, login):
    content = login(org.admin).get(reverse("kinerja:penjabat_list")).content.decode()
    assert "Hari ini tidak ada Plt/Plh" in content
    assert "catat Plt/Plh-nya dengan formulir di samping" in content


# --- what the rest of the system sees ----------------------------------------------------------------------


def test_a_holiday_added_on_the_page_is_no_longer_an_expected_day(org, login):
    before = month_summary(org.asn, 2026, 3, today=D(2026, 3, 31))
    assert before.days[WORKDAY.day - 1].state == DayState.EMPTY

    login(org.admin).post(
        reverse("kinerja:hari_libur_create"), {"tanggal": "2026-03-10", "nama": "Hari Jadi", "jenis": "lokal"}
    )

    after = month_summary(org.asn, 2026, 3, today=D(2026, 3, 31))
    day = after.days[WORKDAY.day - 1]
    assert (day.state, day.label) == (DayState.HOLIDAY, "Hari Jadi")
    assert after.expected == before.expected - 1


def test_an_absence_added_on_the_page_is_no_longer_an_expected_day(org, login):
    before = month_summary(org.asn, 2026, 3, today=D(2026, 3, 31))

    login(org.admin).post(
        reverse("kinerja:ketidakhadiran_create"),
        absence(
            pegawai=org.asn.pk, jenis=JenisKetidakhadiran.SAKIT, mulai="2026-03-10", selesai="2026-03-10"
        ),
    )

    after = month_summary(org.asn, 2026, 3, today=D(2026, 3, 31))
    day = after.days[WORKDAY.day - 1]
    assert (day.state, day.label) == (DayState.LEAVE, "Sakit")
    assert after.expected == before.expected - 1
    assert month_summary(org.colleague, 2026, 3, today=D(2026, 3, 31)).expected == before.expected


def test_a_plh_added_on_the_page_verifies_the_kul_staff(org, login):
    day = D(2026, 12, 9)
    assert verifier_for(fresh(org.asn), day).pegawai == org.kasubag

    login(org.admin).post(reverse("kinerja:penjabat_create"), appointment(org))

    verifier = verifier_for(fresh(org.asn), day)
    assert (verifier.pegawai, verifier.acting) == (org.colleague, "Plh")
    assert verifier.sign_title == "Plh. Kepala Subbagian Keuangan, Umum dan Logistik"
    assert verifier_for(fresh(org.asn), D(2026, 12, 14)).pegawai == org.kasubag


# --- query counts ------------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_holidays(org, count: int, start: int) -> None:
    for i in range(start, start + count):
        HariLibur.objects.create(
            satker=org.kudus,
            tanggal=D(2026, 1, 1) + datetime.timedelta(days=i),
            nama=f"Libur {i}",
            jenis="lokal",
        )


def add_absences(org, count: int, start: int) -> None:
    subs = [org.kul, org.teknis, None]
    for i in range(start, start + count):
        person = make_pegawai(org.kudus, subs[i % 3], nama=f"Pegawai {i:02d}", nip=make_nip("19880808"))
        Ketidakhadiran.objects.create(
            pegawai=person, jenis="izin", mulai=D(2026, 2, 1 + i % 28), selesai=D(2026, 2, 1 + i % 28)
        )


def add_appointments(org, count: int, start: int) -> None:
    today = org.kudus.today()
    subs = [org.kul, org.teknis, org.rendatin_sub, None]
    for i in range(start, start + count):
        first = today + datetime.timedelta(days=10 * (i - count // 2))
        person = make_pegawai(org.kudus, org.hukum, nama=f"Penjabat {i:02d}", status=StatusPegawai.PPPK)
        PenjabatSementara.objects.create(
            satker=org.kudus,
            subbagian=subs[i % 4],
            pegawai=person,
            mulai=first,
            selesai=first + datetime.timedelta(days=5),
        )


@pytest.mark.parametrize(
    ("name", "add"),
    [
        ("kinerja:hari_libur_list", add_holidays),
        ("kinerja:ketidakhadiran_list", add_absences),
        ("kinerja:penjabat_list", add_appointments),
    ],
)
def test_list_query_count_does_not_grow_with_rows(org, login, name, add):
    client = login(org.admin)
    url = reverse(name) + ("?tahun=2026" if name == "kinerja:hari_libur_list" else "")
    add(org, 5, 0)
    few = count_queries(client, url)
    add(org, 20, 5)
    assert count_queries(client, url) == few
