"""Generated documents as reports: the rows are read once, and renderers make a PDF or an XLSX of them.

Modelled on pretix's exporters (pretix/base/exporter.py): a report knows its data and how it is laid out; a
renderer turns it into a file and returns (filename, content type, bytes). Here a document subclasses `Report`
(usually as a dataclass holding rows read once from the database) and provides

- `filename(fmt)`, `footer` and `period_label`;
- for XLSX, `sheets()`: `silabu.lib.xlsx.Sheet`s whose rows are produced as the writer asks for them;
- for PDF, `template_name` (extending templates/dokumen/base.html) and, if it needs more, `pdf_context()`;
  a long document may lay itself out in parts with `pdf_parts()` (see silabu.lib.pdf.render_pdf_parts).

What every document carries is written once, here and in the modules it uses: the satker's letterhead
(silabu.lib.letterhead), the period (silabu.lib.periods), the generation time in the satker's zone
(silabu.lib.dates.satker_time) and the signature blocks (silabu.lib.signatures); a PDF rendered for the
document store also carries, in its footer, its verification code and a QR code of its public page
(silabu.lib.verification).
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from . import verification
from .dates import satker_time
from .letterhead import Letterhead, letterhead
from .xlsx import Sheet, Styled, workbook_bytes

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"pdf": PDF, "xlsx": XLSX}


class Rendered(NamedTuple):
    """A rendered document, as pretix's exporters return it: (filename, content type, bytes)."""

    filename: str
    content_type: str
    content: bytes


def format_of(params: dict, allowed: Sequence[str] = ("pdf", "xlsx")) -> str:
    """The format a document is asked in (PDF unless said), refused with a ValueError when it has no such."""
    fmt = params.get("fmt", "pdf")
    if fmt not in allowed:
        raise ValueError(f"Unknown format: {fmt}")
    return fmt


def safe_filename(text: str, *, lower: bool = False) -> str:
    """A piece of a file name: ASCII letters and digits joined by hyphens ("Triwulan-III-2026"), never empty."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    return (text.lower() if lower else text) or "x"


class Report:
    """A generated document of a satker at a moment (`satker`, `generated_at` in the satker's zone)."""

    formats: tuple[str, ...] = ("pdf", "xlsx")
    template_name: str = ""
    satker: Any
    generated_at: Any

    # --- what every document shows, written once -----------------------------------------------------------

    @property
    def letterhead(self) -> Letterhead:
        return letterhead(self.satker)

    @property
    def generated_label(self) -> str:
        return satker_time(self.satker, self.generated_at)

    def sheet_heading(self, title: str, lines: Iterable[Any] = ()) -> list[list]:
        """The top of a sheet: the letterhead, the title in bold, the document's lines (period, status,
        "Dibuat: …"; a line may be a Styled value), then an empty row."""
        return [
            *self.letterhead.xlsx_rows(),
            [Styled(title, bold=True)],
            *([line] for line in lines),
            [],
        ]

    # --- what the document provides ------------------------------------------------------------------------

    @property
    def footer(self) -> str:
        raise NotImplementedError

    def filename(self, fmt: str) -> str:
        raise NotImplementedError

    def sheets(self) -> Iterable[Sheet]:
        raise NotImplementedError(f"{type(self).__name__} has no XLSX form")

    def pdf_context(self) -> dict[str, Any]:
        return {}

    def pdf_parts(self) -> Iterable[dict[str, Any]] | None:
        """Contexts of the parts of a long PDF, each laid out on its own; None for a PDF laid out at once."""
        return None

    # --- renderers -----------------------------------------------------------------------------------------

    def render_pdf(self) -> bytes:
        from . import pdf  # WeasyPrint is loaded only where a PDF is drawn

        context = {
            "doc": self,
            "kop": self.letterhead,
            "footer": pdf.css_string(self.footer),
            "verifikasi": verification.current(),
            **self.pdf_context(),
        }
        parts = self.pdf_parts()
        if parts is not None:
            return pdf.render_pdf_parts(self.template_name, ({**context, **part} for part in parts))
        return pdf.render_pdf(self.template_name, context)

    def render_xlsx(self) -> bytes:
        return workbook_bytes(self.sheets())

    def progress(self, percent: int) -> None:
        """Told how far the rendering is (0–100); `render` connects it to whoever asked."""

    def render(self, fmt: str, progress: Callable[[int], None] | None = None) -> Rendered:
        if fmt not in self.formats:
            raise ValueError(f"Unknown format: {fmt}")
        if progress is not None:
            self.progress = progress
        stamp = verification.current()
        if stamp is not None:
            stamp.record(
                period=getattr(self, "period_label", ""),
                generated=self.generated_label,
                signatories=getattr(self, "signatures", None) or [],
            )
        content = self.render_pdf() if fmt == "pdf" else self.render_xlsx()
        return Rendered(self.filename(fmt), CONTENT_TYPES[fmt], content)
