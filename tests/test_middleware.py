"""Times are shown in the signed-in person's satker zone: WIB for Kudus, WITA for Bontang; a refusal
(AksesDitolak) is the 403 page with its reason."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from kinerja.errors import AksesDitolak, EntriTidakDapatDiubah
from kinerja.models import EntriKinerja
from silabu.middleware import AksesDitolakMiddleware, PegawaiMiddleware
from tests.denied import refusal


def zone_during_request(user) -> str:
    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        return None

    request = RequestFactory().get("/")
    request.user = user
    PegawaiMiddleware(view)(request)
    return seen[0]


def test_each_person_sees_their_satkers_zone(org):
    assert zone_during_request(org.asn.user) == "Asia/Jakarta"
    assert zone_during_request(org.outsider.user) == "Asia/Makassar"
    # the next anonymous request is back on the deployment's default
    assert zone_during_request(AnonymousUser()) == "Asia/Jakarta"


# --- AksesDitolak: the 403 page ------------------------------------------------------------------------------


def test_an_uncaught_akses_ditolak_is_the_403_page_with_its_reason(org, login):
    """The verification queue refuses an ASN by raising AksesDitolak; the page says why, in the site's layout."""
    response = login(org.asn).get(reverse("verifikasi:antrean"))
    assert response.status_code == 403
    assert refusal(response) == "Antrean verifikasi hanya untuk Kepala Subbagian, Sekretaris, atau Plt/Plh."
    body = response.content.decode()
    assert "<title>Akses ditolak · SILABU</title>" in body
    assert '<h1 class="h3">Akses ditolak</h1>' in body
    assert f'<a class="btn btn-primary" href="{reverse("home")}">Ke beranda</a>' in body
    assert org.asn.nama in body  # the layout's navigation, with the signed-in person


def test_the_middleware_answers_only_akses_ditolak(org):
    request = RequestFactory().get("/")
    request.user = org.asn.user
    middleware = AksesDitolakMiddleware(lambda request: None)
    response = middleware.process_exception(request, AksesDitolak("Bukan bagian Anda."))
    assert (response.status_code, refusal(response)) == (403, "Bukan bagian Anda.")
    # other domain errors are the views' to show as messages; anything else is a real error
    assert middleware.process_exception(request, EntriTidakDapatDiubah("Sudah disetujui.")) is None
    assert middleware.process_exception(request, ValueError("x")) is None


def test_djangos_own_permission_denied_shows_the_same_page(org, admin_client):
    """The admin site refuses a change with PermissionDenied: handler403 renders the same template."""
    entri = EntriKinerja.objects.create(
        satker=org.kudus,
        pegawai=org.asn,
        tanggal=org.kudus.today(),
        kode_output=org.kode,
        nama_kegiatan="Rekonsiliasi",
        output_hasil="Berita acara",
    )
    response = admin_client.post(reverse("admin:kinerja_entrikinerja_change", args=[entri.pk]), {})
    assert response.status_code == 403
    assert refusal(response) == "Anda tidak berwenang membuka halaman ini."
    assert '<h1 class="h3">Akses ditolak</h1>' in response.content.decode()
