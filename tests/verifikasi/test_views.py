"""The verifier's pages (SOP step 3): the queue, the review page with its htmx decisions, verify and reopen.

The month under test is October of last year, always under verification.
"""

import datetime
import html
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.kalender import working_days
from kinerja.models import AuditLog, BuktiDukung, EntriKinerja, StatusEntri
from silabu.lib.dates import month_bounds
from tests.conftest import make_pegawai
from verifikasi import services
from verifikasi.models import LaporanBulanan, StatusLaporan

D = datetime.date
HTMX = {"HX-Request": "true"}


def october(org) -> tuple[int, int]:
    return min(org.kode_years), 10


def make_entri(org, pegawai=None, *, day=1, month=10, **fields) -> EntriKinerja:
    pegawai = pegawai or org.asn
    year = october(org)[0]
    values = {
        "satker": pegawai.satker,
        "pegawai": pegawai,
        "tanggal": D(year, month, day),
        "kode_output": org.kode_years[year],
        "nama_kegiatan": "Rekonsiliasi BMN",
        "output_hasil": "Berita acara rekonsiliasi",
    }
    values.update(fields)
    return EntriKinerja.objects.create(**values)


def add_bukti(entri: EntriKinerja, n: int = 1) -> None:
    # Rows only: the pages link to the evidence view and never open the files.
    for i in range(n):
        BuktiDukung.objects.create(
            entri=entri,
            berkas=f"bukti/test/{entri.pk}-{i}.pdf",
            nama_asli=f"Berita acara {i}.pdf",
            content_type="application/pdf",
            ukuran=4,
            sha256="0" * 64,
        )


def url(name: str, org, *extra) -> str:
    """A page of org.asn's October."""
    return reverse(f"verifikasi:{name}", args=[org.asn.pk, *october(org), *extra])


def queue_url(org) -> str:
    year, month = october(org)
    return f"{reverse('verifikasi:antrean')}?tahun={year}&bulan={month}"


def status_of(entri: EntriKinerja) -> str:
    entri.refresh_from_db()
    return entri.status


def texts(body: str) -> str:
    """The page's text without tags and with collapsed spaces, for asserting what a person reads."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


# --- permissions ------------------------------------------------------------------------------------------


@pytest.fixture
def urls(org):
    entri = make_entri(org)
    make_entri(org, day=2, status=StatusEntri.DISETUJUI)
    services.laporan_for(org.asn, *october(org))
    return {
        "antrean": queue_url(org),
        "periksa": url("periksa", org),
        "setujui": url("setujui", org, entri.pk),
        "kembalikan": url("kembalikan", org, entri.pk),
        "setujui_semua": url("setujui_semua", org),
        "verifikasi": url("verifikasi", org),
        "buka_kembali": url("buka_kembali", org),
    }


REVIEW = ["periksa", "setujui", "kembalikan", "setujui_semua", "verifikasi", "buka_kembali"]
POST_ONLY = ["setujui", "kembalikan", "setujui_semua"]


@pytest.mark.parametrize("name", ["antrean", *REVIEW])
def test_anonymous_is_sent_to_login(client, urls, name):
    for response in (client.get(urls[name]), client.post(urls[name])):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "attr", ["asn", "colleague", "teknis_staff", "rendatin", "pimpinan", "admin", "outsider"]
)
def test_queue_is_forbidden_to_people_who_verify_nobody(org, login, attr):
    response = login(getattr(org, attr)).get(queue_url(org))
    assert response.status_code == 403
    assert "Antrean verifikasi hanya untuk" in response.content.decode()


@pytest.mark.parametrize("name", REVIEW)
def test_asn_on_their_own_review_urls_gets_403(urls, org, login, name):
    client = login(org.asn)
    for response in (client.get(urls[name]), client.post(urls[name], {"catatan": "x", "alasan": "x"})):
        assert response.status_code == 403
        assert "data kinerja Anda sendiri" in response.content.decode()
    assert set(EntriKinerja.objects.values_list("status", flat=True)) == {"diajukan", "disetujui"}


@pytest.mark.parametrize(
    "attr", ["colleague", "other_kasubag", "teknis_staff", "pimpinan", "admin", "outsider"]
)
@pytest.mark.parametrize("name", REVIEW)
def test_people_who_may_not_see_the_month_get_404(urls, org, login, attr, name):
    client = login(getattr(org, attr))
    assert client.get(urls[name]).status_code == 404
    assert client.post(urls[name], {"catatan": "x", "alasan": "x"}).status_code == 404
    assert EntriKinerja.objects.filter(status=StatusEntri.DIAJUKAN).count() == 1
    assert LaporanBulanan.objects.get().status == StatusLaporan.BELUM


@pytest.mark.parametrize("name", POST_ONLY)
def test_get_on_post_only_urls_is_405(urls, org, login, name):
    assert login(org.kasubag).get(urls[name]).status_code == 405
    assert EntriKinerja.objects.filter(status=StatusEntri.DIAJUKAN).count() == 1


@pytest.mark.parametrize("name", ["antrean", "periksa", "verifikasi"])
def test_kasubag_opens_the_pages(urls, org, login, name):
    assert login(org.kasubag).get(urls[name]).status_code == 200


@pytest.mark.parametrize("attr", ["sekretaris", "rendatin", "kasubag_rendatin"])
def test_sekretaris_and_rendatin_read_the_review_page_without_deciding(urls, org, login, attr):
    client = login(getattr(org, attr))
    response = client.get(urls["periksa"])
    assert response.status_code == 200
    assert response.context["can_decide"] is False
    body = response.content.decode()
    assert "tanpa hak memberi keputusan" in body
    assert urls["setujui"] not in body
    assert client.get(urls["verifikasi"]).status_code == 404
    client.post(urls["setujui"])
    client.post(urls["setujui_semua"])
    assert EntriKinerja.objects.filter(status=StatusEntri.DIAJUKAN).count() == 1


def test_reopen_page_is_only_for_the_sekretaris(urls, org, login):
    assert login(org.kasubag).get(urls["buka_kembali"]).status_code == 404
    assert login(org.sekretaris).get(urls["buka_kembali"]).status_code == 200


def test_review_of_an_unknown_month_or_person_is_404(org, login):
    client = login(org.kasubag)
    assert client.get(reverse("verifikasi:periksa", args=[org.asn.pk, 2025, 13])).status_code == 404
    assert client.get(reverse("verifikasi:periksa", args=[987654, 2025, 10])).status_code == 404


def test_entry_of_another_person_through_this_month_is_404(org, login):
    colleagues = make_entri(org, org.colleague)
    client = login(org.kasubag)
    assert client.post(url("setujui", org, colleagues.pk)).status_code == 404
    assert client.post(url("setujui", org, colleagues.pk), headers=HTMX).status_code == 404
    assert status_of(colleagues) == StatusEntri.DIAJUKAN


# --- per-entry decisions ----------------------------------------------------------------------------------


def test_kasubag_approves_an_entry_without_javascript(org, login):
    entri = make_entri(org)
    response = login(org.kasubag).post(url("setujui", org, entri.pk))
    assert response.status_code == 302
    assert response["Location"] == f"{url('periksa', org)}#entri-{entri.pk}"
    assert status_of(entri) == StatusEntri.DISETUJUI
    assert AuditLog.objects.filter(action="entri_keputusan", object_id=entri.pk, ke="disetujui").exists()


def test_kasubag_approves_an_entry_with_htmx(org, login):
    entri = make_entri(org)
    add_bukti(entri)
    make_entri(org, day=2)
    make_entri(org, day=3, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Foto kurang jelas")
    response = login(org.kasubag).post(url("setujui", org, entri.pk), headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body  # a partial, not the page
    row = body[: body.index('id="ringkasan"')]
    assert f'id="entri-{entri.pk}"' in row
    assert '<span class="badge text-bg-success">Disetujui</span>' in row
    assert url("setujui", org, entri.pk) not in row  # no more buttons on an approved entry
    assert "Berita acara 0.pdf" in row
    assert '<div id="ringkasan" hx-swap-oob="true"' in body
    summary = texts(body[body.index('id="ringkasan"') :])
    assert "3 entri" in summary
    assert "1 menunggu" in summary and "1 disetujui" in summary and "1 dikembalikan" in summary
    assert status_of(entri) == StatusEntri.DISETUJUI


def test_htmx_decision_refreshes_the_action_bar(org, login):
    first, second = make_entri(org), make_entri(org, day=2)
    client = login(org.kasubag)
    body = client.post(url("setujui", org, first.pk), headers=HTMX).content.decode()
    assert '<div id="tindakan" hx-swap-oob="true"' in body
    bar = texts(body[body.index('id="tindakan"') :])
    assert "Setujui semua yang tersisa (1)" in bar
    assert "Verifikasi bulan ini" not in bar
    body = client.post(url("setujui", org, second.pk), headers=HTMX).content.decode()
    bar = body[body.index('id="tindakan"') :]
    assert "Setujui semua yang tersisa" not in bar
    assert f'href="{url("verifikasi", org)}">Verifikasi bulan ini</a>' in bar


def test_kasubag_returns_an_entry_with_a_note_through_htmx(org, login):
    entri = make_entri(org)
    response = login(org.kasubag).post(
        url("kembalikan", org, entri.pk), {"catatan": "Lampirkan daftar hadir"}, headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert '<span class="badge text-bg-danger">Dikembalikan</span>' in body
    assert "Catatan: Lampirkan daftar hadir" in body
    assert "0 menunggu" in texts(body) and "1 dikembalikan" in texts(body)
    entri.refresh_from_db()
    assert (entri.status, entri.catatan_verifikasi) == (StatusEntri.DIKEMBALIKAN, "Lampirkan daftar hadir")


def test_return_without_a_note_through_htmx_is_422_and_changes_nothing(org, login):
    entri = make_entri(org)
    response = login(org.kasubag).post(url("kembalikan", org, entri.pk), {"catatan": "  "}, headers=HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Tulis catatan untuk pegawai" in body
    assert f'id="entri-{entri.pk}"' in body
    entri.refresh_from_db()
    assert (entri.status, entri.catatan_verifikasi) == (StatusEntri.DIAJUKAN, "")
    assert not AuditLog.objects.filter(action="entri_keputusan").exists()


def test_return_without_a_note_without_javascript_shows_the_message(org, login):
    entri = make_entri(org)
    response = login(org.kasubag).post(url("kembalikan", org, entri.pk), {"catatan": ""}, follow=True)
    assert response.status_code == 200
    assert "Tulis catatan untuk pegawai" in response.content.decode()
    assert status_of(entri) == StatusEntri.DIAJUKAN


def test_htmx_decision_on_an_entry_of_another_month_is_refused_cleanly(org, login):
    september = make_entri(org, day=30, month=9)
    response = login(org.kasubag).post(url("setujui", org, september.pk), headers=HTMX)
    assert response.status_code == 404
    assert status_of(september) == StatusEntri.DIAJUKAN


def test_decision_on_an_entry_of_another_month_without_javascript_is_refused(org, login):
    september = make_entri(org, day=30, month=9)
    response = login(org.kasubag).post(url("setujui", org, september.pk))
    assert response.status_code == 404
    assert status_of(september) == StatusEntri.DIAJUKAN


def test_kasubag_approves_all_remaining(org, login):
    pending = [make_entri(org, day=d) for d in (1, 2, 3)]
    returned = make_entri(org, day=6, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="x")
    client = login(org.kasubag)
    page = client.get(url("periksa", org)).content.decode()
    assert "Setujui semua yang tersisa (3)" in page
    response = client.post(url("setujui_semua", org))
    assert response.status_code == 302 and response["Location"] == url("periksa", org)
    assert [status_of(e) for e in pending] == [StatusEntri.DISETUJUI] * 3
    assert status_of(returned) == StatusEntri.DIKEMBALIKAN
    assert "3 entri disetujui." in client.get(url("periksa", org)).content.decode()


# --- verifying the month ----------------------------------------------------------------------------------


def test_kasubag_verifies_the_month_after_a_confirmation(org, login):
    make_entri(org, day=1, status=StatusEntri.DISETUJUI)
    make_entri(org, day=2, status=StatusEntri.DISETUJUI)
    client = login(org.kasubag)
    review = client.get(url("periksa", org)).content.decode()
    assert url("verifikasi", org) in review  # the button shows once everything is approved
    confirm = client.get(url("verifikasi", org))
    assert confirm.status_code == 200
    assert "Ya, verifikasi" in confirm.content.decode()
    assert LaporanBulanan.objects.filter(status=StatusLaporan.TERVERIFIKASI).count() == 0

    response = client.post(url("verifikasi", org), {"catatan": "Sesuai indikator kinerja"})

    assert response.status_code == 302 and response["Location"] == queue_url(org)
    laporan = LaporanBulanan.objects.get(pegawai=org.asn)
    assert (laporan.status, laporan.verifikator, laporan.catatan) == (
        StatusLaporan.TERVERIFIKASI,
        org.kasubag,
        "Sesuai indikator kinerja",
    )
    assert AuditLog.objects.filter(action="laporan_diverifikasi", object_id=laporan.pk).exists()
    queue = client.get(response["Location"])
    row = next(r for r in queue.context["rows"] if r.pegawai == org.asn)
    assert row.verified
    assert "terverifikasi." in queue.content.decode()
    assert '<span class="badge text-bg-success">Terverifikasi</span>' in queue_row(queue, org.asn)
    review = client.get(url("periksa", org)).content.decode()
    assert "Sesuai indikator kinerja" in review and "Bulan diverifikasi" in review


def test_verify_with_pending_entries_is_refused_with_the_counts(org, login):
    make_entri(org, day=1)
    make_entri(org, day=2, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="x")
    client = login(org.kasubag)
    assert url("verifikasi", org) not in client.get(url("periksa", org)).content.decode()
    response = client.post(url("verifikasi", org), follow=True)
    assert "1 entri menunggu keputusan dan 1 entri dikembalikan" in response.content.decode()
    assert not LaporanBulanan.objects.filter(status=StatusLaporan.TERVERIFIKASI).exists()


@pytest.mark.parametrize(
    "statuses, says",
    [
        ((StatusEntri.DIAJUKAN,), "Masih ada 1 entri menunggu keputusan; selesaikan"),
        ((StatusEntri.DIKEMBALIKAN,), "Masih ada 1 entri dikembalikan; selesaikan"),
        (
            (StatusEntri.DIAJUKAN, StatusEntri.DIKEMBALIKAN),
            "Masih ada 1 entri menunggu keputusan dan 1 entri dikembalikan; selesaikan",
        ),
    ],
)
def test_verify_confirmation_states_the_real_counts_and_offers_no_button_while_unresolved(
    org, login, statuses, says
):
    approved = [make_entri(org, day=d, status=StatusEntri.DISETUJUI) for d in (1, 2)]
    for day, status in enumerate(statuses, 5):
        make_entri(org, day=day, status=status, catatan_verifikasi="x")
    response = login(org.kasubag).get(url("verifikasi", org))
    assert response.status_code == 200
    page = texts(response.content.decode())
    pending = statuses.count(StatusEntri.DIAJUKAN)
    returned = statuses.count(StatusEntri.DIKEMBALIKAN)
    total = len(approved) + len(statuses)
    assert f"{total} entri: 2 disetujui, {pending} menunggu keputusan, {returned} dikembalikan" in page
    assert says in page
    assert "Ya, verifikasi" not in page and 'name="catatan"' not in response.content.decode()
    assert not LaporanBulanan.objects.filter(status=StatusLaporan.TERVERIFIKASI).exists()


def test_verify_page_of_a_verified_month_is_404(org, login):
    make_entri(org, status=StatusEntri.DISETUJUI)
    services.laporan_verify(laporan=services.laporan_for(org.asn, *october(org)), by=org.kasubag)
    client = login(org.kasubag)
    assert client.get(url("verifikasi", org)).status_code == 404
    response = client.post(url("verifikasi", org), follow=True)
    assert "sudah diverifikasi" in response.content.decode()
    assert AuditLog.objects.filter(action="laporan_diverifikasi").count() == 1


# --- reopening ----------------------------------------------------------------------------------------


@pytest.fixture
def verified(org):
    entries = [make_entri(org, day=d, status=StatusEntri.DISETUJUI) for d in (1, 2)]
    laporan = services.laporan_verify(laporan=services.laporan_for(org.asn, *october(org)), by=org.kasubag)
    return laporan, entries


def test_sekretaris_sees_the_reopen_button_and_the_kasubag_does_not(verified, org, login):
    assert url("buka_kembali", org) in login(org.sekretaris).get(url("periksa", org)).content.decode()
    assert url("buka_kembali", org) not in login(org.kasubag).get(url("periksa", org)).content.decode()


def test_kasubag_cannot_post_a_reopen(verified, org, login):
    laporan, entries = verified
    assert login(org.kasubag).post(url("buka_kembali", org), {"alasan": "Koreksi"}).status_code == 404
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.TERVERIFIKASI


def test_reopen_without_a_reason_returns_the_form_and_changes_nothing(verified, org, login):
    laporan, entries = verified
    response = login(org.sekretaris).post(url("buka_kembali", org), {"alasan": "  "})
    assert response.status_code == 200
    assert "Tuliskan alasan membuka kembali verifikasi." in response.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.TERVERIFIKASI
    assert [status_of(e) for e in entries] == [StatusEntri.DISETUJUI] * 2
    assert not AuditLog.objects.filter(action="laporan_dibuka_kembali").exists()


def test_sekretaris_reopens_with_a_reason(verified, org, login):
    laporan, entries = verified
    client = login(org.sekretaris)
    assert client.get(url("buka_kembali", org)).status_code == 200
    response = client.post(url("buka_kembali", org), {"alasan": "Kode output keliru"})
    assert response.status_code == 302 and response["Location"] == url("periksa", org)
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.BELUM
    assert [status_of(e) for e in entries] == [StatusEntri.DIAJUKAN] * 2
    assert AuditLog.objects.filter(action="laporan_dibuka_kembali", catatan="Kode output keliru").exists()
    page = login(org.kasubag).get(url("periksa", org))
    assert page.context["can_decide"] is True
    assert "Verifikasi dibuka kembali" in page.content.decode()


# --- the queue ------------------------------------------------------------------------------------------


def queue_row(response, pegawai) -> str:
    """The HTML of the person's row in the queue table."""
    body = response.content.decode()
    tbody = body[body.index("<tbody>") : body.index("</tbody>")]
    return next(tr for tr in tbody.split("</tr>") if f">{html.escape(pegawai.nama)}</a>" in tr)


def test_queue_lists_the_kasubags_staff_with_their_counts(org, login):
    make_entri(org, day=1)
    make_entri(org, day=2, status=StatusEntri.DISETUJUI)
    make_entri(org, day=2, status=StatusEntri.DISETUJUI)
    make_entri(org, day=3, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="x")
    make_entri(org, org.colleague, day=1, filled_late=True)
    make_entri(org, org.teknis_staff, day=1)  # another Kasubag's staff

    response = login(org.kasubag).get(queue_url(org))

    assert response.status_code == 200
    assert [r.pegawai for r in response.context["rows"]] == [org.asn, org.colleague]
    expected = len(working_days(org.kudus, *month_bounds(*october(org))))
    cells = [texts(c) for c in re.findall(r'<td class="text-end">(.*?)</td>', queue_row(response, org.asn))]
    # Entri | Hari terisi | Terlambat | Menunggu | Disetujui | Dikembalikan
    assert cells[0] == "4"
    assert cells[1].startswith(f"3/{expected}")
    assert cells[2:] == ["0", "1", "2", "1"]
    assert "Menunggu perbaikan" in queue_row(response, org.asn)
    colleague = [
        texts(c) for c in re.findall(r'<td class="text-end">(.*?)</td>', queue_row(response, org.colleague))
    ]
    assert colleague[0] == "1" and colleague[1].startswith(f"1/{expected}")
    assert colleague[2:] == ["1", "1", "0", "0"]
    assert "Belum diperiksa" in queue_row(response, org.colleague)
    assert org.teknis_staff.nama not in response.content.decode()


def test_queue_links_the_subbagian_softfile(org, login):
    make_entri(org, day=1)
    body = login(org.kasubag).get(queue_url(org)).content.decode()
    year, month = october(org)
    subbagian = org.asn.subbagian
    for fmt in ("pdf", "xlsx"):
        assert reverse("verifikasi:softfile_subbagian", args=[subbagian.pk, year, month, fmt]) in body
    assert f"/subbagian/{org.teknis_staff.subbagian_id}/" not in body


def test_queue_marks_a_month_ready_to_verify(org, login):
    make_entri(org, status=StatusEntri.DISETUJUI)
    response = login(org.kasubag).get(queue_url(org))
    assert "Siap diverifikasi" in queue_row(response, org.asn)


def test_sekretaris_queue_lists_the_kasubags(org, login):
    response = login(org.sekretaris).get(queue_url(org))
    assert response.status_code == 200
    assert {r.pegawai for r in response.context["rows"]} == {
        org.kasubag,
        org.other_kasubag,
        org.kasubag_rendatin,
    }
    # HUKUM has no Kasubag in the fixture and nobody acts for the post: its staff have no verifier.
    assert org.admin not in {r.pegawai for r in response.context["rows"]}


def test_queue_defaults_to_last_month_and_survives_a_bad_month(org, login):
    client = login(org.kasubag)
    assert client.get(reverse("verifikasi:antrean")).status_code == 200
    response = client.get(reverse("verifikasi:antrean"), {"tahun": "x", "bulan": "13"})
    assert response.status_code == 200


# --- query counts ---------------------------------------------------------------------------------------


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def fill_month(org, pegawai, entries: int) -> None:
    """A month as the verifier finds it: decisions of every kind, evidence, a late entry and a laporan."""
    statuses = [StatusEntri.DIAJUKAN, StatusEntri.DISETUJUI, StatusEntri.DIKEMBALIKAN]
    for i in range(entries):
        entri = make_entri(
            org,
            pegawai,
            day=1 + i % 28,
            status=statuses[i % 3],
            catatan_verifikasi="Perbaiki" if i % 3 == 2 else "",
            filled_late=i % 5 == 0,
        )
        add_bukti(entri, 1 + i % 2)
    services.laporan_for(pegawai, *october(org))


def test_queue_query_count_does_not_grow_with_staff(org, login):
    client = login(org.kasubag)
    for person in (org.asn, org.colleague):
        fill_month(org, person, 3)
    few = count_queries(client, queue_url(org))
    for i in range(6):
        fill_month(org, make_pegawai(org.kudus, org.kul, nama=f"Staf KUL {i}"), 3)
    response = client.get(queue_url(org))
    assert len(response.context["rows"]) == 8
    many = count_queries(client, queue_url(org))
    assert few == many
    assert many <= 20


def test_review_query_count_does_not_grow_with_entries(org, login):
    client = login(org.kasubag)
    fill_month(org, org.asn, 5)
    few = count_queries(client, url("periksa", org))
    fill_month(org, org.asn, 35)
    assert EntriKinerja.objects.filter(pegawai=org.asn).count() == 40
    many = count_queries(client, url("periksa", org))
    assert few == many
    assert many <= 20


def test_htmx_decision_query_count_does_not_grow_with_entries(org, login):
    client = login(org.kasubag)
    fill_month(org, org.asn, 5)
    first, second = EntriKinerja.objects.filter(status=StatusEntri.DIAJUKAN).order_by("pk")[:2]
    ContentType.objects.get_for_model(EntriKinerja)  # the audit row's content type, cached after first use
    with CaptureQueriesContext(connection) as few:
        assert client.post(url("setujui", org, first.pk), headers=HTMX).status_code == 200
    fill_month(org, org.asn, 35)
    with CaptureQueriesContext(connection) as many:
        assert client.post(url("setujui", org, second.pk), headers=HTMX).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)
