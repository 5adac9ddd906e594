"""Supervision: who verifies whom on a given day, acting heads (Plt/Plh) included.

Staff are verified by the Kasubag of their subbagian; a Kasubag (and anyone without a subbagian) by the
Sekretaris. An acting head appointed for the post over a date range takes the holder's place on those days.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Pegawai, PenjabatSementara


@dataclass(frozen=True)
class Verifier:
    pegawai: Pegawai | None  # None: the post is vacant and nobody acts
    acting: str = ""  # "Plt" / "Plh" when an acting head signs
    post: str = ""  # "Kepala Subbagian Keuangan, Umum dan Logistik" / "Sekretaris"

    @property
    def sign_title(self) -> str:
        return f"{self.acting}. {self.post}" if self.acting else self.post


def acting_posts(satker_id: int, on: datetime.date) -> dict[int | None, PenjabatSementara]:
    """The acting heads on a day, by post (subbagian id, or None for the Sekretaris post).

    The one query of "who acts for which post today"; everything about acting heads derives from it."""
    rows = (
        PenjabatSementara.objects.on(on)
        .filter(satker_id=satker_id)
        .select_related("pegawai", "subbagian")
        .order_by("mulai")
    )
    return {row.subbagian_id: row for row in rows}  # the latest appointment wins


def _verifier_with(pegawai: Pegawai, acting: dict[int | None, PenjabatSementara]) -> Verifier:
    """The rule, without queries: the head of the person's subbagian, or the Sekretaris for a Kasubag and
    for people outside any subbagian. Nobody verifies themself: an acting head's own entries go one level up."""
    if pegawai.satker.sekretaris_id == pegawai.pk:
        # The head of the secretariat has no verifier inside it.
        return Verifier(None, "", "")
    sub = pegawai.subbagian
    if sub is not None and sub.kasubag_id != pegawai.pk:
        post = f"Kepala {sub.nama}"
        row = acting.get(sub.pk)
        if row is None:
            return Verifier(sub.kasubag, "", post)
        if row.pegawai_id != pegawai.pk:
            return Verifier(row.pegawai, row.jenis, post)
    row = acting.get(None)
    if row is not None and row.pegawai_id != pegawai.pk:
        return Verifier(row.pegawai, row.jenis, "Sekretaris")
    holder = pegawai.satker.sekretaris
    if holder is None or holder.pk == pegawai.pk:
        return Verifier(None, "", "Sekretaris")
    return Verifier(holder, "", "Sekretaris")


def posts_acted_by(pegawai: Pegawai, on: datetime.date) -> dict[int | None, PenjabatSementara]:
    """The posts this person acts for (Plt/Plh) on a day: subbagian id, or None for the Sekretaris post.
    Cached on the object per day: a page asks many times."""
    cache = pegawai.__dict__.setdefault("_posts_acted_by", {})
    if on not in cache:
        cache[on] = {
            post: row
            for post, row in acting_posts(pegawai.satker_id, on).items()
            if row.pegawai_id == pegawai.pk
        }
    return cache[on]


def is_acting(pegawai: Pegawai, on: datetime.date) -> bool:
    return bool(posts_acted_by(pegawai, on))


def sekretaris_on(satker, on: datetime.date) -> Verifier:
    """Who signs as Sekretaris on a day: an acting Sekretaris (Plt/Plh), else the holder."""
    row = acting_posts(satker.pk, on).get(None)
    if row is not None:
        return Verifier(row.pegawai, row.jenis, "Sekretaris")
    return Verifier(satker.sekretaris, "", "Sekretaris")


def verifier_for(pegawai: Pegawai, on: datetime.date) -> Verifier:
    return _verifier_with(pegawai, acting_posts(pegawai.satker_id, on))


def supervisees(verifier: Pegawai, on: datetime.date) -> QuerySet[Pegawai]:
    """Everyone whose verifier on that day is this person: as holder of a post, or acting for one.

    Computed with the same rule as verifier_for over the satker's staff (tens of people, three queries),
    so the two can never disagree.
    """
    acting = acting_posts(verifier.satker_id, on)
    candidates = Pegawai.objects.active().asn().filter(satker_id=verifier.satker_id).exclude(pk=verifier.pk)
    ids = [
        p.pk
        for p in candidates.select_related("satker__sekretaris", "subbagian__kasubag")
        if (v := _verifier_with(p, acting).pegawai) is not None and v.pk == verifier.pk
    ]
    return Pegawai.objects.filter(pk__in=ids).with_org()
