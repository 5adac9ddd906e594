"""The audit trail's pages: the satker's log (filtered, paged, as XLSX) and one object's history.

Only the satker's Sekretaris and Admin read them (silabu.policy.can_view_audit); the rows are always the
reader's own satker's, so an object of another satker has no history here (404).
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from silabu import policy
from silabu.lib.dates import format_waktu_zona
from silabu.lib.download import safe_filename

from .. import audit_log
from ..errors import AksesDitolak

PAGE_SIZE = 50
SEKRETARIS_ADMIN = "Jejak audit hanya untuk Sekretaris dan Admin satker."


def _require_reader(request) -> None:
    if not policy.can_view_audit(request.user):
        raise AksesDitolak(SEKRETARIS_ADMIN)


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filters(request) -> audit_log.AuditFilter:
    get = request.GET
    return audit_log.AuditFilter(
        dari=_date(get.get("dari")),
        sampai=_date(get.get("sampai")),
        pelaku=_int(get.get("pelaku")),
        aksi=get.get("aksi", "").strip()[:60],
        jenis=_int(get.get("jenis")),
    )


@login_required
@require_GET
def audit_list(request):
    _require_reader(request)
    satker = request.pegawai.satker
    filters = _filters(request)
    page = Paginator(audit_log.log_rows(satker, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": "Jejak audit",
        "page": page,
        "rows": _shown(page.object_list, satker),
        "filters": filters,
        "choices": audit_log.filter_choices(satker),
        "query": request.GET.urlencode(),
        "satker": satker,
    }
    return render(request, "kinerja/audit/log.html", context)


@login_required
@require_GET
def audit_xlsx(request):
    _require_reader(request)
    filename, content_type, content = audit_log.export_xlsx(request.pegawai.satker, _filters(request))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    return response


@login_required
@require_GET
def audit_object(request, app_label: str, model: str, pk: int):
    _require_reader(request)
    satker = request.pegawai.satker
    content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
    if content_type is None:
        raise Http404("Tidak ditemukan.")
    rows = list(audit_log.object_rows(satker, content_type, pk))
    if not rows:  # nothing of this satker's: another satker's object, or one never changed
        raise Http404("Tidak ditemukan.")
    model_class = content_type.model_class()
    target = model_class._default_manager.filter(pk=pk).first() if model_class is not None else None
    context = {
        "title": f"Riwayat audit: {audit_log.object_label(content_type)} #{pk}",
        "target": target,
        "rows": _shown(rows, satker),
        "satker": satker,
    }
    return render(request, "kinerja/audit/object.html", context)


def _shown(rows, satker) -> list[dict]:
    return [
        {
            "row": row,
            "waktu": format_waktu_zona(row.waktu, satker.zona_waktu),
            "actor": audit_log.actor_name(row),
            "jenis": audit_log.object_label(row.content_type),
            "move": audit_log.move_text(row),
            "changes": audit_log.changes_text(row),
        }
        for row in rows
    ]
