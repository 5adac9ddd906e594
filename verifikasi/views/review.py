"""The review page of one person's month: decisions per entry (htmx partials), verify, reopen."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja import services as core
from kinerja.errors import AksesDitolak, DomainError
from kinerja.kalender import Day, month_summary
from kinerja.models import BuktiDukung, EntriKinerja, Pegawai, StatusEntri, TahapPeriode
from silabu.lib.dates import format_bulan, format_tanggal, month_bounds, satker_time
from silabu.policy import allows, get_or_404, refusal

from .. import policy, services
from ..models import LaporanBulanan

# Days of the month per page of the review (a day's entries stay together); a month has some 22 working days.
PAGE_DAYS = 10

STATUS_CHOICES = [
    ("", "Semua status"),
    (StatusEntri.DIAJUKAN, "Menunggu"),
    (StatusEntri.DIKEMBALIKAN, "Dikembalikan"),
    (StatusEntri.DISETUJUI, "Disetujui"),
]


@dataclass
class DayGroup:
    day: Day
    entries: list


@dataclass(frozen=True)
class Saringan:
    """What the review shows, from the page's GET parameters (a plain form: works without JavaScript):
    `status` (pending only, ...), `bukti=tanpa` (entries without evidence), `hari` (one day, YYYY-MM-DD),
    `tampilan=ringkas` (compact density) and `page`."""

    status: str = ""
    tanpa_bukti: bool = False
    hari: datetime.date | None = None
    ringkas: bool = False
    page: str = ""

    @classmethod
    def from_query(cls, query, year: int, month: int) -> "Saringan":
        status = query.get("status", "")
        try:
            hari = datetime.date.fromisoformat(query.get("hari", ""))
        except ValueError:
            hari = None
        first, last = month_bounds(year, month)
        return cls(
            status=status if status in StatusEntri.values else "",
            tanpa_bukti=query.get("bukti") == "tanpa",
            hari=hari if hari is not None and first <= hari <= last else None,
            ringkas=query.get("tampilan") == "ringkas",
            page=query.get("page", "")[:6],
        )

    @property
    def active(self) -> bool:
        return bool(self.status or self.tanpa_bukti or self.hari)

    def matches(self, entri: EntriKinerja) -> bool:
        return (not self.status or entri.status == self.status) and not (
            self.tanpa_bukti and entri.bukti.all()
        )

    def apply(self, groups: list[DayGroup]) -> list[DayGroup]:
        """The days and entries shown: one day keeps its empty state; a status or evidence filter shows only
        the days with an entry that matches."""
        if self.hari is not None:
            groups = [g for g in groups if g.day.date == self.hari]
        if self.status or self.tanpa_bukti:
            groups = [DayGroup(g.day, [e for e in g.entries if self.matches(e)]) for g in groups]
            groups = [g for g in groups if g.entries]
        return groups

    def params(self, **changes) -> dict:
        values = {
            "status": self.status,
            "bukti": "tanpa" if self.tanpa_bukti else "",
            "hari": self.hari.isoformat() if self.hari else "",
            "tampilan": "ringkas" if self.ringkas else "",
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v}

    @property
    def query(self) -> str:
        """This view's parameters, for the decision forms to come back to the same page."""
        return urlencode(self.params())

    @property
    def query_density_toggle(self) -> str:
        return urlencode(self.params(tampilan="" if self.ringkas else "ringkas"))

    @property
    def query_cleared(self) -> str:
        return urlencode(self.params(status="", bukti="", hari="", page=""))


def _pegawai(request, pegawai_id: int) -> Pegawai:
    """The person whose month is reviewed; 404 for anyone the user may not see, 403 for their own month."""
    me = request.pegawai
    pegawai = get_or_404(Pegawai.objects.with_org().filter(satker_id=me.satker_id), pk=pegawai_id)
    if pegawai.pk == me.pk:
        raise AksesDitolak("Anda tidak dapat memverifikasi data kinerja Anda sendiri.")
    if not policy.can_view_laporan(request.user, pegawai):
        raise Http404("Tidak ditemukan.")
    return pegawai


def _guarded(view):
    """A real month of a person the user may review (404 otherwise; their own month is a 403 with its reason)."""

    def wrapper(request, pegawai_id: int, year: int, month: int, **kwargs):
        if request.pegawai is None:
            raise Http404
        try:
            month_bounds(year, month)
        except ValueError:
            raise Http404("Bulan tidak dikenal.") from None
        return view(request, _pegawai(request, pegawai_id), year, month, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return login_required(wrapper)


def _verifier_only(request, pegawai: Pegawai) -> None:
    """A decision on a month is its verifier's: a reader of the month (the Sekretaris, Rendatin) is refused (403)."""
    if not policy.can_verify(request.user, pegawai):
        raise AksesDitolak("Anda bukan verifikator data kinerja pegawai ini.")


def _entries(pegawai: Pegawai, year: int, month: int):
    return (
        EntriKinerja.objects.for_month(pegawai, year, month)
        .select_related("kode_output")
        .prefetch_related(Prefetch("bukti", queryset=BuktiDukung.objects.order_by("pk")))
        .order_by("tanggal", "jam_mulai", "pk")
    )


def _context(request, pegawai: Pegawai, year: int, month: int) -> dict:
    satker = pegawai.satker
    today = satker.today()
    laporan = (
        LaporanBulanan.objects.filter(pegawai=pegawai, tahun=year, bulan=month)
        .select_related("verifikator")
        .first()
    )
    if laporan is not None:
        laporan.pegawai = pegawai  # already fetched with its organisation, which the policy reads
    entries = list(_entries(pegawai, year, month))
    for entri in entries:
        for bukti in entri.bukti.all():
            bukti.waktu_ambil_label = satker_time(satker, bukti.waktu_ambil) if bukti.waktu_ambil else ""
            bukti.isyarat = bukti.capture_cue(satker.tz, entri.tanggal)
    summary = month_summary(pegawai, year, month, today=today)
    by_day: dict = {}
    for entri in entries:
        by_day.setdefault(entri.tanggal, []).append(entri)
    groups = [DayGroup(d, by_day.get(d.date, [])) for d in summary.days if d.is_expected or d.date in by_day]
    saringan = Saringan.from_query(request.GET, year, month)
    shown = saringan.apply(groups)
    page = Paginator(shown, PAGE_DAYS).get_page(saringan.page)
    counts = {s: 0 for s in ("diajukan", "disetujui", "dikembalikan")}
    for entri in entries:
        counts[entri.status] += 1
    tahap = core.periode_tahap(satker, year, month, today=today)
    verified = laporan is not None and laporan.is_verified
    # a month nobody has opened yet has no row: ask about the one the first decision will create
    month_of = laporan or LaporanBulanan(satker=satker, pegawai=pegawai, tahun=year, bulan=month)
    me = request.pegawai
    can_decide = allows(policy.check_can_decide, month_of, by=me, tahap=tahap)
    undecided = refusal(policy.check_entries_decided, counts)  # why the month cannot be verified yet
    return {
        "title": f"{pegawai.nama} — {format_bulan(year, month)}",
        "p": pegawai,
        "year": year,
        "month": month,
        "month_label": format_bulan(year, month),
        "laporan": laporan,
        "verified": verified,
        "entries": entries,
        "groups": page.object_list,
        "page": page,
        "saringan": saringan,
        "status_choices": STATUS_CHOICES,
        "day_choices": [(g.day.date.isoformat(), format_tanggal(g.day.date, with_day=True)) for g in groups],
        "shown": sum(len(g.entries) for g in shown),
        "summary": summary,
        "counts": counts,
        "total": len(entries),
        "tahap": tahap,
        "tahap_label": TahapPeriode(tahap).label,
        "can_decide": can_decide,
        "can_verify_month": can_decide and not undecided,
        "refusal": undecided,
        "can_reopen": allows(policy.check_can_reopen, month_of, by=me, tahap=tahap),
        "deadline": services.deadline_for(satker, year, month, today),
        "history": list(services.laporan_history(laporan)[:20]) if laporan else [],
        "args": [pegawai.pk, year, month],
    }


def _back(pegawai: Pegawai, year: int, month: int, anchor: str = "", query: str = "") -> str:
    """The review page, as the verifier was looking at it (`query`: its filters) and at the entry decided."""
    url = reverse("verifikasi:periksa", args=[pegawai.pk, year, month])
    if query:
        url = f"{url}?{query}"
    return f"{url}#{anchor}" if anchor else url


@_guarded
@require_GET
def periksa(request, pegawai, year, month):
    return render(request, "verifikasi/periksa.html", _context(request, pegawai, year, month))


def _decide(request, pegawai, year, month, entri_id: int, decide):
    _verifier_only(request, pegawai)
    entri = EntriKinerja.objects.for_month(pegawai, year, month).filter(pk=entri_id).first()
    if entri is None:
        raise Http404("Tidak ditemukan.")
    error, field = None, None
    try:
        decide(services.laporan_for(pegawai, year, month), entri)
    except DomainError as exc:
        error, field = str(exc), exc.field
    if request.htmx or field:
        context = _context(request, pegawai, year, month)
        # among all the month's entries: a filter (pending only) may no longer match the one just decided
        entri = next(e for e in context["entries"] if e.pk == entri.pk)
        if field:
            entri.galat = {field: error}  # the message beside the field it is about
        if not request.htmx:
            # without JavaScript: the page again, with the message beside the empty note
            return render(request, "verifikasi/periksa.html", context)
        context.update(entri=entri, error=None if field else error, oob=True)
        return render(request, "verifikasi/_keputusan.html", context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    query = Saringan.from_query(request.GET, year, month).query
    return redirect(_back(pegawai, year, month, f"entri-{entri.pk}", query))


@_guarded
@require_POST
def setujui(request, pegawai, year, month, entri_id: int):
    def decide(laporan, entri):
        services.entri_approve(laporan=laporan, entri=entri, by=request.pegawai)

    return _decide(request, pegawai, year, month, entri_id, decide)


@_guarded
@require_POST
def kembalikan(request, pegawai, year, month, entri_id: int):
    def decide(laporan, entri):
        services.entri_return(
            laporan=laporan, entri=entri, by=request.pegawai, note=request.POST.get("catatan", "")
        )

    return _decide(request, pegawai, year, month, entri_id, decide)


@_guarded
@require_POST
def setujui_semua(request, pegawai, year, month):
    _verifier_only(request, pegawai)
    try:
        n = services.entri_approve_remaining(
            laporan=services.laporan_for(pegawai, year, month), by=request.pegawai
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{n} entri disetujui.")
    return redirect(_back(pegawai, year, month, query=Saringan.from_query(request.GET, year, month).query))


@_guarded
@require_http_methods(["GET", "POST"])
def verifikasi(request, pegawai, year, month):
    """Verify the month: a confirmation page (GET) and the action (POST)."""
    context = _context(request, pegawai, year, month)
    if request.method == "POST":
        _verifier_only(request, pegawai)
        try:
            services.laporan_verify(
                laporan=services.laporan_for(pegawai, year, month),
                by=request.pegawai,
                note=request.POST.get("catatan", ""),
            )
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect(_back(pegawai, year, month))
        messages.success(
            request, f"Data kinerja {pegawai.nama} bulan {context['month_label']} terverifikasi."
        )
        return redirect(f"{reverse('verifikasi:antrean')}?tahun={year}&bulan={month}")
    if not context["can_decide"]:
        raise Http404("Tidak ditemukan.")
    return render(request, "verifikasi/verifikasi_confirm.html", context)


@_guarded
@require_http_methods(["GET", "POST"])
def buka_kembali(request, pegawai, year, month):
    """The Sekretaris reopens a verified month, with a reason."""
    laporan = LaporanBulanan.objects.filter(pegawai=pegawai, tahun=year, bulan=month).first()
    if laporan is None or not policy.can_reopen_laporan(request.user, laporan):
        raise Http404("Tidak ditemukan.")
    context = _context(request, pegawai, year, month)
    if request.method == "POST":
        try:
            services.laporan_reopen(
                laporan=laporan, by=request.pegawai, reason=request.POST.get("alasan", "")
            )
        except DomainError as exc:
            # an empty reason is the form again (200) with the message beside it; any other refusal a 422
            if exc.field:
                context["galat"] = {exc.field: str(exc)}
                return render(request, "verifikasi/buka_kembali_confirm.html", context)
            context["error"] = str(exc)
            return render(request, "verifikasi/buka_kembali_confirm.html", context, status=422)
        messages.success(request, "Verifikasi dibuka kembali; verifikator dapat memutuskan ulang.")
        return redirect(_back(pegawai, year, month))
    return render(request, "verifikasi/buka_kembali_confirm.html", context)
