"""What an uploaded zip (DOCX, XLSX, PPTX, ODT, ODS) really holds, found by inflating every member once.

The evidence upload and every spreadsheet import share this one check. Nothing a zip declares is believed:

- size: each member is inflated from its raw bytes (zlib, not zipfile, which stops at the declared size), in chunks,
  and the inflated total is capped: more than `max_unpacked`, or more than `max_ratio` times the zip's own size once
  past `ratio_floor`, is a bomb, refused as soon as the cap is passed (so a 1 GB member costs a cap's worth of work);
- integrity: the inflated size and CRC-32 must match what the central directory says, and the deflate stream must end;
- code: macros are found by content, whatever the members are called. An OLE compound file (D0CF11E0, the container
  of a VBA project, of an Excel 97 sheet or any embedded legacy object) anywhere; a VBA project, macro sheet or
  macro-enabled part named in the OOXML content types or relationships; LibreOffice Basic, dialogs or scripts
  (Basic/, Dialogs/, Scripts/) in an ODF package or its manifest.

The caller decides what a macro means (evidence refuses it; an import that only reads cells ignores it) and words
the refusal.
"""

import html
import struct
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO

MIB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Past these, inflating stops. Real office files hold a few hundred members and compress XML about 5-20 times.
MAX_MEMBERS = 5000
MAX_RATIO = 100
RATIO_FLOOR = 16 * MIB
_CHUNK = 256 * 1024
# The parts that name other parts' kinds are read in full; none of a real file comes near this.
_MANIFEST_CAP = 8 * MIB
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_OOXML_CODE = ("vbaproject", "macroenabled", "macrosheet", "vbadata", "activex")
_ODF_CODE_FOLDERS = ("basic/", "dialogs/", "scripts/")


class ZipRefused(Exception):
    """`kind` is "damaged" (not a readable zip, a lie in its directory, an encrypted or unknown method) or "too_big"."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(detail or kind)
        self.kind = kind


@dataclass(frozen=True)
class ZipContents:
    names: tuple[str, ...]
    unpacked: int  # the bytes actually inflated, all members together
    macro: str | None  # why the package carries code (the member or declaration that says so), or None


def inspect_zip(
    data: bytes,
    *,
    max_unpacked: int,
    max_ratio: int = MAX_RATIO,
    ratio_floor: int = RATIO_FLOOR,
    max_members: int = MAX_MEMBERS,
) -> ZipContents:
    """Inflate every member of `data` under the caps above; ZipRefused when it is damaged or a bomb."""
    cap = min(max_unpacked, max(ratio_floor, max_ratio * len(data)))
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as exc:  # zipfile raises many kinds on hostile bytes
        raise ZipRefused("damaged", f"no zip: {exc}") from exc
    if len(infos) > max_members:
        raise ZipRefused("too_big", f"{len(infos)} members")
    view = memoryview(data)
    total, macro = 0, None
    for info in infos:
        keep = _is_manifest(info.filename)
        size, head, text = _inflate(view, info, cap - total, keep)
        total += size
        macro = macro or _code_in(info.filename, head, text)
    return ZipContents(tuple(i.filename for i in infos), total, macro)


def _is_manifest(name: str) -> bool:
    lowered = name.lower()
    return lowered in ("[content_types].xml", "meta-inf/manifest.xml") or lowered.endswith(".rels")


def _inflate(view: memoryview, info: zipfile.ZipInfo, budget: int, keep: bool) -> tuple[int, bytes, str]:
    """(inflated size, first 8 bytes, the text when `keep`) of one member, from its raw bytes."""
    if info.flag_bits & 0x1:
        raise ZipRefused("damaged", f"{info.filename}: encrypted")
    start = info.header_offset
    header = bytes(view[start : start + _LOCAL_HEADER.size])
    if len(header) < _LOCAL_HEADER.size:
        raise ZipRefused("damaged", f"{info.filename}: no local header")
    signature, *_, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise ZipRefused("damaged", f"{info.filename}: bad local header")
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    raw = view[begin : begin + info.compress_size]
    if len(raw) < info.compress_size:
        raise ZipRefused("damaged", f"{info.filename}: truncated")
    if info.compress_type == zipfile.ZIP_STORED:
        chunks = (bytes(raw[i : i + _CHUNK]) for i in range(0, len(raw), _CHUNK))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _deflated(raw, info.filename)
    else:  # Office and LibreOffice write stored and deflated members only
        raise ZipRefused("damaged", f"{info.filename}: compression method {info.compress_type}")
    size, crc, head, kept = 0, 0, b"", []
    for chunk in chunks:
        size += len(chunk)
        if size > budget:
            raise ZipRefused("too_big", f"{info.filename}: inflates past the cap")
        crc = zlib.crc32(chunk, crc)
        if len(head) < len(OLE_MAGIC):
            head = (head + chunk)[: len(OLE_MAGIC)]
        if keep:
            if size > _MANIFEST_CAP:
                raise ZipRefused("damaged", f"{info.filename}: oversized")
            kept.append(chunk)
    if size != info.file_size or crc != info.CRC:
        raise ZipRefused("damaged", f"{info.filename}: size or CRC differs from the directory")
    return size, head, b"".join(kept).decode("utf-8", "replace") if keep else ""


def _deflated(raw: memoryview, name: str):
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pending = bytes(raw)
    try:
        while True:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if chunk:
                yield chunk
            if inflater.eof:
                return
            if not chunk and not pending:
                raise ZipRefused("damaged", f"{name}: deflate stream ends early")
    except zlib.error as exc:
        raise ZipRefused("damaged", f"{name}: {exc}") from exc


def _code_in(name: str, head: bytes, text: str) -> str | None:
    """Why this member makes the package carry code, or None."""
    if head.startswith(OLE_MAGIC):
        return f"{name}: OLE compound file"
    lowered = name.lower()
    if lowered.endswith("vbaproject.bin"):
        return f"{name}: VBA project"
    if lowered.startswith(_ODF_CODE_FOLDERS):
        return f"{name}: ODF macro or script"
    if text:
        # entity references (&#97;) decoded first: an XML reader would decode them too
        declared = html.unescape(text).lower()
        if lowered == "meta-inf/manifest.xml":
            for folder in _ODF_CODE_FOLDERS:
                if f'full-path="{folder}' in declared or f"full-path='{folder}" in declared:
                    return f"{name}: lists {folder}"
        else:
            for token in _OOXML_CODE:
                if token in declared:
                    return f"{name}: declares {token}"
    return None
