"""What every step of a measurement shares: the refusal, the actor's guard, the lock on the Pengukuran row, and
the move from one SOP step to the next (LangkahPengukuran rows, timed against kinerja's MutuBaku) with its
audit row."""

import datetime
from decimal import Decimal

from kinerja.audit import diff
from kinerja.errors import DomainError
from kinerja.models import Pegawai
from kinerja.services import audit
from silabu.lib import numbers

from ..models import TAHAP_LANGKAH, LangkahPengukuran, Pengukuran, TahapPengukuran
from ..periode import label

T = TahapPengukuran
MAX_ANGKA = Decimal("999999999999.99")  # max_digits=14, decimal_places=2


class PengukuranDitolak(DomainError):
    """A measurement step is not allowed now, or not for this person; the message says why."""


def require(allowed: bool, message: str) -> None:
    """The actor's guard: `allowed` is the answer of a rekap.pengukuran.policy actor function."""
    if not allowed:
        raise PengukuranDitolak(message)


def locked(pengukuran: Pengukuran) -> Pengukuran:
    return Pengukuran.objects.select_for_update(of=("self",)).select_related("satker").get(pk=pengukuran.pk)


def require_tahap(pengukuran: Pengukuran, *allowed: str) -> None:
    if pengukuran.tahap not in allowed:
        raise PengukuranDitolak(
            f"Pengukuran {label(pengukuran)} sedang pada tahap «{pengukuran.get_tahap_display()}»; "
            "langkah ini tidak dapat dilakukan sekarang."
        )


def advance(
    pengukuran: Pengukuran,
    *,
    ke: str,
    by: Pegawai,
    now: datetime.datetime,
    action: str,
    catatan: str = "",
    versi_baru: bool = False,
) -> None:
    """End the step now due (by whom, with what note), move to stage `ke` and open its step.

    With versi_baru (a return), the measurement's version goes up and the reopened step belongs to it."""
    dari = pengukuran.tahap
    was = {"tahap": dari, "versi": pengukuran.versi}
    LangkahPengukuran.objects.filter(
        pengukuran=pengukuran, langkah=TAHAP_LANGKAH[dari], selesai__isnull=True
    ).update(selesai=now, oleh=by, catatan=catatan)
    pengukuran.tahap = ke
    fields = ["tahap", "diubah"]
    if versi_baru:
        pengukuran.versi += 1
        pengukuran.catatan_pengembalian = catatan
        fields += ["versi", "catatan_pengembalian"]
    pengukuran.save(update_fields=fields)
    step = LangkahPengukuran(
        pengukuran=pengukuran, langkah=TAHAP_LANGKAH[ke], versi=pengukuran.versi, mulai=now
    )
    if ke == T.DISETUJUI:
        # Step 10, the archive, is done in the same act: the documents are filed with the decision.
        step.selesai, step.oleh, step.catatan = now, by, "Diarsipkan bersama dokumennya."
    step.save()
    audit(
        obj=pengukuran,
        actor=by.user,
        action=action,
        dari=dari,
        ke=ke,
        catatan=catatan,
        satker=pengukuran.satker,
        perubahan=diff(was, pengukuran, ["tahap", "versi"]),
    )


def angka(value, name: str, *, maximum: Decimal = MAX_ANGKA) -> Decimal:
    """A non-negative number the person typed for `name`, rounded half-up to two decimals."""
    try:
        return numbers.parse_decimal(value, round_excess=True, minimum=Decimal(0), maximum=maximum)
    except numbers.BelowMinimum as error:
        raise PengukuranDitolak(f"{name} tidak boleh negatif ({error.number}).") from None
    except numbers.AboveMaximum as error:
        raise PengukuranDitolak(f"{name} terlalu besar ({error.number}).") from None
    except numbers.NumberError:
        raise PengukuranDitolak(f"{name} bukan angka.") from None
