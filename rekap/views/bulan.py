"""A month at Rendatin's desk (SOP step 4): its stage, who is still unverified, the way to compile it
(views/himpun.py) and, once compiled, the frozen snapshot's summary, its documents and the month's audit trail.
"""

import functools

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja import document_store as docs
from kinerja.errors import AksesDitolak
from kinerja.models import AuditLog, Dokumen, EntriKinerja, Periode, StatusEntri, TahapPeriode
from silabu.lib.dates import format_bulan

from .. import board, policy, services
from ..models import RapatPleno, RekapBulanan
from .dokumen import JENIS_LABELS

VIEW_ONLY = "Halaman rekap hanya untuk Subbagian Rendatin, Sekretaris, dan Pimpinan."
MANAGE_ONLY = (
    "Hanya Subbagian Rendatin yang dapat menghimpun data dan mencatat serta memfinalisasi rapat pleno."
)

# The document buttons of a month: (jenis, fmt), in the order of the SOP's outputs.
MONTH_DOCUMENTS = (
    ("rekap_bulanan", "pdf"),
    ("rekap_bulanan", "xlsx"),
    ("bahan_pleno", "pdf"),
    ("hasil_pleno", "pdf"),
    ("hasil_pleno", "xlsx"),
)


def check_month(year: int, month: int) -> None:
    """A month the pages know: 404 for anything else."""
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404("Tidak ditemukan.")


def rekap_viewer(view):
    """Signed in, allowed to see the rekap pages (403 with the reason otherwise), and a real month (404)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policy.can_view_rekap(request.user):
            raise AksesDitolak(VIEW_ONLY)
        year, month = kwargs.get("year"), kwargs.get("month")
        if month is not None:
            check_month(year, month)
        return view(request, *args, **kwargs)

    return wrapper


def month_documents(rekap: RekapBulanan | None, rapat: RapatPleno | None) -> list[dict]:
    """The buttons to ask for the month's documents: none before compiling, the results once recorded."""
    if rekap is None:
        return []
    return [
        {"jenis": jenis, "fmt": fmt, "label": JENIS_LABELS[jenis]}
        for jenis, fmt in MONTH_DOCUMENTS
        if jenis != "hasil_pleno" or rapat is not None
    ]


def archived_documents(satker, year: int, month: int) -> list[Dokumen]:
    keys = [docs.kunci_for(j, {"tahun": year, "bulan": month, "fmt": f}) for j, f in MONTH_DOCUMENTS]
    return list(Dokumen.objects.archived().filter(satker=satker, kunci__in=keys).order_by("jenis", "pk"))


def audit_trail(satker, year: int, month: int, rekap, rapat) -> list[AuditLog]:
    """The month's state changes: its stage, its compilation and its plenary, oldest first."""
    targets = Q()
    periode_id = (
        Periode.objects.filter(satker=satker, tahun=year, bulan=month).values_list("pk", flat=True).first()
    )
    for model, pk in (
        (Periode, periode_id),
        (RekapBulanan, rekap and rekap.pk),
        (RapatPleno, rapat and rapat.pk),
    ):
        if pk:
            targets |= Q(content_type=ContentType.objects.get_for_model(model), object_id=pk)
    if not targets:
        return []
    rows = list(
        AuditLog.objects.filter(targets, satker=satker)
        .select_related("actor__pegawai")
        .order_by("waktu", "id")
    )
    labels = dict(TahapPeriode.choices)
    for row in rows:
        row.dari_label, row.ke_label = labels.get(row.dari, row.dari), labels.get(row.ke, row.ke)
    return rows


def unverified_rows(satker, year: int, month: int) -> list[dict]:
    """Who is not verified yet (live, before compiling), with their entries' counts."""
    people = services.unverified_people(satker, year, month)
    counts = (
        EntriKinerja.objects.filter(pegawai_id__in=[p.pk for p in people])
        .in_month(year, month)
        .status_counts("pegawai_id")
    )
    return [
        {
            "nama": p.nama,
            "nip": p.nip_display,
            "subbagian": p.subbagian.nama if p.subbagian else "Tanpa subbagian",
            "menunggu": counts[p.pk][StatusEntri.DIAJUKAN],
            "dikembalikan": counts[p.pk][StatusEntri.DIKEMBALIKAN],
            "entri": sum(counts[p.pk].values()),
        }
        for p in people
    ]


@rekap_viewer
@require_GET
def bulan(request, year: int, month: int):
    satker = request.pegawai.satker
    row = board.build(satker, year, months=[month]).months[0]
    rekap = (
        RekapBulanan.objects.filter(satker=satker, tahun=year, bulan=month)
        .select_related("dihimpun_oleh")
        .first()
    )
    rapat = (
        RapatPleno.objects.filter(rekap=rekap).select_related("difinalisasi_oleh").first()
        if rekap is not None
        else None
    )
    can_manage = policy.can_manage_rekap(request.user)
    unverified = rekap.data["belum_terverifikasi"] if rekap else unverified_rows(satker, year, month)
    can_compile = rekap is None and policy.can_compile(request.user, row.tahap)
    context = {
        "title": f"Rekap {format_bulan(year, month)}",
        "year": year,
        "month": month,
        "month_label": format_bulan(year, month),
        "row": row,
        "tz": satker.zona_waktu,
        "rekap": rekap,
        "data": rekap.data if rekap else None,
        "rapat": rapat,
        "unverified": unverified,
        "can_manage": can_manage,
        "can_compile": can_compile,
        "documents": month_documents(rekap, rapat),
        "archived": archived_documents(satker, year, month) if rapat and rapat.is_final else [],
        "trail": audit_trail(satker, year, month, rekap, rapat),
    }
    return render(request, "rekap/bulan.html", context)
