"""The working calendar pages of the satker Admin: the holidays here, staff leave in views/ketidakhadiran.py and
acting heads (Plt/Plh) in views/penjabat.py, which share this module's `admin_only`.

The Admin is not a Django staff user, so these are in-app pages. Each view asks the policy, fetches the
object within the Admin's satker (anything else is 404), calls kinerja.kalender_services and reports.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silabu import policy

from .. import kalender_services as ks
from ..errors import AksesDitolak, DomainError
from ..forms_kalender import HariLiburForm, HariLiburUbahForm, SeedForm
from ..models import HariLibur

PAGE_SIZE = 50
ADMIN_ONLY = "Halaman ini hanya untuk Admin satker."


def admin_only(view):
    """Signed in, and the satker Admin; everyone else gets a 403 with the reason."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not policy.can_manage_pegawai(request.user):
            raise AksesDitolak(ADMIN_ONLY)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def confirmed(request, action, *, done: str, back: str, page: str, context: dict):
    """A change behind a confirmation page: GET shows `page`; POST runs `action` (a service call), turns its
    refusal into a message or says `done`, and goes `back` to the list."""
    if request.method != "POST":
        return render(request, page, context)
    try:
        action()
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(back)


def saved(form, save):
    """What `save(cleaned_data)` (a service call) returns for a valid form; None when the form is invalid or
    the service refused, its reason then shown on the form."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except DomainError as error:
        form.add_error(None, str(error))
        return None


def to_int(value, default: int | None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _year(request, default: int) -> int:
    year = to_int(request.GET.get("tahun") or request.POST.get("tahun"), default)
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
        libur = saved(form, lambda data: ks.hari_libur_add(satker=satker, by=request.pegawai, **data))
        if libur is not None:
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
        changed = saved(form, lambda data: ks.hari_libur_update(libur=libur, by=request.pegawai, **data))
        if changed is not None:
            messages.success(request, "Perubahan hari libur tersimpan.")
            return redirect(_hari_libur_url(changed.tanggal.year))
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
    return confirmed(
        request,
        lambda: ks.hari_libur_delete(libur=libur, by=request.pegawai),
        done=f"Hari libur {libur.nama} dihapus; tanggal itu kembali menjadi hari kerja.",
        back=_hari_libur_url(libur.tanggal.year),
        page="kinerja/kalender/hari_libur_confirm_delete.html",
        context={"title": "Hapus hari libur", "tab": "hari_libur", "libur": libur},
    )


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
