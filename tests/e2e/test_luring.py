"""Offline-first on the phone (issue 18): an ASN on a 360×800 phone saves an entry with photos with no signal; it
is kept on the phone, sent exactly once when the signal returns, told clearly when the server refuses it, kept to
its own account, and the entry form, Bulan saya and the queue page open with no network after one visit.

No signal is Playwright's context.set_offline (the page and its service worker both lose the network)."""

import datetime
import re
import time
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from kinerja.models import BuktiDukung, EntriKinerja, JenisBukti, Periode, TahapPeriode
from silabu.lib.dates import format_bulan
from tests.conftest import PASSWORD
from tests.kamera import camera_jpeg

from .conftest import TIMEOUT_MS, VIEWPORTS, login
from .helpers import open_menu, text_of, work_day

ENTRI = "/kinerja/entri/tambah/"
ANTREAN = "/kinerja/antrean/"
SAVED_ON_PHONE = "Tersimpan di ponsel, akan dikirim saat ada sinyal."

CACHED_PAGES = """
async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith('silabu-halaman-')) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls.sort();
}
"""

QUEUE = """
async () => (await SilabuAntrean.list(document.body.dataset.pengguna)).map((item) => ({
  key: item.key, status: item.status, pesan: item.pesan, files: item.files.map((f) => [f.name, f.blob.size]),
  ringkas: item.ringkas,
}))
"""


def worker_ready(page) -> None:
    """The worker is active and controls the page (a page opened before it was active is opened again)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def wait_until(check, timeout=TIMEOUT_MS / 1000, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def pages_kept(page, *paths) -> None:
    """Wait until the worker keeps these pages for offline use."""
    wait_until(lambda: set(paths) <= set(page.evaluate(CACHED_PAGES)), what=f"the worker to keep {paths}")


def photos(tmp_path, n=2) -> list:
    """n 12-megapixel camera photos (portrait by their EXIF orientation), taken on n different minutes."""
    files = []
    for i in range(n):
        path = tmp_path / f"IMG_2026050{i + 1}.jpg"
        path.write_bytes(camera_jpeg(taken=f"2026:05:04 08:1{i}:30", seed=i))
        files.append(path)
    return files


def fill(page, demo, day, nama="Cek gudang logistik di PPK Jati"):
    page.get_by_label("Tanggal kegiatan").fill(day.isoformat())
    page.get_by_label("Kode output/kegiatan").select_option(label=demo.kode.label_pilihan)
    page.get_by_label("Nama kegiatan").fill(nama)
    page.get_by_label("Output hasil").fill("Berita acara cek fisik logistik")
    page.get_by_label("Volume").fill("1")
    page.get_by_label("Satuan").fill("laporan")


def attach(page, files) -> str:
    """Attach camera photos and wait for the phone to shrink them; returns the saving it shows."""
    page.get_by_label("Ambil foto").set_input_files(files)
    note = page.locator('[data-hemat="foto"]')
    note.filter(has_text="→").wait_for()
    return note.inner_text()


def save_offline(page, demo, tmp_path, day, nama="Cek gudang logistik di PPK Jati", n_photos=2) -> str:
    """With no signal: open the entry form (from the phone's copy), fill it, attach photos, save."""
    page.context.set_offline(True)
    page.goto(ENTRI)
    page.get_by_role("heading", name="Tambah entri kinerja").wait_for()
    assert "Tanpa sinyal: data terakhir dilihat" in text_of(page)
    assert re.search(r"data terakhir dilihat .+ WIB\. Entri baru", text_of(page))  # Kudus' zone, labelled
    fill(page, demo, day, nama)
    saving = attach(page, photos(tmp_path, n_photos)) if n_photos else ""
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.get_by_text(SAVED_ON_PHONE).wait_for()
    return saving


def badge(page):
    return page.locator("#antrean-jumlah")


def test_entry_with_two_photos_saved_offline_is_sent_once_when_the_signal_returns(
    page, demo, live_server, tmp_path, shot
):
    day = work_day(demo.kudus)
    login(page, demo.asn)
    worker_ready(page)
    pages_kept(page, ENTRI, ANTREAN)

    saving = save_offline(page, demo, tmp_path, day)
    assert saving.startswith("Foto diperkecil di ponsel: ") and " MB → " in saving
    assert badge(page).inner_text().strip() == "1 belum terkirim"
    [item] = page.evaluate(QUEUE)
    assert item["status"] == "menunggu" and [name for name, _ in item["files"]] == [
        "IMG_20260501.jpg",
        "IMG_20260502.jpg",
    ]
    assert all(size < 1024 * 1024 for _, size in item["files"])  # shrunk on the phone before it was kept
    # the form is ready for the next entry, with a new key
    assert page.get_by_label("Nama kegiatan").input_value() == ""
    shot(page, "tersimpan-di-ponsel")
    assert not EntriKinerja.objects.exists()

    # The tab is closed; later the signal returns and SILABU is opened again.
    context = page.context
    page.close()
    context.set_offline(False)
    again = context.new_page()
    again.goto("/")

    entri = wait_until(lambda: EntriKinerja.objects.filter(pegawai=demo.asn).first(), what="the entry")
    badge(again).wait_for(state="hidden")
    assert again.evaluate(QUEUE) == []
    again.reload()
    again.wait_for_load_state("networkidle")
    assert EntriKinerja.objects.count() == 1
    assert (entri.tanggal, entri.nama_kegiatan, entri.idempotency_key) == (
        day,
        "Cek gudang logistik di PPK Jati",
        uuid.UUID(item["key"]),
    )
    fotos = list(BuktiDukung.objects.filter(entri=entri).order_by("nama_asli"))
    assert [(b.nama_asli, b.jenis) for b in fotos] == [
        ("IMG_20260501.jpg", JenisBukti.FOTO),
        ("IMG_20260502.jpg", JenisBukti.FOTO),
    ]
    for i, bukti in enumerate(fotos):
        # upright (the EXIF orientation applied on the phone), at the server's long side, capture time kept
        assert (bukti.lebar, bukti.tinggi) == (1536, 2048)
        with bukti.berkas.open("rb") as f, Image.open(f) as img:
            assert img.size == (1536, 2048)
        assert bukti.waktu_ambil == datetime.datetime(2026, 5, 4, 8, 10 + i, 30, tzinfo=demo.kudus.tz)
    shot(again, "terkirim")


def test_a_replay_whose_first_answer_was_cut_off_makes_no_duplicate(browser, live_server, demo, tmp_path):
    # No service worker here: the page's own queue (IndexedDB) and its replay on the next page load suffice, and
    # Playwright's routing sees the page's requests.
    context = browser.new_context(
        viewport=VIEWPORTS["phone"],
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        is_mobile=True,
        has_touch=True,
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        login(page, demo.asn)
        page.goto(ENTRI)
        answered = []

        def cut_off(route):
            if route.request.method != "POST":
                return route.continue_()
            response = route.fetch()  # the server handles the post and answers ...
            answered.append(response.status)
            return route.abort("connectionreset")  # ... but the answer never reaches the phone

        page.route(f"**{ENTRI}", cut_off)
        fill(page, demo, work_day(demo.kudus), "Rekonsiliasi kas")
        attach(page, photos(tmp_path, 1))
        page.get_by_role("button", name="Simpan", exact=True).click()
        page.get_by_text(SAVED_ON_PHONE).wait_for()
        assert answered == [201] and EntriKinerja.objects.count() == 1  # it did reach the server
        [item] = page.evaluate(QUEUE)
        page.unroute(f"**{ENTRI}")

        page.goto(ANTREAN)  # the queue is sent as the page opens; "Kirim sekarang" does the same
        page.get_by_text("Tidak ada entri yang menunggu dikirim.").wait_for()
        assert page.evaluate(QUEUE) == []
        entri = EntriKinerja.objects.get()
        assert str(entri.idempotency_key) == item["key"] and entri.nama_kegiatan == "Rekonsiliasi kas"
        assert BuktiDukung.objects.filter(entri=entri).count() == 1
    finally:
        context.close()


def test_a_replay_into_a_locked_month_shows_the_message_and_keeps_the_entry(page, demo, tmp_path, shot):
    day = work_day(demo.kudus)
    login(page, demo.asn)
    worker_ready(page)
    pages_kept(page, ENTRI, ANTREAN)
    save_offline(page, demo, tmp_path, day, "Rapat koordinasi logistik", n_photos=1)

    # Meanwhile Rendatin compiles the month.
    periode, _ = Periode.objects.update_or_create(
        satker=demo.kudus, tahun=day.year, bulan=day.month, defaults={"tahap": TahapPeriode.COMPILED}
    )
    page.context.set_offline(False)
    page.goto(ANTREAN)
    refusal = f"{format_bulan(day.year, day.month)} (Dihimpun) sudah ditutup untuk entri baru."
    row = page.get_by_role("listitem").filter(has_text="Rapat koordinasi logistik")
    row.get_by_text(refusal).wait_for()
    assert "Ditolak server" in row.inner_text()
    assert "1 entri tersimpan di ponsel ini dan belum ada di server; 1 ditolak server" in text_of(page)
    assert badge(page).inner_text().strip() == "1 belum terkirim"
    shot(page, "ditolak")
    # nothing is dropped, and nothing is sent again by itself: it waits for the person to fix or discard it
    assert page.get_by_role("button", name="Kirim sekarang").is_hidden()
    [item] = page.evaluate(QUEUE)
    assert item["status"] == "ditolak" and item["pesan"] == refusal
    assert not EntriKinerja.objects.exists()

    # Fix and send again: the kept entry comes back into the form with the server's reason and its photo.
    row.get_by_role("link", name="Perbaiki: Rapat koordinasi logistik").click()
    page.get_by_role("heading", name="Tambah entri kinerja").wait_for()
    page.get_by_text(refusal).wait_for()
    assert page.get_by_label("Nama kegiatan").input_value() == "Rapat koordinasi logistik"
    assert "1 berkas dari ponsel" in page.locator('[data-hemat="foto"]').inner_text()
    shot(page, "perbaiki")
    periode.tahap = TahapPeriode.OPEN  # (the month is reopened, so the fix can land)
    periode.save()
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/kinerja/bulan/**")
    entri = EntriKinerja.objects.get()
    assert str(entri.idempotency_key) == item["key"]
    assert BuktiDukung.objects.filter(entri=entri).count() == 1
    assert page.evaluate(QUEUE) == []


def test_a_refused_entry_can_be_discarded_with_two_taps(page, demo, tmp_path):
    day = work_day(demo.kudus)
    login(page, demo.asn)
    worker_ready(page)
    pages_kept(page, ENTRI, ANTREAN)
    save_offline(page, demo, tmp_path, day, "Entri yang dibuang", n_photos=0)
    Periode.objects.create(satker=demo.kudus, tahun=day.year, bulan=day.month, tahap=TahapPeriode.FINAL)
    page.context.set_offline(False)
    page.goto(ANTREAN)
    row = page.get_by_role("listitem").filter(has_text="Entri yang dibuang")
    row.get_by_text("Ditolak server").wait_for()
    row.get_by_role("button", name="Buang: Entri yang dibuang").click()
    assert page.evaluate(QUEUE) != []  # the first tap only asks
    row.get_by_role("button", name="Ya, buang entri ini").click()
    page.get_by_text("Entri «Entri yang dibuang» dibuang dari ponsel.").wait_for()
    assert page.evaluate(QUEUE) == []
    badge(page).wait_for(state="hidden")


def test_the_queue_waits_for_its_own_account(page, demo, tmp_path):
    day = work_day(demo.kudus)
    login(page, demo.asn)
    worker_ready(page)
    pages_kept(page, ENTRI, ANTREAN)
    save_offline(page, demo, tmp_path, day, "Entri Ani dari lapangan", n_photos=1)
    page.context.set_offline(False)

    # Ani's session ends; Budi signs in on the same phone: Ani's entry is neither sent nor shown to him.
    login(page, demo.colleague)
    page.goto(ANTREAN)
    page.get_by_text("Tidak ada entri yang menunggu dikirim.").wait_for()
    assert badge(page).is_hidden()
    assert "Entri Ani dari lapangan" not in text_of(page)
    page.wait_for_timeout(500)
    assert not EntriKinerja.objects.exists()

    # Ani signs in again: her queue resumes, as hers.
    login(page, demo.asn)
    entri = wait_until(lambda: EntriKinerja.objects.first(), what="Ani's entry")
    assert (entri.pegawai, entri.nama_kegiatan) == (demo.asn, "Entri Ani dari lapangan")
    badge(page).wait_for(state="hidden")


def test_a_save_after_the_session_ended_waits_for_the_sign_in(page, demo, tmp_path):
    login(page, demo.asn)
    page.goto(ENTRI)
    fill(page, demo, work_day(demo.kudus), "Entri sesudah sesi habis")
    attach(page, photos(tmp_path, 1))
    page.context.clear_cookies()  # the session ended while the form was open
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.get_by_text(
        "Sesi Anda berakhir. Entri tersimpan di ponsel dan dikirim setelah Anda masuk lagi."
    ).wait_for()
    [item] = page.evaluate(QUEUE)
    assert item["status"] == "masuk" and not EntriKinerja.objects.exists()

    page.locator("#konten").get_by_role("link", name="Masuk").click()
    page.get_by_label("NIP atau nama pengguna").fill(demo.asn.nip)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**{ANTREAN}")  # back at the queue, which sends it
    page.get_by_text("Tidak ada entri yang menunggu dikirim.").wait_for()
    entri = EntriKinerja.objects.get()
    assert (entri.pegawai, entri.nama_kegiatan, str(entri.idempotency_key)) == (
        demo.asn,
        "Entri sesudah sesi habis",
        item["key"],
    )
    assert entri.bukti.count() == 1


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_shell_opens_offline_after_one_visit_and_is_forgotten_on_logout(page, demo, live_server, shot):
    login(page, demo.asn)
    worker_ready(page)
    page.goto(reverse("kinerja:bulan_saya_now"))
    pages_kept(page, ENTRI, ANTREAN, reverse("kinerja:bulan_saya_now"))

    page.context.set_offline(True)
    page.goto(reverse("kinerja:bulan_saya_now"))
    today = demo.kudus.today()
    page.get_by_role("heading", name=format_bulan(today.year, today.month)).wait_for()
    assert "Tanpa sinyal: data terakhir dilihat" in text_of(page)
    assert page.locator(f'td[data-date="{today.isoformat()}"]').count() == 1
    shot(page, "bulan-saya-luring")
    page.goto(ENTRI)
    page.get_by_role("heading", name="Tambah entri kinerja").wait_for()
    page.goto(ANTREAN)
    page.get_by_role("heading", name="Entri di ponsel").wait_for()
    page.get_by_text("Tidak ada entri yang menunggu dikirim.").wait_for()
    page.goto(reverse("kinerja:entri_list"))  # not kept: the offline notice
    page.get_by_role("heading", name="Tidak ada koneksi internet").wait_for()
    page.context.set_offline(False)

    page.goto("/")
    open_menu(page)
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/masuk/**")
    assert page.evaluate(CACHED_PAGES) == []
    page.context.set_offline(True)
    page.goto(ENTRI)
    page.get_by_role("heading", name="Tidak ada koneksi internet").wait_for()
    assert demo.asn.nama not in page.content()
    page.context.set_offline(False)
