"""Verification codes printed on generated documents, and the QR code that opens their public page (/v/<code>/).

A code is 28 characters of base32 (A–Z, 2–7: no 0/1/8 to mistake for O/I/B), 140 random bits, so that nobody can
find a document by guessing; it is printed in groups of four to be read and typed ("ABCD-EFGH-…"), and any
spelling of it (lower case, spaces, dots, a 0 typed for an O) is read back to the same code.

A document is stamped while it renders: the store puts a `Stamp` (code and absolute URL) in the context with
`stamping()`, the report draws it in the footer of every page and writes on it what the public page may show
(period, generation time, signatories; never the content). The SHA-256 shown there is of the final bytes, which
include the code: that is why a code is assigned when a document is requested, before it is rendered.
"""

import base64
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

CODE_LENGTH = 28  # base32 characters, 5 bits each: 140 bits
GROUP = 4
_NOT_BASE32 = re.compile(r"[^A-Z2-7]")
# what a person typing a printed code may put for a letter that base32 has
_MISREAD = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_code() -> str:
    """A fresh code, as stored (no separators)."""
    return base64.b32encode(secrets.token_bytes(18)).decode("ascii")[:CODE_LENGTH]


def normalize(text: str) -> str:
    """The stored form of a code as someone wrote it, or "" when it cannot be one."""
    code = _NOT_BASE32.sub("", (text or "").upper().translate(_MISREAD))
    return code if len(code) == CODE_LENGTH else ""


def grouped(code: str) -> str:
    """ "ABCD-EFGH-…": the code as printed."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def qr_svg_data_uri(payload: str) -> str:
    """A QR code of `payload` as an SVG data: URI, 0.4 mm a module (medium error correction)."""
    import segno  # loaded only where a document is drawn

    return segno.make(payload, error="m").svg_data_uri(scale=0.4, unit="mm", border=1)


@dataclass
class Stamp:
    """The verification slip of a document being rendered: what it prints (code, URL) and what it reports back
    for the public page (`summary`)."""

    code: str
    url: str
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def grouped(self) -> str:
        return grouped(self.code)

    @property
    def qr_data_uri(self) -> str:
        return qr_svg_data_uri(self.url)

    def record(self, *, period: str, generated: str, signatories) -> None:
        """What the public page shows of this document (signatories: objects with role, title, nama, nip)."""
        self.summary = {
            "periode": period,
            "dibuat": generated,
            "penandatangan": [
                {"peran": s.role, "jabatan": s.title, "nama": s.nama, "nip": s.nip} for s in signatories
            ],
        }


_current: ContextVar[Stamp | None] = ContextVar("verification_stamp", default=None)


@contextmanager
def stamping(stamp: Stamp) -> Iterator[Stamp]:
    """Render documents in this block with `stamp` in their footer."""
    token = _current.set(stamp)
    try:
        yield stamp
    finally:
        _current.reset(token)


def current() -> Stamp | None:
    """The stamp of the document being rendered, if it is rendered for the store."""
    return _current.get()
