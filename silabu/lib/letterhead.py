"""The satker's letterhead (kop surat), the same on every generated document: its data, its spreadsheet rows;
the PDF draws it with templates/dokumen/_kop.html.

The lines are the satker's kop lines, then its name in capitals unless a kop line already says it; below them
the address (street, city) and the phone number. A satker is anything with `kop_lines`, `nama`, `alamat`,
`kota`, `telepon` and `logo`; a document that must show the satker as it was (a compiled month's snapshot)
builds the letterhead from those values with `Letterhead.of`.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .xlsx import Styled


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
        if nama.casefold() not in {line.casefold() for line in lines}:
            lines.append(nama.upper())
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
