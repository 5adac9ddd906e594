"""The satker Admin's record of acting heads (Plt/Plh): who verifies and signs in a post's place, from when to when."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from silabu import policy

from .. import kalender_services as ks
from ..forms_kalender import PenjabatForm
from ..models import PenjabatSementara
from .kalender import PAGE_SIZE, admin_only, confirmed, saved


def _satker_penjabat(request):
    return PenjabatSementara.objects.filter(satker_id=request.pegawai.satker_id)


@admin_only
@require_GET
def penjabat_list(request):
    satker = request.pegawai.satker
    today = satker.today()
    rows = _satker_penjabat(request).select_related("pegawai", "subbagian__kasubag")
    # Current and upcoming appointments are few and come first; the history is paginated, newest first.
    coming = list(rows.filter(selesai__gte=today).order_by("mulai", "pk"))
    past = Paginator(rows.filter(selesai__lt=today).order_by("-mulai", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "title": "Plt/Plh",
        "tab": "penjabat",
        "today": today,
        "acting_today": [row for row in coming if row.mulai <= today],
        "coming": coming,
        "page": past,
        "sekretaris": satker.sekretaris,
        "form": PenjabatForm(satker=satker),
    }
    return render(request, "kinerja/kalender/penjabat_list.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def penjabat_create(request):
    satker = request.pegawai.satker
    if request.method == "POST":
        form = PenjabatForm(request.POST, satker=satker)

        def add(data):
            fields = {k: data[k] for k in ("pegawai", "jenis", "mulai", "selesai", "nomor_sk")}
            return ks.penjabat_add(satker=satker, subbagian=data["jabatan"], by=request.pegawai, **fields)

        row = saved(form, add)
        if row is not None:
            messages.success(request, f"{row.jenis}. {row.pegawai.nama} tersimpan.")
            return redirect("kinerja:penjabat_list")
    else:
        form = PenjabatForm(satker=satker)
    context = {"title": "Tambah Plt/Plh", "tab": "penjabat", "form": form}
    return render(request, "kinerja/kalender/penjabat_form.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def penjabat_delete(request, pk: int):
    row = policy.get_or_404(_satker_penjabat(request).select_related("pegawai", "subbagian"), pk=pk)
    return confirmed(
        request,
        lambda: ks.penjabat_delete(row=row, by=request.pegawai),
        done=f"{row.jenis}. {row.pegawai.nama} dihapus.",
        back=reverse("kinerja:penjabat_list"),
        page="kinerja/kalender/penjabat_confirm_delete.html",
        context={"title": f"Hapus {row.jenis}", "tab": "penjabat", "row": row},
    )
