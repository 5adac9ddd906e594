"""Master data pages: output codes (Rendatin, Admin) and staff accounts (Admin).

The work is done in kinerja.imports; these views ask the policy, call it and show the outcome. Pages that
show a temporary password are never cached, and the password is shown once: it is not stored in clear.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silabu import policy

from .. import accounts, imports, kode_output
from ..errors import AksesDitolak, DomainError, ImporGagal
from ..models import KodeOutput, normalize_nip

PAGE_SIZE = 50
ERRORS_SHOWN = 200
CODES_ONLY = "Halaman ini hanya untuk Rendatin dan Admin satker."
ADMIN_ONLY = "Halaman ini hanya untuk Admin satker."
SPREADSHEET_ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class ImportForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas XLSX atau CSV",
        widget=forms.ClearableFileInput(attrs={"accept": SPREADSHEET_ACCEPT}),
        help_text=f"Lembar pertama XLSX, atau CSV dengan pemisah koma/titik koma; maks. "
        f"{settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB.",
    )


class KodeOutputImportForm(ImportForm):
    tahun = forms.IntegerField(label="Tahun anggaran", min_value=2000, max_value=2100)
    field_order = ["tahun", "berkas"]


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _failed(form: forms.Form, error: ImporGagal) -> dict:
    """Put an import's refusal on the form; the row errors go to the page as a list."""
    form.add_error(None, str(error))
    return {
        "row_errors": error.errors[:ERRORS_SHOWN],
        "more_errors": max(0, len(error.errors) - ERRORS_SHOWN),
    }


# --- output codes ------------------------------------------------------------------------------------------


@login_required
@require_GET
def kode_output_list(request):
    if not policy.can_manage_kode_output(request.user):
        raise AksesDitolak(CODES_ONLY)
    satker = request.pegawai.satker
    this_year = satker.today().year
    year = _int(request.GET.get("tahun"), this_year)
    q = request.GET.get("q", "").strip()[:60]
    codes = (
        KodeOutput.objects.for_satker(satker, year)
        .search(q)
        .select_related("parent", "subbagian")
        .annotate(jumlah_entri=Count("entri_set", filter=Q(entri_set__satker=satker)))
        .order_by("kode", "pk")
    )
    page = Paginator(codes, PAGE_SIZE).get_page(request.GET.get("page"))
    stored_years = (
        KodeOutput.objects.filter(Q(satker=satker) | Q(satker__isnull=True))
        .order_by()
        .values_list("tahun", flat=True)
        .distinct()
    )
    context = {
        "title": f"Kode output {year}",
        "page": page,
        "year": year,
        "years": sorted({*stored_years, this_year, year}, reverse=True),
        "q": q,
    }
    return render(request, "kinerja/master/kode_output_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def kode_output_import(request):
    if not policy.can_manage_kode_output(request.user):
        raise AksesDitolak(CODES_ONLY)
    satker = request.pegawai.satker
    context = {"title": "Impor kode output"}
    if request.method == "POST":
        form = KodeOutputImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload, tahun = form.cleaned_data["berkas"], form.cleaned_data["tahun"]
            try:
                result = imports.kode_output_import(
                    satker=satker, tahun=tahun, fileobj=upload, filename=upload.name, by=request.pegawai
                )
            except ImporGagal as error:
                context.update(_failed(form, error))
            else:
                messages.success(request, f"Impor kode output {tahun} selesai: {result.summary}.")
                return redirect(f"{reverse('kinerja:kode_output_list')}?{urlencode({'tahun': tahun})}")
    else:
        year = _int(request.GET.get("tahun"), satker.today().year)
        form = KodeOutputImportForm(initial={"tahun": year})
    context["form"] = form
    return render(request, "kinerja/master/kode_output_import.html", context)


@login_required
@require_POST
def kode_output_toggle(request, pk: int):
    if not policy.can_manage_kode_output(request.user):
        raise AksesDitolak(CODES_ONLY)
    # Shared codes (no satker) belong to nobody here: they are "not found" for switching.
    kode = policy.get_or_404(KodeOutput.objects.filter(satker_id=request.pegawai.satker_id), pk=pk)
    wanted = request.POST.get("aktif")
    aktif = wanted == "1" if wanted in ("0", "1") else not kode.aktif
    try:
        kode = kode_output.kode_output_set_aktif(kode=kode, aktif=aktif, by=request.pegawai)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Kode {kode.kode} {'diaktifkan' if kode.aktif else 'dinonaktifkan'}.")
    back = {"tahun": kode.tahun}
    for key in ("q", "page"):
        if request.POST.get(key):
            back[key] = request.POST[key][:60]
    return redirect(f"{reverse('kinerja:kode_output_list')}?{urlencode(back)}")


# --- staff -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def pegawai_list(request):
    if not policy.can_manage_pegawai(request.user):
        raise AksesDitolak(ADMIN_ONLY)
    q = request.GET.get("q", "").strip()[:60]
    people = (
        policy.visible_pegawai(request.user)
        .with_org()
        .order_by(F("subbagian__urutan").asc(nulls_first=True), "nama", "pk")
    )
    if q:
        nip = normalize_nip(q)
        people = people.filter(Q(nama__icontains=q) | (Q(nip__contains=nip) if nip else Q()))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kinerja/master/pegawai_list.html", {"title": "Pegawai", "page": page, "q": q})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def pegawai_import(request):
    if not policy.can_manage_pegawai(request.user):
        raise AksesDitolak(ADMIN_ONLY)
    context = {"title": "Impor pegawai"}
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["berkas"]
            try:
                result = imports.pegawai_import(
                    satker=request.pegawai.satker, fileobj=upload, filename=upload.name, by=request.pegawai
                )
            except ImporGagal as error:
                context.update(_failed(form, error))
            else:
                # A page, not a redirect: the temporary passwords exist only in this response.
                context.update(title="Impor pegawai selesai", result=result)
                return render(request, "kinerja/master/pegawai_import_done.html", context)
    else:
        form = ImportForm()
    context["form"] = form
    return render(request, "kinerja/master/pegawai_import.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def pegawai_reset_password(request, pk: int):
    if not policy.can_manage_pegawai(request.user):
        raise AksesDitolak(ADMIN_ONLY)
    target = policy.get_or_404(
        policy.visible_pegawai(request.user).select_related("user", "subbagian"), pk=pk
    )
    if not policy.can_reset_password(request.user, target):
        raise AksesDitolak("Kata sandi Anda sendiri diganti lewat menu Kata sandi.")
    context = {"target": target, "title": f"Reset kata sandi {target.nama}"}
    if request.method == "POST":
        try:
            password = accounts.pegawai_reset_password(target=target, by=request.pegawai)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("kinerja:pegawai_list")
        context["password"] = password
        return render(request, "kinerja/master/pegawai_reset_done.html", context)
    return render(request, "kinerja/master/pegawai_reset_confirm.html", context)
