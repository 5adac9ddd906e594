"""Changes to the output codes one at a time (the whole year's list comes in through kinerja.imports.kode_output)."""

from django.db import transaction

from .errors import DomainError
from .models import KodeOutput, Pegawai
from .services import audit


def kode_output_set_aktif(*, kode: KodeOutput, aktif: bool, by: Pegawai | None) -> KodeOutput:
    """Switch a satker's code on or off. Codes are never deleted once used; switching off hides them."""
    with transaction.atomic():
        kode = KodeOutput.objects.select_for_update().get(pk=kode.pk)
        if kode.satker_id is None:
            raise DomainError("Kode output bersama tidak dapat diubah dari satker.")
        if kode.aktif == aktif:
            return kode
        kode.aktif = aktif
        kode.save(update_fields=["aktif"])
        audit(
            obj=kode,
            actor=by.user if by is not None else None,
            action="kode_output_aktif",
            dari="nonaktif" if aktif else "aktif",
            ke="aktif" if aktif else "nonaktif",
            catatan=kode.kode,
            satker=kode.satker,
            perubahan={"aktif": [not aktif, aktif]},
        )
    return kode
