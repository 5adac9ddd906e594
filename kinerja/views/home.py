"""The home page: what this person must do now, by role; and the small account pages."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from kinerja.errors import AksesDitolak
from silabu import policy
from silabu.lib.dates import format_bulan, shift_month

from .. import services, todos
from ..kalender import month_summary
from ..models import EntriKinerja
from ..notices import notices_unread

NOTICES_SHOWN = 10


@login_required
@require_GET
def home(request):
    pegawai = request.pegawai
    context = {"title": "Beranda"}
    if pegawai is None:
        return render(request, "kinerja/home.html", context)
    today = pegawai.satker.today()
    unread = notices_unread(pegawai)
    context["notices"] = list(unread[:NOTICES_SHOWN])
    if len(context["notices"]) == NOTICES_SHOWN:
        context["notices_total"] = unread.count()
    context["tugas"] = todos.for_pegawai(pegawai, today)
    if policy.can_create_entri(request.user):
        summary = month_summary(pegawai, today.year, today.month, today=today)
        prev_year, prev_month = shift_month(today.year, today.month, -1)
        context.update(
            summary=summary,
            month_label=format_bulan(today.year, today.month),
            today=today,
            today_count=EntriKinerja.objects.filter(pegawai=pegawai, tanggal=today).count(),
            returned=list(
                EntriKinerja.objects.filter(pegawai=pegawai)
                .returned()
                .select_related("kode_output")
                .order_by("tanggal")[:20]
            ),
            recent=list(
                EntriKinerja.objects.filter(pegawai=pegawai).with_related().order_by("-tanggal", "-id")[:5]
            ),
            prev_month=(prev_year, prev_month),
        )
    return render(request, "kinerja/home.html", context)


class PasswordChange(auth_views.PasswordChangeView):
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        pegawai = policy.pegawai_of(self.request.user)
        if pegawai is not None:
            services.pegawai_finish_password_change(pegawai=pegawai, by=pegawai)
        messages.success(self.request, "Kata sandi diganti.")
        return response


# --- the error pages (silabu/urls.py handler400/403/404/500, settings.CSRF_FAILURE_VIEW) ------------------------
# Each renders in the site's layout (templates/base.html) in Indonesian with a way home, except 500.html, which
# Django's own handler renders without a request context (templates/500.html stands on its own).


def not_found(request, exception=None):
    return render(request, "404.html", {"title": "Tidak ditemukan"}, status=404)


def forbidden(request, exception=None):
    """The 403 page: why this person may not do this. An AksesDitolak carries an Indonesian message written for
    the person; any other PermissionDenied (Django's, a library's) gets the page's general sentence."""
    message = str(exception) if isinstance(exception, AksesDitolak) else ""
    return render(request, "403.html", {"title": "Akses ditolak", "exception": message}, status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", {"title": "Permintaan tidak valid"}, status=400)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: most often a page left open past its session, or cookies
    blocked. Also with DEBUG on, so that `make run` shows what production shows."""
    return render(request, "403_csrf.html", {"title": "Formulir kedaluwarsa"}, status=403)
