"""The list of measurements with the person's to-do list on top, late steps flagged, and the Sekretaris'
disposition form (step 1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from kinerja.errors import AksesDitolak, DomainError

from .. import durasi, periode, policy, services, todos
from ..forms import DisposisiForm
from .base import detail_url, pegawai_or_404

PER_PAGE = 20


def _context(request, disposisi_form: DisposisiForm | None = None) -> dict:
    me = pegawai_or_404(request)
    satker = me.satker
    page = Paginator(
        policy.visible_pengukuran(request.user)
        .select_related("satker")
        .order_by("-tahun", "-disposisi_pada", "-pk"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    measurements = list(page.object_list)
    steps = durasi.durasi_semua(satker, measurements)
    rows = [
        {
            "p": p,
            "label": periode.label(p),
            "terlambat": [d for d in steps[p.pk] if d.terlambat],
        }
        for p in measurements
    ]
    can_dispose = policy.can_dispose_pengukuran(request.user)
    sees_all = policy.sees_all_pengukuran(request.user)
    return {
        "title": "Pengukuran kinerja",
        "tugas": todos.todo(me),
        "rows": rows,
        "page": page,
        "can_dispose": can_dispose,
        "disposisi_form": disposisi_form or (DisposisiForm() if can_dispose else None),
        "terlambat": durasi.terlambat(satker) if sees_all else [],
        "sees_all": sees_all,
    }


@login_required
@require_GET
def daftar(request):
    if not policy.can_use_pengukuran(request.user):
        raise AksesDitolak("Halaman pengukuran kinerja hanya untuk pegawai satker.")
    return render(request, "pengukuran/daftar.html", _context(request))


@login_required
@require_POST
def disposisi(request):
    """Step 1: the Sekretaris orders a measurement for a period, with an instruction."""
    me = pegawai_or_404(request)
    if not policy.can_dispose_pengukuran(request.user):
        raise AksesDitolak(policy.PESAN_SEKRETARIS)
    form = DisposisiForm(request.POST)
    if form.is_valid():
        try:
            pengukuran = services.pengukuran_dispose(satker=me.satker, by=me, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Disposisi pengukuran kinerja {periode.label(pengukuran)} dikirim ke Kasubag Rendatin.",
            )
            return redirect(detail_url(pengukuran))
    return render(request, "pengukuran/daftar.html", _context(request, form), status=422)
