"""A person's month in the softfile: their entry rows, the month's verification status, and who signs.

The verified softfile (.softfile) is made of one `PersonSection` per person; a one-person file carries that
person's signature blocks, a subbagian's file the blocks of its verifier and the Sekretaris.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from kinerja.kalender import MonthSummary
from kinerja.models import Pegawai, Satker, StatusEntri, Subbagian
from kinerja.organisasi import Verifier, verifier_for
from silabu.lib.dates import format_tanggal, satker_time
from silabu.lib.formatting import format_number, format_percent
from silabu.lib.signatures import Signatory, place_date

from ..models import LaporanBulanan

DRAFT_MARK = "BELUM DIVERIFIKASI — DRAF"
STATUS_LABELS = dict(StatusEntri.choices)


# --- the rows ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    no: int
    tanggal: datetime.date
    kode: str
    kegiatan: str
    output: str
    volume: Decimal
    satuan: str
    bukti: tuple[str, ...]
    status: str

    @property
    def tanggal_label(self) -> str:
        return format_tanggal(self.tanggal)

    @property
    def volume_label(self) -> str:
        return format_number(self.volume)

    @property
    def bukti_count(self) -> int:
        return len(self.bukti)

    @property
    def bukti_names(self) -> str:
        return ", ".join(self.bukti)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class MonthStatus:
    verified: bool
    verifikator: Pegawai | None = None
    jabatan: str = ""
    verified_at: datetime.datetime | None = None  # in the satker's zone
    label: str = DRAFT_MARK


@dataclass
class PersonSection:
    pegawai: Pegawai
    rows: list[EntryRow]
    summary: MonthSummary
    status: MonthStatus
    signatures: list[Signatory] = field(default_factory=list)  # only in a one-person file

    @property
    def nama(self) -> str:
        return self.pegawai.nama

    @property
    def nip(self) -> str:
        return self.pegawai.nip_display

    @property
    def jabatan(self) -> str:
        return self.pegawai.jabatan

    @property
    def subbagian(self) -> str:
        return self.pegawai.subbagian.nama if self.pegawai.subbagian_id else "—"

    @cached_property
    def counts(self) -> Counter:
        return Counter(row.status for row in self.rows)

    @property
    def approved(self) -> int:
        return self.counts[StatusEntri.DISETUJUI]

    @property
    def returned(self) -> int:
        return self.counts[StatusEntri.DIKEMBALIKAN]

    @property
    def pending(self) -> int:
        return self.counts[StatusEntri.DIAJUKAN]

    @property
    def completeness_label(self) -> str:
        return format_percent(self.summary.completeness)


# --- the month's status and its signatories ---------------------------------------------------------------


def month_status(satker: Satker, laporan: LaporanBulanan | None) -> MonthStatus:
    if laporan is None or not laporan.is_verified:
        return MonthStatus(verified=False)
    verifikator = laporan.verifikator
    at = laporan.diverifikasi_pada.astimezone(satker.tz) if laporan.diverifikasi_pada else None
    name = verifikator.nama if verifikator else "—"
    when = satker_time(satker, at) if at else "—"
    return MonthStatus(
        verified=True,
        verifikator=verifikator,
        jabatan=laporan.verifikator_jabatan or (verifikator.jabatan if verifikator else ""),
        verified_at=at,
        label=f"Terverifikasi pada {when} oleh {name}",
    )


def person_signatures(satker: Satker, section: PersonSection, today: datetime.date) -> list[Signatory]:
    """The ASN who reported and whoever verified (or, in a draft, is to verify) the month."""
    pegawai, status = section.pegawai, section.status
    if status.verified:
        day = status.verified_at.date() if status.verified_at else today
        verifier = Signatory.of(
            "Diverifikasi oleh,", status.jabatan, status.verifikator, place_date(satker.kota, day)
        )
    else:
        expected = verifier_for(pegawai, today)
        verifier = Signatory.of(
            "Diverifikasi oleh,", expected.sign_title, expected.pegawai, place_date(satker.kota, today)
        )
    asn = Signatory.of("Pegawai yang melaporkan,", pegawai.jabatan, pegawai)
    return [asn, verifier]


def subbagian_verifier(subbagian: Subbagian, sections: list[PersonSection], today: datetime.date) -> Verifier:
    """The one verifier of a subbagian file: whoever verified most of its staff's months (the Kasubag, or the
    Plt/Plh who verified in their place); before anyone is verified, the staff's verifier today."""
    staff = [s for s in sections if s.pegawai.pk != subbagian.kasubag_id]
    votes = Counter(
        (s.status.verifikator.pk, s.status.jabatan)
        for s in staff
        if s.status.verified and s.status.verifikator
    )
    if votes:
        (pk, jabatan), _ = votes.most_common(1)[0]
        pegawai = next(
            s.status.verifikator for s in staff if s.status.verifikator and s.status.verifikator.pk == pk
        )
        return Verifier(pegawai, "", jabatan)  # jabatan as signed already carries "Plt." when acting
    if staff:
        return verifier_for(staff[0].pegawai, today)
    return Verifier(subbagian.kasubag, "", f"Kepala {subbagian.nama}")
