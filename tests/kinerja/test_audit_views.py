"""The audit pages: the satker's log (filters, pages, XLSX) and one object's history, for the Sekretaris and Admin."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from kinerja import kalender_services
from kinerja import services as core
from kinerja.models import AuditLog, HariLibur, JenisLibur, TahapPeriode
from kinerja.views.audit import PAGE_SIZE
from silabu.lib.dates import format_waktu_zona

UTC = datetime.UTC


def add_libur(org, day: int, nama: str = "Hari Jadi", by=None) -> HariLibur:
    return kalender_services.hari_libur_add(
        satker=org.kudus,
        tanggal=datetime.date(2030, 5, day),
        nama=nama,
        jenis=JenisLibur.LOKAL,
        by=by or org.admin,
    )


def at(row_or_obj, moment: datetime.datetime) -> None:
    AuditLog.objects.filter(pk=row_or_obj.pk).update(waktu=moment)


@pytest.fixture
def trail(org):
    """Three changes on three Kudus days, by two people, and one in Bontang (on a log that starts empty: the
    months the calendar has already moved to VERIFICATION are recorded first, as any change records them)."""
    for satker in (org.kudus, org.bontang):
        core.periode_record_reached(satker=satker)
    AuditLog.objects.all().delete()
    first = add_libur(org, 2)
    kalender_services.hari_libur_update(
        libur=first, nama="Hari Jadi Kudus", jenis=JenisLibur.LOKAL, by=org.admin
    )
    kalender_services.ketidakhadiran_add(
        pegawai=org.asn,
        jenis="cuti_tahunan",
        mulai=datetime.date(2030, 6, 3),
        selesai=datetime.date(2030, 6, 4),
        keterangan="",
        by=org.admin,
    )
    kalender_services.hari_libur_add(
        satker=org.bontang,
        tanggal=datetime.date(2030, 5, 2),
        nama="Hari Jadi Bontang",
        jenis="lokal",
        by=None,
    )
    add, update, leave = AuditLog.objects.filter(satker=org.kudus).order_by("pk")
    # 23:30 UTC is already the next day in Kudus (WIB, UTC+7)
    at(add, datetime.datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    at(update, datetime.datetime(2026, 3, 5, 2, 0, tzinfo=UTC))
    at(leave, datetime.datetime(2026, 3, 9, 2, 0, tzinfo=UTC))
    AuditLog.objects.filter(pk=update.pk).update(actor=org.sekretaris.user)
    return {"add": add, "update": update, "leave": leave, "libur": first}


def shown_actions(response) -> list[str]:
    return [item["row"].action for item in response.context["rows"]]


@pytest.mark.parametrize("who", ["sekretaris", "admin"])
def test_sekretaris_and_admin_read_their_satkers_log_only(org, login, trail, who):
    response = login(getattr(org, who)).get(reverse("kinerja:audit_list"))
    assert response.status_code == 200
    assert shown_actions(response) == ["ketidakhadiran_tambah", "hari_libur_ubah", "hari_libur_tambah"]
    assert b"Hari Jadi Bontang" not in response.content


def test_the_log_filters_by_date_range_in_the_satkers_days(org, login, trail):
    client = login(org.sekretaris)
    url = reverse("kinerja:audit_list")
    # the first change was 1 March 23:30 UTC: 2 March in Kudus
    assert shown_actions(client.get(url, {"dari": "2026-03-02", "sampai": "2026-03-02"})) == [
        "hari_libur_tambah"
    ]
    assert shown_actions(client.get(url, {"dari": "2026-03-01", "sampai": "2026-03-01"})) == []
    assert shown_actions(client.get(url, {"dari": "2026-03-03"})) == [
        "ketidakhadiran_tambah",
        "hari_libur_ubah",
    ]
    assert shown_actions(client.get(url, {"sampai": "2026-03-05"})) == [
        "hari_libur_ubah",
        "hari_libur_tambah",
    ]


def test_the_log_filters_by_actor_action_and_object_type(org, login, trail):
    client = login(org.admin)
    url = reverse("kinerja:audit_list")
    assert shown_actions(client.get(url, {"pelaku": org.sekretaris.pk})) == ["hari_libur_ubah"]
    assert shown_actions(client.get(url, {"aksi": "hari_libur_tambah"})) == ["hari_libur_tambah"]
    leave_type = trail["leave"].content_type_id
    assert shown_actions(client.get(url, {"jenis": leave_type})) == ["ketidakhadiran_tambah"]
    # nonsense in a filter is ignored, not an error
    assert client.get(url, {"dari": "kemarin", "pelaku": "x"}).status_code == 200


def test_the_log_shows_times_in_the_satkers_zone_and_the_changed_fields(org, login, trail):
    response = login(org.sekretaris).get(reverse("kinerja:audit_list"))
    text = response.content.decode()
    assert "2 Maret 2026 06:30 WIB" in text
    assert "Keterangan diubah: Hari Jadi → Hari Jadi Kudus" in text


def test_the_log_is_paged(org, login):
    core.periode_record_reached(satker=org.kudus)  # the months the calendar moved on are recorded first
    AuditLog.objects.all().delete()
    for day in range(1, PAGE_SIZE + 6):
        kalender_services.hari_libur_add(
            satker=org.kudus,
            tanggal=datetime.date(2030, 1, 1) + datetime.timedelta(days=day),
            nama=f"Libur {day}",
            jenis=JenisLibur.LOKAL,
            by=org.admin,
        )
    client = login(org.admin)
    first = client.get(reverse("kinerja:audit_list"))
    second = client.get(reverse("kinerja:audit_list"), {"page": 2})
    assert len(first.context["rows"]) == PAGE_SIZE and len(second.context["rows"]) == 5


def test_the_log_runs_a_fixed_number_of_queries(org, login, trail, django_assert_max_num_queries):
    client = login(org.sekretaris)
    client.get(reverse("kinerja:audit_list"))  # warm the session and the content types
    for _ in range(10):
        add_libur(org, 10 + _, by=org.admin)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("kinerja:audit_list")).status_code == 200


def test_the_xlsx_has_the_filtered_rows_with_local_times(org, login, trail):
    response = login(org.sekretaris).get(reverse("kinerja:audit_xlsx"), {"dari": "2026-03-03"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "jejak-audit-kudus-" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "Waktu",
        "Pelaku",
        "Aksi",
        "Jenis objek",
        "ID objek",
        "Dari",
        "Ke",
        "Perubahan",
        "Catatan",
    ]
    assert len(rows) == 3  # the header, the leave, the rename
    leave, rename = rows[1], rows[2]
    assert leave[0] == format_waktu_zona(AuditLog.objects.get(pk=trail["leave"].pk).waktu, "Asia/Jakarta")
    assert leave[0] == "9 Maret 2026 09:00 WIB"
    assert rename[1] == org.sekretaris.nama
    assert rename[2] == "Hari libur diubah"
    assert rename[4] == trail["libur"].pk
    assert rename[7] == "Keterangan diubah: Hari Jadi → Hari Jadi Kudus"


def test_one_objects_history_reads_forwards(org, login, trail):
    libur = trail["libur"]
    url = reverse("kinerja:audit_object", args=["kinerja", "harilibur", libur.pk])
    response = login(org.admin).get(url)
    assert response.status_code == 200
    assert shown_actions(response) == ["hari_libur_tambah", "hari_libur_ubah"]
    # a deleted object keeps its history
    kalender_services.hari_libur_delete(libur=libur, by=org.admin)
    response = login(org.admin).get(url)
    assert shown_actions(response)[-1] == "hari_libur_hapus"
    assert "sudah dihapus" in response.content.decode()


@pytest.mark.parametrize("who", ["asn", "kasubag", "rendatin", "pimpinan"])
def test_other_roles_are_refused(org, login, trail, who):
    client = login(getattr(org, who))
    libur = trail["libur"]
    for url in (
        reverse("kinerja:audit_list"),
        reverse("kinerja:audit_xlsx"),
        reverse("kinerja:audit_object", args=["kinerja", "harilibur", libur.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_another_satkers_object_is_not_found(org, login, trail):
    org.bontang.sekretaris = org.outsider
    org.bontang.save()
    client = login(org.outsider)
    url = reverse("kinerja:audit_object", args=["kinerja", "harilibur", trail["libur"].pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("kinerja:audit_object", args=["kinerja", "nosuchmodel", 1])).status_code == 404
    # Bontang's Sekretaris reads Bontang's log, none of Kudus'
    response = client.get(reverse("kinerja:audit_list"))
    assert response.status_code == 200 and shown_actions(response) == ["hari_libur_tambah"]
    assert b"Hari Jadi Kudus" not in response.content


def test_an_entry_page_links_its_audit_history_for_the_sekretaris_only(org, login):
    today = org.kudus.today()
    entri = services_entri(org, today)
    url = reverse("kinerja:audit_object", args=["kinerja", "entrikinerja", entri.pk])
    page = login(org.sekretaris).get(reverse("kinerja:entri_detail", args=[entri.pk]))
    assert url in page.content.decode()
    assert login(org.sekretaris).get(url).status_code == 200
    assert url not in login(org.asn).get(reverse("kinerja:entri_detail", args=[entri.pk])).content.decode()


def services_entri(org, day):
    from kinerja import services

    return services.entri_create(
        by=org.asn,
        data={"tanggal": day, "kode_output": org.kode_years[day.year], "nama_kegiatan": "Rapat", "volume": 1},
    )


def test_a_stage_move_reads_by_its_labels_once_on_the_page_and_in_the_xlsx(org, login):
    core.periode_record_reached(satker=org.kudus)
    AuditLog.objects.all().delete()
    core.periode_set_tahap(
        satker=org.kudus,
        year=2030,
        month=1,
        to=TahapPeriode.VERIFICATION,
        by=org.rendatin,
        expected_from=(TahapPeriode.OPEN,),
    )
    client = login(org.sekretaris)
    response = client.get(reverse("kinerja:audit_list"))
    (item,) = response.context["rows"]
    assert item["move"] == "Terbuka → Verifikasi"
    assert item["changes"] == ["Tahap diubah: Terbuka → Verifikasi"]  # in words, never "tahap: OPEN → …"
    text = response.content.decode()
    assert "Terbuka → Verifikasi" in text and "OPEN" not in text
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("kinerja:audit_xlsx")).content)).active
    row = [list(r) for r in sheet.iter_rows(values_only=True)][1]
    assert (row[5], row[6], row[7]) == ("Terbuka", "Verifikasi", "Tahap diubah: Terbuka → Verifikasi")
