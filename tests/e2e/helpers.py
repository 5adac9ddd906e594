"""Data and page helpers shared by the journeys (the fixtures are in conftest.py)."""

import datetime
import re
from pathlib import Path

from PIL import Image

from kinerja.kalender import working_days
from kinerja.models import EntriKinerja, StatusEntri

D = datetime.date


def october(org) -> tuple[int, int]:
    """October of last year: always past its verification window, so always under verification (or later)."""
    return min(org.kode_years), 10


def make_entri(org, pegawai, day: int, *, status=StatusEntri.DIAJUKAN, **fields) -> EntriKinerja:
    """An entry in `pegawai`'s October of last year (past months take no new entries through the service)."""
    year, month = october(org)
    values = {
        "satker": pegawai.satker,
        "pegawai": pegawai,
        "tanggal": D(year, month, day),
        "kode_output": org.kode_years[year],
        "nama_kegiatan": "Rekonsiliasi BMN",
        "output_hasil": "Berita acara rekonsiliasi",
        "status": status,
    }
    values.update(fields)
    return EntriKinerja.objects.create(**values)


def october_working_days(org, n: int) -> list[int]:
    year, month = october(org)
    days = working_days(org.kudus, D(year, month, 1), D(year, month, 31))
    return [d.day for d in days[:n]]


def work_day(satker) -> datetime.date:
    """Today if it is a working day, else the latest working day of this month before it (or today on a weekend
    start of a month, when there is none)."""
    today = satker.today()
    days = working_days(satker, today.replace(day=1), today)
    return days[-1] if days else today


def jpeg(folder: Path, name: str = "foto-kegiatan.jpg", size=(640, 480)) -> Path:
    """A small real JPEG, as a phone camera would hand to the file input."""
    path = folder / name
    image = Image.new("RGB", size, (180, 30, 40))
    for x in range(0, size[0], 40):
        for y in range(0, size[1], 40):
            image.putpixel((x, y), (255, 255, 255))
    image.save(path, "JPEG", quality=80)
    return path


def text_of(page) -> str:
    """What the person reads on the page: its visible text, spaces collapsed."""
    return re.sub(r"\s+", " ", page.locator("body").inner_text())


def open_menu(page) -> None:
    """On a phone the navigation hides behind the "Menu" toggler: open it when it is shown."""
    toggler = page.get_by_role("button", name="Menu")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#menu.show").wait_for()


def nav(page, name: str) -> None:
    """Follow a link of the top navigation by its visible name, as a person would."""
    open_menu(page)
    page.locator("nav.navbar").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def verify_october(org, pegawai, days: int = 2):
    """The person's October: `days` approved entries (2 dokumen each), verified by their verifier."""
    from kinerja.organisasi import verifier_for
    from verifikasi import services as verifikasi

    for day in october_working_days(org, days):
        make_entri(
            org,
            pegawai,
            day,
            status=StatusEntri.DISETUJUI,
            nama_kegiatan=f"Kegiatan {pegawai.nama.split()[0]} {day}",
            volume=2,
            satuan="dokumen",
        )
    by = verifier_for(pegawai, org.kudus.today()).pegawai
    return verifikasi.laporan_verify(laporan=verifikasi.laporan_for(pegawai, *october(org)), by=by)


def october_staff(org) -> list:
    """Everyone whose October must be verified. The Hukum post has no Kasubag in the test office, so Joko (the
    admin) has no verifier: he leaves the office for these journeys."""
    org.admin.aktif = False
    org.admin.save()
    return [
        org.asn,
        org.colleague,
        org.kasubag,
        org.teknis_staff,
        org.other_kasubag,
        org.rendatin,
        org.kasubag_rendatin,
    ]
