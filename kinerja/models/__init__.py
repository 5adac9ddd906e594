"""The organisation core (Satker, Subbagian, Pegawai, KodeOutput, calendar, Periode, the SOPs' MutuBaku) and
the daily entries.

Later apps (verifikasi, rekap) read these models and change them only through the core's services.
One module per concern; everything is importable from `kinerja.models`.
"""

from .audit import AuditLog
from .dokumen import Dokumen, StatusDokumen, dokumen_name
from .entri import (
    BuktiDukung,
    BuktiDukungQuerySet,
    EntriKinerja,
    EntriKinerjaQuerySet,
    JenisBukti,
    StatusEntri,
    evidence_name,
    evidence_storage,
)
from .kalender import HariLibur, JenisKetidakhadiran, JenisLibur, Ketidakhadiran
from .kode_output import KodeOutput, KodeOutputQuerySet, LevelKode
from .mutu_baku import SOP, MutuBaku, MutuBakuQuerySet, SatuanWaktu
from .pemberitahuan import JenisPemberitahuan, Pemberitahuan, PemberitahuanQuerySet
from .periode import LOCKED_STAGES, Periode, TahapPeriode
from .satker import (
    JenisPenjabat,
    LevelKodeEntri,
    Pegawai,
    PegawaiQuerySet,
    PenjabatSementara,
    PenjabatSementaraQuerySet,
    Role,
    Satker,
    StatusPegawai,
    Subbagian,
    ZonaWaktu,
    normalize_nip,
    validate_nip,
)

__all__ = [
    "AuditLog",
    "BuktiDukung",
    "BuktiDukungQuerySet",
    "Dokumen",
    "EntriKinerja",
    "EntriKinerjaQuerySet",
    "HariLibur",
    "JenisBukti",
    "JenisKetidakhadiran",
    "JenisLibur",
    "JenisPemberitahuan",
    "JenisPenjabat",
    "Ketidakhadiran",
    "KodeOutput",
    "KodeOutputQuerySet",
    "LOCKED_STAGES",
    "LevelKode",
    "LevelKodeEntri",
    "MutuBaku",
    "MutuBakuQuerySet",
    "Pegawai",
    "PegawaiQuerySet",
    "Pemberitahuan",
    "PemberitahuanQuerySet",
    "PenjabatSementara",
    "PenjabatSementaraQuerySet",
    "Periode",
    "Role",
    "SOP",
    "Satker",
    "SatuanWaktu",
    "StatusDokumen",
    "StatusEntri",
    "StatusPegawai",
    "Subbagian",
    "TahapPeriode",
    "ZonaWaktu",
    "dokumen_name",
    "evidence_name",
    "evidence_storage",
    "normalize_nip",
    "validate_nip",
]
