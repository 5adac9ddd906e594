"""Entries sent from the phone's queue (issue 18): the entry form's JSON answers, one entry per idempotency key
however often it is sent, the capture time the phone read, the queue page and the session probe."""

import datetime
import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kinerja import services
from kinerja.evidence import device_capture_time, process_upload_with_settings
from kinerja.models import AuditLog, BuktiDukung, EntriKinerja, Periode, TahapPeriode
from silabu.lib.dates import format_bulan

from .test_entries_views import entry_data, jpeg
from .test_upload_views import stored_files

JSON = {"Accept": "application/json"}


def photo(name="IMG_0001.JPG", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(**kwargs), content_type="image/jpeg")


def post(client, data, headers=JSON):
    return client.post(reverse("kinerja:entri_create"), data, headers=headers)


def lock_this_month(org, tahap=TahapPeriode.COMPILED):
    today = org.kudus.today()
    Periode.objects.update_or_create(
        satker=org.kudus, tahun=today.year, bulan=today.month, defaults={"tahap": tahap}
    )


# --- the first send ----------------------------------------------------------------------------------------


def test_device_send_creates_the_entry_and_answers_json(org, login):
    client = login(org.asn)
    key = uuid.uuid4()
    response = post(client, {**entry_data(org), "idempotency_key": str(key), "foto": photo()})
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    entri = EntriKinerja.objects.get()
    today = org.kudus.today()
    assert json.loads(response.content) == {
        "entri": entri.pk,
        "tanggal": today.isoformat(),
        "pesan": f"Entri {today:%d-%m-%Y} tersimpan.",
        "url": reverse("kinerja:bulan_saya", args=[today.year, today.month]),
    }
    assert "Idempotent-Replayed" not in response
    assert entri.idempotency_key == key and entri.pegawai == org.asn
    assert BuktiDukung.objects.get().entri == entri
    # the page the phone goes to next shows the same message a form post leaves
    assert (
        f"Entri {today:%d-%m-%Y} tersimpan."
        in client.get(json.loads(response.content)["url"]).content.decode()
    )


def test_device_send_with_save_and_add_another_points_at_a_copy(org, login):
    response = post(
        login(org.asn), {**entry_data(org), "idempotency_key": str(uuid.uuid4()), "simpan_lagi": "1"}
    )
    entri = EntriKinerja.objects.get()
    assert json.loads(response.content)["url"] == f"{reverse('kinerja:entri_create')}?salin={entri.pk}"


def test_refused_form_answers_422_with_each_reason_and_its_label(org, login):
    data = {**entry_data(org, nama_kegiatan="", volume="0"), "idempotency_key": str(uuid.uuid4())}
    response = post(login(org.asn), data)
    assert response.status_code == 422
    body = json.loads(response.content)
    assert set(body["galat"]) == {"nama_kegiatan", "volume"}
    assert "Nama kegiatan/pekerjaan: " in body["pesan"] and "Volume: " in body["pesan"]
    assert not EntriKinerja.objects.exists()


def test_send_into_a_locked_month_answers_the_services_reason(org, login):
    lock_this_month(org)
    today = org.kudus.today()
    response = post(login(org.asn), {**entry_data(org), "idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 422
    body = json.loads(response.content)
    assert (
        body["pesan"] == f"{format_bulan(today.year, today.month)} (Dihimpun) sudah ditutup untuk entri baru."
    )
    assert body["galat"] == {"__all__": [body["pesan"]]}
    assert not EntriKinerja.objects.exists()


def test_refused_photo_answers_422_and_stores_nothing(org, login):
    before = stored_files()
    bad = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    response = post(login(org.asn), {**entry_data(org), "idempotency_key": str(uuid.uuid4()), "foto": bad})
    assert response.status_code == 422
    assert "«foto.jpg» tidak didukung" in json.loads(response.content)["pesan"]
    assert not EntriKinerja.objects.exists() and stored_files() == before


def test_form_post_without_javascript_is_unchanged(org, login):
    response = post(login(org.asn), entry_data(org), headers={})
    assert response.status_code == 302
    assert EntriKinerja.objects.get().idempotency_key is None


# --- the same save again -----------------------------------------------------------------------------------


def test_replay_is_the_same_entry_with_the_first_answer(org, login):
    client = login(org.asn)
    key = str(uuid.uuid4())
    first = post(client, {**entry_data(org), "idempotency_key": key, "foto": photo()})
    files = stored_files()
    again = post(client, {**entry_data(org), "idempotency_key": key, "foto": photo()})
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again["Idempotent-Replayed"] == "true"
    assert EntriKinerja.objects.count() == 1 and BuktiDukung.objects.count() == 1
    assert AuditLog.objects.filter(action="entri_dibuat").count() == 1
    assert stored_files() == files  # the replay's photo was neither processed nor stored


def test_replay_after_the_month_was_locked_still_gets_the_first_answer(org, login):
    """The first send reached the server, its answer was lost; the month is locked before the phone replays."""
    client = login(org.asn)
    key = str(uuid.uuid4())
    first = post(client, {**entry_data(org), "idempotency_key": key})
    lock_this_month(org)
    again = post(client, {**entry_data(org), "idempotency_key": key})
    assert (again.status_code, again.content) == (201, first.content)
    assert EntriKinerja.objects.count() == 1


def test_replay_with_data_the_form_would_now_refuse_still_gets_the_first_answer(org, login):
    """The output code was switched off meanwhile: the save already happened, so the answer is the same."""
    client = login(org.asn)
    key = str(uuid.uuid4())
    first = post(client, {**entry_data(org), "idempotency_key": key})
    org.kode.aktif = False
    org.kode.save()
    again = post(client, {**entry_data(org), "idempotency_key": key})
    assert (again.status_code, again.content) == (201, first.content)


def test_replay_without_javascript_redirects_as_the_first_post_did(org, login):
    client = login(org.asn)
    key = str(uuid.uuid4())
    first = post(client, {**entry_data(org), "idempotency_key": key}, headers={})
    again = post(client, {**entry_data(org), "idempotency_key": key}, headers={})
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert EntriKinerja.objects.count() == 1


def test_a_key_belongs_to_one_person(org, login):
    key = str(uuid.uuid4())
    post(login(org.asn), {**entry_data(org), "idempotency_key": key})
    response = post(login(org.colleague), {**entry_data(org), "idempotency_key": key})
    assert response.status_code == 201
    assert sorted(EntriKinerja.objects.values_list("pegawai__nama", flat=True)) == [
        org.asn.nama,
        org.colleague.nama,
    ]


def test_a_refused_send_can_be_fixed_and_sent_under_the_same_key(org, login):
    client = login(org.asn)
    key = str(uuid.uuid4())
    assert post(client, {**entry_data(org, nama_kegiatan=""), "idempotency_key": key}).status_code == 422
    assert post(client, {**entry_data(org), "idempotency_key": key}).status_code == 201
    assert EntriKinerja.objects.get().idempotency_key == uuid.UUID(key)


def test_a_malformed_key_is_no_key(org, login):
    client = login(org.asn)
    post(client, {**entry_data(org), "idempotency_key": "bukan-uuid"})
    post(client, {**entry_data(org), "idempotency_key": "bukan-uuid"})
    assert list(EntriKinerja.objects.values_list("idempotency_key", flat=True)) == [None, None]


def test_service_replay_returns_the_entry_and_writes_nothing(org):
    key = uuid.uuid4()
    data = {"tanggal": org.kudus.today(), "kode_output": org.kode, "nama_kegiatan": "x", "output_hasil": "y"}
    first = services.entri_create(by=org.asn, data=data, idempotency_key=key)
    again = services.entri_create(by=org.asn, data={**data, "nama_kegiatan": "lain"}, idempotency_key=key)
    assert again.pk == first.pk and again.nama_kegiatan == "x"
    assert AuditLog.objects.filter(action="entri_dibuat").count() == 1


def test_service_that_loses_the_race_returns_the_winners_entry_and_removes_its_files(org, monkeypatch):
    """Both replays passed the "no entry yet" check; the other one inserted first. (Both really running at once
    is tests/kinerja/test_concurrency.py, on PostgreSQL.)"""
    key = uuid.uuid4()
    data = {"tanggal": org.kudus.today(), "kode_output": org.kode, "nama_kegiatan": "x", "output_hasil": "y"}
    winner = services.entri_create(by=org.asn, data=data, idempotency_key=key)
    files = stored_files()
    queryset = type(EntriKinerja.objects.all())
    replayed = queryset.replayed
    calls = []

    def first_check_misses(self, pegawai, k):
        calls.append(k)
        return self.none() if len(calls) == 1 else replayed(self, pegawai, k)

    monkeypatch.setattr(queryset, "replayed", first_check_misses)
    evidence = services.NewEvidence(process_upload_with_settings(photo(), tz=org.kudus.tz), "IMG_0001.JPG")
    loser = services.entri_create(by=org.asn, data=data, evidence=[evidence], idempotency_key=key)
    assert loser.pk == winner.pk and len(calls) == 2
    assert EntriKinerja.objects.count() == 1 and not BuktiDukung.objects.exists()
    assert stored_files() == files


# --- the capture time the phone read -----------------------------------------------------------------------


def exif_jpeg(taken: str) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = taken
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 40)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_capture_time_from_the_phone_is_kept_when_the_file_has_none(org, login):
    yesterday = org.kudus.today() - datetime.timedelta(days=1)
    data = {
        **entry_data(org),
        "idempotency_key": str(uuid.uuid4()),
        "foto": [photo("a.jpg"), photo("b.jpg")],
        "waktu_foto": [f"{yesterday}T08:15:30", f"{yesterday}T01:00:00+00:00"],
    }
    assert post(login(org.asn), data).status_code == 201
    times = dict(BuktiDukung.objects.values_list("nama_asli", "waktu_ambil"))
    wib = org.kudus.tz
    assert times == {
        "a.jpg": datetime.datetime.combine(yesterday, datetime.time(8, 15, 30), tzinfo=wib),
        "b.jpg": datetime.datetime.combine(yesterday, datetime.time(8, 0), tzinfo=wib),
    }


def test_the_files_own_capture_time_wins_over_the_phones(org, login):
    upload = SimpleUploadedFile("exif.jpg", exif_jpeg("2024:05:17 08:30:00"), content_type="image/jpeg")
    data = {**entry_data(org), "foto": upload, "waktu_foto": "2024-06-01T10:00:00"}
    post(login(org.asn), data, headers={})
    assert BuktiDukung.objects.get().waktu_ambil == datetime.datetime(2024, 5, 17, 8, 30, tzinfo=org.kudus.tz)


def test_capture_times_follow_their_files_in_both_inputs(org, login):
    pdf = SimpleUploadedFile("notulen.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    data = {
        **entry_data(org),
        "berkas": [pdf, photo("galeri.jpg")],
        "waktu_berkas": ["", "2025-03-04T09:00:00"],
        "foto": photo("kamera.jpg"),
    }
    post(login(org.asn), data, headers={})
    times = dict(BuktiDukung.objects.values_list("nama_asli", "waktu_ambil"))
    assert times == {
        "notulen.pdf": None,
        "galeri.jpg": datetime.datetime(2025, 3, 4, 9, tzinfo=org.kudus.tz),
        "kamera.jpg": None,
    }


@pytest.mark.parametrize(
    "value",
    ["", "kemarin", "1999-12-31T23:00:00", "2999-01-01T00:00:00", "2024-02-30T08:00:00", "x" * 500],
)
def test_implausible_capture_times_are_dropped(value):
    assert device_capture_time(value, datetime.UTC) is None


def test_capture_time_in_another_zone_is_shown_in_the_satkers(org):
    wita = datetime.timezone(datetime.timedelta(hours=8))
    moment = device_capture_time("2025-03-04T10:00:00+08:00", org.kudus.tz)
    assert moment == datetime.datetime(2025, 3, 4, 10, tzinfo=wita)
    assert moment.utcoffset() == datetime.timedelta(hours=7)


def test_the_form_tells_the_phone_the_servers_long_side(org, login, settings):
    settings.EVIDENCE_IMAGE_LONG_SIDE = 1600
    html = login(org.asn).get(reverse("kinerja:entri_create")).content.decode()
    assert html.count('data-sisi-panjang="1600"') == 2
    assert f'data-antrean="{reverse("kinerja:antrean")}"' in html
    assert '<script src="/static/js/entri.js" defer></script>' in html


def test_only_a_new_entry_goes_through_the_queue(org, login):
    entri = EntriKinerja.objects.create(
        satker=org.kudus,
        pegawai=org.asn,
        tanggal=org.kudus.today(),
        kode_output=org.kode,
        nama_kegiatan="x",
        output_hasil="y",
    )
    html = login(org.asn).get(reverse("kinerja:entri_update", args=[entri.pk])).content.decode()
    assert "data-antrean" not in html and 'data-sisi-panjang="2048"' in html


# --- the queue page, the session probe and the layout ------------------------------------------------------


def test_queue_page_for_an_asn(org, login):
    response = login(org.asn).get(reverse("kinerja:antrean"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Entri di ponsel" in html and '<template id="antrean-item">' in html
    assert "hanya dapat dibaca dengan JavaScript" in html


def test_queue_page_refuses_who_logs_no_entries(org, login):
    assert login(org.pimpinan).get(reverse("kinerja:antrean")).status_code == 403


def test_queue_page_sends_the_anonymous_to_login(client, db):
    response = client.get(reverse("kinerja:antrean"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_session_probe_names_the_signed_in_user_with_a_token(org, login):
    response = login(org.asn).get(reverse("kinerja:antrean_sesi"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    body = json.loads(response.content)
    assert body["pengguna"] == str(org.asn.user.pk) and len(body["csrf"]) == 64


def test_session_probe_for_nobody_says_where_to_sign_in(client, db):
    response = client.get(reverse("kinerja:antrean_sesi"))
    assert response.status_code == 401
    assert json.loads(response.content) == {"masuk": f"{reverse('login')}?next={reverse('kinerja:antrean')}"}


def test_every_page_carries_the_owner_and_the_queue_badge(org, login):
    html = login(org.asn).get(reverse("home")).content.decode()
    assert f'data-pengguna="{org.asn.user.pk}" data-tersimpan=""' in html  # sw.js marks copies there
    assert f'id="antrean-jumlah" href="{reverse("kinerja:antrean")}"' in html
    assert f'data-sesi="{reverse("kinerja:antrean_sesi")}"' in html
    assert 'action="/keluar/" data-keluar>' in html
    assert html.index("/static/js/antrean.js") < html.index("/static/js/pwa.js")


def test_no_badge_for_who_logs_no_entries_and_no_owner_when_signed_out(org, login, client):
    assert 'id="antrean-jumlah"' not in login(org.pimpinan).get(reverse("home")).content.decode()
    client.logout()
    assert 'data-pengguna="" data-tersimpan=""' in client.get(reverse("login")).content.decode()
