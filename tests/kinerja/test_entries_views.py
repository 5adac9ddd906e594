"""The daily entry pages (SOP step 2) as an ASN uses them, and the locks around them."""

import datetime
import io
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kinerja import services
from kinerja.errors import EntriTidakDapatDiubah, PeriodeTerkunci, TanggalTidakValid
from kinerja.kalender import working_days
from kinerja.models import AuditLog, BuktiDukung, EntriKinerja, Periode, StatusEntri, TahapPeriode
from kinerja.views.entries import PAGE_SIZE
from tests.test_rendered_pages import parse


def jpeg(size=(640, 480), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def entry_data(org, **overrides):
    data = {
        "tanggal": org.kudus.today().isoformat(),
        "kode_output": org.kode.pk,
        "nama_kegiatan": "Mengagendakan surat masuk",
        "output_hasil": "12 surat tercatat",
        "volume": "12",
        "satuan": "surat",
        "jenis_berkas": "dokumen",
    }
    data.update(overrides)
    return data


def make_entri(org, pegawai=None, **fields) -> EntriKinerja:
    pegawai = pegawai or org.asn
    values = {
        "satker": pegawai.satker,
        "pegawai": pegawai,
        "tanggal": org.kudus.today(),
        "kode_output": org.kode,
        "nama_kegiatan": "Rapat koordinasi",
        "output_hasil": "Notulen",
    }
    values.update(fields)
    return EntriKinerja.objects.create(**values)


def test_asn_adds_todays_entry_with_a_photo(org, login):
    client = login(org.asn)
    photo = SimpleUploadedFile("IMG_0001.JPG", jpeg(), content_type="image/jpeg")
    response = client.post(reverse("kinerja:entri_create"), {**entry_data(org), "foto": photo})
    today = org.kudus.today()
    assert response.status_code == 302
    assert response["Location"] == reverse("kinerja:bulan_saya", args=[today.year, today.month])
    entri = EntriKinerja.objects.get()
    assert (entri.pegawai, entri.tanggal, entri.volume, entri.satuan) == (org.asn, today, 12, "surat")
    assert entri.status == StatusEntri.DIAJUKAN and not entri.filled_late
    bukti = BuktiDukung.objects.get()
    assert (bukti.entri, bukti.jenis, bukti.nama_asli, bukti.content_type) == (
        entri,
        "foto",
        "IMG_0001.JPG",
        "image/jpeg",
    )
    assert bukti.berkas.storage.exists(bukti.berkas.name) and bukti.thumbnail
    assert AuditLog.objects.filter(action="entri_dibuat", object_id=entri.pk, actor=org.asn.user).exists()


def test_entry_with_several_documents_keeps_each_file(org, login):
    client = login(org.asn)
    pdf = SimpleUploadedFile("Laporan rapat.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    photo = SimpleUploadedFile("foto.png", jpeg())
    response = client.post(
        reverse("kinerja:entri_create"), {**entry_data(org, jenis_berkas="laporan"), "berkas": [pdf, photo]}
    )
    assert response.status_code == 302
    kinds = sorted(BuktiDukung.objects.values_list("nama_asli", "jenis", "content_type"))
    # a JPEG sent as foto.png is kept (and downloaded) as foto.jpg: the name follows what the bytes are
    assert kinds == [("Laporan rapat.pdf", "laporan", "application/pdf"), ("foto.jpg", "foto", "image/jpeg")]


def test_future_date_is_refused(org, login):
    client = login(org.asn)
    tomorrow = org.kudus.today() + datetime.timedelta(days=1)
    response = client.post(reverse("kinerja:entri_create"), entry_data(org, tanggal=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "tidak boleh di masa depan" in response.content.decode()
    assert not EntriKinerja.objects.exists()


def test_service_refuses_future_date_and_closed_month(org):
    today = org.kudus.today()
    data = {
        "tanggal": today + datetime.timedelta(days=1),
        "kode_output": org.kode,
        "nama_kegiatan": "x",
        "output_hasil": "y",
    }
    with pytest.raises(TanggalTidakValid):
        services.entri_create(by=org.asn, data=data)
    Periode.objects.create(
        satker=org.kudus, tahun=today.year, bulan=today.month, tahap=TahapPeriode.VERIFICATION
    )
    with pytest.raises(PeriodeTerkunci):
        services.entri_create(by=org.asn, data={**data, "tanggal": today})
    assert not EntriKinerja.objects.exists()


def test_pimpinan_cannot_log_entries(org, login):
    client = login(org.pimpinan)
    assert client.get(reverse("kinerja:entri_create")).status_code == 403
    assert client.post(reverse("kinerja:entri_create"), entry_data(org)).status_code == 403
    assert not EntriKinerja.objects.exists()


def test_code_of_another_year_is_refused(org, login):
    client = login(org.asn)
    other_year = org.kode_years[org.kudus.today().year + 1]
    response = client.post(reverse("kinerja:entri_create"), entry_data(org, kode_output=other_year.pk))
    assert response.status_code == 200
    assert not EntriKinerja.objects.exists()


def test_code_restricted_to_another_subbagian_is_not_offered(org, login):
    org.kode.subbagian = org.teknis
    org.kode.save()
    client = login(org.asn)
    response = client.post(reverse("kinerja:entri_create"), entry_data(org))
    assert response.status_code == 200 and "kode_output" in response.context["form"].errors
    assert not EntriKinerja.objects.exists()


def test_copy_from_an_earlier_entry_prefills_the_form(org, login):
    source = make_entri(org, nama_kegiatan="Pemeliharaan kendaraan dinas", satuan="unit")
    response = login(org.asn).get(reverse("kinerja:entri_create") + f"?salin={source.pk}")
    form = response.context["form"]
    assert form.initial["nama_kegiatan"] == "Pemeliharaan kendaraan dinas"
    assert form.initial["satuan"] == "unit"
    assert form.initial["tanggal"] == org.kudus.today()


def test_copy_of_someone_elses_entry_prefills_nothing(org, login):
    source = make_entri(org, pegawai=org.colleague, nama_kegiatan="Rahasia rekan")
    response = login(org.asn).get(reverse("kinerja:entri_create") + f"?salin={source.pk}")
    assert "nama_kegiatan" not in response.context["form"].initial
    assert "Rahasia rekan" not in response.content.decode()


def test_output_code_search_by_part_of_code_or_description(org, login):
    client = login(org.asn)
    by_code = client.get(reverse("kinerja:kode_output_search"), {"q": "994"}).content.decode()
    by_text = client.get(reverse("kinerja:kode_output_search"), {"q": "pemeliharaan"}).content.decode()
    nothing = client.get(reverse("kinerja:kode_output_search"), {"q": "zzz"}).content.decode()
    assert "3359.EBA.994.002" in by_code and "3359.EBA.994.002" in by_text
    assert "3359.EBA.994.002" not in nothing and "Tidak ada kode" in nothing


def test_owner_edits_entry_in_open_month(org, login):
    entri = make_entri(org)
    response = login(org.asn).post(
        reverse("kinerja:entri_update", args=[entri.pk]), entry_data(org, nama_kegiatan="Rapat evaluasi")
    )
    assert response.status_code == 302
    entri.refresh_from_db()
    assert entri.nama_kegiatan == "Rapat evaluasi"


def test_colleague_gets_404_for_someone_elses_entry(org, login):
    entri = make_entri(org)
    client = login(org.colleague)
    for name in ("kinerja:entri_detail", "kinerja:entri_update", "kinerja:entri_delete"):
        assert client.get(reverse(name, args=[entri.pk])).status_code == 404
    assert client.post(reverse("kinerja:entri_delete", args=[entri.pk])).status_code == 404
    assert EntriKinerja.objects.filter(pk=entri.pk).exists()


def test_outsider_gets_404(org, login):
    entri = make_entri(org)
    assert login(org.outsider).get(reverse("kinerja:entri_detail", args=[entri.pk])).status_code == 404


def test_kasubag_reads_but_cannot_edit_staff_entry(org, login):
    entri = make_entri(org)
    client = login(org.kasubag)
    assert client.get(reverse("kinerja:entri_detail", args=[entri.pk])).status_code == 200
    assert client.post(reverse("kinerja:entri_update", args=[entri.pk]), entry_data(org)).status_code == 403
    assert client.post(reverse("kinerja:entri_delete", args=[entri.pk])).status_code == 403
    entri.refresh_from_db()
    assert entri.nama_kegiatan == "Rapat koordinasi"


def test_no_entry_on_another_persons_behalf_in_the_service(org):
    entri = make_entri(org)
    with pytest.raises(EntriTidakDapatDiubah):
        services.entri_update(entri=entri, by=org.colleague, data={"nama_kegiatan": "x"})
    with pytest.raises(EntriTidakDapatDiubah):
        services.entri_delete(entri=entri, by=org.kasubag)


@pytest.mark.parametrize("tahap", [TahapPeriode.VERIFICATION, TahapPeriode.COMPILED, TahapPeriode.FINAL])
def test_month_lock_blocks_edit_and_delete(org, login, tahap):
    entri = make_entri(org)
    today = org.kudus.today()
    Periode.objects.create(satker=org.kudus, tahun=today.year, bulan=today.month, tahap=tahap)
    client = login(org.asn)
    response = client.post(
        reverse("kinerja:entri_update", args=[entri.pk]), entry_data(org, nama_kegiatan="Ubah")
    )
    assert response.status_code == 302  # back to the entry, with the reason as a message
    client.post(reverse("kinerja:entri_delete", args=[entri.pk]))
    entri.refresh_from_db()
    assert entri.nama_kegiatan == "Rapat koordinasi"
    with pytest.raises(EntriTidakDapatDiubah):
        services.entri_update(entri=entri, by=org.asn, data={"nama_kegiatan": "Ubah"})
    with pytest.raises(EntriTidakDapatDiubah):
        services.entri_delete(entri=entri, by=org.asn)


def test_returned_entry_is_fixable_during_verification_and_goes_back_to_pending(org, login):
    entri = make_entri(org, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Lampirkan notulen")
    today = org.kudus.today()
    Periode.objects.create(
        satker=org.kudus, tahun=today.year, bulan=today.month, tahap=TahapPeriode.VERIFICATION
    )
    client = login(org.asn)
    page = client.get(reverse("kinerja:entri_update", args=[entri.pk]))
    assert "Lampirkan notulen" in page.content.decode()
    pdf = SimpleUploadedFile("notulen.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post(
        reverse("kinerja:entri_update", args=[entri.pk]), {**entry_data(org), "berkas": pdf}
    )
    assert response.status_code == 302
    entri.refresh_from_db()
    assert entri.status == StatusEntri.DIAJUKAN
    assert entri.bukti.count() == 1
    assert AuditLog.objects.filter(action="entri_diperbaiki", dari="dikembalikan", ke="diajukan").exists()


def test_returned_entries_come_first_on_the_home_page(org, login):
    make_entri(org, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Volume tidak sesuai bukti")
    body = login(org.asn).get(reverse("home")).content.decode()
    assert "1 entri dikembalikan" in body and "Volume tidak sesuai bukti" in body
    assert body.index("dikembalikan untuk diperbaiki") < body.index("Kelengkapan")


def test_approved_entry_cannot_be_changed_by_anyone(org, login):
    entri = make_entri(org, status=StatusEntri.DISETUJUI)
    with pytest.raises(EntriTidakDapatDiubah):
        services.entri_update(entri=entri, by=org.asn, data={"nama_kegiatan": "x"})
    with pytest.raises(EntriTidakDapatDiubah):
        services.entri_delete(entri=entri, by=org.asn)
    with pytest.raises(EntriTidakDapatDiubah):
        services.entri_set_decision(entri=entri, status=StatusEntri.DIKEMBALIKAN, note="x", by=org.kasubag)
    login(org.asn).post(reverse("kinerja:entri_update", args=[entri.pk]), entry_data(org, nama_kegiatan="x"))
    entri.refresh_from_db()
    assert entri.nama_kegiatan == "Rapat koordinasi"


def test_delete_asks_for_confirmation_then_removes_entry_and_files(
    org, login, django_capture_on_commit_callbacks
):
    client = login(org.asn)
    client.post(
        reverse("kinerja:entri_create"), {**entry_data(org), "foto": SimpleUploadedFile("a.jpg", jpeg())}
    )
    entri = EntriKinerja.objects.get()
    bukti = entri.bukti.get()
    storage, names = bukti.berkas.storage, [bukti.berkas.name, bukti.thumbnail.name]
    confirm = client.get(reverse("kinerja:entri_delete", args=[entri.pk]))
    assert confirm.status_code == 200 and EntriKinerja.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("kinerja:entri_delete", args=[entri.pk]))
    assert response.status_code == 302
    assert not EntriKinerja.objects.exists() and not BuktiDukung.objects.exists()
    assert not any(storage.exists(n) for n in names)


def test_admin_site_cannot_change_entries(org, admin_client):
    entri = make_entri(org)
    response = admin_client.post(
        reverse("admin:kinerja_entrikinerja_change", args=[entri.pk]), {"nama_kegiatan": "diubah lewat admin"}
    )
    assert response.status_code == 403
    entri.refresh_from_db()
    assert entri.nama_kegiatan == "Rapat koordinasi"


def test_entry_list_is_paginated_and_filtered_by_month(org, login):
    today = org.kudus.today()
    for _ in range(30):
        make_entri(org)
    client = login(org.asn)
    first = client.get(reverse("kinerja:entri_list"), {"tahun": today.year, "bulan": today.month})
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("kinerja:entri_list"), {"tahun": today.year, "bulan": today.month, "page": 2})
    assert len(second.context["page"].object_list) == 5
    other = client.get(reverse("kinerja:entri_list"), {"tahun": today.year - 1, "bulan": 1})
    assert len(other.context["page"].object_list) == 0


def test_bulan_saya_marks_filled_day(org, login):
    today = org.kudus.today()
    make_entri(org)
    response = login(org.asn).get(reverse("kinerja:bulan_saya", args=[today.year, today.month]))
    days = {d.date: d for d in response.context["summary"].days}
    # Today may be a weekend or holiday in the real calendar; an entry only shows "filled" on a working day.
    assert days[today].entries == 1
    assert days[today].state in ("filled", "weekend", "holiday")
    body = response.content.decode()
    assert f'data-date="{today.isoformat()}"' in body


def test_every_day_link_of_bulan_saya_lands_on_that_days_entries(org, login):
    year = org.kudus.today().year - 1
    days = working_days(org.kudus, datetime.date(year, 10, 1), datetime.date(year, 10, 31))
    entries: dict[datetime.date, set[int]] = {}
    for i in range(PAGE_SIZE + 10):  # two pages: the first days of the month fall on the second
        day = days[i % len(days)]
        entries.setdefault(day, set()).add(make_entri(org, tanggal=day, kode_output=org.kode_years[year]).pk)
    client = login(org.asn)
    url = reverse("kinerja:bulan_saya", args=[year, 10])
    calendar = parse(client.get(url).content.decode())
    day_links = [href for href in calendar.hrefs if "#hari-" in href]
    assert len(day_links) == len(entries)

    for href in day_links:
        target = urlsplit(href)
        day = datetime.date(year, 10, int(target.fragment.removeprefix("hari-")))
        response = client.get(f"{target.path}?{target.query}")
        landed = parse(response.content.decode())
        assert target.fragment in landed.ids, href
        shown = {e.pk for e in response.context["page"].object_list}
        assert shown == entries[day], f"{href} shows other entries than {day}'s"
        assert {f"entri-{pk}" for pk in entries[day]} <= landed.ids
