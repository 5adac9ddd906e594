"""Times are shown in the signed-in person's satker zone: WIB for Kudus, WITA for Bontang."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from silabu.middleware import PegawaiMiddleware


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
