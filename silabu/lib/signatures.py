"""Signature blocks (blok tanda tangan), the same on every generated document: their data and spreadsheet rows;
the PDF draws them side by side with templates/dokumen/_ttd.html.

A block reads, top to bottom: the place and date (on the block that dates the document), the role
("Diverifikasi oleh,"), the title ("Plt. Kepala Subbagian …"), room to sign, the name, "NIP. …".
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from .dates import format_tanggal
from .xlsx import Styled

UNSIGNED_NAME = "(……………………………)"
UNDATED = "……………………"


def place_date(city: str, day: datetime.date | datetime.datetime | None) -> str:
    """ "Kudus, 3 November 2026" above a block; "" when there is no date yet."""
    return f"{city}, {format_tanggal(day)}" if day else ""


def place_undated(city: str) -> str:
    """ "Bontang, ……………………": a block to be dated by hand."""
    return f"{city}, {UNDATED}"


@dataclass(frozen=True)
class Signatory:
    role: str
    title: str
    nama: str = ""
    nip: str = ""
    place_date: str = ""

    @classmethod
    def of(cls, role: str, title: str, pegawai, place_date: str = "") -> "Signatory":
        """A block for a person (anything with `nama` and `nip_display`), or an empty one to sign by hand."""
        if pegawai is None:
            return cls(role, title, place_date=place_date)
        return cls(role, title, pegawai.nama, pegawai.nip_display, place_date)

    @classmethod
    def recorded(
        cls, role: str, person: dict | None, fallback_title: str, place_date: str = ""
    ) -> "Signatory":
        """A block for a person as a snapshot recorded them ({"nama", "nip", "jabatan"}), titled by their
        recorded jabatan, else by `fallback_title`."""
        if not person:
            return cls(role, fallback_title, place_date=place_date)
        return cls(role, person.get("jabatan") or fallback_title, person["nama"], person["nip"], place_date)


def signature_rows(signatures: Sequence[Signatory], columns: Sequence[int]) -> list[list]:
    """The blocks side by side below a sheet's table: block i in column columns[i] (1-based), room to sign."""
    if not signatures:
        return []
    columns = list(columns)[: len(signatures)]
    width = max(columns)

    def line(values, bold: bool = False) -> list:
        row: list = [None] * width
        for column, value in zip(columns, values, strict=True):
            row[column - 1] = Styled(value, bold=True) if bold and value is not None else value
        return row

    return [
        [],
        line([s.place_date or None for s in signatures]),
        line([s.role for s in signatures]),
        line([s.title or None for s in signatures]),
        [],
        [],
        line([s.nama or UNSIGNED_NAME for s in signatures], bold=True),
        line([f"NIP. {s.nip}" if s.nip else None for s in signatures]),
    ]
