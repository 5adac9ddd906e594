"""The satker's letterhead (kop surat), the same on every generated document: its data, its spreadsheet rows;
the PDF draws it with templates/dokumen/_kop.html.

The lines are the satker's kop lines, then its name in capitals unless the kop lines already say it (on one line
or across several, with "KPU" spelled out: "KOMISI PEMILIHAN UMUM / KABUPATEN KUDUS" names "KPU Kabupaten
Kudus"), so that the letterhead says who it is once; below them
the address (street, city) and the phone number. A satker is anything with `kop_lines`, `nama`, `alamat`,
`kota`, `telepon` and `logo`; a document that must show the satker as it was (a compiled month's snapshot)
builds the letterhead from those values with `Letterhead.of`.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .xlsx import Styled

ABBREVIATIONS = {"kpu": "komisi pemilihan umum"}


def _words(text: str) -> str:
    """Text as comparable words: casefolded, punctuation dropped, abbreviations spelled out."""
    words = re.findall(r"\w+", text.casefold())
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def names(lines: list[str], nama: str) -> bool:
    """Whether the kop lines, read together, already say the satker's name."""
    said = f" {_words(' '.join(lines))} "
    return bool(_words(nama)) and f" {_words(nama)} " in said


@dataclass(frozen=True)
class Letterhead:
    lines: list[str]
    street: str  # "Jl. Ganesha No. 4, Kudus": address and city
    phone: str = ""
    logo_file: Any = field(default=None, compare=False)  # a FieldFile; read only when a PDF draws it

    @classmethod
    def of(
        cls, *, kop_lines, nama: str, alamat: str = "", kota: str = "", telepon: str = "", logo=None
    ) -> "Letterhead":
        lines = [line for line in (kop_lines or []) if line.strip()]
        if not names(lines, nama):
            lines.append(nama.upper())
        # An address that already ends in its city ("…, Purwosari, Kudus") does not get the city again.
        if kota and alamat and f" {_words(alamat)}".endswith(f" {_words(kota)}"):
            kota = ""
        street = ", ".join(part for part in (alamat, kota) if part)
        return cls(lines, street, telepon or "", logo)

    def _address(self, separator: str) -> str:
        if not self.phone:
            return self.street
        return f"{self.street}{separator}Telp. {self.phone}" if self.street else f"Telp. {self.phone}"

    @property
    def address(self) -> str:
        """As the PDF prints it: "Jl. Ganesha No. 4, Kudus · Telp. (0291) 438 100"."""
        return self._address(" · ")

    @property
    def sheet_address(self) -> str:
        """As a spreadsheet cell holds it: "Jl. Ganesha No. 4, Kudus. Telp. (0291) 438 100"."""
        return self._address(". ")

    @cached_property
    def logo(self) -> str:
        """The logo as a data: URI for WeasyPrint, or ""."""
        from .pdf import image_data_uri  # WeasyPrint is loaded only by what draws a PDF

        return image_data_uri(self.logo_file)

    def xlsx_rows(self) -> list[list]:
        """The letterhead at the top of a sheet: each line bold, the address, then an empty row."""
        rows: list[list] = [[Styled(line, bold=True)] for line in self.lines]
        if self.street or self.phone:
            rows.append([self.sheet_address])
        rows.append([])
        return rows


SATKER_FIELDS = ("kop_lines", "nama", "alamat", "kota", "telepon", "logo")


def letterhead(satker) -> Letterhead:
    """The satker's letterhead as it is now."""
    return Letterhead.of(**{name: getattr(satker, name) for name in SATKER_FIELDS})
