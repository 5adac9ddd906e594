"""Rendatin's pages (SOP steps 4–6 in the browser): the board, a month, compile, the plenary record and its
finalisation, document requests and the archive; who may do what, and what each request leaves in the database.

The month under test is October of last year, always past its verification window. The real document generators
belong to another module; these tests register small fakes for the four kinds, so that asking for a document and
archiving at finalisation run through kinerja.document_store as they do in production.
"""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja import document_store as docs
from kinerja import services as core
from kinerja.models import (
    AuditLog,
    Dokumen,
    EntriKinerja,
    Periode,
    Role,
    StatusDokumen,
    StatusEntri,
    Subbagian,
    TahapPeriode,
)
from kinerja.organisasi import verifier_for
from rekap import services
from rekap.models import CatatanPleno, RapatPleno, RekapBulanan
from silabu.lib.dates import format_bulan
from tests.conftest import make_pegawai
from tests.denied import refusal
from verifikasi import services as verifikasi
from verifikasi.models import LaporanBulanan

D = datetime.date
JENIS = ("rekap_bulanan", "bahan_pleno", "hasil_pleno", "laporan_kinerja")
VIEW_ONLY = "Halaman rekap hanya untuk Subbagian Rendatin, Sekretaris, dan Pimpinan."
MANAGE_ONLY = (
    "Hanya Subbagian Rendatin yang dapat menghimpun data dan mencatat serta memfinalisasi rapat pleno."
)


@pytest.fixture(autouse=True)
def fake_generators(monkeypatch):
    """Tiny generators for the four kinds of Rendatin document, in place of the real ones."""

    def generator(jenis):
        def render(satker, params, progress):
            body = f"{jenis} {satker.kode} {params['tahun']} {params.get('bulan', params.get('periode'))}"
            return docs.Rendered(f"{jenis}.{params['fmt']}", "application/octet-stream", body.encode())

        return docs.Generator(
            jenis, lambda satker, params: f"Uji {jenis} {params['tahun']}", render, lambda s, p: "1"
        )

    monkeypatch.setattr(docs, "GENERATORS", {**docs.GENERATORS, **{j: generator(j) for j in JENIS}})


def october(org) -> tuple[int, int]:
    return min(org.kode_years), 10


def url(name: str, org) -> str:
    return reverse(f"rekap:{name}", args=october(org))


def texts(body) -> str:
    """The page's text without tags and with collapsed spaces, for asserting what a person reads."""
    if isinstance(body, bytes):
        body = body.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def make_entri(org, pegawai, day: int, status=StatusEntri.DISETUJUI, **fields) -> EntriKinerja:
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


def verify(org, pegawai) -> LaporanBulanan:
    """The person's October: two approved entries, verified by their verifier through the service."""
    make_entri(org, pegawai, 1)
    make_entri(org, pegawai, 2, volume=3, satuan="dokumen")
    by = verifier_for(pegawai, org.kudus.today()).pegawai
    return verifikasi.laporan_verify(laporan=verifikasi.laporan_for(pegawai, *october(org)), by=by)


def staff(org) -> list:
    """Everyone whose month is verified. The Hukum post has no Kasubag in the test office, so Joko (admin) has
    no verifier: he leaves the office for these tests."""
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


@pytest.fixture
def all_verified(org):
    for p in staff(org):
        verify(org, p)
    return org


@pytest.fixture
def some_unverified(org):
    people = staff(org)
    for p in people[:4]:
        verify(org, p)
    make_entri(org, org.other_kasubag, 3, StatusEntri.DIAJUKAN)
    make_entri(org, org.rendatin, 3, StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Lampirkan foto")
    return org


def tahap(org) -> str:
    return core.periode_tahap(org.kudus, *october(org))


def compile_month(org, reason: str = "") -> RekapBulanan:
    return services.rekap_compile(
        satker=org.kudus, year=october(org)[0], month=10, by=org.rendatin, reason=reason
    )


def pleno_post(org, **extra) -> dict:
    """A complete plenary form: the meeting, its people and two notes (one per subbagian, one per code)."""
    data = {
        "tanggal": D(october(org)[0], 11, 12).isoformat(),
        "mulai": "09:00",
        "selesai": "10:45",
        "tempat": "Ruang Rapat Pleno KPU Kabupaten Kudus",
        "pimpinan_rapat": org.pimpinan.pk,
        "peserta": [org.pimpinan.pk, org.sekretaris.pk, org.kasubag_rendatin.pk],
        "peserta_lain": "Perwakilan Bawaslu\n",
        "keputusan": "Laporan bulanan Oktober diterima dengan koreksi.",
        "catatan_umum": "Kelengkapan bukti perlu ditingkatkan.",
        "catatan-TOTAL_FORMS": "3",
        "catatan-INITIAL_FORMS": "0",
        "catatan-MIN_NUM_FORMS": "0",
        "catatan-MAX_NUM_FORMS": "1000",
        "catatan-0-subbagian": str(org.kul.pk),
        "catatan-0-kode_output": "",
        "catatan-0-catatan": "Foto kegiatan belum lengkap.",
        "catatan-0-koreksi": "Lengkapi foto sebelum 20 November.",
        "catatan-1-subbagian": "",
        "catatan-1-kode_output": "3359.EBA.994.002",
        "catatan-1-catatan": "Volume dokumen dihitung ulang.",
        "catatan-1-koreksi": "",
        "catatan-2-subbagian": "",
        "catatan-2-kode_output": "",
        "catatan-2-catatan": "",
        "catatan-2-koreksi": "",
    }
    data.update(extra)
    return data


def audit_actions() -> list[str]:
    """The month's audit trail, without the rows of the documents it generated (their own life)."""
    return list(
        AuditLog.objects.exclude(content_type__model="dokumen")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def state(org) -> tuple:
    """Everything a rekap page could change."""
    return (
        tahap(org),
        list(Periode.objects.values_list("tahap", flat=True)),
        RekapBulanan.objects.count(),
        RapatPleno.objects.count(),
        CatatanPleno.objects.count(),
        Dokumen.objects.count(),
        AuditLog.objects.count(),
        list(LaporanBulanan.objects.order_by("pk").values_list("status", flat=True)),
        list(EntriKinerja.objects.order_by("pk").values_list("status", flat=True)),
    )


# --- who may see and do what -------------------------------------------------------------------------------

GET_PAGES = ["papan", "bulan", "pleno", "pleno_finalisasi", "arsip"]


def page_url(name: str, org) -> str:
    return reverse(f"rekap:{name}") if name in ("papan", "arsip") else url(name, org)


@pytest.mark.parametrize("name", GET_PAGES)
def test_anonymous_is_sent_to_login(client, org, name):
    response = client.get(page_url(name, org))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["himpun", "pleno", "pleno_finalisasi"])
def test_anonymous_cannot_post(client, org, name):
    response = client.post(url(name, org))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert RekapBulanan.objects.count() == 0


@pytest.mark.parametrize("who", ["asn", "kasubag", "other_kasubag", "admin", "outsider"])
@pytest.mark.parametrize("name", GET_PAGES)
def test_people_outside_rendatin_sekretaris_and_pimpinan_are_refused(org, login, who, name):
    response = login(getattr(org, who)).get(page_url(name, org))
    assert response.status_code == 403
    assert refusal(response) == VIEW_ONLY


@pytest.mark.parametrize("who", ["rendatin", "kasubag_rendatin", "sekretaris", "pimpinan"])
@pytest.mark.parametrize("name", ["papan", "bulan", "arsip"])
def test_rendatin_sekretaris_and_pimpinan_see_the_rekap_pages(org, login, who, name):
    assert login(getattr(org, who)).get(page_url(name, org)).status_code == 200


@pytest.mark.parametrize("who", ["asn", "kasubag", "other_kasubag", "pimpinan", "sekretaris", "outsider"])
def test_only_rendatin_can_compile(some_unverified, login, who):
    org = some_unverified
    before = state(org)
    response = login(getattr(org, who)).post(url("himpun", org), {"alasan": "Rapat pleno dimajukan"})
    assert response.status_code == 403
    assert refusal(response) == MANAGE_ONLY
    assert state(org) == before and tahap(org) == TahapPeriode.VERIFICATION


@pytest.mark.parametrize("who", ["asn", "kasubag", "pimpinan", "sekretaris"])
def test_only_rendatin_can_record_and_finalise_the_plenary(all_verified, login, who):
    expected = MANAGE_ONLY if who in ("pimpinan", "sekretaris") else VIEW_ONLY
    org = all_verified
    compile_month(org)
    client = login(org.rendatin)
    client.post(url("pleno", org), pleno_post(org))
    before = state(org)
    other = login(getattr(org, who))
    for name in ("pleno", "pleno_finalisasi"):
        response = other.post(url(name, org), pleno_post(org, tempat="Diubah"))
        assert (response.status_code, refusal(response)) == (403, expected)
    assert refusal(other.get(url("pleno_finalisasi", org))) == expected
    assert state(org) == before and tahap(org) == TahapPeriode.PLENO
    assert RapatPleno.objects.get().tempat == "Ruang Rapat Pleno KPU Kabupaten Kudus"


@pytest.mark.parametrize("who", ["sekretaris", "pimpinan"])
def test_sekretaris_and_pimpinan_read_the_plenary_without_a_form(all_verified, login, who):
    org = all_verified
    compile_month(org)
    login(org.rendatin).post(url("pleno", org), pleno_post(org))
    response = login(getattr(org, who)).get(url("pleno", org))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="form-pleno"' not in body
    page = texts(body)
    assert "Ruang Rapat Pleno KPU Kabupaten Kudus" in page and "Perwakilan Bawaslu" in page
    assert "Foto kegiatan belum lengkap." in page and "Lengkapi foto sebelum 20 November." in page
    assert "Finalisasi" not in page
    bulan = texts(login(getattr(org, who)).get(url("bulan", org)).content)
    assert "Himpun" not in bulan


def test_get_on_post_only_urls_is_refused(org, login):
    # compiling has a confirmation page on GET (below); asking for a document is POST only
    client = login(org.rendatin)
    assert client.get(reverse("rekap:dokumen_minta")).status_code == 405


def test_a_month_that_does_not_exist_is_not_found(org, login):
    client = login(org.rendatin)
    assert client.get(reverse("rekap:bulan", args=[2025, 13])).status_code == 404
    assert client.post(reverse("rekap:himpun", args=[2025, 0])).status_code == 404
    assert client.get(reverse("rekap:himpun", args=[2025, 13])).status_code == 404


def test_the_nav_shows_rekap_to_those_who_may_see_it(org, login):
    link = f'href="{reverse("rekap:papan")}"'
    for who in ("rendatin", "sekretaris", "pimpinan"):
        assert link in login(getattr(org, who)).get(reverse("home")).content.decode()
    for who in ("asn", "kasubag"):
        assert link not in login(getattr(org, who)).get(reverse("home")).content.decode()


# --- the whole path in the browser ---------------------------------------------------------------------------


def test_rendatin_compiles_records_and_finalises_the_month(all_verified, login):
    org = all_verified
    year, month = october(org)
    client = login(org.rendatin)

    page = texts(client.get(url("bulan", org)).content)
    assert (
        f"Rekap data kinerja — Oktober {year} (Verifikasi)" in page
        and "Semua pegawai sudah diverifikasi." in page
    )
    assert "7 dari 7 pegawai terverifikasi" in page and "Himpun Oktober" in page

    # Step 4: compile.
    response = client.post(url("himpun", org))
    assert response.status_code == 302 and response["Location"] == url("bulan", org)
    rekap = RekapBulanan.objects.get()
    assert (rekap.satker, rekap.tahun, rekap.bulan, rekap.dihimpun_oleh) == (
        org.kudus,
        year,
        month,
        org.rendatin,
    )
    assert (rekap.jumlah_pegawai, rekap.jumlah_terverifikasi, rekap.jumlah_entri) == (7, 7, 14)
    assert rekap.alasan_belum_lengkap == "" and tahap(org) == TahapPeriode.COMPILED
    page = texts(client.get(url("bulan", org)).content)
    assert f"Oktober {year} dihimpun: 7 dari 7 pegawai terverifikasi, 14 kegiatan." in page
    assert (
        f"Rekap data kinerja — Oktober {year} (Dihimpun)" in page
        and "Dihimpun oleh Fajar Nugroho, S.Kom." in page
    )
    assert "3359.EBA.994.002 Operasional dan pemeliharaan kantor 14 7 21 dokumen; 7 kegiatan" in page
    assert "Subbagian Keuangan, Umum dan Logistik 3 3 6" in page
    assert "Catat rapat pleno" in page and "Himpun Oktober" not in page
    assert "Softfile data kinerja ASN hasil rapat pleno" not in page  # not before the plenary

    # Step 5: record the plenary.
    form = client.get(url("pleno", org))
    assert form.status_code == 200 and 'id="form-pleno"' in form.content.decode()
    assert "Indah Permata (Pimpinan)" in form.content.decode()
    assert f'type="date" name="tanggal" value="{org.kudus.today().isoformat()}"' in form.content.decode()
    response = client.post(url("pleno", org), pleno_post(org))
    assert response.status_code == 302 and response["Location"] == url("pleno", org)
    rapat = RapatPleno.objects.get()
    assert (rapat.rekap, rapat.tanggal, rapat.mulai, rapat.selesai) == (
        rekap,
        D(year, 11, 12),
        datetime.time(9),
        datetime.time(10, 45),
    )
    assert (rapat.pimpinan_rapat, rapat.dicatat_oleh, rapat.peserta_lain) == (
        org.pimpinan,
        org.rendatin,
        "Perwakilan Bawaslu",
    )
    assert set(rapat.peserta.all()) == {org.pimpinan, org.sekretaris, org.kasubag_rendatin}
    assert list(
        CatatanPleno.objects.values_list("subbagian", "subbagian_nama", "kode_output", "catatan", "koreksi")
    ) == [
        (org.kul.pk, org.kul.nama, "", "Foto kegiatan belum lengkap.", "Lengkapi foto sebelum 20 November."),
        (None, "", "3359.EBA.994.002", "Volume dokumen dihitung ulang.", ""),
    ]
    assert tahap(org) == TahapPeriode.PLENO

    # Correct it: the notes are replaced, and the change is audited.
    edit = client.get(url("pleno", org)).content.decode()
    assert "Lengkapi foto sebelum 20 November." in edit and 'name="catatan-TOTAL_FORMS" value="5"' in edit
    assert f'name="tanggal" value="{year}-11-12"' in edit and 'name="mulai" value="09:00"' in edit
    client.post(url("pleno", org), pleno_post(org, **{"catatan-1-catatan": "", "catatan-0-koreksi": ""}))
    assert list(CatatanPleno.objects.values_list("catatan", "koreksi")) == [
        ("Foto kegiatan belum lengkap.", "")
    ]

    # Step 6: finalise, after a confirmation page.
    confirm = texts(client.get(url("pleno_finalisasi", org)).content)
    assert "menjadi FINAL" in confirm and "tidak dapat diubah lagi" in confirm
    assert "Bahan rapat pleno laporan bulanan (PDF)" in confirm
    assert "Softfile data kinerja ASN hasil rapat pleno (XLSX)" in confirm
    assert tahap(org) == TahapPeriode.PLENO  # the GET changed nothing
    response = client.post(url("pleno_finalisasi", org))
    assert response.status_code == 302 and response["Location"] == url("bulan", org)
    rapat.refresh_from_db()
    assert rapat.is_final and rapat.difinalisasi_oleh == org.rendatin
    assert [p["nama"] for p in rapat.peserta_snapshot] == sorted(
        [org.pimpinan.nama, org.sekretaris.nama, org.kasubag_rendatin.nama]
    )
    assert tahap(org) == TahapPeriode.FINAL
    archived = Dokumen.objects.filter(arsip=True)
    assert sorted((d.jenis, d.params["fmt"], d.status) for d in archived) == [
        ("bahan_pleno", "pdf", StatusDokumen.SIAP),
        ("hasil_pleno", "pdf", StatusDokumen.SIAP),
        ("hasil_pleno", "xlsx", StatusDokumen.SIAP),
        ("rekap_bulanan", "pdf", StatusDokumen.SIAP),
        ("rekap_bulanan", "xlsx", StatusDokumen.SIAP),
    ]
    assert audit_actions()[-7:] == [
        "periode_tahap",
        "rekap_dihimpun",
        "periode_tahap",
        "pleno_dicatat",
        "pleno_diubah",
        "periode_tahap",
        "pleno_difinalisasi",
    ]
    moves = list(
        AuditLog.objects.filter(action="periode_tahap").order_by("pk").values_list("dari", "ke", "actor")
    )
    assert moves == [
        (TahapPeriode.VERIFICATION, TahapPeriode.COMPILED, org.rendatin.user.pk),
        (TahapPeriode.COMPILED, TahapPeriode.PLENO, org.rendatin.user.pk),
        (TahapPeriode.PLENO, TahapPeriode.FINAL, org.rendatin.user.pk),
    ]

    # The month page now shows the archive and the whole trail; the record is read-only.
    page = texts(client.get(url("bulan", org)).content)
    assert f"Rekap data kinerja — Oktober {year} (Final)" in page and "Diarsipkan saat finalisasi" in page
    for label in (
        "Bulan dihimpun",
        "Rapat pleno dicatat",
        "Catatan rapat pleno diubah",
        "Hasil rapat pleno difinalisasi",
    ):
        assert label in page
    assert "(Verifikasi → Dihimpun)" in page and "oleh Fajar Nugroho, S.Kom." in page
    record = client.get(url("pleno", org)).content.decode()
    assert 'id="form-pleno"' not in record and "Hasil rapat pleno difinalisasi" in texts(record)
    before = state(org)
    response = client.post(url("pleno", org), pleno_post(org, tempat="Diubah setelah final"), follow=True)
    assert "sudah difinalisasi dan tidak dapat diubah" in texts(response.content)
    assert state(org) == before and RapatPleno.objects.get().tempat == "Ruang Rapat Pleno KPU Kabupaten Kudus"
    again = client.post(url("pleno_finalisasi", org), follow=True)
    assert "sudah difinalisasi" in texts(again.content) and state(org) == before
    assert client.post(url("himpun", org), follow=True).status_code == 200 and state(org) == before


# --- compile -------------------------------------------------------------------------------------------------


def test_compile_without_a_reason_is_refused_while_people_are_unverified(some_unverified, login):
    org = some_unverified
    client = login(org.rendatin)
    page = client.get(url("bulan", org)).content.decode()
    assert "Belum terverifikasi (3)" in texts(page)
    confirm = client.get(url("himpun", org)).content.decode()
    assert 'name="alasan"' in confirm and "required" in confirm.split('name="alasan"')[1].split(">")[0]
    listed = texts(page.split('id="belum-terverifikasi"')[1].split("</table>")[0])
    assert (
        "Eko Prasetyo, S.IP. " in listed
        and "Subbagian Teknis Penyelenggaraan Pemilu dan Hupmas 1 1 0" in listed
    )
    assert "Fajar Nugroho, S.Kom." in listed and "Gita Rahmawati, S.T." in listed
    before = state(org)
    response = client.post(url("himpun", org), {"alasan": "   "}, follow=True)
    message = texts(response.content)
    assert "3 pegawai belum diverifikasi untuk Oktober" in message and "tuliskan alasan" in message
    assert state(org) == before and tahap(org) == TahapPeriode.VERIFICATION


def test_compile_with_a_reason_lists_the_unverified(some_unverified, login):
    org = some_unverified
    client = login(org.rendatin)
    response = client.post(url("himpun", org), {"alasan": "Rapat pleno dimajukan oleh Ketua"}, follow=True)
    assert "dihimpun: 4 dari 7 pegawai terverifikasi" in texts(response.content)
    rekap = RekapBulanan.objects.get()
    assert rekap.alasan_belum_lengkap == "Rapat pleno dimajukan oleh Ketua"
    assert (rekap.jumlah_pegawai, rekap.jumlah_terverifikasi) == (7, 4)
    assert tahap(org) == TahapPeriode.COMPILED
    row = AuditLog.objects.get(action="rekap_dihimpun")
    assert (row.object_id, row.catatan, row.actor) == (
        rekap.pk,
        "Rapat pleno dimajukan oleh Ketua",
        org.rendatin.user,
    )
    page = texts(client.get(url("bulan", org)).content)
    assert "Alasan: Rapat pleno dimajukan oleh Ketua" in page
    assert "Belum terverifikasi saat dihimpun (3)" in page
    assert (
        "Fajar Nugroho, S.Kom. (Subbagian Perencanaan, Data dan Informasi): 0 menunggu, 1 dikembalikan"
        in page
    )


def test_an_open_month_cannot_be_compiled(org, login):
    today = org.kudus.today()
    client = login(org.rendatin)
    page = texts(client.get(reverse("rekap:bulan", args=[today.year, today.month])).content)
    assert f"Rekap data kinerja — {format_bulan(today.year, today.month)} (Terbuka)" in page
    assert "Bulan ini masih terbuka" in page and "Himpun" not in page
    response = client.post(
        reverse("rekap:himpun", args=[today.year, today.month]), {"alasan": "x"}, follow=True
    )
    assert "perubahan tahap ditolak" in texts(response.content)
    assert RekapBulanan.objects.count() == 0


def test_the_compile_confirmation_shows_who_is_not_verified_and_asks_the_reason(some_unverified, login):
    org = some_unverified
    year, _ = october(org)
    client = login(org.rendatin)
    bulan = client.get(url("bulan", org)).content.decode()
    assert f'href="{url("himpun", org)}"' in bulan and 'name="alasan"' not in bulan
    before = state(org)
    response = client.get(url("himpun", org))
    assert response.status_code == 200
    body = response.content.decode()
    page = texts(body)
    assert f"Himpun data kinerja Oktober {year}?" in page
    assert "4 dari 7 pegawai terverifikasi, 3 belum terverifikasi." in page
    assert "Belum terverifikasi (3)" in page and "Alasan wajib diisi" in page
    listed = texts(body.split('id="belum-terverifikasi"')[1].split("</table>")[0])
    for person in (org.other_kasubag, org.rendatin, org.kasubag_rendatin):
        assert person.nama in listed
    assert org.asn.nama not in listed and org.teknis_staff.nama not in listed
    form = body.split('id="form-himpun"')[1].split("</form>")[0]
    assert 'name="alasan"' in form and "required" in form.split('name="alasan"')[1].split(">")[0]
    assert "Ya, himpun" in form
    assert state(org) == before and tahap(org) == TahapPeriode.VERIFICATION


def test_confirming_the_compilation_with_a_reason_compiles_the_month(some_unverified, login):
    org = some_unverified
    client = login(org.rendatin)
    client.get(url("himpun", org))
    response = client.post(url("himpun", org), {"alasan": "Rapat pleno dimajukan oleh Ketua"})
    assert response.status_code == 302 and response["Location"] == url("bulan", org)
    rekap = RekapBulanan.objects.get()
    assert (rekap.dihimpun_oleh, rekap.jumlah_pegawai, rekap.jumlah_terverifikasi) == (org.rendatin, 7, 4)
    assert rekap.alasan_belum_lengkap == "Rapat pleno dimajukan oleh Ketua"
    assert tahap(org) == TahapPeriode.COMPILED


def test_the_compile_confirmation_needs_no_reason_when_everyone_is_verified(all_verified, login):
    org = all_verified
    client = login(org.rendatin)
    body = client.get(url("himpun", org)).content.decode()
    page = texts(body)
    assert "7 dari 7 pegawai terverifikasi." in page and "belum terverifikasi" not in page
    assert "Semua pegawai sudah diverifikasi; tidak perlu alasan." in page
    assert 'name="alasan"' not in body and 'id="belum-terverifikasi"' not in body
    assert RekapBulanan.objects.count() == 0
    response = client.post(url("himpun", org), follow=True)
    assert "dihimpun: 7 dari 7 pegawai terverifikasi, 14 kegiatan." in texts(response.content)
    assert tahap(org) == TahapPeriode.COMPILED


@pytest.mark.parametrize("who", ["asn", "kasubag", "other_kasubag", "pimpinan", "sekretaris", "outsider"])
def test_only_rendatin_sees_the_compile_confirmation(some_unverified, login, who):
    org = some_unverified
    response = login(getattr(org, who)).get(url("himpun", org))
    assert (response.status_code, refusal(response)) == (403, MANAGE_ONLY)
    assert "Akses ditolak" in texts(response.content) and 'href="/"' in response.content.decode()


def test_a_month_that_cannot_be_compiled_has_no_confirmation(all_verified, login):
    org = all_verified
    client = login(org.rendatin)
    today = org.kudus.today()
    response = client.get(reverse("rekap:himpun", args=[today.year, today.month]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("rekap:bulan", args=[today.year, today.month])
    assert "(Terbuka) belum dapat dihimpun." in texts(response.content)
    compile_month(org)
    before = state(org)
    response = client.get(url("himpun", org), follow=True)
    assert response.redirect_chain[-1][0] == url("bulan", org)
    assert f"Oktober {october(org)[0]} sudah dihimpun." in texts(response.content)
    assert state(org) == before


def test_get_never_changes_state(some_unverified, login):
    org = some_unverified
    client = login(org.rendatin)
    pages = [reverse("rekap:papan"), f"{reverse('rekap:papan')}?bulan=10&tahun={october(org)[0]}"]
    pages += [url(n, org) for n in ("bulan", "himpun", "pleno", "pleno_finalisasi")] + [
        reverse("rekap:arsip")
    ]
    for stage in ("verification", "compiled", "pleno"):
        if stage == "compiled":
            compile_month(org, "Uji")
        if stage == "pleno":
            client.post(url("pleno", org), pleno_post(org))
        before = state(org)
        for page in pages:
            assert client.get(page).status_code in (200, 302)
        assert state(org) == before


# --- the plenary form -----------------------------------------------------------------------------------------


def test_plenary_before_compiling_leads_back_to_the_month(some_unverified, login):
    org = some_unverified
    client = login(org.rendatin)
    response = client.get(url("pleno", org), follow=True)
    assert response.redirect_chain == [(url("bulan", org), 302)]
    assert "belum dihimpun" in texts(response.content)
    response = client.post(url("pleno", org), pleno_post(org))
    assert response["Location"] == url("bulan", org) and RapatPleno.objects.count() == 0
    response = client.get(url("pleno_finalisasi", org))
    assert response["Location"] == url("bulan", org)


def test_finalising_before_recording_is_refused(all_verified, login):
    org = all_verified
    compile_month(org)
    client = login(org.rendatin)
    response = client.post(url("pleno_finalisasi", org), follow=True)
    assert "Catat dulu rapat pleno" in texts(response.content) and tahap(org) == TahapPeriode.COMPILED


def test_an_incomplete_record_cannot_be_finalised(all_verified, login):
    org = all_verified
    compile_month(org)
    client = login(org.rendatin)
    client.post(url("pleno", org), pleno_post(org, keputusan="", peserta=[], peserta_lain=""))
    response = client.post(url("pleno_finalisasi", org), follow=True)
    assert "Lengkapi dulu: peserta, keputusan rapat." in texts(response.content)
    assert tahap(org) == TahapPeriode.PLENO and not RapatPleno.objects.get().is_final
    assert not Dokumen.objects.filter(arsip=True).exists()


def test_finalisation_confirmation_of_an_incomplete_record_says_what_is_missing_and_offers_no_button(
    all_verified, login
):
    org = all_verified
    compile_month(org)
    client = login(org.rendatin)
    client.post(url("pleno", org), pleno_post(org, keputusan="", peserta=[], peserta_lain=""))
    response = client.get(url("pleno_finalisasi", org))
    assert response.status_code == 200
    page = texts(response.content)
    assert "Belum dapat difinalisasi. Lengkapi dulu: peserta, keputusan rapat." in page
    assert "Ya, finalisasi" not in page
    assert tahap(org) == TahapPeriode.PLENO and not RapatPleno.objects.get().is_final


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"tanggal": "2999-01-01"}, "Tanggal rapat pleno tidak boleh di masa depan."),
        ({"mulai": "11:00", "selesai": "10:00"}, "Jam selesai rapat tidak boleh sebelum jam mulai."),
    ],
)
def test_the_service_refuses_a_wrong_meeting_and_the_form_keeps_the_input(
    all_verified, login, extra, message
):
    org = all_verified
    compile_month(org)
    response = login(org.rendatin).post(url("pleno", org), pleno_post(org, **extra))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in texts(body) and "Foto kegiatan belum lengkap." in body
    assert RapatPleno.objects.count() == 0 and tahap(org) == TahapPeriode.COMPILED


def test_notes_only_name_what_the_snapshot_holds(all_verified, login):
    org = all_verified
    compile_month(org)
    client = login(org.rendatin)
    response = client.post(url("pleno", org), pleno_post(org, **{"catatan-1-kode_output": "9999.XXX"}))
    assert response.status_code == 200 and "Periksa kembali isian" in texts(response.content)
    response = client.post(url("pleno", org), pleno_post(org, **{"catatan-0-catatan": ""}))
    assert "Tuliskan catatannya." in texts(response.content)
    bontang_sub = Subbagian.objects.create(satker=org.bontang, nama="Subbagian Bontang", singkatan="BTG")
    response = client.post(url("pleno", org), pleno_post(org, **{"catatan-0-subbagian": str(bontang_sub.pk)}))
    assert response.status_code == 200 and RapatPleno.objects.count() == 0
    response = client.post(url("pleno", org), pleno_post(org, peserta=[org.outsider.pk]))
    assert response.status_code == 200 and RapatPleno.objects.count() == 0


# --- the attendee picker --------------------------------------------------------------------------------------


def picker_groups(body: str) -> list[tuple[str, list[str]]]:
    """The picker's groups as rendered: (legend, [the names of its checkboxes' labels])."""
    picker = body[body.index('id="peserta"') : body.index('name="peserta_lain"')]
    groups = []
    for chunk in picker.split("data-peserta-grup>")[1:]:
        legend = texts(chunk[: chunk.index("</legend>")])
        names = [
            texts(label) for label in re.findall(r'<label class="form-check-label"[^>]*>(.*?)</label>', chunk)
        ]
        groups.append((legend, names))
    return groups


def test_the_attendees_are_grouped_pimpinan_sekretariat_then_each_subbagian(all_verified, login):
    compile_month(all_verified)
    org = all_verified
    body = login(org.rendatin).get(url("pleno", org)).content.decode()
    assert picker_groups(body) == [
        ("Pimpinan (1)", ["Indah Permata"]),
        ("Sekretariat (1)", ["Hadi Wijaya, S.Sos., M.M. — Sekretaris"]),
        (
            f"{org.kul.nama} (3)",
            [
                "Ani Lestari, S.E. — Penata Kelola Keuangan",
                "Budi Santoso — Pengelola Barang",
                "Citra Dewi, S.H. — Kepala Subbagian KUL",
            ],
        ),
        (f"{org.teknis.nama} (2)", ["Dedi Kurniawan", "Eko Prasetyo, S.IP."]),
        (f"{org.rendatin_sub.nama} (2)", ["Fajar Nugroho, S.Kom.", "Gita Rahmawati, S.T."]),
    ]  # Joko (Hukum) left the office: an inactive person is no choice, and an empty group is not drawn
    # every checkbox keeps its label beside it (Bootstrap's form-check), and the tools come from a static script
    assert len(re.findall(r'<input type="checkbox" name="peserta"[^>]*class="form-check-input"', body)) == 9
    assert "data-peserta-alat hidden" in body and body.count("data-peserta-semua") == 5
    assert 'src="/static/js/peserta.js"' in body


def test_the_chosen_attendees_are_saved_and_shown_ticked(all_verified, login):
    compile_month(all_verified)
    org = all_verified
    client = login(org.rendatin)
    chosen = [org.pimpinan, org.asn, org.colleague, org.kasubag, org.other_kasubag]
    response = client.post(url("pleno", org), pleno_post(org, peserta=[p.pk for p in chosen]))
    assert response.status_code == 302
    assert set(RapatPleno.objects.get().peserta.all()) == set(chosen)
    body = client.get(url("pleno", org)).content.decode()
    ticked = re.findall(r'<input type="checkbox" name="peserta" value="(\d+)"[^>]*checked', body)
    assert sorted(int(pk) for pk in ticked) == sorted(p.pk for p in chosen)


# --- documents --------------------------------------------------------------------------------------------


def ask(client, **data):
    return client.post(reverse("rekap:dokumen_minta"), data)


def test_documents_of_a_month_wait_for_its_compilation(some_unverified, login):
    org = some_unverified
    year = october(org)[0]
    client = login(org.rendatin)
    response = ask(client, jenis="rekap_bulanan", tahun=year, bulan=10, fmt="pdf")
    assert response["Location"] == url("bulan", org) and Dokumen.objects.count() == 0
    assert "belum dihimpun" in texts(client.get(url("bulan", org)).content)
    compile_month(org, "Uji")
    response = ask(client, jenis="hasil_pleno", tahun=year, bulan=10, fmt="pdf")
    assert response["Location"] == url("bulan", org) and Dokumen.objects.count() == 0
    page = client.get(url("bulan", org)).content.decode()
    assert "setelah rapat pleno dicatat" in texts(page)
    assert (
        'value="rekap_bulanan"' in page
        and 'value="bahan_pleno"' in page
        and 'value="hasil_pleno"' not in page
    )
    response = ask(client, jenis="rekap_bulanan", tahun=year, bulan=10, fmt="xlsx")
    dokumen = Dokumen.objects.get()
    assert response["Location"] == reverse("kinerja:dokumen", args=[dokumen.pk])
    assert (dokumen.satker, dokumen.jenis, dokumen.params, dokumen.diminta_oleh, dokumen.arsip) == (
        org.kudus,
        "rekap_bulanan",
        {"tahun": year, "bulan": 10, "fmt": "xlsx"},
        org.rendatin.user,
        False,
    )
    assert tahap(org) == TahapPeriode.COMPILED  # asking for a document changes no stage


@pytest.mark.parametrize("who", ["sekretaris", "pimpinan"])
def test_sekretaris_and_pimpinan_may_ask_for_documents(all_verified, login, who):
    org = all_verified
    compile_month(org)
    response = ask(login(getattr(org, who)), jenis="bahan_pleno", tahun=october(org)[0], bulan=10, fmt="pdf")
    dokumen = Dokumen.objects.get()
    assert response["Location"] == reverse("kinerja:dokumen", args=[dokumen.pk])
    assert dokumen.status == StatusDokumen.SIAP


@pytest.mark.parametrize("who", ["asn", "kasubag", "admin", "outsider"])
def test_others_asking_for_documents_find_nothing(all_verified, login, who):
    org = all_verified
    compile_month(org)
    response = ask(
        login(getattr(org, who)), jenis="rekap_bulanan", tahun=october(org)[0], bulan=10, fmt="pdf"
    )
    assert response.status_code == 404 and Dokumen.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"jenis": "softfile_pegawai", "bulan": 10, "fmt": "pdf"},
        {"jenis": "bahan_pleno", "bulan": 10, "fmt": "xlsx"},
        {"jenis": "rekap_bulanan", "bulan": 13, "fmt": "pdf"},
        {"jenis": "rekap_bulanan", "bulan": "x", "fmt": "pdf"},
        {"jenis": "rekap_bulanan", "bulan": 10, "fmt": "docx"},
        {"jenis": "laporan_kinerja", "periode": "T5", "fmt": "pdf"},
    ],
)
def test_malformed_document_requests_are_not_found(all_verified, login, data):
    org = all_verified
    compile_month(org)
    response = ask(login(org.rendatin), tahun=october(org)[0], **data)
    assert response.status_code == 404 and Dokumen.objects.count() == 0


def test_laporan_kinerja_needs_a_final_month_in_its_period(org, login):
    year = october(org)[0]
    client = login(org.rendatin)
    response = ask(client, jenis="laporan_kinerja", tahun=year, periode="T4", fmt="xlsx")
    assert response["Location"] == f"{reverse('rekap:laporan_kinerja')}?tahun={year}&periode=T4"
    assert Dokumen.objects.count() == 0
    Periode.objects.create(satker=org.kudus, tahun=year, bulan=8, tahap=TahapPeriode.FINAL)
    assert ask(client, jenis="laporan_kinerja", tahun=year, periode="T4", fmt="xlsx")["Location"].startswith(
        f"{reverse('rekap:laporan_kinerja')}?"
    )
    response = ask(client, jenis="laporan_kinerja", tahun=year, periode="S2", fmt="pdf")
    dokumen = Dokumen.objects.get()
    assert response["Location"] == reverse("kinerja:dokumen", args=[dokumen.pk])
    assert dokumen.params == {"tahun": year, "periode": "S2", "fmt": "pdf"}


def test_a_kind_without_a_generator_is_refused_politely(all_verified, login, monkeypatch):
    org = all_verified
    compile_month(org)
    monkeypatch.setattr(docs, "GENERATORS", {})
    response = ask(login(org.rendatin), jenis="rekap_bulanan", tahun=october(org)[0], bulan=10, fmt="pdf")
    assert response["Location"] == url("bulan", org) and Dokumen.objects.count() == 0


# --- the archive -----------------------------------------------------------------------------------------------


def archived(org, satker=None, n: int = 1, **extra) -> list[Dokumen]:
    made = []
    for i in range(n):
        params = {"tahun": october(org)[0], "bulan": 1 + i % 12, "fmt": "pdf", "n": i}
        made.append(
            Dokumen.objects.create(
                satker=satker or org.kudus,
                jenis=extra.get("jenis", "hasil_pleno"),
                params=params,
                kunci=docs.kunci_for("hasil_pleno", params),
                judul=f"Hasil rapat pleno {i}",
                status=StatusDokumen.SIAP,
                berkas=f"dokumen/uji-{i}.pdf",
                nama_berkas=f"uji-{i}.pdf",
                ukuran=2048 + i,
                sha256=f"{i:02d}" + "ab" * 31,
                arsip=True,
                diarsipkan_pada=datetime.datetime(2025, 11, 1, 3, 0, tzinfo=datetime.UTC)
                + datetime.timedelta(hours=i),
                keterangan_arsip=f"Hasil rapat pleno, difinalisasi {i}",
            )
        )
    return made


def test_the_archive_lists_archived_documents_newest_first_with_their_hash(org, login):
    older, newer = archived(org, n=2)
    Dokumen.objects.create(
        satker=org.kudus, jenis="hasil_pleno", params={}, kunci="x", judul="Tidak diarsipkan"
    )
    archived(org, satker=org.bontang)
    Dokumen.objects.filter(satker=org.bontang).update(judul="Milik Bontang")
    page = login(org.sekretaris).get(reverse("rekap:arsip")).content.decode()
    text = texts(page)
    assert text.index("Hasil rapat pleno 1") < text.index("Hasil rapat pleno 0")
    assert "Tidak diarsipkan" not in text and "Milik Bontang" not in text
    assert f'<code title="{newer.sha256}">{newer.sha256[:12]}…</code>' in page
    assert f'href="{reverse("kinerja:dokumen_unduh", args=[newer.pk])}"' in page
    assert "Februari " + str(october(org)[0]) in text and "1 November 2025 11:00" in text  # WIB
    assert "Hasil rapat pleno, difinalisasi 1" in text and "2 KB" in text


def test_the_archive_is_paginated_and_its_queries_do_not_grow(org, login):
    client = login(org.rendatin)
    archived(org, n=3)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("rekap:arsip"))
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    queries()  # warm the per-process caches
    few, _ = queries()
    Dokumen.objects.all().delete()
    archived(org, n=30)
    many, response = queries()
    assert few == many
    assert len(response.context["rows"]) == 25 and "Halaman 1 dari 2" in texts(response.content)
    second = client.get(reverse("rekap:arsip") + "?page=2")
    assert len(second.context["rows"]) == 5


# --- another satker ----------------------------------------------------------------------------------------


@pytest.fixture
def bontang_rendatin(org):
    sub = Subbagian.objects.create(
        satker=org.bontang, nama="Subbagian Rendatin Bontang", singkatan="RENDATIN", is_rendatin=True
    )
    person = make_pegawai(org.bontang, sub, nama="Lia Bontang")
    assert person.has_role(Role.RENDATIN)
    return person


def test_a_bontang_rendatin_never_sees_or_touches_kudus(all_verified, login, bontang_rendatin):
    org = all_verified
    year = october(org)[0]
    client = login(org.rendatin)
    client.post(url("himpun", org))
    client.post(url("pleno", org), pleno_post(org))
    client.post(url("pleno_finalisasi", org))
    kudus_doc = Dokumen.objects.filter(satker=org.kudus).first()
    before = state(org)

    other = login(bontang_rendatin)
    board_page = texts(other.get(f"{reverse('rekap:papan')}?tahun={year}&bulan=10").content)
    assert "Pemantauan laporan bulanan" in board_page
    month = texts(other.get(url("bulan", org)).content)
    for kudus_name in (org.asn.nama, org.rendatin.nama, "Subbagian Keuangan", "Ruang Rapat Pleno"):
        assert kudus_name not in board_page and kudus_name not in month
    assert "Dihimpun oleh" not in month and f"Oktober {year} (Verifikasi)" in month
    assert texts(other.get(reverse("rekap:arsip")).content).count("Hasil rapat pleno") == 0
    assert other.get(reverse("kinerja:dokumen", args=[kudus_doc.pk])).status_code == 404
    assert other.get(reverse("kinerja:dokumen_unduh", args=[kudus_doc.pk])).status_code == 404
    response = ask(other, jenis="rekap_bulanan", tahun=year, bulan=10, fmt="pdf")
    assert response["Location"] == url("bulan", org)
    response = other.get(url("pleno", org))
    assert response["Location"] == url("bulan", org)  # Bontang's October was never compiled
    assert state(org) == before
    # Bontang compiling its own October leaves Kudus' as it was.
    kudus_rekap = RekapBulanan.objects.get(satker=org.kudus)
    response = other.post(url("himpun", org), {"alasan": "Belum ada Kasubag"}, follow=True)
    assert "dihimpun: 0 dari 2 pegawai terverifikasi" in texts(response.content)
    bontang_rekap = RekapBulanan.objects.get(satker=org.bontang)
    assert bontang_rekap.pk != kudus_rekap.pk and bontang_rekap.jumlah_pegawai == 2
    assert (
        RekapBulanan.objects.get(satker=org.kudus).data == kudus_rekap.data
        and tahap(org) == TahapPeriode.FINAL
    )


# --- admin --------------------------------------------------------------------------------------------------


def test_the_admin_shows_the_records_but_cannot_change_them(all_verified, login, admin_client):
    org = all_verified
    rekap = compile_month(org)
    login(org.rendatin).post(url("pleno", org), pleno_post(org))
    rapat = RapatPleno.objects.get()
    assert admin_client.get(reverse("admin:rekap_rekapbulanan_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:rekap_rapatpleno_change", args=[rapat.pk])).content.decode()
    assert "Foto kegiatan belum lengkap." in page and 'type="submit" value="Simpan"' not in page
    assert admin_client.get(reverse("admin:rekap_rekapbulanan_add")).status_code == 403
    response = admin_client.post(reverse("admin:rekap_rekapbulanan_delete", args=[rekap.pk]), {"post": "yes"})
    assert response.status_code == 403 and RekapBulanan.objects.filter(pk=rekap.pk).exists()


# --- queries --------------------------------------------------------------------------------------------------


def test_month_page_queries_do_not_grow_with_unverified_people(some_unverified, login):
    org = some_unverified
    client = login(org.rendatin)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("bulan", org))
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    queries()  # warm the per-process caches (content types) so that both counts see the same
    few, response = queries()
    assert len(response.context["unverified"]) == 3
    for i in range(5):
        person = make_pegawai(org.kudus, org.teknis, nama=f"Staf Teknis {i}")
        make_entri(org, person, 5, StatusEntri.DIAJUKAN)
    many, response = queries()
    assert len(response.context["unverified"]) == 8 and few == many
