"""A Kasubag at month end: reviews a person's month, returns one entry with a note, approves the rest, and
verifies the month once the ASN has fixed the returned entry. With JavaScript on, the per-entry decisions are
htmx partial updates (the page is not reloaded)."""

import datetime
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kinerja.evidence import process_upload_with_settings
from kinerja.models import BuktiDukung, EntriKinerja, StatusEntri
from verifikasi.models import LaporanBulanan, StatusLaporan

from .helpers import make_entri, nav, october, october_working_days, text_of

NOTE = "Volume tidak sesuai berita acara; mohon dikoreksi."


@pytest.fixture
def month(demo):
    """Ani's October of last year: three entries waiting for her Kasubag."""
    days = october_working_days(demo, 3)
    names = ["Rekonsiliasi BMN", "Menyusun SPJ perjalanan dinas", "Input SAKTI modul aset"]
    return [
        make_entri(demo, demo.asn, day, nama_kegiatan=name, volume=2, satuan="dokumen")
        for day, name in zip(days, names, strict=True)
    ]


def open_review(page, demo):
    """From the queue, choose October of last year and open Ani's month, as the Kasubag would."""
    year, _ = october(demo)
    nav(page, "Verifikasi")
    page.get_by_label("Bulan").select_option(label="Oktober")
    page.get_by_label("Tahun").fill(str(year))
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_role("heading", name=f"Verifikasi data kinerja — Oktober {year}").wait_for()
    page.get_by_role("link", name=demo.asn.nama).click()
    page.get_by_role("heading", name=demo.asn.nama).wait_for()


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_kasubag_returns_one_approves_the_rest_and_verifies_after_the_fix(page, demo, month, login, shot):
    first, second, third = month
    year, mon = october(demo)
    login(page, demo.kasubag)
    open_review(page, demo)
    shot(page, "periksa")
    url = page.url

    # Return the second entry with a note: an htmx partial update of its row, no page load.
    item = page.locator(f"#entri-{second.pk}")
    item.get_by_label(f"Catatan pengembalian untuk {second.nama_kegiatan}").fill(NOTE)
    with page.expect_response(lambda r: "/kembalikan/" in r.url) as response:
        item.get_by_role("button", name="Kembalikan").click()
    assert response.value.status == 200 and response.value.request.headers.get("hx-request") == "true"
    item = page.locator(f"#entri-{second.pk}")
    item.get_by_text(f"Catatan: {NOTE}").wait_for()
    assert item.locator(".badge", has_text="Dikembalikan").is_visible()
    assert page.url == url
    shot(page, "dikembalikan")

    # Approve the rest at once: the button's count followed the htmx decision.
    page.get_by_role("button", name="Setujui semua yang tersisa (2)").click()
    page.get_by_text("2 entri disetujui.").wait_for()
    assert "Bulan dapat diverifikasi setelah semua entri disetujui." in text_of(page)
    assert page.get_by_role("link", name="Verifikasi bulan ini").count() == 0
    statuses = dict(EntriKinerja.objects.filter(pegawai=demo.asn).values_list("pk", "status"))
    assert statuses == {
        first.pk: StatusEntri.DISETUJUI,
        second.pk: StatusEntri.DIKEMBALIKAN,
        third.pk: StatusEntri.DISETUJUI,
    }
    assert EntriKinerja.objects.get(pk=second.pk).catatan_verifikasi == NOTE
    shot(page, "setujui-sisa")

    # The ASN fixes the returned entry on her own phone (here: the same browser after the Kasubag signs out).
    login(page, demo.asn)
    page.get_by_role("region", name="1 entri dikembalikan untuk diperbaiki").get_by_role(
        "link", name=second.nama_kegiatan
    ).click()
    page.get_by_label("Volume").fill("1")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.get_by_text("Perubahan entri tersimpan.").wait_for()
    assert EntriKinerja.objects.get(pk=second.pk).status == StatusEntri.DIAJUKAN

    # Back at the Kasubag's desk: approve the fixed entry (htmx), then verify the month.
    login(page, demo.kasubag)
    open_review(page, demo)
    item = page.locator(f"#entri-{second.pk}")
    with page.expect_response(lambda r: "/setujui/" in r.url) as response:
        item.get_by_role("button", name="Setujui").click()
    assert response.value.request.headers.get("hx-request") == "true"
    page.locator(f"#entri-{second.pk} .badge", has_text="Disetujui").wait_for()
    page.get_by_role("link", name="Verifikasi bulan ini").click()
    page.get_by_role("heading", name=f"Verifikasi data kinerja {demo.asn.nama} — Oktober {year}?").wait_for()
    shot(page, "konfirmasi")
    page.get_by_label("Catatan (opsional)").fill("Lengkap.")
    page.get_by_role("button", name="Ya, verifikasi").click()
    page.get_by_text(f"Data kinerja {demo.asn.nama} bulan Oktober {year} terverifikasi.").wait_for()
    shot(page, "antrean-terverifikasi")

    laporan = LaporanBulanan.objects.get(pegawai=demo.asn, tahun=year, bulan=mon)
    assert laporan.status == StatusLaporan.TERVERIFIKASI
    assert laporan.verifikator == demo.kasubag and laporan.catatan == "Lengkap."
    assert set(EntriKinerja.objects.filter(pegawai=demo.asn).values_list("status", flat=True)) == {
        StatusEntri.DISETUJUI
    }


@pytest.mark.parametrize("javascript", [False], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_decisions_work_without_javascript(page, demo, month, login, shot):
    """On a browser without JavaScript the same buttons post the whole form and the page comes back."""
    first, second, _ = month
    login(page, demo.kasubag)
    open_review(page, demo)
    item = page.locator(f"#entri-{second.pk}")
    item.get_by_label(f"Catatan pengembalian untuk {second.nama_kegiatan}").fill(NOTE)
    with page.expect_navigation():
        item.get_by_role("button", name="Kembalikan").click()
    page.locator(f"#entri-{second.pk}").get_by_text(f"Catatan: {NOTE}").wait_for()
    with page.expect_navigation():
        page.locator(f"#entri-{first.pk}").get_by_role("button", name="Setujui").click()
    page.locator(f"#entri-{first.pk} .badge", has_text="Disetujui").wait_for()
    shot(page, "tanpa-js")
    statuses = dict(EntriKinerja.objects.filter(pegawai=demo.asn).values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk]) == (StatusEntri.DISETUJUI, StatusEntri.DIKEMBALIKAN)


def test_bulk_approve_button_counts_what_is_left_after_an_htmx_decision(page, demo, month, login):
    second = month[1]
    login(page, demo.kasubag)
    open_review(page, demo)
    item = page.locator(f"#entri-{second.pk}")
    item.get_by_label(f"Catatan pengembalian untuk {second.nama_kegiatan}").fill(NOTE)
    item.get_by_role("button", name="Kembalikan").click()
    item = page.locator(f"#entri-{second.pk}")
    item.get_by_text(f"Catatan: {NOTE}").wait_for()
    # The summary above (#ringkasan, swapped out of band) already says 2 are waiting; the button must agree.
    assert page.locator("#ringkasan .badge.text-bg-secondary").inner_text() == "2"
    button = page.get_by_role("button", name=re.compile("^Setujui semua yang tersisa"))
    assert button.inner_text().strip() == "Setujui semua yang tersisa (2)"


def test_verify_link_appears_when_the_last_entry_is_approved_by_htmx(page, demo, month, login):
    login(page, demo.kasubag)
    open_review(page, demo)
    for entri in month:
        item = page.locator(f"#entri-{entri.pk}")
        item.get_by_role("button", name="Setujui").click()
        page.locator(f"#entri-{entri.pk} .badge", has_text="Disetujui").wait_for()
    assert set(EntriKinerja.objects.filter(pegawai=demo.asn).values_list("status", flat=True)) == {
        StatusEntri.DISETUJUI
    }
    assert page.get_by_role("link", name="Verifikasi bulan ini").is_visible()


def attach_photo(entri: EntriKinerja, taken: datetime.datetime) -> None:
    """A real re-encoded photo with its thumbnail, taken at `taken` (as the phone reported it)."""
    raw = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 120, 180)).save(raw, "JPEG")
    upload = SimpleUploadedFile("IMG_2041.JPG", raw.getvalue(), content_type="image/jpeg")
    p = process_upload_with_settings(upload, tz=entri.satker.tz)
    bukti = BuktiDukung(
        entri=entri,
        jenis="foto",
        nama_asli="IMG_2041.JPG",
        content_type=p.content_type,
        ukuran=p.size,
        sha256=p.sha256,
        lebar=p.width,
        tinggi=p.height,
        waktu_ambil=taken,
    )
    bukti.berkas.save(f"bukti.{p.extension}", ContentFile(p.content), save=False)
    bukti.thumbnail.save("thumb.jpg", ContentFile(p.thumbnail), save=False)
    bukti.save()


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_kasubag_filters_pending_entries_in_compact_density(page, demo, month, login, shot):
    """Issue 12 item 8: of a month partly decided, only what still waits; each photo with when it was taken."""
    first, second, third = month
    EntriKinerja.objects.filter(pk=first.pk).update(status=StatusEntri.DISETUJUI)
    tz = demo.kudus.tz
    attach_photo(
        second, datetime.datetime.combine(second.tanggal - datetime.timedelta(days=2), datetime.time(9), tz)
    )
    attach_photo(third, datetime.datetime.combine(third.tanggal, datetime.time(10, 30), tz))
    login(page, demo.kasubag)
    open_review(page, demo)
    shot(page, "periksa-semua")

    page.get_by_label("Status").select_option(label="Menunggu")
    with page.expect_navigation():
        page.get_by_role("button", name="Saring").click()
    page.get_by_text("Menampilkan 2 dari 3 entri.").wait_for()
    assert page.locator(f"#entri-{first.pk}").count() == 0
    assert (
        page.locator(f"#entri-{second.pk}").is_visible() and page.locator(f"#entri-{third.pk}").is_visible()
    )
    cue = page.locator(f"#entri-{second.pk}").get_by_text("Foto diambil 2 hari sebelum tanggal entri")
    assert cue.is_visible()
    assert page.locator(f"#entri-{third.pk}").get_by_text("Foto diambil").count() == 0
    assert page.locator(f"#entri-{third.pk}").get_by_text(re.compile(r"Diambil .* 10:30 WIB")).is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Tampilan ringkas").click()
    assert "status=diajukan" in page.url and "tampilan=ringkas" in page.url
    assert page.locator("#daftar-entri.periksa-ringkas").count() == 1
    assert not page.locator(f"#entri-{second.pk}").get_by_text("IMG_2041.JPG").is_visible()  # names hidden
    assert cue.is_visible()  # the cue stays
    shot(page, "periksa-menunggu-ringkas")

    # Deciding from the filtered page keeps the filter and the density (htmx, then a reload).
    with page.expect_response(lambda r: "/setujui/" in r.url) as response:
        page.locator(f"#entri-{second.pk}").get_by_role("button", name="Setujui").click()
    assert response.value.status == 200
    page.locator(f"#entri-{second.pk} .badge", has_text="Disetujui").wait_for()
    page.reload()
    page.get_by_text("Menampilkan 1 dari 3 entri.").wait_for()
    assert page.locator(f"#entri-{second.pk}").count() == 0
