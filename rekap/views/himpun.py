"""Compiling a month (SOP step 4): a confirmation page with the month's real figures (GET), and the action (POST).

Compiling freezes the month: its entries can no longer change and its verification can no longer be reopened. So
the page says how many people are verified and who is not, and asks for the reason the service requires when
anyone is left out.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kinerja.errors import AksesDitolak, DomainError
from silabu.lib.dates import format_bulan
from silabu.lib.periods import month_label

from .. import board, policy, services
from ..forms import HimpunForm
from ..models import RekapBulanan
from .bulan import MANAGE_ONLY, check_month, unverified_rows


@login_required
@require_http_methods(["GET", "POST"])
def himpun(request, year: int, month: int):
    """Compile the month: the service checks the stage and the reason; the page shows what it will freeze."""
    if not policy.can_manage_rekap(request.user):
        raise AksesDitolak(MANAGE_ONLY)
    check_month(year, month)
    me = request.pegawai
    label = format_bulan(year, month)
    if request.method == "POST":
        form = HimpunForm(request.POST)
        reason = form.cleaned_data["alasan"] if form.is_valid() else ""
        try:
            rekap = services.rekap_compile(satker=me.satker, year=year, month=month, by=me, reason=reason)
        except DomainError as exc:
            if exc.field:
                # the reason left empty: the confirmation again, with the message beside its field
                return _confirmation(request, year, month, galat={exc.field: str(exc)}, data=request.POST)
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"{label} dihimpun: {rekap.jumlah_terverifikasi} dari {rekap.jumlah_pegawai} "
                f"pegawai terverifikasi, {rekap.jumlah_entri} kegiatan.",
            )
        return redirect("rekap:bulan", year=year, month=month)
    if RekapBulanan.objects.filter(satker=me.satker, tahun=year, bulan=month).exists():
        messages.info(request, f"{label} sudah dihimpun.")
        return redirect("rekap:bulan", year=year, month=month)
    row = board.build(me.satker, year, months=[month]).months[0]
    if not policy.can_compile(request.user, row.tahap):
        messages.error(request, f"{month_label(year, month, row.tahap_label)} belum dapat dihimpun.")
        return redirect("rekap:bulan", year=year, month=month)
    return _confirmation(request, year, month, row=row)


def _confirmation(request, year: int, month: int, *, row=None, galat: dict | None = None, data=None):
    """The page that says what compiling will freeze; `galat`, a refused field's message beside it."""
    satker = request.pegawai.satker
    row = row or board.build(satker, year, months=[month]).months[0]
    unverified = unverified_rows(satker, year, month)
    form = HimpunForm(data, unverified=len(unverified)) if data else HimpunForm(unverified=len(unverified))
    if galat and "alasan" in galat:
        form.fields["alasan"].widget.attrs.update(
            {
                "class": "form-control is-invalid",
                "aria-invalid": "true",
                "aria-describedby": "id_alasan-galat",
            }
        )
    context = {
        "title": f"Himpun data kinerja {format_bulan(year, month)}",
        "year": year,
        "month": month,
        "month_label": format_bulan(year, month),
        "people": row.people,
        "verified": row.verified,
        "unverified": unverified,
        "reason_required": bool(unverified) or bool(galat),
        "form": form,
        "galat": galat or {},
    }
    return render(request, "rekap/himpun_confirm.html", context)
