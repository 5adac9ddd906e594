"""In-app notices: the recipient marks one read (the list itself is on the home page)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ..models import Pemberitahuan
from ..notices import notice_mark_read


@login_required
@require_POST
def notice_read(request, pk: int):
    pegawai = request.pegawai
    if pegawai is None:
        raise Http404("Pemberitahuan tidak ditemukan.")
    # Someone else's notice is reported as missing, like every object outside the user's reach.
    notice = get_object_or_404(Pemberitahuan, pk=pk, pegawai=pegawai)
    notice_mark_read(notice=notice, by=pegawai)
    if request.htmx:
        return HttpResponse("")  # the item is swapped out of the list
    return redirect("home")
