"""A Bontang person reads her entry's "Dicatat" in WITA, her satker's zone, with its label (issue 12, item 1)."""

import datetime

from kinerja.models import EntriKinerja

from .helpers import make_entri

# 16:30 UTC on 3 December is already 00:30 on Friday 4 December in Bontang (WITA, UTC+8).
RECORDED = datetime.datetime(2026, 12, 3, 16, 30, tzinfo=datetime.UTC)


def test_a_bontang_entry_reads_dicatat_in_wita(page, demo, login, shot):
    bontang = demo.outsider
    entri = make_entri(demo, bontang, 4, nama_kegiatan="Pemutakhiran data pemilih Bontang")
    EntriKinerja.objects.filter(pk=entri.pk).update(dibuat=RECORDED)

    login(page, bontang)
    page.goto(f"/kinerja/entri/{entri.pk}/")
    dicatat = page.locator("dt", has_text="Dicatat").locator("xpath=following-sibling::dd[1]")
    assert dicatat.inner_text().startswith("4 Desember 2026 00:30 WITA"), dicatat.inner_text()
    assert "16:30" not in page.content()
    shot(page, "dicatat-wita")
