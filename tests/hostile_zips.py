"""Hostile office files built in memory: macros under innocent names, LibreOffice Basic, zip bombs whose members
inflate to a gigabyte from about a megabyte (made in well under a second), and zips whose directory lies."""

import io
import struct
import zipfile
import zlib
from functools import cache

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file signature every vbaProject.bin starts with
MIB = 1024 * 1024

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "{extra}</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Notulen rapat</w:t></w:r></w:p></w:body></w:document>"
)


def zip_of(entries: dict[str, bytes], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, body) in enumerate(entries.items()):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, body, compress_type=method)
    return buffer.getvalue()


def docx(**parts: bytes | str) -> bytes:
    """A plain DOCX; keyword parts (path with / written as __) are added or replace the defaults."""
    entries: dict[str, bytes | str] = {
        "[Content_Types].xml": DOCX_TYPES.format(extra=""),
        "_rels/.rels": ROOT_RELS,
        "word/document.xml": DOCUMENT,
    }
    entries.update({name.replace("__", "/"): body for name, body in parts.items()})
    return zip_of({name: body.encode() if isinstance(body, str) else body for name, body in entries.items()})


def docx_with_renamed_vba(*, declared: bool = True) -> bytes:
    """A macro-enabled document whose VBA project is stored as word/media/image7.bin; `declared`: the content
    type and relationship say what it is (as Word writes them), else only its bytes do."""
    extra = (
        '<Override PartName="/word/media/image7.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        if declared
        else '<Default Extension="bin" ContentType="image/png"/>'
    )
    parts = {
        "__Content_Types__.xml": DOCX_TYPES.format(extra=extra),
        "word/media/image7.bin": OLE + b"\x00" * 504 + b"VBA\x00Attribute VB_Name",
    }
    if declared:
        parts["word/_rels/document.xml.rels"] = (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId9" Target="media/image7.bin" '
            'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/></Relationships>'
        )
    entries = {
        "[Content_Types].xml": parts.pop("__Content_Types__.xml"),
        "_rels/.rels": ROOT_RELS,
        "word/document.xml": DOCUMENT,
        **parts,
    }
    return zip_of({name: body.encode() if isinstance(body, str) else body for name, body in entries.items()})


ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "{extra}</manifest:manifest>"
)


def odt(entries: dict[str, str] | None = None, manifest_extra: str = "") -> bytes:
    return zip_of(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<?xml version='1.0'?><office:document-content/>",
            "META-INF/manifest.xml": ODT_MANIFEST.format(extra=manifest_extra).encode(),
            **{name: body.encode() for name, body in (entries or {}).items()},
        },
        stored_first=True,
    )


def odt_with_basic() -> bytes:
    """An ODT as LibreOffice saves one with a Basic module that runs when the document opens."""
    return odt(
        {
            "Basic/script-lc.xml": '<?xml version="1.0"?><library:libraries/>',
            "Basic/Standard/script-lb.xml": '<?xml version="1.0"?><library:library library:name="Standard"/>',
            "Basic/Standard/Module1.xml": (
                '<?xml version="1.0"?><script:module script:name="Module1" script:language="StarBasic">'
                'Sub Main\n Shell("cmd /c calc")\nEnd Sub</script:module>'
            ),
        },
        manifest_extra=(
            '<manifest:file-entry manifest:full-path="Basic/Standard/Module1.xml" manifest:media-type="text/xml"/>'
        ),
    )


@cache
def _zeros_deflated(mib: int) -> tuple[bytes, int]:
    """A raw deflate stream of `mib` MiB of zeros and its CRC-32, without compressing them all: after a full flush
    every further MiB of zeros compresses to the same bytes, so one block is repeated."""
    block = b"\x00" * MIB
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflater.compress(block) + deflater.flush(zlib.Z_FULL_FLUSH)
    middle = deflater.compress(block) + deflater.flush(zlib.Z_FULL_FLUSH)
    last = deflater.compress(block) + deflater.flush()
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(block, crc)
    return first + middle * (mib - 2) + last, crc


def raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written byte by byte from (name, raw deflate stream, CRC-32, declared size, method) members, so that
    the directory can say whatever a test wants it to."""
    out, central = bytearray(), bytearray()
    for name, stream, crc, size, method in members:
        encoded = name.encode()
        offset = len(out)
        fields = (20, 0, method, 0, 0x21, crc, len(stream), size, len(encoded), 0)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + encoded + stream
        central += (
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields[:-1], 0, 0, 0, 0, 0, offset) + encoded
        )
    count = len(members)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + end)


def _deflate(body: bytes) -> bytes:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return deflater.compress(body) + deflater.flush()


def _member(name: str, body: bytes) -> tuple[str, bytes, int, int, int]:
    return (name, _deflate(body), zlib.crc32(body), len(body), zipfile.ZIP_DEFLATED)


def bomb(prefix: str = "word/", *, mib: int = 1100, declared: int | None = None) -> bytes:
    """An OOXML package (DOCX with prefix "word/", XLSX with "xl/") with one member of `mib` MiB of zeros. The
    directory declares its true size unless `declared` says otherwise (a lie that zipfile itself believes)."""
    stream, crc = _zeros_deflated(mib)
    types = DOCX_TYPES.format(extra="").encode()
    return raw_zip(
        [
            _member("[Content_Types].xml", types),
            _member("_rels/.rels", ROOT_RELS.encode()),
            (
                f"{prefix}document.xml" if prefix == "word/" else f"{prefix}worksheets/sheet1.xml",
                stream,
                crc,
                mib * MIB if declared is None else declared,
                zipfile.ZIP_DEFLATED,
            ),
        ]
    )


POLYGLOT = (
    b"%PDF-1.4\n"
    b"<!DOCTYPE html><html><body><script>fetch('/').then(r => r.text()).then(alert)</script></body></html>\n"
    b"%%EOF\n"
)  # a PDF to a sniffer that reads the first bytes, an HTML page with a script to a browser told it is text/html


def every_kind() -> dict[str, bytes]:
    """One small file of every kind evidence takes, by the extension it is stored with (PNG: with transparency,
    or it is re-encoded as JPEG)."""
    from PIL import Image

    def image(mode: str, fmt: str) -> bytes:
        out = io.BytesIO()
        picture = Image.new(mode, (40, 30), (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
        picture.save(out, fmt)
        return out.getvalue()

    def odf(mimetype: bytes) -> bytes:
        return zip_of({"mimetype": mimetype, "content.xml": b"<x/>"}, stored_first=True)

    return {
        "jpg": image("RGB", "JPEG"),
        "png": image("RGBA", "PNG"),
        "pdf": POLYGLOT,
        "docx": docx(),
        "xlsx": zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
        "pptx": zip_of({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
        "odt": odf(b"application/vnd.oasis.opendocument.text"),
        "ods": odf(b"application/vnd.oasis.opendocument.spreadsheet"),
    }
