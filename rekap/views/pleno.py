"""The *Rapat Pleno Laporan Bulanan* of a compiled month: Rendatin records it (step 5) and finalises its results
(step 6); the Sekretaris and Pimpinan read it. Once finalised, the record is shown read-only.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kinerja.errors import AksesDitolak, DomainError
from kinerja.models import Subbagian
from silabu.lib.dates import format_bulan
from silabu.policy import refusal

from .. import policy, services
from ..forms import CatatanFormSet, PlenoForm
from ..models import RapatPleno, RekapBulanan
from .bulan import MANAGE_ONLY, rekap_viewer
from .dokumen import JENIS_LABELS

PREFIX = "catatan"


def _rekap(request, year: int, month: int) -> RekapBulanan | None:
    return (
        RekapBulanan.objects.filter(satker=request.pegawai.satker, tahun=year, bulan=month)
        .select_related("satker")
        .first()
    )


def _rapat(rekap: RekapBulanan) -> RapatPleno | None:
    return (
        RapatPleno.objects.filter(rekap=rekap)
        .select_related("pimpinan_rapat", "dicatat_oleh", "difinalisasi_oleh")
        .first()
    )


def _not_compiled(request, year: int, month: int):
    messages.info(
        request, f"{format_bulan(year, month)} belum dihimpun; rapat pleno dicatat setelah dihimpun."
    )
    return redirect("rekap:bulan", year=year, month=month)


def _initial(rapat: RapatPleno | None, today) -> tuple[dict, list[dict]]:
    if rapat is None:
        return {"tanggal": today}, []
    form = {
        "tanggal": rapat.tanggal,
        "mulai": rapat.mulai,
        "selesai": rapat.selesai,
        "tempat": rapat.tempat,
        "pimpinan_rapat": rapat.pimpinan_rapat_id,
        "peserta": [p.pk for p in rapat.peserta.all()],
        "peserta_lain": rapat.peserta_lain,
        "keputusan": rapat.keputusan,
        "catatan_umum": rapat.catatan,
    }
    notes = [
        {
            "subbagian": c.subbagian_id,
            "kode_output": c.kode_output,
            "catatan": c.catatan,
            "koreksi": c.koreksi,
        }
        for c in rapat.catatan_set.all()
    ]
    return form, notes


def _notes(formset, satker) -> list[services.Catatan]:
    rows = [f.cleaned_data for f in formset if not f.is_blank]
    ids = {row["subbagian"] for row in rows if row.get("subbagian")}
    subbagian = {s.pk: s for s in Subbagian.objects.filter(satker=satker, pk__in=ids)}
    return [
        services.Catatan(
            catatan=row.get("catatan", ""),
            koreksi=row.get("koreksi", ""),
            subbagian=subbagian.get(row.get("subbagian")),
            kode_output=row.get("kode_output", ""),
        )
        for row in rows
    ]


@rekap_viewer
@require_http_methods(["GET", "POST"])
def pleno(request, year: int, month: int):
    me = request.pegawai
    can_manage = policy.can_manage_rekap(request.user)
    if request.method == "POST" and not can_manage:
        raise AksesDitolak(MANAGE_ONLY)
    rekap = _rekap(request, year, month)
    if rekap is None:
        return _not_compiled(request, year, month)
    rapat = _rapat(rekap)
    editable = policy.can_record_pleno(request.user, rapat)
    form = formset = None
    if request.method == "POST":
        if not editable:
            messages.error(request, "Hasil rapat pleno sudah difinalisasi dan tidak dapat diubah.")
            return redirect("rekap:pleno", year=year, month=month)
        form = PlenoForm(request.POST, satker=rekap.satker)
        formset = CatatanFormSet(request.POST, prefix=PREFIX, form_kwargs={"snapshot": rekap.data})
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                services.pleno_save(
                    rekap=rekap,
                    by=me,
                    tanggal=data["tanggal"],
                    tempat=data["tempat"],
                    mulai=data["mulai"],
                    selesai=data["selesai"],
                    pimpinan_rapat=data["pimpinan_rapat"],
                    peserta=list(data["peserta"]),
                    peserta_lain=data["peserta_lain"],
                    keputusan=data["keputusan"],
                    catatan_umum=data["catatan_umum"],
                    catatan=_notes(formset, rekap.satker),
                )
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Rapat pleno {format_bulan(year, month)} dicatat.")
                return redirect("rekap:pleno", year=year, month=month)
        else:
            messages.error(request, "Periksa kembali isian yang ditandai.")
    elif editable:
        initial, notes = _initial(rapat, rekap.satker.today())
        form = PlenoForm(initial=initial, satker=rekap.satker)
        formset = CatatanFormSet(initial=notes, prefix=PREFIX, form_kwargs={"snapshot": rekap.data})
    peserta = []
    if rapat is not None and not editable:
        if rapat.is_final:
            peserta = rapat.peserta_snapshot
        else:
            peserta = [{"nama": p.nama, "jabatan": p.jabatan} for p in rapat.peserta.order_by("nama")]
    context = {
        "title": f"Rapat pleno {format_bulan(year, month)}",
        "year": year,
        "month": month,
        "month_label": format_bulan(year, month),
        "rekap": rekap,
        "rapat": rapat,
        "tz": rekap.satker.zona_waktu,
        "editable": editable,
        "can_manage": can_manage,
        "form": form,
        "formset": formset,
        "peserta": peserta,
        "peserta_lain": rapat.peserta_lain.splitlines() if rapat else [],
        "notes": list(rapat.catatan_set.all()) if rapat is not None and not editable else [],
        # the record as saved before each correction (the latest version is what the page shows above)
        "versions": (
            list(rapat.versi_set.select_related("dicatat_oleh").order_by("-nomor"))[1:]
            if rapat is not None
            else []
        ),
    }
    return render(request, "rekap/pleno.html", context)


@rekap_viewer
@require_http_methods(["GET", "POST"])
def finalisasi(request, year: int, month: int):
    """Finalise the plenary's results: a confirmation page (GET) and the action (POST)."""
    if not policy.can_manage_rekap(request.user):
        raise AksesDitolak(MANAGE_ONLY)
    rekap = _rekap(request, year, month)
    if rekap is None:
        return _not_compiled(request, year, month)
    rapat = _rapat(rekap)
    if rapat is None:
        messages.error(request, "Catat dulu rapat pleno bulan ini sebelum memfinalisasi hasilnya.")
        return redirect("rekap:pleno", year=year, month=month)
    if rapat.is_final:
        messages.info(request, "Hasil rapat pleno bulan ini sudah difinalisasi.")
        return redirect("rekap:pleno", year=year, month=month)
    label = format_bulan(year, month)
    if request.method == "POST":
        try:
            services.pleno_finalise(rapat=rapat, by=request.pegawai)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("rekap:pleno", year=year, month=month)
        messages.success(
            request,
            f"Hasil rapat pleno {label} difinalisasi; bulan ini kini final dan dokumennya diarsipkan.",
        )
        return redirect("rekap:bulan", year=year, month=month)
    context = {
        "title": f"Finalisasi hasil rapat pleno {label}",
        "year": year,
        "month": month,
        "month_label": label,
        "rekap": rekap,
        "rapat": rapat,
        "notes": rapat.catatan_set.count(),
        "peserta": rapat.peserta.count(),
        # what is still missing: the page says so instead of offering a button that would only be refused
        "refusal": refusal(services.check_pleno_complete, rapat),
        "documents": [f"{JENIS_LABELS[jenis]} ({fmt.upper()})" for jenis, fmt in services.ARCHIVED_DOCUMENTS],
    }
    return render(request, "rekap/pleno_finalisasi_confirm.html", context)
