"""Generated documents off the request: ask, render in a background task, store, serve.

A later app registers a `Generator` per kind of document (`jenis`) in its AppConfig.ready(); the core knows
nothing of what is inside. `request_dokumen` reuses a stored or pending file of the same document when the
source data has not changed since (same `versi`), and otherwise enqueues `render_dokumen` with django-tasks:
the database backend's `db_worker` runs it beside the server; tests run it immediately. Who may see a document
is decided by silabu.policy.can_view_dokumen.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from .models import Dokumen, Satker, StatusDokumen

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Rendered:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Generator:
    jenis: str
    title: Callable[[Satker, dict], str]
    render: Callable[[Satker, dict, Progress], Rendered]
    # A short fingerprint of the source data; a document whose data cannot change (a frozen snapshot) may
    # return a constant.
    version: Callable[[Satker, dict], str]


GENERATORS: dict[str, Generator] = {}


def register(generator: Generator) -> None:
    GENERATORS[generator.jenis] = generator


def kunci_for(jenis: str, params: dict) -> str:
    return f"{jenis}:{json.dumps(params, sort_keys=True, separators=(',', ':'))}"


def fingerprint(*parts) -> str:
    """A stable short hash of anything printable (counts, timestamps, ids)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


def current(satker: Satker, jenis: str, params: dict) -> Dokumen | None:
    """The stored or pending document for this data as it is now, if any (an archived one first)."""
    generator = GENERATORS[jenis]
    versi = generator.version(satker, params)
    return (
        Dokumen.objects.filter(satker=satker, kunci=kunci_for(jenis, params), versi=versi)
        .exclude(status=StatusDokumen.GAGAL)
        .order_by("-arsip", "-diminta_pada", "-id")
        .first()
    )


def request_dokumen(*, satker: Satker, jenis: str, params: dict, by=None, archive_note: str = "") -> Dokumen:
    """The document for this data: the one already stored or being made, or a new one put in the queue.

    With `archive_note`, the document is the record of a finalised step: an archived copy is kept (the one
    already archived for this document, or a new one marked archived before it is even rendered).
    """
    kunci = kunci_for(jenis, params)
    if archive_note:
        existing = Dokumen.objects.filter(satker=satker, kunci=kunci, arsip=True).first()
    else:
        existing = current(satker, jenis, params)
    if existing is not None:
        return existing
    generator = GENERATORS[jenis]
    dokumen = Dokumen.objects.create(
        satker=satker,
        jenis=jenis,
        params=params,
        kunci=kunci,
        versi=generator.version(satker, params),
        judul=generator.title(satker, params),
        diminta_oleh=by,
        arsip=bool(archive_note),
        diarsipkan_pada=timezone.now() if archive_note else None,
        keterangan_arsip=archive_note[:200],
    )
    render_dokumen.enqueue(dokumen.pk)
    dokumen.refresh_from_db()  # an immediate backend (tests) has rendered it already
    return dokumen


def _progress_setter(dokumen_id: int) -> Progress:
    last = [-1]

    def set_progress(percent: int) -> None:
        percent = max(0, min(99, int(percent)))
        if percent >= last[0] + 5:  # a few writes per document, not one per row
            last[0] = percent
            Dokumen.objects.filter(pk=dokumen_id).update(progres=percent)

    return set_progress


@task()
def render_dokumen(dokumen_id: int) -> str:
    """Render one requested document and store it; a failure is recorded on the row, never lost."""
    dokumen = Dokumen.objects.select_related("satker").filter(pk=dokumen_id).first()
    if dokumen is None or dokumen.status == StatusDokumen.SIAP:
        return "skipped"
    Dokumen.objects.filter(pk=dokumen_id).update(status=StatusDokumen.DIBUAT, mulai_pada=timezone.now())
    try:
        rendered = GENERATORS[dokumen.jenis].render(
            dokumen.satker, dokumen.params, _progress_setter(dokumen_id)
        )
    except Exception as exc:
        logger.exception("Rendering %s failed", dokumen.kunci)
        Dokumen.objects.filter(pk=dokumen_id).update(
            status=StatusDokumen.GAGAL,
            pesan_galat=f"{type(exc).__name__}: {exc}"[:2000],
            selesai_pada=timezone.now(),
        )
        return "failed"
    store(dokumen, rendered)
    return "done"


def store(dokumen: Dokumen, rendered: Rendered) -> Dokumen:
    """Save the file and its SHA-256; the row turns ready, or the file is removed.

    Only the file's fields are written: an archive() made while the file was being rendered stays.
    """
    dokumen.berkas.save(rendered.filename, ContentFile(rendered.content), save=False)
    fields = {
        "berkas": dokumen.berkas.name,
        "nama_berkas": rendered.filename,
        "content_type": rendered.content_type,
        "ukuran": len(rendered.content),
        "sha256": hashlib.sha256(rendered.content).hexdigest(),
        "status": StatusDokumen.SIAP,
        "progres": 100,
        "selesai_pada": timezone.now(),
    }
    try:
        Dokumen.objects.filter(pk=dokumen.pk).update(**fields)
    except Exception:
        dokumen.berkas.delete(save=False)
        raise
    dokumen.refresh_from_db()
    return dokumen


def archive(dokumen: Dokumen, *, note: str) -> Dokumen:
    """Keep this file (ready or still being made) as the record of a finalised step: immutable from now on."""
    if dokumen.status == StatusDokumen.GAGAL:
        raise ValueError("A failed document cannot be archived.")
    Dokumen.objects.filter(pk=dokumen.pk).update(
        arsip=True, diarsipkan_pada=timezone.now(), keterangan_arsip=note[:200]
    )
    dokumen.refresh_from_db()
    return dokumen
