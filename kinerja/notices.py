"""In-app notices (Pemberitahuan): reminders and other messages for one person, shown on the home page.

Senders name each notice with a key (`kunci`), so a job that runs twice on a day sends it once.
"""

from django.db.models import QuerySet
from django.utils import timezone

from .errors import DomainError
from .models import Pegawai, Pemberitahuan, Satker


class PemberitahuanDitolak(DomainError):
    """The notice is not this person's."""


def notice_send(*, pegawai: Pegawai, jenis: str, pesan: str, tautan: str = "", kunci: str) -> bool:
    """Give the person a notice unless one with the same key exists; returns whether it is new."""
    # The link is rendered as an href: only a path inside SILABU, never another site or a script.
    if tautan and (not tautan.startswith("/") or tautan.startswith("//")):
        raise ValueError(f"tautan pemberitahuan harus berupa path relatif: {tautan!r}")
    _, created = Pemberitahuan.objects.get_or_create(
        pegawai=pegawai,
        kunci=kunci,
        defaults={"satker_id": pegawai.satker_id, "jenis": jenis, "pesan": pesan, "tautan": tautan},
    )
    return created


def notices_unread(pegawai: Pegawai) -> QuerySet[Pemberitahuan]:
    """The person's unread notices, newest first."""
    return Pemberitahuan.objects.filter(pegawai=pegawai).unread().order_by("-dibuat", "-id")


def notice_mark_read(*, notice: Pemberitahuan, by: Pegawai) -> Pemberitahuan:
    """The recipient marks a notice read. Marking it again changes nothing.

    No audit row: reading a notice changes no state of the SOP, and the row itself keeps the time."""
    if notice.pegawai_id != by.pk:
        raise PemberitahuanDitolak("Pemberitahuan ini bukan untuk Anda.")
    # One conditional UPDATE: two clicks (or two tabs) keep the first time.
    now = timezone.now()
    if Pemberitahuan.objects.filter(pk=notice.pk, dibaca_pada__isnull=True).update(dibaca_pada=now):
        notice.dibaca_pada = now
    else:
        notice.refresh_from_db(fields=["dibaca_pada"])
    return notice


def notices_supersede(*, satker: Satker, jenis: str, kunci: str) -> int:
    """A daily reminder replaces the days before's: mark the satker's older unread notices of that kind read,
    so the home page shows one up-to-date list instead of a pile of stale ones. Returns how many.

    "Older" compares keys: a kind's keys end in an ISO date ("hari_kosong:2026-11-20"), so they sort by day
    and a run for a past date (--tanggal) never retires a newer notice."""
    return (
        Pemberitahuan.objects.filter(satker=satker, jenis=jenis, kunci__lt=kunci)
        .unread()
        .update(dibaca_pada=timezone.now())
    )
