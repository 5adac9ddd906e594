"""A measurement's page: its stage, each step's actor and time against the mutu baku, the version history, and
the action of the current step for its actor only; and the POSTs of steps 2, 3, 5, 6, 7, 8 and 9."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from kinerja.errors import DomainError
from kinerja.models import AuditLog, Dokumen, Pegawai, Subbagian

from .. import durasi, hitung, periode, policy, services
from ..forms import CatatanForm, ManualForm
from ..models import TAHAP_LANGKAH, Indikator, Pengukuran, TahapPengukuran
from .base import detail_url, get_pengukuran, run, step_action

T = TahapPengukuran
MEASURED = (T.REKAP, T.DRAF, T.PEMERIKSAAN, T.PERSETUJUAN, T.DISETUJUI)
DOKUMEN_LABELS = {
    "pengukuran_disposisi": "Lembar disposisi",
    "pengukuran_form": "Form Data Kinerja",
    "pengukuran_kertas_kerja": "Kertas kerja pengukuran kinerja",
    "pengukuran_laporan": "Laporan hasil pengukuran kinerja",
}


def _indikator_groups(pengukuran: Pengukuran) -> list[tuple[Subbagian, list[Indikator]]]:
    """Step 2's choice: the active indicators of the satker and year, by responsible subbagian."""
    indikator = (
        Indikator.objects.filter(
            kegiatan__program__sasaran__satker=pengukuran.satker,
            kegiatan__program__sasaran__tahun=pengukuran.tahun,
            aktif=True,
        )
        .select_related("subbagian", "kegiatan__program__sasaran")
        .order_by(
            "subbagian__urutan",
            "subbagian__nama",
            "kegiatan__program__sasaran__urutan",
            "kegiatan__program__urutan",
            "kegiatan__urutan",
            "urutan",
            "kode",
        )
    )
    groups: dict[int, tuple[Subbagian, list]] = {}
    for item in indikator:
        groups.setdefault(item.subbagian_id, (item.subbagian, []))[1].append(item)
    return list(groups.values())


def _pelaksana(pengukuran: Pengukuran) -> dict:
    """Who the SOP's actors are in this satker (names shown beside the steps)."""
    satker = pengukuran.satker
    rendatin = Subbagian.objects.filter(satker=satker, is_rendatin=True).select_related("kasubag").first()
    staf = (
        list(
            Pegawai.objects.active()
            .filter(subbagian=rendatin)
            .exclude(pk=rendatin.kasubag_id)
            .order_by("nama")
        )
        if rendatin
        else []
    )
    sekretaris = Pegawai.objects.filter(pk=satker.sekretaris_id).first() if satker.sekretaris_id else None
    return {
        "sekretaris": sekretaris,
        "kasubag_rendatin": rendatin.kasubag if rendatin else None,
        "staf": staf,
    }


def _steps(pengukuran: Pengukuran) -> tuple[list, list]:
    """The recorded steps with their times, and the steps still ahead in this version."""
    recorded = durasi.durasi(pengukuran)
    mutu = durasi.mutu_baku(pengukuran.satker)
    ahead = []
    if pengukuran.tahap != T.DISETUJUI:
        ahead = [
            durasi.LangkahNanti.of(mutu[n]) for n in range(pengukuran.langkah_sekarang + 1, 11) if n in mutu
        ]
    return recorded, ahead


def _versions(pengukuran: Pengukuran) -> list:
    versions = list(pengukuran.versi_set.select_related("oleh").order_by("versi"))
    archived = defaultdict(list)
    for dokumen in (
        Dokumen.objects.archived()
        .filter(
            satker=pengukuran.satker,
            jenis__in=list(DOKUMEN_LABELS),
            params__pengukuran_id=pengukuran.pk,
        )
        .order_by("jenis", "pk")
    ):
        dokumen.label = DOKUMEN_LABELS.get(dokumen.jenis, dokumen.jenis)
        archived[dokumen.params.get("versi")].append(dokumen)
    for versi in versions:
        versi.dokumen = archived.get(versi.versi, [])
    return versions


def rekap_table(summary: hitung.Rekap) -> dict:
    """The recap as table rows (sasaran, program, kegiatan in order), each with its count per category."""
    names = summary.kategori_names

    def row(group: hitung.Kelompok, level: int) -> dict:
        counts = group.per_kategori
        return {
            "level": level,
            "nama": group.nama,
            "jumlah": len(group.rows),
            "rata_rata": group.rata_rata,
            "counts": [counts.get(k, 0) for k in names],
            "belum": counts.get("Belum terukur", 0),
        }

    rows = []
    for sasaran in summary.sasaran:
        rows.append(row(sasaran, 0))
        for program in sasaran.children.values():
            rows.append(row(program, 1))
            rows.extend(row(kegiatan, 2) for kegiatan in program.children.values())
    return {"kategori": names, "rows": rows, "total": row(summary.total, 0)}


def _forms(pengukuran: Pengukuran, me, everything: bool) -> list:
    """The forms shown with how far each is filled: all of them to whoever sees all, else the issued forms of
    one's own subbagian; each marked whether this person fills it."""
    forms = list(
        pengukuran.form_set.select_related("subbagian", "diterbitkan_oleh", "diserahkan_oleh")
        .annotate(
            jumlah=Count("baris_set"),
            terisi=Count(
                "baris_set", filter=Q(baris_set__realisasi__isnull=False) | ~Q(baris_set__keterangan="")
            ),
        )
        .order_by("subbagian__urutan", "pk")
    )
    if not everything:
        mine = policy.subbagian_ids(me)
        forms = [f for f in forms if f.subbagian_id in mine and f.diterbitkan_pada is not None]
    for form in forms:
        form.pengukuran = pengukuran
        form.saya = policy.can_fill(me, form)
    return forms


def _rows(pengukuran: Pengukuran) -> list:
    rows = list(pengukuran.baris_set.select_related("form__subbagian").order_by("urutan", "pk"))
    if pengukuran.tahap == T.PENGUKURAN:
        # Step 5 shows what the formulas give before anything is saved (in memory only).
        skala = hitung.skala_for(pengukuran.satker)
        for row in rows:
            hitung.hitung_baris(row, skala)
    return rows


def _with_manual_forms(rows: list, manual_forms: dict | None) -> None:
    """Step 5's manual capaian per row: the forms as posted, or each row's saved values."""
    manual_forms = manual_forms or {
        row.pk: ManualForm(
            prefix=f"m{row.pk}", initial={"capaian": row.capaian_manual, "alasan": row.alasan_manual}
        )
        for row in rows
    }
    for row in rows:
        row.manual_form = manual_forms[row.pk]


def _can(user, pengukuran: Pengukuran) -> dict[str, bool]:
    return {
        "draft": policy.can_draft_form(user, pengukuran),
        "issue": policy.can_issue_form(user, pengukuran),
        "measure": policy.can_measure(user, pengukuran),
        "check": policy.can_check_pengukuran(user, pengukuran),
        "decide": policy.can_decide_pengukuran(user, pengukuran),
    }


# The action a stage offers (a block of the page) and what its actor may do (a key of _can).
ACTIONS = {
    T.KONSEP: ("konsep", "draft"),
    T.FORM: ("terbit", "issue"),
    T.REKAP: ("rekap_selesai", "measure"),
    T.DRAF: ("lapor", "measure"),
    T.PEMERIKSAAN: ("kirim", "check"),
    T.PERSETUJUAN: ("putus", "decide"),
}


def _show(tahap: str, can: dict[str, bool], measuring: bool) -> dict[str, bool]:
    """Which action the page offers: the current step's, to its actor only (and step 5's measuring, which the
    recap (step 6) keeps open)."""
    show = {name: False for name, _ in ACTIONS.values()}
    if tahap in ACTIONS:
        name, needs = ACTIONS[tahap]
        show[name] = can[needs]
    show["ukur"] = measuring
    return show


def _trail(pengukuran: Pengukuran):
    return AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Pengukuran), object_id=pengukuran.pk
    ).select_related("actor__pegawai")[:50]


def context(request, pengukuran: Pengukuran, *, manual_forms: dict | None = None) -> dict:
    tahap = pengukuran.tahap
    everything = policy.sees_all_pengukuran(request.user, pengukuran)
    rows = _rows(pengukuran) if everything else []
    can = _can(request.user, pengukuran)
    measuring = everything and can["measure"] and tahap in (T.PENGUKURAN, T.REKAP)
    if measuring:
        _with_manual_forms(rows, manual_forms)
    show = _show(tahap, can, measuring)
    recorded, ahead = _steps(pengukuran)
    page = {
        "title": f"Pengukuran kinerja {periode.label(pengukuran)}",
        "p": pengukuran,
        "label": periode.label(pengukuran),
        "langkah_sekarang": TAHAP_LANGKAH[tahap],
        "everything": everything,
        "forms": _forms(pengukuran, request.pegawai, everything),
        "rows": rows,
        "tanpa_target": sum(1 for r in rows if r.target is None and r.target_bawah is None),
        "can": can,
        "show": show,
        "indikator_groups": _indikator_groups(pengukuran) if show["konsep"] else [],
        "rekap": None,
        "langkah": recorded,
        "langkah_nanti": ahead,
        "pelaksana": _pelaksana(pengukuran),
        "versions": [],
        "catatan_form": CatatanForm(),
        "trail": [],
        "tz": pengukuran.satker.tz,
        "measured": tahap in MEASURED,
    }
    if everything:
        page.update(versions=_versions(pengukuran), trail=_trail(pengukuran))
        if tahap in MEASURED:
            page["rekap"] = rekap_table(hitung.rekap(pengukuran, rows))
    return page


@login_required
@require_GET
def detail(request, pk: int):
    pengukuran = get_pengukuran(request, pk)
    return render(request, "pengukuran/detail.html", context(request, pengukuran))


# --- the steps ---------------------------------------------------------------------------------------------


@step_action(policy.can_draft_form, policy.PESAN_KASUBAG_RENDATIN)
def konsep(request, pengukuran):
    """Step 2: the chosen indicators, each into the form of its responsible subbagian."""
    ids = [int(v) for v in request.POST.getlist("indikator") if v.isdigit()]
    pilihan: dict[int, list[int]] = defaultdict(list)
    for pk, subbagian_id in Indikator.objects.filter(pk__in=ids).values_list("pk", "subbagian_id"):
        pilihan[subbagian_id].append(pk)
    missing = set(ids) - {pk for group in pilihan.values() for pk in group}
    if missing:
        messages.error(request, "Sebagian indikator yang dipilih tidak ditemukan; muat ulang halaman ini.")
        return redirect(detail_url(pengukuran))
    try:
        services.pengukuran_draft_forms(pengukuran=pengukuran, by=request.pegawai, pilihan=dict(pilihan))
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(detail_url(pengukuran, "aksi"))
    no_target = pengukuran.baris_set.filter(target__isnull=True, target_bawah__isnull=True).count()
    messages.success(
        request,
        f"Konsep form data kinerja disusun: {len(ids)} indikator. Staf Rendatin diminta menerbitkannya.",
    )
    if no_target:
        messages.warning(
            request,
            f"{no_target} indikator belum memiliki target untuk periode ini; capaiannya perlu diisi manual "
            "dengan alasan pada langkah 5.",
        )
    return redirect(detail_url(pengukuran))


@step_action(policy.can_issue_form, policy.PESAN_RENDATIN)
def terbitkan(request, pengukuran):
    return run(
        request,
        lambda: services.pengukuran_issue_forms(pengukuran=pengukuran, by=request.pegawai),
        "Form data kinerja diterbitkan ke setiap subbagian, terisi dari entri terverifikasi bila terkait.",
        detail_url(pengukuran),
    )


@step_action(policy.can_measure, policy.PESAN_RENDATIN)
def ukur(request, pengukuran):
    """Step 5: capaian by the formulas, with manual capaian (and their reasons) where given."""
    rows = list(pengukuran.baris_set.only("pk"))
    forms = {row.pk: ManualForm(request.POST, prefix=f"m{row.pk}") for row in rows}
    if not all(form.is_valid() for form in forms.values()):
        messages.error(request, "Periksa isian capaian manual yang ditandai.")
        return render(
            request,
            "pengukuran/detail.html",
            context(request, pengukuran, manual_forms=forms),
            status=422,
        )
    manual = {
        pk: (form.cleaned_data["capaian"], form.cleaned_data["alasan"])
        for pk, form in forms.items()
        if form.cleaned_data["capaian"] is not None
    }
    return run(
        request,
        lambda: services.pengukuran_measure(pengukuran=pengukuran, by=request.pegawai, manual=manual),
        "Capaian kinerja diukur dan disimpan.",
        detail_url(pengukuran, "rekap"),
    )


@step_action(policy.can_measure, policy.PESAN_RENDATIN)
def rekap_selesai(request, pengukuran):
    return run(
        request,
        lambda: services.pengukuran_recap(pengukuran=pengukuran, by=request.pegawai),
        "Rekap hasil pengukuran selesai.",
        detail_url(pengukuran),
    )


@step_action(policy.can_measure, policy.PESAN_RENDATIN)
def lapor(request, pengukuran):
    return run(
        request,
        lambda: services.pengukuran_report_draft(pengukuran=pengukuran, by=request.pegawai),
        "Draf laporan hasil pengukuran dilaporkan ke Kasubag Rendatin.",
        detail_url(pengukuran),
    )


@step_action(policy.can_check_pengukuran, policy.PESAN_KASUBAG_RENDATIN)
def kirim(request, pengukuran):
    return run(
        request,
        lambda: services.pengukuran_send(
            pengukuran=pengukuran, by=request.pegawai, catatan=request.POST.get("catatan", "")
        ),
        "Laporan hasil pengukuran dikirim ke Sekretaris.",
        detail_url(pengukuran),
    )


@step_action(policy.can_decide_pengukuran, policy.PESAN_SEKRETARIS)
def setujui(request, pengukuran):
    return run(
        request,
        lambda: services.pengukuran_approve(
            pengukuran=pengukuran, by=request.pegawai, catatan=request.POST.get("catatan", "")
        ),
        "Hasil pengukuran disetujui; dokumennya diarsipkan.",
        detail_url(pengukuran),
    )


@step_action(policy.can_decide_pengukuran, policy.PESAN_SEKRETARIS)
def kembalikan(request, pengukuran):
    return run(
        request,
        lambda: services.pengukuran_return(
            pengukuran=pengukuran, by=request.pegawai, catatan=request.POST.get("catatan", "")
        ),
        "Hasil pengukuran dikembalikan ke Rendatin untuk diperbaiki.",
        detail_url(pengukuran),
        again=lambda galat: render(
            request, "pengukuran/detail.html", {**context(request, pengukuran), "galat": galat}
        ),
    )
