"""Entries saved on the phone with no signal (issue 18): the queue's page, the session probe the queue asks
before it sends, and the answers the entry form gives the queue instead of a page.

The queue itself lives on the phone (IndexedDB, static/js/antrean.js). It posts to the entry form with
`Accept: application/json` and a key of its own for each save; the form answers JSON so the phone knows what
happened: 201 with where to go next, or 422 with the server's reasons (kept with the entry on the phone).
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from silabu import policy

from ..errors import AksesDitolak
from ..models import EntriKinerja


def from_device(request) -> bool:
    """The phone's queue asks for JSON; a browser's own form post never does."""
    return "application/json" in request.headers.get("Accept", "")


def idempotency_key(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return None


def sent(entri: EntriKinerja, url: str, *, replayed: bool = False) -> JsonResponse:
    """The answer to a saved entry. A replay of the same save gets this same answer (marked in a header only)."""
    response = JsonResponse(
        {
            "entri": entri.pk,
            "tanggal": entri.tanggal.isoformat(),
            "pesan": f"Entri {entri.tanggal:%d-%m-%Y} tersimpan.",
            "url": url,
        },
        status=201,
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def refused(form) -> JsonResponse:
    """The form's errors, each with its field's label, as one message to keep beside the entry on the phone."""
    galat = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    parts = []
    for name, messages in galat.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        parts.extend(f"{label}{message}" for message in messages)
    return JsonResponse({"pesan": " ".join(parts), "galat": galat}, status=422)


@login_required
@require_GET
def halaman(request):
    """The list is read from the phone by static/js/antrean-halaman.js; the page itself holds no entry."""
    if not policy.can_create_entri(request.user):
        raise AksesDitolak("Halaman ini untuk ASN yang mengisi kinerja harian.")
    return render(request, "kinerja/antrean.html", {"title": "Entri di ponsel"})


@require_GET
@never_cache
def sesi(request):
    """Who is signed in and a CSRF token for the queue's posts: the queue sends only its owner's entries, and a
    token from a page kept offline may be stale (signing in again rotates it)."""
    if not request.user.is_authenticated:
        return JsonResponse({"masuk": f"{reverse('login')}?next={reverse('kinerja:antrean')}"}, status=401)
    return JsonResponse({"pengguna": str(request.user.pk), "csrf": get_token(request)})
