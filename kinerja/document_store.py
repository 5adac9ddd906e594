"""Generated documents off the request: ask, render in a background task, store, serve, archive.

A later app registers a `Generator` per kind of document (`jenis`) in its AppConfig.ready(); the store knows
nothing of what is inside. `dokumen_request` reuses a stored or pending file of the same document when the
source data has not changed since (same `versi`), and otherwise enqueues `render_dokumen` with django-tasks:
the database backend's `db_worker` runs it beside the server; tests run it immediately. Who may see a document
is decided by silabu.policy.can_view_dokumen.

A document's life is MENUNGGU (queued) → DIBUAT (rendering) → SIAP (ready) or GAGAL (failed), and an archived
document (`arsip`) is immutable. Every change of status or of the archive flag goes through one function here,
which checks the move, locks the row and saves only the fields it changes.

While a document renders, its worker beats (`denyut_pada`, every DOKUMEN_HEARTBEAT_SECONDS from a thread of the
render). A render whose beats stopped (the worker was killed, the machine went down) is failed by the watchdog
(`dokumen_watchdog`, manage.py dokumen_watchdog) and asked again. Every attempt is a row of its own: a retry
(`dokumen_retry`, of a failed document, archived or not) is a new row naming the failed one (`ulangan_dari`), so
every failed attempt stays in the history as it failed, and a stored file is never overwritten.
"""

import datetime
import hashlib
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from silabu.lib import verification
from silabu.lib.report import Rendered, Report, format_of
from silabu.ops import stores

from . import notices
from .audit import diff, snapshot
from .errors import DomainError
from .models import Dokumen, JenisPemberitahuan, Pegawai, Satker, StatusDokumen
from .models.dokumen import STALLED
from .services import audit

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]

# Where each status may go. DIBUAT → DIBUAT is a worker taking up again a render that a crash cut short.
TRANSITIONS: dict[str, frozenset[str]] = {
    StatusDokumen.MENUNGGU: frozenset({StatusDokumen.DIBUAT}),
    StatusDokumen.DIBUAT: frozenset({StatusDokumen.DIBUAT, StatusDokumen.SIAP, StatusDokumen.GAGAL}),
    StatusDokumen.SIAP: frozenset(),
    StatusDokumen.GAGAL: frozenset(),
}


# what an audit row of a render records beside the status (not the progress, not the storage path)
AUDITED_FIELDS = ("nama_berkas", "ukuran", "sha256", "pesan_galat")
STATUS_ACTIONS = {
    StatusDokumen.DIBUAT: "dokumen_dibuat",
    StatusDokumen.SIAP: "dokumen_siap",
    StatusDokumen.GAGAL: "dokumen_gagal",
}


class DokumenTidakTersedia(DomainError):
    """What a document is about does not exist, or has not reached the step that makes the document."""


class DokumenDitolak(DomainError):
    """The document is not in a state that allows this (a failed one archived, a ready one rendered again)."""


class DokumenRusak(DomainError):
    """The stored file is no longer the one that was stored: its SHA-256 differs from the one recorded."""


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


def report_generator(
    jenis: str,
    *,
    title: Callable[[Satker, dict], str],
    build: Callable[[Satker, dict], Report],
    version: Callable[[Satker, dict], str],
    formats: Sequence[str] = ("pdf", "xlsx"),
) -> Generator:
    """A generator whose document is a silabu.lib.report.Report: the format asked for is checked first, then
    `build` reads the rows once, then the report renders itself in that format."""

    def render(satker: Satker, params: dict, progress: Progress) -> Rendered:
        fmt = format_of(params, formats)
        report = build(satker, params)
        progress(20)
        return report.render(fmt, progress)

    return Generator(jenis, title, render, version)


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


# --- asking and archiving ------------------------------------------------------------------------------------


def dokumen_request(
    *, satker: Satker, jenis: str, params: dict, by: Pegawai | None = None, archive_note: str = ""
) -> Dokumen:
    """The document for this data: the one already stored or being made, or a new one put in the queue.

    `by` is who asks (None: the system). With `archive_note`, the document is the record of a finalised step:
    an archived copy is kept (the one already archived for this document, or a new one marked archived before
    it is even rendered).
    """
    kunci = kunci_for(jenis, params)
    if archive_note:
        archived = Dokumen.objects.filter(satker=satker, kunci=kunci, arsip=True).order_by(
            "-diminta_pada", "-id"
        )
        existing = archived.exclude(status=StatusDokumen.GAGAL).first()
        if existing is None and (failed := archived.first()) is not None:
            return dokumen_retry(dokumen=failed, by=by)  # the record of that step, asked again
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
        diminta_oleh=by.user if by is not None else None,
        arsip=bool(archive_note),
        diarsipkan_pada=timezone.now() if archive_note else None,
        keterangan_arsip=archive_note[:200],
    )
    audit(
        obj=dokumen,
        actor=dokumen.diminta_oleh,
        action="dokumen_diarsipkan" if dokumen.arsip else "dokumen_diminta",
        ke=dokumen.status,
        catatan=dokumen.judul + (f"; {dokumen.keterangan_arsip}" if dokumen.arsip else ""),
        satker=satker,
        perubahan=diff(None, dokumen, ["status", "arsip", "versi", "keterangan_arsip"]),
    )
    render_dokumen.enqueue(dokumen.pk)
    dokumen.refresh_from_db()  # an immediate backend (tests) has rendered it already
    return dokumen


def dokumen_archive(*, dokumen: Dokumen, note: str, by: Pegawai | None = None) -> Dokumen:
    """Keep this file (ready or still being made) as the record of a finalised step: immutable from now on.

    An archived document stays as it was first archived (its note and time)."""
    with transaction.atomic():
        locked = Dokumen.objects.select_for_update().get(pk=dokumen.pk)
        if locked.status == StatusDokumen.GAGAL:
            raise DokumenDitolak("Dokumen yang gagal dibuat tidak dapat diarsipkan.")
        if not locked.arsip:
            locked.arsip = True
            locked.diarsipkan_pada = timezone.now()
            locked.keterangan_arsip = note[:200]
            locked.save(update_fields=["arsip", "diarsipkan_pada", "keterangan_arsip"])
            audit(
                obj=locked,
                actor=by.user if by is not None else None,
                action="dokumen_diarsipkan",
                catatan=f"{locked.judul}; {locked.keterangan_arsip}",
                satker=locked.satker,
                perubahan={"arsip": [False, True], "keterangan_arsip": ["", locked.keterangan_arsip]},
            )
    return locked


# --- rendering (the background task) ----------------------------------------------------------------------


def _move(dokumen_id: int, to: str, **fields) -> Dokumen:
    """The one place a document's status changes: the move is checked against TRANSITIONS under a row lock,
    and only the status and the given fields are saved (an archive made meanwhile stays)."""
    with transaction.atomic():
        dokumen = Dokumen.objects.select_for_update().get(pk=dokumen_id)
        if to not in TRANSITIONS[dokumen.status]:
            raise DokumenDitolak(
                f"Dokumen berstatus {dokumen.get_status_display()} tidak dapat menjadi {to}."
            )
        was = dokumen.status
        before = snapshot(dokumen, AUDITED_FIELDS)
        dokumen.status = to
        for name, value in fields.items():
            setattr(dokumen, name, value)
        dokumen.save(update_fields=["status", *fields])
        audit(
            obj=dokumen,
            actor=None,  # the background worker
            action=STATUS_ACTIONS[to],
            dari=was,
            ke=to,
            catatan=dokumen.pesan_galat if to == StatusDokumen.GAGAL else "",
            perubahan={
                "status": [was, to],
                **diff(before, dokumen, [f for f in fields if f in AUDITED_FIELDS]),
            },
        )
    return dokumen


def dokumen_start(*, dokumen_id: int) -> Dokumen:
    """Queued → rendering, with its first beat."""
    now = timezone.now()
    return _move(dokumen_id, StatusDokumen.DIBUAT, mulai_pada=now, denyut_pada=now, progres=0)


def dokumen_heartbeat(*, dokumen_id: int) -> bool:
    """The worker is still rendering this document; False when it is no longer being rendered (finished, or
    failed by the watchdog meanwhile)."""
    # a beat is no change of state: one timestamp of a row being rendered, like its progress
    return bool(
        Dokumen.objects.filter(pk=dokumen_id, status=StatusDokumen.DIBUAT).update(denyut_pada=timezone.now())
    )


def dokumen_fail(*, dokumen_id: int, error: Exception) -> Dokumen:
    """Rendering → failed, with the error recorded on the row (never lost)."""
    return _move(
        dokumen_id,
        StatusDokumen.GAGAL,
        pesan_galat=f"{type(error).__name__}: {error}"[:2000],
        selesai_pada=timezone.now(),
    )


def verification_url(dokumen: Dokumen) -> str:
    """The absolute address of a document's public verification page, as its footer prints it."""
    path = reverse("keaslian", kwargs={"kode": dokumen.kode_cetak})
    return settings.SITE_URL.rstrip("/") + path


def dokumen_store(*, dokumen: Dokumen, rendered: Rendered, summary: dict | None = None) -> Dokumen:
    """Rendering → ready: the file saved with its SHA-256 (of the bytes that print the verification code) and
    what the public verification page shows of it. If the row cannot take it, the file is removed."""
    dokumen.berkas.save(rendered.filename, ContentFile(rendered.content), save=False)
    try:
        stored = _move(
            dokumen.pk,
            StatusDokumen.SIAP,
            berkas=dokumen.berkas.name,
            nama_berkas=rendered.filename,
            content_type=rendered.content_type,
            ukuran=len(rendered.content),
            sha256=hashlib.sha256(rendered.content).hexdigest(),
            progres=100,
            selesai_pada=timezone.now(),
            ringkasan=summary or {},
        )
    except Exception:
        dokumen.berkas.delete(save=False)
        raise
    return stored


def _progress_setter(dokumen_id: int) -> Progress:
    last = [-1]

    def set_progress(percent: int) -> None:
        percent = max(0, min(99, int(percent)))
        if percent >= last[0] + 5:  # a few writes per document, not one per row
            last[0] = percent
            # progress is no change of state: one field of a row being rendered (and a beat)
            Dokumen.objects.filter(pk=dokumen_id, status=StatusDokumen.DIBUAT).update(
                progres=percent, denyut_pada=timezone.now()
            )

    return set_progress


class _Beating:
    """Beats for a document from a thread of its own while the render runs: a long layout that reports no progress
    for minutes is still seen alive, and a worker that dies stops beating with it. Off with
    DOKUMEN_HEARTBEAT_SECONDS = 0 (the tests render in the request's thread and database transaction)."""

    def __init__(self, dokumen_id: int, seconds: float):
        self.dokumen_id = dokumen_id
        self.seconds = seconds
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"dokumen-{dokumen_id}-heartbeat", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stopped.wait(self.seconds):
                try:
                    if not dokumen_heartbeat(dokumen_id=self.dokumen_id):
                        return
                except Exception:  # a beat missed is not a render failed; the next one may get through
                    logger.warning("Heartbeat of document %s not written", self.dokumen_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self) -> "_Beating":
        if self.seconds > 0:
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=10)


@task()
def render_dokumen(dokumen_id: int) -> str:
    """Render one requested document and store it; a failure is recorded on the row, never lost."""
    dokumen = Dokumen.objects.select_related("satker").filter(pk=dokumen_id).first()
    if dokumen is None or not TRANSITIONS[dokumen.status]:
        return "skipped"  # gone, or already ready or failed
    try:
        dokumen_start(dokumen_id=dokumen_id)
    except DokumenDitolak:
        return "skipped"  # another worker finished it meanwhile
    stamp = verification.Stamp(code=dokumen.kode_verifikasi, url=verification_url(dokumen))
    try:
        with verification.stamping(stamp), _Beating(dokumen_id, settings.DOKUMEN_HEARTBEAT_SECONDS):
            rendered = GENERATORS[dokumen.jenis].render(
                dokumen.satker, dokumen.params, _progress_setter(dokumen_id)
            )
    except Exception as exc:
        logger.exception("Rendering %s failed", dokumen.kunci)
        dokumen_fail(dokumen_id=dokumen_id, error=exc)
        return "failed"
    dokumen_store(dokumen=dokumen, rendered=rendered, summary=stamp.summary)
    return "done"


# --- retries and the watchdog -----------------------------------------------------------------------------------


def _actor(by: Pegawai | None):
    return by.user if by is not None else None


# what the audit row of a retry records of the new row: its status, the attempt it repeats, what it is of
RETRY_FIELDS = ("status", "ulangan_dari", "versi", "arsip")


def dokumen_retry(*, dokumen: Dokumen, by: Pegawai | None = None) -> Dokumen:
    """A failed document asked for again, archived or not: a new row that names the failed one, which stays as it
    failed (every failed attempt is kept). A failed archived document's retry is the archived record of the same
    step (same data version, note and archiving time); any other gets the data as it is now, or the document
    already stored or being made for it. Asked twice, the same retry."""
    with transaction.atomic():
        failed = Dokumen.objects.select_for_update().get(pk=dokumen.pk)
        if failed.status != StatusDokumen.GAGAL:
            raise DokumenDitolak("Hanya dokumen yang gagal dibuat yang dapat dicoba lagi.")
        again = failed.ulangan.order_by("-id").first()
        if again is not None:
            return again
        if not failed.arsip and (fresh := current(failed.satker, failed.jenis, failed.params)) is not None:
            return fresh
        generator = GENERATORS[failed.jenis]
        retry = Dokumen.objects.create(
            satker=failed.satker,
            jenis=failed.jenis,
            params=failed.params,
            kunci=failed.kunci,
            versi=failed.versi if failed.arsip else generator.version(failed.satker, failed.params),
            judul=failed.judul if failed.arsip else generator.title(failed.satker, failed.params),
            diminta_oleh=_actor(by) or failed.diminta_oleh,
            arsip=failed.arsip,
            diarsipkan_pada=failed.diarsipkan_pada,
            keterangan_arsip=failed.keterangan_arsip,
            ulangan_dari=failed,
        )
        audit(
            obj=retry,
            actor=_actor(by),
            action="dokumen_diulang",
            dari=StatusDokumen.GAGAL,
            ke=StatusDokumen.MENUNGGU,
            catatan=f"Percobaan ulang dokumen #{failed.pk}: {failed.pesan_galat}"[:1000],
            satker=failed.satker,
            perubahan=diff(None, retry, RETRY_FIELDS),
        )
    render_dokumen.enqueue(retry.pk)
    retry.refresh_from_db()  # an immediate backend (tests) has rendered it already
    return retry


def stalled(now: datetime.datetime | None = None):
    """The documents being rendered whose last beat is older than DOKUMEN_STALL_SECONDS."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.DOKUMEN_STALL_SECONDS)
    return (
        Dokumen.objects.filter(status=StatusDokumen.DIBUAT)
        .alias(beat=Coalesce("denyut_pada", "mulai_pada", "diminta_pada"))
        .filter(beat__lt=cutoff)
        .order_by("id")
    )


def dokumen_stall(*, dokumen_id: int, now: datetime.datetime | None = None) -> Dokumen | None:
    """Rendering → failed for a render whose worker stopped beating (checked again under the row lock); None when
    it beat meanwhile or is no longer being rendered."""
    now = now or timezone.now()
    with transaction.atomic():
        dokumen = stalled(now).filter(pk=dokumen_id).select_for_update().first()
        if dokumen is None:
            return None
        last = dokumen.denyut_pada or dokumen.mulai_pada
        before = dokumen.pesan_galat
        failed = _move(
            dokumen_id,
            StatusDokumen.GAGAL,
            pesan_galat=f"{STALLED}: pekerja tidak lagi mengirim denyut sejak {last:%Y-%m-%d %H:%M:%S %Z}.",
            selesai_pada=now,
        )
        audit(
            obj=failed,
            actor=None,
            action="dokumen_terhenti",
            dari=StatusDokumen.DIBUAT,
            ke=StatusDokumen.GAGAL,
            catatan=failed.pesan_galat,
            satker=failed.satker,
            perubahan={
                "status": [StatusDokumen.DIBUAT, StatusDokumen.GAGAL],
                "pesan_galat": [before, failed.pesan_galat],
            },
        )
    return failed


def dokumen_watchdog(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[tuple[Dokumen, Dokumen | None]]:
    """Every render whose worker stopped beating: failed (kept as it failed) and asked again, unless it already
    stalled DOKUMEN_MAX_STALLS times in a row (then it stays failed, for a person to retry). Returns (the stalled
    row, its retry or None)."""
    done = []
    for dokumen in list(stalled(now)):
        if dry_run:
            done.append((dokumen, None))
            continue
        failed = dokumen_stall(dokumen_id=dokumen.pk, now=now)
        if failed is None:
            continue
        stalls = sum(1 for row in failed.attempts() if row.pesan_galat.startswith(STALLED))
        if stalls >= settings.DOKUMEN_MAX_STALLS:
            logger.error("Document %s stalled %s times; left failed", failed.pk, stalls)
            done.append((failed, None))
            continue
        done.append((failed, dokumen_retry(dokumen=failed)))
    return done


# --- serving: every download re-checks the file ---------------------------------------------------------------


def dokumen_copy_matches(*, dokumen: Dokumen, chunks) -> tuple[bool, str]:
    """Whether a copy someone holds (its bytes, in chunks) is the document as stored: (matches, its SHA-256)."""
    found, _size = stores.sha256_chunks(chunks)
    return found == dokumen.sha256, found


def dokumen_open_checked(*, dokumen: Dokumen, by=None):
    """The stored file of a ready document, opened for reading once it has been re-read and found to be the one
    stored (its recorded SHA-256). A file that differs is refused with DokumenRusak, logged as an error, audited
    and reported to the satker's Admins; a missing one raises FileNotFoundError.

    `by` is the User who asked (for the audit row)."""
    if dokumen.sha256:
        found, _size = stores.sha256_of(dokumen.berkas.storage, dokumen.berkas.name)
        if found != dokumen.sha256:
            dokumen_report_corrupt(dokumen=dokumen, found=found, by=by)
            raise DokumenRusak(
                "Berkas dokumen ini tidak lagi sama dengan yang disimpan saat dibuat (SHA-256 berbeda), "
                "sehingga tidak diunduhkan. Admin satker sudah diberi tahu."
            )
    return dokumen.berkas.open("rb")


def dokumen_report_corrupt(*, dokumen: Dokumen, found: str, by=None) -> None:
    """A stored file that no longer matches its SHA-256: an error in the log, an audit row, and a notice to
    each active Admin of the satker (once per corruption found)."""
    logger.error(
        "Stored document %s (%s) does not match its SHA-256: recorded %s, stored %s",
        dokumen.pk,
        dokumen.berkas.name,
        dokumen.sha256,
        found,
    )
    audit(
        obj=dokumen,
        actor=by,
        action="dokumen_rusak",
        catatan=f"SHA-256 tercatat {dokumen.sha256}, berkas tersimpan {found}",
        satker=dokumen.satker,
        perubahan={"sha256": [dokumen.sha256, found]},  # the stored bytes' hash: recorded → found now
    )
    for admin in Pegawai.objects.filter(satker=dokumen.satker, is_admin=True, aktif=True):
        notices.notice_send(
            pegawai=admin,
            jenis=JenisPemberitahuan.LAINNYA,
            pesan=f'Berkas dokumen "{dokumen.judul}" rusak atau diubah: SHA-256-nya tidak cocok lagi. '
            "Periksa penyimpanan (manage.py verify_storage) dan pulihkan dari cadangan.",
            tautan=reverse("kinerja:dokumen", kwargs={"pk": dokumen.pk}),
            kunci=f"dokumen_rusak:{dokumen.pk}:{found[:16]}",
        )
