"""The Bontang SOP *Pengukuran Kinerja* as its people walk it: the Sekretaris' disposition, the Kasubag Rendatin's
draft forms, Rendatin issuing them, each subbagian filling and handing in its form, Rendatin measuring and
reporting, the Kasubag Rendatin sending it on, the Sekretaris returning it with a note, Rendatin measuring
again, and the Sekretaris approving (the version is archived)."""

import re

from rekap.pengukuran.models import KeputusanVersi, Pengukuran, TahapPengukuran, VersiPengukuran
from tests.pengukuran.test_services import kerangka, year_of

from .helpers import nav, text_of

T = TahapPengukuran
RETURN_NOTE = "IK.2 melebihi target; beri penjelasan atau capaian manual."
VALUES = {"IK.1": "8", "IK.2": "25", "IK.3": "2", "IK.4": "85,5"}


def open_measurement(page, label: str) -> None:
    nav(page, "Pengukuran")
    page.locator("#daftar-pengukuran").get_by_role("link", name=label).click()
    page.get_by_role("heading", name=f"Pengukuran kinerja {label}").wait_for()


def fill_form(page, label: str, rows: list[str], shot=None) -> None:
    """A subbagian's person fills their Form Data Kinerja and hands it in."""
    open_measurement(page, label)
    page.get_by_role("link", name="Isi form").click()
    page.get_by_role("heading", name="Form Data Kinerja").wait_for()
    for code in rows:
        group = page.get_by_role("group", name=code)
        group.get_by_label(re.compile(r"^Realisasi \(")).fill(VALUES[code])
        group.get_by_label(re.compile(r"^Keterangan")).fill(f"Realisasi {code} sesuai laporan.")
    if shot:
        shot(page, "form-isi")
    page.get_by_role("button", name="Simpan dan serahkan").click()
    page.wait_for_load_state()


def test_measurement_loop_with_a_return_then_approval(demo, new_page, login, shot):
    """Each person on their own device: the Sekretaris and Rendatin at a desk, the subbagian heads on phones."""
    org = demo
    k = kerangka(org)
    year = year_of(org)
    label = f"Triwulan I {year}"
    devices = {}

    def device(person, viewport: str = "desktop"):
        if person.pk not in devices:
            page = new_page(viewport)
            login(page, person)
            devices[person.pk] = page
        return devices[person.pk]

    # Step 1: the Sekretaris' disposition.
    page = device(org.sekretaris)
    nav(page, "Pengukuran")
    page.get_by_label("Tahun").fill(str(year))
    page.get_by_label("Jenis periode").select_option(label="Triwulan")
    page.get_by_label("Periode ke-").fill("1")
    page.get_by_label("Instruksi untuk Kasubag Rendatin").fill("Lakukan pengukuran kinerja triwulan I.")
    shot(page, "disposisi")
    page.get_by_role("button", name="Kirim disposisi").click()
    page.get_by_text(f"Disposisi pengukuran kinerja {label} dikirim ke Kasubag Rendatin.").wait_for()
    p = Pengukuran.objects.get()
    assert (p.tahap, p.disposisi_oleh) == (T.KONSEP, org.sekretaris)

    # Step 2: the Kasubag Rendatin drafts the forms (every indicator is pre-checked).
    page = device(org.kasubag_rendatin)
    open_measurement(page, label)
    assert page.get_by_role("checkbox", name="IK.4").is_checked()
    shot(page, "konsep")
    page.get_by_role("button", name="Susun konsep form").click()
    page.get_by_role("heading", name="Langkah 3: terbitkan Form Data Kinerja").wait_for()

    # Step 3: Rendatin issues them.
    page = device(org.rendatin)
    open_measurement(page, label)
    page.get_by_role("button", name="Terbitkan form ke subbagian").click()
    page.locator("#form").get_by_text("Belum diserahkan").first.wait_for()
    p.refresh_from_db()
    assert p.tahap == T.PENGUMPULAN and p.form_set.count() == 3

    # Step 4: each subbagian fills and hands in its form (the two heads on their phones).
    for person, viewport, rows in (
        (org.kasubag, "phone", ["IK.1", "IK.2"]),
        (org.other_kasubag, "phone", ["IK.3"]),
        (org.rendatin, "desktop", ["IK.4"]),
    ):
        page = device(person, viewport)
        fill_form(page, label, rows, shot if person == org.kasubag else None)
        assert "Diserahkan" in text_of(page), text_of(page)
    p.refresh_from_db()
    assert p.tahap == T.PENGUKURAN

    # Steps 5–7: Rendatin measures, closes the recap and reports the draft.
    page = device(org.rendatin)
    open_measurement(page, label)
    shot(page, "ukur")
    page.get_by_role("button", name="Hitung dan simpan pengukuran").click()
    page.get_by_role("heading", name="Rekap hasil pengukuran", exact=True).wait_for()
    assert "125%" in page.locator("#tabel-baris").inner_text()  # IK.2: 25 of 20
    page.get_by_role("button", name="Rekap selesai").click()
    page.get_by_role("button", name="Laporkan draf").click()
    page.get_by_role("button", name="Laporkan draf").wait_for(state="detached")
    p.refresh_from_db()
    assert p.tahap == T.PEMERIKSAAN

    # Step 8: the Kasubag Rendatin sends it to the Sekretaris.
    page = device(org.kasubag_rendatin)
    open_measurement(page, label)
    page.get_by_label("Catatan untuk Sekretaris (opsional)").fill("Sudah saya periksa.")
    page.get_by_role("button", name="Kirim ke Sekretaris").click()
    page.get_by_role("button", name="Kirim ke Sekretaris").wait_for(state="detached")
    p.refresh_from_db()
    assert p.tahap == T.PERSETUJUAN

    # Step 9: the Sekretaris returns it with a note.
    page = device(org.sekretaris)
    open_measurement(page, label)
    shot(page, "persetujuan")
    page.get_by_label("Catatan pengembalian (wajib)").fill(RETURN_NOTE)
    page.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    page.get_by_role("button", name="Kembalikan untuk diperbaiki").wait_for(state="detached")
    p.refresh_from_db()
    assert (p.tahap, p.versi) == (T.PENGUKURAN, 2)

    # Rendatin sees the note and measures again with a manual capaian for IK.2.
    page = device(org.rendatin)
    open_measurement(page, label)
    assert f"Dikembalikan oleh Sekretaris (versi 1): {RETURN_NOTE}" in text_of(page)
    page.get_by_label("Capaian manual IK.2", exact=True).fill("100")
    page.get_by_label("Alasan capaian manual IK.2").fill("Capaian dibatasi 100% sesuai pedoman.")
    shot(page, "ukur-ulang")
    page.get_by_role("button", name="Hitung dan simpan pengukuran").click()
    page.get_by_role("button", name="Rekap selesai").click()
    page.get_by_role("button", name="Laporkan draf").click()
    page.get_by_role("button", name="Laporkan draf").wait_for(state="detached")
    page = device(org.kasubag_rendatin)
    open_measurement(page, label)
    page.get_by_role("button", name="Kirim ke Sekretaris").click()
    page.get_by_role("button", name="Kirim ke Sekretaris").wait_for(state="detached")

    # Step 9 again, and 10: the Sekretaris approves; the version is archived.
    page = device(org.sekretaris)
    open_measurement(page, label)
    page.get_by_label("Catatan (opsional)").fill("Disetujui.")
    page.get_by_role("button", name="Setujui dan arsipkan").click()
    page.get_by_text("Hasil pengukuran disetujui; dokumennya diarsipkan.").wait_for()
    versions = page.locator("#versi").inner_text()
    assert "Versi 1 — Dikembalikan" in versions and "Versi 2 — Disetujui" in versions
    assert RETURN_NOTE in versions
    shot(page, "disetujui")

    p.refresh_from_db()
    assert p.tahap == T.DISETUJUI
    assert list(VersiPengukuran.objects.order_by("versi").values_list("versi", "keputusan")) == [
        (1, KeputusanVersi.DIKEMBALIKAN),
        (2, KeputusanVersi.DISETUJUI),
    ]
    row = p.baris_set.get(indikator=k.volume)
    assert (row.capaian_manual, row.alasan_manual) == (100, "Capaian dibatasi 100% sesuai pedoman.")


def test_the_incomplete_count_follows_the_fields_while_they_are_filled(demo, page, login, shot):
    """Issue 12, item 14b: "N indikator belum berisi …" was the count as saved; it now falls (and rises) as the
    realisations and notes are typed, and goes when none is left, before anything is saved."""
    from rekap.pengukuran.models import BarisPengukuran
    from tests.pengukuran.test_services import form_of, sampai

    org = demo
    measurement = sampai(org, T.PENGUMPULAN)
    form = form_of(measurement, org.kul)
    rows = list(BarisPengukuran.objects.filter(form=form).order_by("pk"))
    assert len(rows) >= 2
    # nothing proposed or typed yet
    BarisPengukuran.objects.filter(form=form).update(realisasi=None, keterangan="")
    login(page, org.kasubag)
    page.goto(f"/pengukuran/{measurement.pk}/form/{form.pk}/")
    hint = page.locator("#belum-lengkap")

    def count() -> str:
        return hint.locator("[data-jumlah]").inner_text()

    assert hint.is_visible() and count() == str(len(rows))
    first = page.locator(f"#baris-{rows[0].pk}")
    first.get_by_label(re.compile(r"^Realisasi \(")).fill("8")
    assert count() == str(len(rows) - 1)
    second = page.locator(f"#baris-{rows[1].pk}")
    second.get_by_label(re.compile(r"^Keterangan")).fill("Belum ada kegiatan pada triwulan ini.")
    assert count() == str(len(rows) - 2)
    first.get_by_label(re.compile(r"^Realisasi \(")).fill("")  # emptied again: counted again
    assert count() == str(len(rows) - 1)
    first.get_by_label(re.compile(r"^Realisasi \(")).fill("8")
    for row in rows[2:]:
        page.locator(f"#baris-{row.pk}").get_by_label(re.compile(r"^Realisasi \(")).fill("1")
    assert hint.is_hidden()
    shot(page, "form-lengkap")
    saved = BarisPengukuran.objects.filter(form=form, realisasi__isnull=False)
    assert not saved.exists()  # the count followed the fields; nothing was saved
