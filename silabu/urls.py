from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kinerja.forms import LoginForm
from kinerja.views import home, keaslian
from silabu import pwa
from silabu.ops import health
from silabu.ops import views as ops

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/", home.PasswordChange.as_view(), name="password_change"),
    path("sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("kinerja/", include("kinerja.urls")),
    path("verifikasi/", include("verifikasi.urls")),
    path("rekap/", include("rekap.urls")),
    path("pengukuran/", include("rekap.pengukuran.urls")),
    path("admin/", admin.site.urls),
    # the installable app (issue 6): the service worker must sit at the root to control every page
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    # public verification of a printed document (issue 13): the address its QR code opens, no sign-in
    path("v/<str:kode>/", keaslian.keaslian, name="keaslian"),
    # operations (issue 14): the probe for load balancers and monitors, and the Admin's status page
    path("healthz", health.healthz, name="healthz"),
    path("status-layanan/", ops.status_page, name="ops_status"),
]

# the error pages in the site's layout (kinerja/views/home.py); 500 is Django's own handler over templates/500.html,
# which needs no request context
handler400 = "kinerja.views.home.bad_request"
handler403 = "kinerja.views.home.forbidden"
handler404 = "kinerja.views.home.not_found"
