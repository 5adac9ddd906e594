from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from kinerja.errors import AksesDitolak
from kinerja.views.home import forbidden
from silabu.policy import pegawai_of


class PegawaiMiddleware:
    """Attach the signed-in Pegawai, show times in their satker's zone (WIB/WITA/WIT), and send someone with a
    temporary password to change it first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.pegawai = pegawai_of(request.user)
        if request.pegawai is not None:
            timezone.activate(request.pegawai.satker.tz)
        else:
            timezone.deactivate()
        if request.pegawai is not None and request.pegawai.wajib_ganti_sandi:
            allowed = {
                reverse(name)
                for name in ("password_change", "password_change_done", "logout")
                # the app shell the browser fetches by itself: redirecting these would break installation
                + ("service_worker", "manifest", "offline")
                # the phone's queue asks who is signed in; it then says "change your password" itself
                + ("kinerja:antrean_sesi",)
            }
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("password_change")
        return self.get_response(request)


class AksesDitolakMiddleware:
    """An AksesDitolak that a view lets through is the 403 page with its message, in the site's layout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AksesDitolak):
            return forbidden(request, exception)
        return None
