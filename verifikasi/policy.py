"""Who verifies, reads and reopens a person's month, and who downloads its softfiles (SOP step 3).

The rules register with the core's policy under the names templates ask ({% can "verify" p %}), from
VerifikasiConfig.ready(). The checks that a verification step may happen now (`check_can_decide`,
`check_entries_decided`, `check_can_reopen`) raise the domain errors the services raise: verifikasi.services
calls them holding the month's lock, and the review page asks the same functions (through `policy.allows`) which
buttons to show, so the page and the action cannot disagree.
"""

import datetime

from kinerja import services as core
from kinerja.errors import PeriodeTerkunci
from kinerja.models import Pegawai, Role, StatusEntri, Subbagian, TahapPeriode
from kinerja.organisasi import Verifier, supervisees, verifier_for
from silabu import policy
from silabu.lib.periods import month_label

from .errors import VerifikasiDitolak
from .models import LaporanBulanan, StatusLaporan


def verifies(
    me: Pegawai, pegawai: Pegawai, on: datetime.date | None = None, *, verifier: Verifier | None = None
) -> bool:
    """Whether `me` decides on `pegawai`'s month on that day (today by default): the holder of the post above
    them or the acting head in their place (kinerja.organisasi.verifier_for). Nobody verifies themself."""
    if pegawai.satker_id != me.satker_id or pegawai.pk == me.pk:
        return False
    verifier = verifier or verifier_for(pegawai, on or me.satker.today())
    return verifier.pegawai is not None and verifier.pegawai.pk == me.pk


def reopens(me: Pegawai, laporan: LaporanBulanan) -> bool:
    """Only the Sekretaris of the month's satker reopens a verified month."""
    return me.has_role(Role.SEKRETARIS) and laporan.satker_id == me.satker_id


# --- the rules templates and views ask -----------------------------------------------------------------------


@policy.rule("verify")
def can_verify(user, pegawai: Pegawai, on=None) -> bool:
    """Whether this user decides on the entries of `pegawai`'s month now (holder or acting head)."""
    me = policy.pegawai_of(user)
    return me is not None and verifies(me, pegawai, on)


@policy.rule("view_laporan")
def can_view_laporan(user, pegawai: Pegawai) -> bool:
    """The review page of a person's month: their verifier, or the Sekretaris and Rendatin (read-only)."""
    me = policy.pegawai_of(user)
    if me is None or pegawai.satker_id != me.satker_id or pegawai.pk == me.pk:
        return False
    return policy.sees_whole_satker(me) or verifies(me, pegawai)


@policy.rule("reopen_laporan")
def can_reopen_laporan(user, laporan: LaporanBulanan) -> bool:
    me = policy.pegawai_of(user)
    return me is not None and reopens(me, laporan)


@policy.rule("verification_queue")
def can_use_verification_queue(user) -> bool:
    me = policy.pegawai_of(user)
    return me is not None and (
        me.has_role(Role.KASUBAG) or me.has_role(Role.SEKRETARIS) or policy.is_acting_today(me)
    )


@policy.rule("download_softfile_pegawai")
def can_download_softfile_pegawai(user, pegawai: Pegawai, year: int, month: int) -> bool:
    """The person themself, their verifier (holder or acting), the Sekretaris and Rendatin; and whoever
    verified that month, should their acting term have ended since."""
    me = policy.pegawai_of(user)
    if me is None or pegawai.satker_id != me.satker_id:
        return False
    if me.pk == pegawai.pk or can_view_laporan(user, pegawai):
        return True
    return LaporanBulanan.objects.filter(pegawai=pegawai, tahun=year, bulan=month, verifikator=me).exists()


@policy.rule("download_softfile_subbagian")
def can_download_softfile_subbagian(user, subbagian: Subbagian, year: int, month: int) -> bool:
    """The subbagian's Kasubag, an acting head who verifies its staff, whoever verified its staff that month,
    the Sekretaris and Rendatin."""
    me = policy.pegawai_of(user)
    if me is None or subbagian.satker_id != me.satker_id:
        return False
    if policy.sees_whole_satker(me) or subbagian.kasubag_id == me.pk:
        return True
    if supervisees(me, me.satker.today()).filter(subbagian=subbagian).exists():
        return True
    return LaporanBulanan.objects.filter(
        pegawai__subbagian=subbagian, tahun=year, bulan=month, verifikator=me
    ).exists()


def _view_softfile(user, dokumen, model, key: str, check) -> bool:
    """A softfile document: whoever may download the softfile of the person (or subbagian) and month it shows."""
    params = dokumen.params
    shown = model.objects.filter(pk=params.get(key), satker_id=dokumen.satker_id).first()
    return shown is not None and check(user, shown, params["tahun"], params["bulan"])


@policy.document_rule("softfile_pegawai")
def can_view_softfile_pegawai(user, dokumen) -> bool:
    return _view_softfile(user, dokumen, Pegawai, "pegawai_id", can_download_softfile_pegawai)


@policy.document_rule("softfile_subbagian")
def can_view_softfile_subbagian(user, dokumen) -> bool:
    return _view_softfile(user, dokumen, Subbagian, "subbagian_id", can_download_softfile_subbagian)


# --- whether a verification step may happen now ------------------------------------------------------------


def _tahap(laporan: LaporanBulanan, tahap: str | None) -> str:
    return tahap or core.periode_tahap(laporan.pegawai.satker, laporan.tahun, laporan.bulan)


def check_can_decide(
    laporan: LaporanBulanan, *, by: Pegawai, tahap: str | None = None, verifier: Verifier | None = None
) -> None:
    """Raise unless `by` decides on this month now: its verifier today, while the month is in verification
    and not yet verified. `laporan` may be unsaved (a month nobody has opened yet); `tahap` and `verifier`, when
    the caller has them already, save their queries."""
    if by.pk == laporan.pegawai_id:
        raise VerifikasiDitolak("Anda tidak dapat memverifikasi data kinerja Anda sendiri.")
    if not verifies(by, laporan.pegawai, verifier=verifier):
        raise VerifikasiDitolak("Anda bukan verifikator data kinerja pegawai ini.")
    tahap = _tahap(laporan, tahap)
    if tahap != TahapPeriode.VERIFICATION:
        label = month_label(laporan.tahun, laporan.bulan, TahapPeriode(tahap).label)
        raise PeriodeTerkunci(f"{label} tidak dalam tahap verifikasi.")
    if laporan.status == StatusLaporan.TERVERIFIKASI:
        raise VerifikasiDitolak(
            "Bulan ini sudah diverifikasi. Minta Sekretaris membukanya kembali bila perlu diubah."
        )


def check_entries_decided(counts: dict[str, int]) -> None:
    """A month is verified only once every entry in it is approved: none waiting, none returned."""
    waiting, returned = counts.get(StatusEntri.DIAJUKAN, 0), counts.get(StatusEntri.DIKEMBALIKAN, 0)
    if waiting or returned:
        parts = [f"{waiting} entri menunggu keputusan"] if waiting else []
        parts += [f"{returned} entri dikembalikan"] if returned else []
        raise VerifikasiDitolak(f"Masih ada {' dan '.join(parts)}; selesaikan dulu sebelum memverifikasi.")


def check_can_reopen(laporan: LaporanBulanan, *, by: Pegawai, tahap: str | None = None) -> None:
    """Raise unless `by` may reopen this month now: the Sekretaris, a verified month, not yet compiled."""
    if not reopens(by, laporan):
        raise VerifikasiDitolak("Hanya Sekretaris yang dapat membuka kembali verifikasi.")
    if laporan.status != StatusLaporan.TERVERIFIKASI:
        raise VerifikasiDitolak("Bulan ini belum diverifikasi; tidak ada yang perlu dibuka kembali.")
    if _tahap(laporan, tahap) != TahapPeriode.VERIFICATION:
        raise PeriodeTerkunci("Bulan ini sudah dihimpun; koreksi hanya melalui catatan rapat pleno.")
