"""A satker's category scale (SkalaKategori), kept in the Django admin: each change checked and audited.

The scale names the category of each measured row when it is measured; a decided version keeps the category it
was given, so changing the scale changes only measurements made afterwards.
"""

from django.db import transaction

from kinerja.errors import DomainError
from kinerja.master_services import audited_create, audited_delete, audited_update

from ..models import SkalaKategori


def _check(satker, minimum, *, exclude=None) -> None:
    clash = SkalaKategori.objects.filter(satker=satker, minimum=minimum)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise DomainError(f"Skala satker ini sudah memiliki kategori dengan capaian minimum {minimum}.")


def skala_create(*, data: dict, by) -> SkalaKategori:
    with transaction.atomic():
        _check(data.get("satker"), data.get("minimum"))
        return audited_create(
            SkalaKategori, data=data, by=by, action="skala_tambah", satker_of=lambda s: s.satker
        )


def skala_update(*, skala: SkalaKategori, data: dict, by) -> SkalaKategori:
    with transaction.atomic():
        skala = (
            SkalaKategori.objects.select_for_update(of=("self",)).select_related("satker").get(pk=skala.pk)
        )
        if "satker" in data and data["satker"].pk != skala.satker_id:
            raise DomainError("Skala kategori tidak dapat dipindah ke satker lain.")
        if "minimum" in data:
            _check(skala.satker, data["minimum"], exclude=skala)
        audited_update(skala, data=data, by=by, action="skala_ubah", satker=skala.satker)
    return skala


def skala_delete(*, skala: SkalaKategori, by) -> None:
    with transaction.atomic():
        skala = (
            SkalaKategori.objects.select_for_update(of=("self",)).select_related("satker").get(pk=skala.pk)
        )
        audited_delete(skala, by=by, action="skala_hapus", satker=skala.satker)
