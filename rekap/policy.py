"""Who sees Rendatin's monthly chain (board, compiled months, plenary, archive, the year's data) and who runs it
(SOP steps 4–6).

The rules register with the core's policy under the names templates ask ({% can "view_rekap" %}), from
RekapConfig.ready(); rekap.services' guards ask `is_rendatin` too.
"""

from kinerja.models import Pegawai, Role, Satker, TahapPeriode
from silabu import policy

from .models import RapatPleno

# The kinds of generated document of the monthly chain: everyone who sees the rekap pages may read them.
REKAP_DOCUMENTS = frozenset({"rekap_bulanan", "bahan_pleno", "hasil_pleno", "laporan_kinerja"})


def is_rendatin(pegawai: Pegawai, satker: Satker) -> bool:
    """Rendatin (staff or Kasubag) of that satker: the actor of compiling, the plenary record and finalising."""
    return pegawai.satker_id == satker.pk and pegawai.has_role(Role.RENDATIN)


@policy.rule("view_rekap")
def can_view_rekap(user) -> bool:
    """The monitoring board, compiled months, plenary records, the archive and the year's data."""
    me = policy.pegawai_of(user)
    return me is not None and (policy.sees_whole_satker(me) or me.has_role(Role.PIMPINAN))


@policy.rule("manage_rekap")
def can_manage_rekap(user) -> bool:
    """Compile a month, record the plenary and finalise it: Rendatin only."""
    me = policy.pegawai_of(user)
    return me is not None and is_rendatin(me, me.satker)


def can_compile(user, tahap: str) -> bool:
    """Rendatin, while the month is in verification (afterwards it is compiled; before, still open)."""
    return can_manage_rekap(user) and tahap == TahapPeriode.VERIFICATION


def can_record_pleno(user, rapat: RapatPleno | None) -> bool:
    """Rendatin records and corrects the plenary until its results are finalised."""
    return can_manage_rekap(user) and (rapat is None or not rapat.is_final)


@policy.document_rule(*REKAP_DOCUMENTS)
def can_view_rekap_dokumen(user, dokumen) -> bool:
    return can_view_rekap(user)
