"""Accessibility in the real browser (issue 6): axe-core on every key page, errors announced at their field,
a sensible focus order.

axe-core is the npm package (package.json, installed by `make install` into node_modules/); it is injected into
each page (evaluated through the DevTools protocol, beside the Content-Security-Policy) and run with its default
rules (WCAG 2.x A and AA, best practices). A page passes with no serious or critical violation; moderate and minor
ones are printed in the table too.
"""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from demo.kinerja import DEMO_PASSWORD
from kinerja.models import EntriKinerja, Satker
from rekap.models import RekapBulanan
from silabu.lib.dates import shift_month

from .conftest import VIEWPORTS, assert_no_csp_violation, watch_csp

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = json.loads((AXE.parent / "package.json").read_text())["version"] if AXE.exists() else "?"
BLOCKING = ("critical", "serious")

RUN_AXE = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    summary: v.nodes.length ? v.nodes[0].failureSummary : '',
    count: v.nodes.length,
  }));
}
"""

POSITIVE_TABINDEX = "() => [...document.querySelectorAll('[tabindex]')].filter((e) => e.tabIndex > 0).length"


def _staff(satker, singkatan):
    sub = satker.subbagian_set.get(singkatan=singkatan)
    return sub.pegawai_set.exclude(pk=sub.kasubag_id).select_related("user").order_by("nama").first()


def key_pages() -> list[tuple[str, object, str]]:
    """(page, who opens it, path) for the seeded demo: Kudus for the monthly SOP, Bontang for the measurement."""
    from rekap.pengukuran.models import FormDataKinerja, Pengukuran, TahapPengukuran

    kudus = Satker.objects.get(kode="kudus")
    asn = _staff(kudus, "KUL")
    kasubag = kudus.subbagian_set.get(singkatan="KUL").kasubag
    rendatin = _staff(kudus, "RENDATIN")
    today = kudus.today()
    last_year, last_month = shift_month(today.year, today.month, -1)
    entri = EntriKinerja.objects.filter(pegawai=asn).order_by("-tanggal").first()
    # the month waiting for its plenary (compiled by the demo), else the latest compiled one
    rekap = RekapBulanan.objects.filter(satker=kudus).order_by("-tahun", "-bulan").first()
    ry, rm = rekap.tahun, rekap.bulan

    bontang = Satker.objects.get(kode="bontang")
    rendatin_bontang = _staff(bontang, "RENDATIN")
    measured = Pengukuran.objects.filter(satker=bontang, tahap=TahapPengukuran.PENGUKURAN).first()
    collecting = Pengukuran.objects.get(satker=bontang, tahap=TahapPengukuran.PENGUMPULAN)
    open_form = (
        FormDataKinerja.objects.filter(pengukuran=collecting, diserahkan_pada__isnull=True)
        .select_related("subbagian__kasubag")
        .order_by("subbagian__urutan")
        .first()
    )
    return [
        ("Masuk", None, reverse("login")),
        ("Beranda ASN", asn, reverse("home")),
        ("Isi kinerja", asn, reverse("kinerja:entri_create")),
        ("Detail entri", asn, reverse("kinerja:entri_detail", args=[entri.pk])),
        ("Bulan saya", asn, reverse("kinerja:bulan_saya_now")),
        ("Entri di ponsel", asn, reverse("kinerja:antrean")),
        ("Daftar entri", asn, reverse("kinerja:entri_list")),
        ("Beranda Kasubag", kasubag, reverse("home")),
        ("Antrean verifikasi", kasubag, reverse("verifikasi:antrean")),
        ("Periksa bulan", kasubag, reverse("verifikasi:periksa", args=[asn.pk, last_year, last_month])),
        ("Papan rekap", rendatin, reverse("rekap:papan")),
        ("Rekap bulan", rendatin, reverse("rekap:bulan", args=[ry, rm])),
        ("Rapat pleno", rendatin, reverse("rekap:pleno", args=[ry, rm])),
        ("Presentasi", rendatin, reverse("rekap:presentasi", args=[ry, rm])),
        ("Pengukuran", rendatin_bontang, reverse("pengukuran:daftar")),
        ("Pengukuran detail", rendatin_bontang, reverse("pengukuran:detail", args=[measured.pk])),
        (
            "Isi form data kinerja",
            open_form.subbagian.kasubag,
            reverse("pengukuran:form", args=[collecting.pk, open_form.pk]),
        ),
    ]


def run_axe(page) -> list[dict]:
    # The pages' Content-Security-Policy refuses inline scripts, and add_script_tag inserts one: axe-core's source
    # is evaluated through the DevTools protocol instead, which the policy does not govern. axe then sets inline
    # styles of its own while it measures (refused, and reported on the console): those reports are axe's, not the
    # page's, and are dropped; what the page itself reported before axe ran stays for the journey's CSP check.
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)
    reports = page.csp_violations
    own = len(reports)
    page.evaluate(AXE.read_text() + "\n;void 0")
    violations = page.evaluate(RUN_AXE)
    page.wait_for_timeout(200)
    del reports[own:]
    return violations


def print_table(rows, capsys) -> None:
    lines = [
        "",
        f"axe-core {AXE_VERSION}: pelanggaran per halaman (kritis/serius/sedang/ringan)",
        f"  {'halaman':<24} {'layar':<8} {'krit':>4} {'ser':>4} {'sed':>4} {'ring':>4}  aturan",
    ]
    for name, viewport, status, violations in rows:
        count = {
            i: sum(1 for v in violations if v["impact"] == i)
            for i in ("critical", "serious", "moderate", "minor")
        }
        rules = ", ".join(f"{v['id']}({v['impact'][0]}×{v['count']})" for v in violations) or "—"
        lines.append(
            f"  {name:<24} {viewport:<8} {count['critical']:>4} {count['serious']:>4} {count['moderate']:>4} "
            f"{count['minor']:>4}  {rules}" + ("" if status == 200 else f"  [HTTP {status}]")
        )
    with capsys.disabled():
        print("\n".join(lines))


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_key_pages_have_no_serious_or_critical_axe_violations(
    browser, live_server, seed_demo, viewport, capsys
):
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (make install)"
    from .conftest import login

    rows, blocking, tabindex = [], [], []
    contexts = {}
    try:
        for name, who, path in key_pages():
            key = who.pk if who is not None else None
            if key not in contexts:
                context = browser.new_context(
                    viewport=VIEWPORTS[viewport],
                    base_url=live_server.url,
                    locale="id-ID",
                    is_mobile=viewport == "phone",
                    has_touch=viewport == "phone",
                )
                context.set_default_timeout(15_000)
                page = watch_csp(context.new_page())
                if who is not None:
                    login(page, who, DEMO_PASSWORD)
                contexts[key] = (context, page)
            page = contexts[key][1]
            response = page.goto(path)
            page.wait_for_load_state()
            violations = run_axe(page)
            rows.append((name, viewport, response.status, violations))
            if response.status != 200:
                blocking.append(f"{name}: HTTP {response.status}")
            blocking += [
                f"{name}: {v['id']} ({v['impact']}) {v['help']} — {', '.join(v['nodes'])}\n    {v['summary']}"
                for v in violations
                if v["impact"] in BLOCKING
            ]
            if page.evaluate(POSITIVE_TABINDEX):
                tabindex.append(name)
    finally:
        for context, _page in contexts.values():
            context.close()
    print_table(rows, capsys)
    assert_no_csp_violation([page for _context, page in contexts.values()])
    assert not blocking, "\n".join(blocking)
    assert not tabindex, f"positive tabindex breaks the focus order on: {tabindex}"


@pytest.mark.parametrize("javascript", [True, False], indirect=True, ids=["js", "no-js"])
def test_entry_form_errors_are_announced_next_to_their_field(page, demo, login):
    """An incomplete entry: one alert at the top lists the problems, each linked to its field; every message also
    sits under its field, which says it is invalid and points at the message (aria-describedby)."""
    login(page, demo.asn)
    page.goto(reverse("kinerja:entri_create"))
    page.get_by_label("Jam mulai").fill("10:00")
    page.get_by_label("Jam selesai").fill("09:00")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_load_state()

    summary = page.get_by_role("alert").filter(has_text="Belum tersimpan. Periksa isian berikut:")
    summary.wait_for()  # with JavaScript the form is sent through the phone's queue (issue 18): no page load
    assert summary.is_visible()
    expected = {"kode_output", "nama_kegiatan", "output_hasil", "jam_selesai"}
    linked = {a.get_attribute("href").removeprefix("#id_") for a in summary.get_by_role("link").all()}
    assert linked == expected

    invalid = page.locator("[aria-invalid=true]")
    assert {invalid.nth(i).get_attribute("name") for i in range(invalid.count())} == expected
    for name in sorted(expected):
        field = page.locator(f"[name={name}]")
        ref = field.get_attribute("aria-describedby").split()[0]
        message = page.locator(f"#{ref}.invalid-feedback")
        assert message.is_visible(), name
        # next to the field: inside the same field wrapper as the control
        assert field.evaluate("(el, id) => el.closest('.mb-3').contains(document.getElementById(id))", ref), (
            name
        )
    jam_selesai = page.get_by_label("Jam selesai")
    message = page.locator("#" + jam_selesai.get_attribute("aria-describedby").split()[0])
    assert message.inner_text().strip() == "Jam selesai tidak boleh sebelum jam mulai."
    # following the summary's link puts the cursor in the field
    summary.get_by_role("link", name="Nama kegiatan/pekerjaan").click()
    assert page.evaluate("document.activeElement.id") == "id_nama_kegiatan"


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_entry_form_focus_order_follows_the_form(page, demo, login):
    """Tab from the top: the skip link first, then the form's fields in the order they are shown."""
    login(page, demo.asn)
    page.goto(reverse("kinerja:entri_create"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Langsung ke konten"
    page.keyboard.press("Enter")
    order = []
    for _ in range(60):  # date and time inputs take one Tab per part (day, month, year; hour, minute)
        page.keyboard.press("Tab")
        ident = page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        if order and order[-1] == ident:
            continue
        assert ident not in order, f"focus came back to {ident} after {order}"
        order.append(ident)
        if ident == "Simpan & isi lagi":
            break
    expected = [
        "id_tanggal",
        "cari-kode",
        "id_kode_output",
        "id_nama_kegiatan",
        "id_output_hasil",
        "id_volume",
        "id_satuan",
        "id_jam_mulai",
        "id_jam_selesai",
        "id_foto",
        "id_berkas",
        "id_jenis_berkas",
        "Simpan",
        "Simpan & isi lagi",
    ]
    assert order == expected
