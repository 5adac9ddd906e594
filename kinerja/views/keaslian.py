"""The public verification page of a printed document (/v/<code>/): no sign-in, for anyone holding the paper.

It shows what identifies the document (title, satker, period, generation time, signatories, SHA-256) and
nothing of its content, and checks an uploaded copy byte for byte against the stored SHA-256. A code is
unguessable (silabu.lib.verification); lookups and uploads are rate-limited per browser address besides, an
unknown code is 404 and a limit reached is 429.
"""

import logging

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from silabu.lib import ratelimit, verification
from silabu.lib.dates import satker_time
from silabu.ops.security import client_ip

from .. import document_store
from ..models import Dokumen, StatusDokumen

logger = logging.getLogger(__name__)


class CekBerkasForm(forms.Form):
    berkas = forms.FileField(label="Berkas yang akan diperiksa")


def _limited(request, title: str):
    return render(
        request,
        "kinerja/keaslian_batas.html",
        {"title": title},
        status=429,
    )


@require_http_methods(["GET", "POST"])
def keaslian(request, kode: str):
    who = client_ip(request) or "-"
    if not ratelimit.hit("verify-lookup", who, settings.VERIFY_LOOKUP_RATE):
        return _limited(request, "Terlalu banyak pemeriksaan")
    code = verification.normalize(kode)
    dokumen = (
        Dokumen.objects.select_related("satker")
        .filter(kode_verifikasi=code, status=StatusDokumen.SIAP)
        .first()
        if code
        else None
    )
    if dokumen is None:
        raise Http404("Kode verifikasi tidak dikenal.")

    form = CekBerkasForm()
    result = None
    if request.method == "POST":
        if not ratelimit.hit("verify-upload", who, settings.VERIFY_UPLOAD_RATE):
            return _limited(request, "Terlalu banyak berkas diperiksa")
        form = CekBerkasForm(request.POST, request.FILES)
        if form.is_valid():
            cocok, found = document_store.dokumen_copy_matches(
                dokumen=dokumen, chunks=form.cleaned_data["berkas"].chunks()
            )
            result = {"cocok": cocok, "sha256": found}
            if not result["cocok"]:
                logger.info(
                    "A copy of document %s checked on its verification page does not match", dokumen.pk
                )

    summary = dokumen.ringkasan or {}
    context = {
        "title": "Verifikasi dokumen",
        "dokumen": dokumen,
        "kode": dokumen.kode_cetak,
        "periode": summary.get("periode", ""),
        "dibuat": summary.get("dibuat") or satker_time(dokumen.satker, dokumen.selesai_pada),
        "penandatangan": summary.get("penandatangan", []),
        "form": form,
        "result": result,
    }
    return render(request, "kinerja/keaslian.html", context)
