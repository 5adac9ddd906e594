"""What a person must do now, gathered for the home page from every app that has work to hand out.

kinerja sits at the bottom of the one-way dependencies (DESIGN.md section 7), so it cannot ask verifikasi or
rekap itself: each app registers a provider in its AppConfig.ready(), and the home page lists what they return.
A provider answers for one person in a small, fixed number of queries, and returns nothing quickly for people
who have no part in its step.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .models import Pegawai


@dataclass(frozen=True)
class Todo:
    judul: str  # what to do, as a sentence: "Verifikasi data kinerja Oktober 2026"
    keterangan: str  # how much and by when: "3 dari 8 pegawai belum diverifikasi · tenggat Rabu, 4 November"
    tautan: str  # the page where it is done
    mendesak: bool = False  # due within a working day, or late


Provider = Callable[[Pegawai, datetime.date], Iterable[Todo]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def for_pegawai(pegawai: Pegawai, today: datetime.date) -> list[Todo]:
    """Every provider's tasks, the urgent ones first, otherwise in the order of the SOP's steps."""
    tasks = [task for provider in _providers for task in provider(pegawai, today)]
    return sorted(tasks, key=lambda t: not t.mendesak)
