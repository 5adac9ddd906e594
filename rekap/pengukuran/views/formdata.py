"""Step 4: a subbagian's Form Data Kinerja — fill it (realisation, note, evidence), re-import the XLSX filled
offline, hand it in; and the evidence of a row, served only to those who may see the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.errors import DomainError, ImporGagal
from kinerja.evidence import stored_kind
from kinerja.views.evidence import evidence_response

from .. import periode, policy, services
from ..forms import FormDataImporForm, IsianBarisForm
from ..models import BarisPengukuran, FormDataKinerja, Pengukuran, TahapPengukuran
from .base import filler_action, get_form, get_pengukuran, run

MAX_IMPORT_ERRORS = 20


def form_url(form: FormDataKinerja) -> str:
    return reverse("pengukuran:form", args=[form.pengukuran_id, form.pk])


def _rows(form: FormDataKinerja) -> list[BarisPengukuran]:
    return list(form.baris_set.order_by("urutan", "pk"))


def _context(
    request, pengukuran: Pengukuran, form: FormDataKinerja, bound: dict | None = None, **extra
) -> dict:
    rows = _rows(form)
    can_fill = policy.can_fill_form(request.user, form)
    editable = can_fill and pengukuran.tahap == TahapPengukuran.PENGUMPULAN and form.diserahkan_pada is None
    for row in rows:
        row.isian = (bound or {}).get(row.pk) or IsianBarisForm(
            prefix=f"b{row.pk}", initial={"realisasi": row.realisasi, "keterangan": row.keterangan}
        )
    return {
        "title": f"Form Data Kinerja {form.subbagian.nama} — {periode.label(pengukuran)}",
        "p": pengukuran,
        "label": periode.label(pengukuran),
        "form": form,
        "rows": rows,
        "can_fill": can_fill,
        "editable": editable,
        "belum_lengkap": services.baris_belum_lengkap(rows),
        "impor_form": FormDataImporForm(),
        "sees_all": policy.sees_all_pengukuran(request.user, pengukuran),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def form_isi(request, pk: int, form_id: int):
    if request.method == "POST":
        return form_simpan(request, pk, form_id)
    pengukuran = get_pengukuran(request, pk)
    form = get_form(request, pengukuran, form_id)
    return render(request, "pengukuran/form.html", _context(request, pengukuran, form))


@filler_action
def form_simpan(request, pengukuran, form):
    """Save what was typed (all of it, or nothing); with aksi=serahkan, hand the form in too."""
    bound = {
        row.pk: IsianBarisForm(request.POST, request.FILES, prefix=f"b{row.pk}")
        for row in form.baris_set.only("pk")
    }
    if not all(f.is_valid() for f in bound.values()):
        messages.error(request, "Periksa isian yang ditandai; belum ada yang disimpan.")
        return render(request, "pengukuran/form.html", _context(request, pengukuran, form, bound), status=422)
    nilai = {
        pk: services.IsianBaris(
            realisasi=f.cleaned_data["realisasi"],
            keterangan=f.cleaned_data["keterangan"],
            bukti=f.cleaned_data["bukti"] or None,
        )
        for pk, f in bound.items()
    }
    try:
        services.form_fill(form=form, nilai=nilai, by=request.pegawai)
    except DomainError as exc:
        messages.error(request, f"{exc} Belum ada yang disimpan.")
        return render(request, "pengukuran/form.html", _context(request, pengukuran, form, bound), status=422)
    if request.POST.get("aksi") != "serahkan":
        messages.success(request, "Isian form disimpan.")
        return redirect(form_url(form))
    try:
        services.form_submit(form=form, by=request.pegawai)
    except DomainError as exc:
        messages.error(request, f"Isian disimpan, tetapi form belum dapat diserahkan: {exc}")
        return redirect(form_url(form))
    messages.success(request, _handed_in(form))
    return redirect(form_url(form))


def _handed_in(form: FormDataKinerja) -> str:
    return f"Form Data Kinerja {form.subbagian.nama} diserahkan ke Rendatin."


@filler_action
def form_serahkan(request, pengukuran, form):
    """Hand the form in as it is saved."""
    return run(
        request, lambda: services.form_submit(form=form, by=request.pegawai), _handed_in(form), form_url(form)
    )


@filler_action
def form_impor(request, pengukuran, form):
    """The form's XLSX, filled offline, read back: all of it is saved, or nothing."""
    upload = FormDataImporForm(request.POST, request.FILES)
    if not upload.is_valid():
        messages.error(request, "Pilih berkas XLSX Form Data Kinerja yang akan diimpor.")
        return redirect(form_url(form))
    try:
        services.form_import(form=form, berkas=upload.cleaned_data["berkas"], by=request.pegawai)
    except ImporGagal as exc:
        messages.error(request, f"{exc} Tidak ada yang disimpan.")
        for row, message in exc.errors[:MAX_IMPORT_ERRORS]:
            messages.error(request, f"Baris {row}: {message}" if row else message)
    except DomainError as exc:
        messages.error(request, f"{exc} Tidak ada yang disimpan.")
    else:
        messages.success(request, "Berkas form diimpor; periksa isiannya, lalu serahkan.")
    return redirect(form_url(form))


@login_required
@require_GET
def bukti(request, pk: int, baris_id: int):
    pengukuran = get_pengukuran(request, pk)
    baris = BarisPengukuran.objects.filter(pk=baris_id, pengukuran=pengukuran).first()
    if baris is None or not baris.bukti:
        raise Http404("Tidak ditemukan.")
    get_form(request, pengukuran, baris.form_id)  # 404 unless the form is visible
    # typed from what the stored bytes are (the stored name's extension came from sniffing them), never from
    # the name the user gave; always saved, never opened in the browser
    _, content_type = stored_kind(baris.bukti.name)
    return evidence_response(
        baris.bukti,
        content_type=content_type,
        filename=baris.bukti_nama or "bukti",
        download=True,
        cache="private, no-store",
    )
