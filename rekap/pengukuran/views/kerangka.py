"""The framework pages (issue 5, Deliver 1): a year's Sasaran → Program → Kegiatan → Indikator with targets.

Rendatin manages it; the Sekretaris and Pimpinan read it; everyone else gets a 403. Objects are fetched
within the user's satker (anything else is 404). The views ask the policy, call rekap.pengukuran.kerangka
(or its impor and ekspor) and report; every change is a POST, deletions have their own confirmation page.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.errors import AksesDitolak, DomainError, ImporGagal
from silabu import policy

from .. import kerangka
from ..forms import IndikatorForm, KelompokForm, KerangkaImporForm, SalinForm
from ..kerangka import ekspor, impor
from ..models import BarisPengukuran, Indikator, Kegiatan, Program, Sasaran
from ..periode import PERIODS, periode_label

MANAGE_ONLY = "Halaman ini hanya untuk Rendatin."
VIEW_ONLY = "Halaman ini hanya untuk Rendatin, Sekretaris dan Pimpinan."
ERRORS_SHOWN = 200


can_manage_kerangka = policy.can_manage_kerangka
can_view_kerangka = policy.can_view_kerangka


def _gate(check, message: str):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise AksesDitolak(message)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


manager_only = _gate(can_manage_kerangka, MANAGE_ONLY)
viewer_only = _gate(can_view_kerangka, VIEW_ONLY)


# --- fetching within the satker ----------------------------------------------------------------------------

KELOMPOK = {
    "sasaran": (Sasaran, "satker_id", "Sasaran"),
    "program": (Program, "sasaran__satker_id", "Program"),
    "kegiatan": (Kegiatan, "program__sasaran__satker_id", "Kegiatan"),
}
CHILD = {"sasaran": "program", "program": "kegiatan", "kegiatan": "indikator"}


def _own(request, kind: str, pk: int):
    model, path, _ = KELOMPOK[kind]
    related = {"program": ["sasaran__satker"], "kegiatan": ["program__sasaran__satker"]}.get(kind, ["satker"])
    return policy.get_or_404(
        model.objects.filter(**{path: request.pegawai.satker_id}).select_related(*related), pk=pk
    )


def _own_indikator(request, pk: int) -> Indikator:
    return policy.get_or_404(
        Indikator.objects.filter(
            kegiatan__program__sasaran__satker_id=request.pegawai.satker_id
        ).select_related("kegiatan__program__sasaran__satker", "subbagian"),
        pk=pk,
    )


def _tahun_of(obj) -> int:
    if isinstance(obj, Sasaran):
        return obj.tahun
    if isinstance(obj, Program):
        return obj.sasaran.tahun
    if isinstance(obj, Kegiatan):
        return obj.program.sasaran.tahun
    return obj.kegiatan.program.sasaran.tahun


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("tahun") or request.POST.get("tahun") or default)
    except (TypeError, ValueError):
        return default
    return year if kerangka.TAHUN_MIN <= year <= kerangka.TAHUN_MAX else default


def _kerangka_url(tahun: int, anchor: str = "") -> str:
    url = f"{reverse('pengukuran:kerangka')}?{urlencode({'tahun': tahun})}"
    return f"{url}#{anchor}" if anchor else url


# --- the tree -----------------------------------------------------------------------------------------------


@viewer_only
@require_GET
def kerangka_view(request):
    satker = request.pegawai.satker
    this_year = satker.today().year
    tahun = _year(request, this_year)
    sasaran = kerangka.tree(satker, tahun)
    indikator = list(kerangka.iter_indikator(sasaran))
    used = set(
        BarisPengukuran.objects.filter(indikator_id__in=[i.pk for i in indikator])
        .values_list("indikator_id", flat=True)
        .distinct()
    )
    for ind in indikator:
        ind.dipakai = ind.pk in used
        ind.target_map = kerangka.targets_of(ind)
        ind.triwulan = [ind.target_map.get(("triwulan", n)) for n in range(1, 5)]
    stored = kerangka.tahun_tersimpan(satker)
    context = {
        "title": f"Kerangka kinerja {tahun}",
        "tahun": tahun,
        "years": sorted({*stored, this_year - 1, this_year, this_year + 1, tahun}, reverse=True),
        "sasaran_list": sasaran,
        "jumlah_indikator": len(indikator),
        "jumlah_aktif": sum(1 for i in indikator if i.aktif),
        "boleh_kelola": can_manage_kerangka(request.user),
        "bisa_salin": bool(set(stored) - {tahun}),
    }
    return render(request, "pengukuran/kerangka/kerangka.html", context)


@viewer_only
@require_GET
def indikator_detail(request, pk: int):
    indikator = _own_indikator(request, pk)
    targets = kerangka.targets_of(indikator)
    rows = [(periode_label(*key), targets.get(key)) for key in PERIODS]
    usage = (
        BarisPengukuran.objects.filter(indikator=indikator)
        .values("pengukuran__tahun", "pengukuran__jenis_periode", "pengukuran__nomor")
        .annotate(n=Count("pk"))
        .order_by("pengukuran__jenis_periode", "pengukuran__nomor")
    )
    context = {
        "title": f"Indikator {indikator.kode}",
        "indikator": indikator,
        "tahun": _tahun_of(indikator),
        "tahunan": kerangka.Target(indikator.target_tahunan, indikator.target_bawah, indikator.target_atas),
        "target_rows": rows,
        "kode_output": indikator.kode_output.order_by("kode"),
        "pemakaian": [
            periode_label(u["pengukuran__jenis_periode"], u["pengukuran__nomor"])
            + f" {u['pengukuran__tahun']}"
            for u in usage
        ],
        "boleh_kelola": can_manage_kerangka(request.user),
    }
    return render(request, "pengukuran/kerangka/indikator_detail.html", context)


# --- sasaran, program, kegiatan -----------------------------------------------------------------------------


def _kelompok_create(request, kind: str, parent):
    satker = request.pegawai.satker
    tahun = _tahun_of(parent) if parent is not None else _year(request, satker.today().year)
    label = KELOMPOK[kind][2]
    if request.method == "POST":
        form = KelompokForm(request.POST)
        if form.is_valid():
            values = form.cleaned_data
            try:
                if kind == "sasaran":
                    obj = kerangka.sasaran_create(satker=satker, tahun=tahun, by=request.pegawai, **values)
                elif kind == "program":
                    obj = kerangka.program_create(sasaran=parent, by=request.pegawai, **values)
                else:
                    obj = kerangka.kegiatan_create(program=parent, by=request.pegawai, **values)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{label} {obj.kode} ditambahkan.")
                return redirect(_kerangka_url(tahun, f"{kind}-{obj.pk}"))
    else:
        form = KelompokForm()
    context = {
        "title": f"Tambah {label.lower()}",
        "form": form,
        "tahun": tahun,
        "kind": kind,
        "parent": parent,
    }
    return render(request, "pengukuran/kerangka/kelompok_form.html", context)


@manager_only
@require_http_methods(["GET", "POST"])
def sasaran_create(request):
    return _kelompok_create(request, "sasaran", None)


@manager_only
@require_http_methods(["GET", "POST"])
def program_create(request, pk: int):
    return _kelompok_create(request, "program", _own(request, "sasaran", pk))


@manager_only
@require_http_methods(["GET", "POST"])
def kegiatan_create(request, pk: int):
    return _kelompok_create(request, "kegiatan", _own(request, "program", pk))


@manager_only
@require_http_methods(["GET", "POST"])
def kelompok_update(request, kind: str, pk: int):
    obj = _own(request, kind, pk)
    tahun = _tahun_of(obj)
    label = KELOMPOK[kind][2]
    if request.method == "POST":
        form = KelompokForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            if values["urutan"] is None:
                values["urutan"] = obj.urutan
            update = {"sasaran": kerangka.sasaran_update, "program": kerangka.program_update}.get(
                kind, kerangka.kegiatan_update
            )
            try:
                update(**{kind: obj}, by=request.pegawai, **values)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Perubahan {label.lower()} {obj.kode} tersimpan.")
                return redirect(_kerangka_url(tahun, f"{kind}-{obj.pk}"))
    else:
        form = KelompokForm(initial={"kode": obj.kode, "uraian": obj.uraian, "urutan": obj.urutan})
    context = {
        "title": f"Ubah {label.lower()} {obj.kode}",
        "form": form,
        "tahun": tahun,
        "kind": kind,
        "obj": obj,
    }
    return render(request, "pengukuran/kerangka/kelompok_form.html", context)


@manager_only
@require_http_methods(["GET", "POST"])
def kelompok_delete(request, kind: str, pk: int):
    obj = _own(request, kind, pk)
    tahun = _tahun_of(obj)
    label = KELOMPOK[kind][2]
    if request.method == "POST":
        try:
            kerangka.kelompok_delete(obj=obj, by=request.pegawai)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{label} {obj.kode} dihapus.")
        return redirect(_kerangka_url(tahun))
    context = {"title": f"Hapus {label.lower()} {obj.kode}", "obj": obj, "label": label, "tahun": tahun}
    return render(request, "pengukuran/kerangka/kelompok_confirm_delete.html", context)


# --- indicators ---------------------------------------------------------------------------------------------


def _indikator_form_page(request, form, *, title: str, tahun: int, indikator=None):
    context = {"title": title, "form": form, "tahun": tahun, "indikator": indikator}
    return render(request, "pengukuran/kerangka/indikator_form.html", context)


@manager_only
@require_http_methods(["GET", "POST"])
def indikator_create(request, pk: int):
    kegiatan = _own(request, "kegiatan", pk)
    satker, tahun = request.pegawai.satker, _tahun_of(kegiatan)
    if request.method == "POST":
        form = IndikatorForm(request.POST, satker=satker, tahun=tahun)
        if form.is_valid():
            try:
                indikator = kerangka.indikator_create(
                    kegiatan=form.cleaned_data["kegiatan"], data=form.indikator_data, by=request.pegawai
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Indikator {indikator.kode} ditambahkan.")
                return redirect(_kerangka_url(tahun, f"indikator-{indikator.pk}"))
    else:
        form = IndikatorForm(satker=satker, tahun=tahun, initial={"kegiatan": kegiatan.pk})
    return _indikator_form_page(request, form, title="Tambah indikator", tahun=tahun)


@manager_only
@require_http_methods(["GET", "POST"])
def indikator_update(request, pk: int):
    indikator = _own_indikator(request, pk)
    satker, tahun = request.pegawai.satker, _tahun_of(indikator)
    if request.method == "POST":
        form = IndikatorForm(request.POST, satker=satker, tahun=tahun, indikator=indikator)
        if form.is_valid():
            try:
                indikator = kerangka.indikator_update(
                    indikator=indikator,
                    kegiatan=form.cleaned_data["kegiatan"],
                    data=form.indikator_data,
                    by=request.pegawai,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Perubahan indikator {indikator.kode} tersimpan.")
                return redirect(_kerangka_url(tahun, f"indikator-{indikator.pk}"))
    else:
        form = IndikatorForm(
            satker=satker, tahun=tahun, indikator=indikator, initial=IndikatorForm.initial_for(indikator)
        )
    return _indikator_form_page(
        request, form, title=f"Ubah indikator {indikator.kode}", tahun=tahun, indikator=indikator
    )


@manager_only
@require_POST
def indikator_toggle(request, pk: int):
    indikator = _own_indikator(request, pk)
    wanted = request.POST.get("aktif")
    aktif = wanted == "1" if wanted in ("0", "1") else not indikator.aktif
    try:
        indikator = kerangka.indikator_set_aktif(indikator=indikator, aktif=aktif, by=request.pegawai)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        state = "diaktifkan" if indikator.aktif else "dinonaktifkan"
        messages.success(request, f"Indikator {indikator.kode} {state}.")
    return redirect(_kerangka_url(_tahun_of(indikator), f"indikator-{indikator.pk}"))


@manager_only
@require_http_methods(["GET", "POST"])
def indikator_delete(request, pk: int):
    indikator = _own_indikator(request, pk)
    tahun = _tahun_of(indikator)
    if request.method == "POST":
        try:
            kerangka.indikator_delete(indikator=indikator, by=request.pegawai)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Indikator {indikator.kode} dihapus.")
        return redirect(_kerangka_url(tahun))
    context = {
        "title": f"Hapus indikator {indikator.kode}",
        "indikator": indikator,
        "dipakai": kerangka.dipakai(indikator),
        "tahun": tahun,
    }
    return render(request, "pengukuran/kerangka/indikator_confirm_delete.html", context)


# --- copy, import, template ---------------------------------------------------------------------------------


@manager_only
@require_http_methods(["GET", "POST"])
def kerangka_salin(request):
    satker = request.pegawai.satker
    years = kerangka.tahun_tersimpan(satker)
    tahun = _year(request, satker.today().year)
    if request.method == "POST":
        form = SalinForm(request.POST, years=years)
        if form.is_valid():
            dari, ke = form.cleaned_data["dari"], form.cleaned_data["ke"]
            try:
                result = kerangka.kerangka_salin(satker=satker, dari=dari, ke=ke, by=request.pegawai)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Kerangka kinerja {dari} disalin ke {ke}: {result.summary}.")
                return redirect(_kerangka_url(ke))
    else:
        earlier = [y for y in years if y < tahun]
        dari = max(earlier) if earlier else (max(years) if years else None)
        form = SalinForm(years=years, initial={"dari": dari, "ke": tahun if dari != tahun else tahun + 1})
    context = {"title": "Salin kerangka dari tahun lain", "form": form, "tahun": tahun, "years": years}
    return render(request, "pengukuran/kerangka/salin.html", context)


@manager_only
@require_http_methods(["GET", "POST"])
def kerangka_impor(request):
    satker = request.pegawai.satker
    tahun = _year(request, satker.today().year)
    context = {"title": "Impor kerangka kinerja", "tahun": tahun, "header": impor.HEADER}
    if request.method == "POST":
        form = KerangkaImporForm(request.POST, request.FILES)
        if form.is_valid():
            upload, tahun = form.cleaned_data["berkas"], form.cleaned_data["tahun"]
            try:
                result = impor.kerangka_import(
                    satker=satker, tahun=tahun, fileobj=upload, filename=upload.name, by=request.pegawai
                )
            except ImporGagal as error:
                form.add_error(None, str(error))
                context["row_errors"] = error.errors[:ERRORS_SHOWN]
                context["more_errors"] = max(0, len(error.errors) - ERRORS_SHOWN)
            else:
                messages.success(request, f"Impor kerangka kinerja {tahun} selesai: {result.summary}.")
                return redirect(_kerangka_url(tahun))
    else:
        form = KerangkaImporForm(initial={"tahun": tahun})
    context["form"] = form
    return render(request, "pengukuran/kerangka/impor.html", context)


@viewer_only
@require_GET
def kerangka_templat(request):
    """The import template with the year's indicators filled in (an empty year: the header row only)."""
    satker = request.pegawai.satker
    tahun = _year(request, satker.today().year)
    response = HttpResponse(
        ekspor.kerangka_xlsx(satker, tahun),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{ekspor.template_filename(satker, tahun)}"'
    return response
