"""What every measurement page shares: fetching through the policy (404 for what one may not see), the
role gate of an action (403 with the reason) and turning a service's refusal into a message."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kinerja.errors import AksesDitolak, DomainError

from .. import policy
from ..models import FormDataKinerja, Pengukuran


def pegawai_or_404(request):
    if request.pegawai is None:
        raise Http404("Tidak ditemukan.")
    return request.pegawai


def get_pengukuran(request, pk: int) -> Pengukuran:
    me = pegawai_or_404(request)
    pengukuran = (
        Pengukuran.objects.select_related("satker", "disposisi_oleh")
        .filter(pk=pk, satker_id=me.satker_id)
        .first()
    )
    if pengukuran is None or not policy.can_view_pengukuran(request.user, pengukuran):
        raise Http404("Tidak ditemukan.")
    return pengukuran


def get_form(request, pengukuran: Pengukuran, form_id: int) -> FormDataKinerja:
    form = (
        FormDataKinerja.objects.select_related("subbagian", "diterbitkan_oleh", "diserahkan_oleh")
        .filter(pk=form_id, pengukuran=pengukuran)
        .first()
    )
    if form is None:
        raise Http404("Tidak ditemukan.")
    form.pengukuran = pengukuran
    if not policy.can_view_form(request.user, form):
        raise Http404("Tidak ditemukan.")
    return form


def detail_url(pengukuran: Pengukuran, anchor: str = "") -> str:
    url = reverse("pengukuran:detail", args=[pengukuran.pk])
    return f"{url}#{anchor}" if anchor else url


def step_action(check: Callable, message: str):
    """A POST that performs one step of a measurement: the measurement must be visible (else 404) and the user
    the step's actor (else 403 with `message`)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk: int, **kwargs):
            pengukuran = get_pengukuran(request, pk)
            if not check(request.user, pengukuran):
                raise AksesDitolak(message)
            return view(request, pengukuran, **kwargs)

        return login_required(require_POST(wrapper))

    return decorator


def filler_action(view):
    """A POST on a subbagian's form by one who fills it: the form must be visible (else 404) and theirs to fill
    (else 403 with the reason)."""

    @wraps(view)
    def wrapper(request, pk: int, form_id: int):
        pengukuran = get_pengukuran(request, pk)
        form = get_form(request, pengukuran, form_id)
        if not policy.can_fill_form(request.user, form):
            raise AksesDitolak(policy.pesan_subbagian(form.subbagian))
        return view(request, pengukuran, form)

    return login_required(require_POST(wrapper))


def run(request, call: Callable, success: str, back: str, again: Callable | None = None):
    """Call a service; its refusal becomes an error message, its success a success message; then go back.
    A refusal about one field (a required note left empty) is, with `again`, the page again with the message
    beside that field: `again({field: message})`."""
    try:
        call()
    except DomainError as exc:
        if exc.field and again is not None:
            return again({exc.field: str(exc)})
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(back)
