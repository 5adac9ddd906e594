"""The working calendar pages of the satker Admin: holidays, staff leave and acting heads (Plt/Plh).

The Admin is not a Django staff user, so these are in-app pages. Each view asks the policy, fetches the
object within the Admin's satker (anything else is 404), calls kinerja.kalender_services and reports.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silabu import policy

from .. import kalender_services as ks
from ..errors import DomainError
from ..forms_kalender import HariLiburForm, HariLiburUbahForm, KetidakhadiranForm, PenjabatForm, SeedForm
from ..models import HariLibur, Ketidakhadiran, Pegawai, PenjabatSementara

PAGE_SIZE = 50
ADMIN_ONLY = "Halaman ini hanya untuk Admin satker."


def admin_only(view):
    """Signed in, and the satker Admin; everyone else gets a 403 with the reason."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not policy.can_manage_pegawai(request.user):
            return HttpResponseForbidden(ADMIN_ONLY)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _int(value, default: int | None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _year(request, default: int) -> int:
    year = _int(request.GET.get("tahun") or request.POST.get("tahun"), default)
    return year if 2000 <= year <= 2100 else default


# --- holidays ----------------------------------------------------------------------------------------------


def _hari_libur_url(year: int) -> str:
    return f"{reverse('kinerja:hari_libur_list')}?{urlencode({'tahun': year})}"


def _own_libur(request, pk: int) -> HariLibur:
    return policy.get_or_404(HariLibur.objects.filter(satker_id=request.pegawai.satker_id), pk=pk)


@admin_only
@require_GET
def hari_libur_list(request):
    satker = request.pegawai.satker
    this_year = satker.today().year
    year = _year(request, this_year)
    rows = HariLibur.objects.filter(satker=satker, tanggal__year=year).order_by("tanggal")
    stored = {d.year for d in HariLibur.objects.filter(satker=satker).dates("tanggal", "year")}
    context = {
        "title": f"Hari libur {year}",
        "tab": "hari_libur",
        "rows": rows,
        "year": year,
        "years": sorted({*stored, this_year, this_year + 1, year}, reverse=True),
        "form": HariLiburForm(),
    }
    return render(request, "kinerja/kalender/hari_libur_list.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def hari_libur_create(request):
    satker = request.pegawai.satker
    if request.method == "POST":
        form = HariLiburForm(request.POST)
        if form.is_valid():
            try:
                libur = ks.hari_libur_add(satker=satker, by=request.pegawai, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Hari libur {libur.nama} ditambahkan.")
                return redirect(_hari_libur_url(libur.tanggal.year))
    else:
        form = HariLiburForm()
    context = {
        "title": "Tambah hari libur",
        "tab": "hari_libur",
        "form": form,
        "year": _year(request, satker.today().year),
    }
    return render(request, "kinerja/kalender/hari_libur_form.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def hari_libur_update(request, pk: int):
    libur = _own_libur(request, pk)
    if request.method == "POST":
        form = HariLiburUbahForm(request.POST)
        if form.is_valid():
            try:
                libur = ks.hari_libur_update(libur=libur, by=request.pegawai, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Perubahan hari libur tersimpan.")
                return redirect(_hari_libur_url(libur.tanggal.year))
    else:
        form = HariLiburUbahForm(initial={"nama": libur.nama, "jenis": libur.jenis})
    context = {
        "title": "Ubah hari libur",
        "tab": "hari_libur",
        "form": form,
        "libur": libur,
        "year": libur.tanggal.year,
    }
    return render(request, "kinerja/kalender/hari_libur_form.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def hari_libur_delete(request, pk: int):
    libur = _own_libur(request, pk)
    if request.method == "POST":
        try:
            ks.hari_libur_delete(libur=libur, by=request.pegawai)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"Hari libur {libur.nama} dihapus; tanggal itu kembali menjadi hari kerja."
            )
        return redirect(_hari_libur_url(libur.tanggal.year))
    context = {"title": "Hapus hari libur", "tab": "hari_libur", "libur": libur}
    return render(request, "kinerja/kalender/hari_libur_confirm_delete.html", context)


@admin_only
@require_POST
def hari_libur_seed(request):
    satker = request.pegawai.satker
    form = SeedForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tahun tidak valid.")
        return redirect("kinerja:hari_libur_list")
    year = form.cleaned_data["tahun"]
    try:
        added = ks.hari_libur_seed(satker=satker, year=year, by=request.pegawai)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        done = "" if added else "; semua sudah tercatat"
        messages.success(request, f"Kalender nasional {year}: {added} hari libur ditambahkan{done}.")
    return redirect(_hari_libur_url(year))


# --- leave -------------------------------------------------------------------------------------------------


def _satker_leave(request):
    return Ketidakhadiran.objects.filter(pegawai__satker_id=request.pegawai.satker_id)


@admin_only
@require_GET
def ketidakhadiran_list(request):
    satker = request.pegawai.satker
    people = list(
        Pegawai.objects.asn().filter(satker=satker).order_by("-aktif", "nama").only("pk", "nama", "aktif")
    )
    chosen = _int(request.GET.get("pegawai"), None)
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
        if form.is_valid():
            try:
                row = ks.ketidakhadiran_add(by=request.pegawai, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Ketidakhadiran {row.pegawai.nama} tersimpan.")
                return redirect(
                    f"{reverse('kinerja:ketidakhadiran_list')}?{urlencode({'pegawai': row.pegawai_id})}"
                )
    else:
        form = KetidakhadiranForm(satker=satker, initial={"pegawai": _int(request.GET.get("pegawai"), None)})
    context = {"title": "Tambah ketidakhadiran", "tab": "ketidakhadiran", "form": form}
    return render(request, "kinerja/kalender/ketidakhadiran_form.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def ketidakhadiran_delete(request, pk: int):
    row = policy.get_or_404(_satker_leave(request).select_related("pegawai"), pk=pk)
    if request.method == "POST":
        try:
            ks.ketidakhadiran_delete(row=row, by=request.pegawai)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Ketidakhadiran {row.pegawai.nama} dihapus.")
        return redirect("kinerja:ketidakhadiran_list")
    context = {"title": "Hapus ketidakhadiran", "tab": "ketidakhadiran", "row": row}
    return render(request, "kinerja/kalender/ketidakhadiran_confirm_delete.html", context)


# --- acting heads ------------------------------------------------------------------------------------------


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
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = ks.penjabat_add(
                    satker=satker,
                    subbagian=data["jabatan"],
                    pegawai=data["pegawai"],
                    jenis=data["jenis"],
                    mulai=data["mulai"],
                    selesai=data["selesai"],
                    nomor_sk=data["nomor_sk"],
                    by=request.pegawai,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
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
    if request.method == "POST":
        try:
            ks.penjabat_delete(row=row, by=request.pegawai)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{row.jenis}. {row.pegawai.nama} dihapus.")
        return redirect("kinerja:penjabat_list")
    context = {"title": f"Hapus {row.jenis}", "tab": "penjabat", "row": row}
    return render(request, "kinerja/kalender/penjabat_confirm_delete.html", context)
