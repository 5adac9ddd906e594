"""Supervision: who verifies whom on a given day, acting heads (Plt/Plh) included.

Staff are verified by the Kasubag of their subbagian; a Kasubag (and anyone without a subbagian) by the
Sekretaris. An acting head appointed for the post over a date range takes the holder's place on those days.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Pegawai, PenjabatSementara, Subbagian


@dataclass(frozen=True)
class Verifier:
    pegawai: Pegawai | None  # None: the post is vacant and nobody acts
    acting: str = ""  # "Plt" / "Plh" when an acting head signs
    post: str = ""  # "Kepala Subbagian Keuangan, Umum dan Logistik" / "Sekretaris"

    @property
    def sign_title(self) -> str:
        return f"{self.acting}. {self.post}" if self.acting else self.post


def _supervising_subbagian(pegawai: Pegawai) -> Subbagian | None:
    """The subbagian whose head verifies this person; None means the Sekretaris does."""
    if pegawai.subbagian_id is None or pegawai.subbagian.kasubag_id == pegawai.pk:
        return None
    return pegawai.subbagian


def verifier_for(pegawai: Pegawai, on: datetime.date) -> Verifier:
    subbagian = _supervising_subbagian(pegawai)
    acting = (
        PenjabatSementara.objects.on(on)
        .filter(satker_id=pegawai.satker_id, subbagian=subbagian)
        .select_related("pegawai")
        .order_by("-mulai")
        .first()
    )
    if subbagian is None:
        post = "Sekretaris"
        holder = pegawai.satker.sekretaris
    else:
        post = f"Kepala {subbagian.nama}"
        holder = subbagian.kasubag
    if acting is not None and acting.pegawai_id != pegawai.pk:
        return Verifier(acting.pegawai, acting.jenis, post)
    return Verifier(holder, "", post)


def supervisees(verifier: Pegawai, on: datetime.date) -> QuerySet[Pegawai]:
    """Everyone this person verifies on the given day: as holder of a post, or acting for one."""
    satker = verifier.satker
    acting_posts = list(
        PenjabatSementara.objects.on(on).filter(satker=satker, pegawai=verifier).values_list("subbagian_id", flat=True)
    )
    # Posts someone else is acting for on that day are taken from their holder.
    taken = set(
        PenjabatSementara.objects.on(on).filter(satker=satker).exclude(pegawai=verifier).values_list("subbagian_id", flat=True)
    )
    subbagian_ids: set[int] = set()
    sekretaris_post = False
    headed = Subbagian.objects.filter(kasubag=verifier).values_list("pk", flat=True).first()
    if headed is not None and headed not in taken:
        subbagian_ids.add(headed)
    if satker.sekretaris_id == verifier.pk and None not in taken:
        sekretaris_post = True
    for post in acting_posts:
        if post is None:
            sekretaris_post = True
        else:
            subbagian_ids.add(post)

    condition = Q(subbagian_id__in=subbagian_ids, subbagian_dipimpin__isnull=True)
    if sekretaris_post:
        # Kasubags, and people who belong to no subbagian (other than the Sekretaris and Pimpinan).
        condition |= Q(subbagian_dipimpin__isnull=False) | Q(subbagian__isnull=True, is_pimpinan=False)
    return (
        Pegawai.objects.active()
        .asn()
        .filter(satker=satker)
        .filter(condition)
        .exclude(pk=verifier.pk)
        .exclude(pk=satker.sekretaris_id or 0)
        .with_org()
    )

