"""The satker Admin's record of staff leave (cuti, sakit): days on which no entry is expected."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from silabu import policy

from .. import kalender_services as ks
from ..forms_kalender import KetidakhadiranForm
from ..models import Ketidakhadiran, Pegawai
from .kalender import PAGE_SIZE, admin_only, confirmed, saved, to_int


def _satker_leave(request):
    return Ketidakhadiran.objects.filter(pegawai__satker_id=request.pegawai.satker_id)


@admin_only
@require_GET
def ketidakhadiran_list(request):
    satker = request.pegawai.satker
    people = list(
        Pegawai.objects.asn().filter(satker=satker).order_by("-aktif", "nama").only("pk", "nama", "aktif")
    )
    chosen = to_int(request.GET.get("pegawai"), None)
    if chosen not in {p.pk for p in people}:
        chosen = None
    rows = _satker_leave(request).select_related("pegawai__subbagian").order_by("-mulai", "-pk")
    if chosen:
        rows = rows.filter(pegawai_id=chosen)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": "Ketidakhadiran pegawai",
        "tab": "ketidakhadiran",
        "page": page,
        "people": people,
        "chosen": chosen,
        "form": KetidakhadiranForm(satker=satker, initial={"pegawai": chosen}),
    }
    return render(request, "kinerja/kalender/ketidakhadiran_list.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def ketidakhadiran_create(request):
    satker = request.pegawai.satker
    if request.method == "POST":
        form = KetidakhadiranForm(request.POST, satker=satker)
        row = saved(form, lambda data: ks.ketidakhadiran_add(by=request.pegawai, **data))
        if row is not None:
            messages.success(request, f"Ketidakhadiran {row.pegawai.nama} tersimpan.")
            return redirect(
                f"{reverse('kinerja:ketidakhadiran_list')}?{urlencode({'pegawai': row.pegawai_id})}"
            )
    else:
        form = KetidakhadiranForm(
            satker=satker, initial={"pegawai": to_int(request.GET.get("pegawai"), None)}
        )
    context = {"title": "Tambah ketidakhadiran", "tab": "ketidakhadiran", "form": form}
    return render(request, "kinerja/kalender/ketidakhadiran_form.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def ketidakhadiran_delete(request, pk: int):
    row = policy.get_or_404(_satker_leave(request).select_related("pegawai"), pk=pk)
    return confirmed(
        request,
        lambda: ks.ketidakhadiran_delete(row=row, by=request.pegawai),
        done=f"Ketidakhadiran {row.pegawai.nama} dihapus.",
        back=reverse("kinerja:ketidakhadiran_list"),
        page="kinerja/kalender/ketidakhadiran_confirm_delete.html",
        context={"title": "Hapus ketidakhadiran", "tab": "ketidakhadiran", "row": row},
    )
