"""Daily entries (SOP step 2): list, add, copy, change, delete, and the output-code search."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from silabu import policy
from silabu.lib.dates import format_bulan, nama_bulan

from .. import services
from ..errors import AksesDitolak, DomainError, EntriTidakDapatDiubah
from ..evidence import process_upload_with_settings, safe_display_name
from ..forms import EntriForm
from ..models import AuditLog, EntriKinerja, JenisBukti, KodeOutput
from . import antrean

PAGE_SIZE = 25
COPY_FIELDS = ("kode_output", "nama_kegiatan", "output_hasil", "volume", "satuan", "jam_mulai", "jam_selesai")


def _own_entri(request, pk: int) -> EntriKinerja:
    return policy.get_or_404(
        policy.visible_entri(request.user).select_related("kode_output", "pegawai"), pk=pk
    )


def _editable_entri(request, pk: int) -> EntriKinerja:
    """An entry this user may change or delete now: 404 if they may not see it, 403 if it is not theirs;
    EntriTidakDapatDiubah (the month or the entry's decision freezes it) is the caller's to show."""
    entri = _own_entri(request, pk)
    policy.check_edit_entri(request.user, entri)
    return entri


def _evidence_from_form(request, form: EntriForm) -> list[services.NewEvidence]:
    """Sniff, re-encode and check every uploaded file; the first refusal is raised as BuktiDitolak."""
    tz = request.pegawai.satker.tz
    items = []
    for upload, waktu in form.files_with_capture_times("foto"):
        items.append((upload, JenisBukti.FOTO, waktu))
    for upload, waktu in form.files_with_capture_times("berkas"):
        items.append((upload, form.cleaned_data.get("jenis_berkas") or JenisBukti.DOKUMEN, waktu))
    evidence = []
    for upload, jenis, waktu in items:
        processed = process_upload_with_settings(upload, tz=tz)
        if processed.is_image:
            jenis = JenisBukti.FOTO
        evidence.append(services.NewEvidence(processed, safe_display_name(upload.name), jenis, waktu))
    return evidence


def _years(pegawai) -> tuple[int, ...]:
    today = pegawai.satker.today()
    # In January people still log the last days of December.
    return (today.year, today.year - 1) if today.month == 1 else (today.year,)


def _recent(pegawai, limit=5):
    return (
        EntriKinerja.objects.filter(pegawai=pegawai).select_related("kode_output").order_by("-dibuat")[:limit]
    )


@login_required
@require_GET
def entri_list(request):
    pegawai = request.pegawai
    if pegawai is None or not policy.can_create_entri(request.user):
        raise AksesDitolak("Halaman ini untuk ASN yang mengisi kinerja harian.")
    today = pegawai.satker.today()
    try:
        year = int(request.GET.get("tahun", today.year))
        month = int(request.GET.get("bulan", today.month))
        datetime.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    qs = EntriKinerja.objects.for_month(pegawai, year, month).with_related().order_by("-tanggal", "-id")
    day = _day_of_month(request.GET.get("hari"), year, month)
    if day is not None:  # a day of "Bulan saya": that day's entries on one page, whatever the month holds
        qs = qs.filter(tanggal=day)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    tahap = services.periode_tahap(pegawai.satker, year, month)
    context = {
        "page": page,
        "year": year,
        "month": month,
        "day": day,
        "title": f"Entri kinerja {format_bulan(year, month)}",
        "tahap": tahap,
        "month_choices": [(m, nama_bulan(m)) for m in range(1, 13)],
    }
    return render(request, "kinerja/entri_list.html", context)


def _day_of_month(value: str | None, year: int, month: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, int(value or ""))
    except ValueError:
        return None


def _initial_for_new(request, pegawai) -> dict:
    today = pegawai.satker.today()
    initial = {"tanggal": today, "volume": 1, "satuan": "kegiatan"}
    tanggal = request.GET.get("tanggal")
    if tanggal:
        try:
            day = datetime.date.fromisoformat(tanggal)
        except ValueError:
            day = None
        if day and day <= today:
            initial["tanggal"] = day
    source_pk = request.GET.get("salin")
    if source_pk and source_pk.isdigit():
        source = EntriKinerja.objects.filter(pegawai=pegawai, pk=int(source_pk)).first()
        if source is not None:
            for field in COPY_FIELDS:
                initial[field] = getattr(source, field)
            initial["kode_output"] = source.kode_output_id
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def entri_create(request):
    pegawai = request.pegawai
    if not policy.can_create_entri(request.user):
        raise AksesDitolak("Hanya ASN yang mengisi data kinerja harian.")
    if request.method == "POST":
        key = antrean.idempotency_key(request)
        earlier = EntriKinerja.objects.replayed(pegawai, key).first()
        if earlier is not None:  # the phone sends a save again that did reach us: the first answer, once more
            return _saved(request, earlier, replayed=True)
        form = EntriForm(request.POST, request.FILES, pegawai=pegawai, years=_years(pegawai))
        if form.is_valid():
            try:
                evidence = _evidence_from_form(request, form)
                entri = services.entri_create(
                    by=pegawai, data=form.cleaned_data, evidence=evidence, idempotency_key=key
                )
            except DomainError as error:
                form.add_error(getattr(error, "field", None), str(error))
            else:
                messages.success(request, f"Entri {entri.tanggal:%d-%m-%Y} tersimpan.")
                return _saved(request, entri)
        if antrean.from_device(request):
            return antrean.refused(form)
    else:
        form = EntriForm(initial=_initial_for_new(request, pegawai), pegawai=pegawai, years=_years(pegawai))
    context = {"form": form, "recent": _recent(pegawai), "title": "Tambah entri kinerja"}
    return render(request, "kinerja/entri_form.html", context)


def _saved(request, entri: EntriKinerja, replayed: bool = False):
    if "simpan_lagi" in request.POST:
        url = f"{request.path}?salin={entri.pk}"
    else:
        url = reverse("kinerja:bulan_saya", args=[entri.tanggal.year, entri.tanggal.month])
    return antrean.sent(entri, url, replayed=replayed) if antrean.from_device(request) else redirect(url)


@login_required
@require_GET
def entri_detail(request, pk: int):
    entri = _own_entri(request, pk)
    bukti = list(entri.bukti.all())
    history = AuditLog.objects.filter(
        content_type__model="entrikinerja", content_type__app_label="kinerja", object_id=entri.pk
    ).select_related("actor__pegawai")[:20]
    context = {"entri": entri, "bukti": bukti, "history": history, "title": entri.nama_kegiatan}
    return render(request, "kinerja/entri_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entri_update(request, pk: int):
    try:
        entri = _editable_entri(request, pk)
    except EntriTidakDapatDiubah as error:
        messages.error(request, str(error))
        return redirect("kinerja:entri_detail", pk)
    years = tuple(sorted({*_years(request.pegawai), entri.tanggal.year}, reverse=True))
    bukti = list(entri.bukti.all())
    if request.method == "POST":
        form = EntriForm(request.POST, request.FILES, instance=entri, pegawai=request.pegawai, years=years)
        if form.is_valid():
            remove = [int(v) for v in request.POST.getlist("hapus_bukti") if v.isdigit()]
            try:
                evidence = _evidence_from_form(request, form)
                entri = services.entri_update(
                    entri=entri,
                    by=request.pegawai,
                    data=form.cleaned_data,
                    evidence=evidence,
                    remove_bukti=remove,
                )
            except DomainError as error:
                form.add_error(getattr(error, "field", None), str(error))
            else:
                messages.success(request, "Perubahan entri tersimpan.")
                return redirect("kinerja:entri_detail", entri.pk)
    else:
        form = EntriForm(instance=entri, pegawai=request.pegawai, years=years)
    context = {"form": form, "entri": entri, "bukti": bukti, "title": "Ubah entri kinerja"}
    return render(request, "kinerja/entri_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entri_delete(request, pk: int):
    try:
        entri = _editable_entri(request, pk)
    except EntriTidakDapatDiubah as error:
        messages.error(request, str(error))
        return redirect("kinerja:entri_detail", pk)
    if request.method == "POST":
        try:
            services.entri_delete(entri=entri, by=request.pegawai)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("kinerja:entri_detail", entri.pk)
        messages.success(request, "Entri dihapus.")
        return redirect("kinerja:bulan_saya", entri.tanggal.year, entri.tanggal.month)
    return render(request, "kinerja/entri_confirm_delete.html", {"entri": entri, "title": "Hapus entri"})


@login_required
@require_GET
def kode_output_search(request):
    """Type part of a code or description; returns <option>s for the select (htmx), or a plain list."""
    pegawai = request.pegawai
    if pegawai is None:
        raise AksesDitolak("Pencarian kode output hanya untuk pegawai satker.")
    q = request.GET.get("q", "")[:60]
    codes = KodeOutput.objects.none()
    for year in _years(pegawai):
        codes = codes | KodeOutput.objects.usable_by(pegawai, year)
    codes = codes.search(q).with_path().order_by("-tahun", "kode")[:50]
    selected = request.GET.get("kode_output", "")
    return render(
        request, "kinerja/_kode_output_options.html", {"codes": codes, "selected": selected, "q": q}
    )
