"""Evidence files: content sniffing, image re-encoding, documents kept byte for byte, refusals."""

import datetime
import hashlib
import io
import struct
import zipfile
import zlib
from zoneinfo import ZoneInfo

import openpyxl
import pillow_heif
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageFile

from kinerja.errors import BuktiDitolak
from kinerja.evidence import ProcessedFile, process_upload, process_upload_with_settings, safe_display_name
from tests import hostile_zips

JAKARTA = ZoneInfo("Asia/Jakarta")
MIB = 1024 * 1024
LIMITS = {"max_bytes": 10 * MIB, "long_side": 1024, "max_pixels": 60_000_000, "thumb_side": 320}
ALLOWED = "Yang diterima: foto (JPEG, PNG, WebP, HEIC) dan dokumen (PDF, DOCX, XLSX, PPTX, ODT, ODS)."

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
ORIENTATION, MAKE, MODEL, DATETIME = 0x0112, 0x010F, 0x0110, 306
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 36867, 36881


def process(name: str, data: bytes, **overrides) -> ProcessedFile:
    return process_upload(SimpleUploadedFile(name, data), tz=JAKARTA, **{**LIMITS, **overrides})


def refused(name: str, data: bytes, **overrides) -> str:
    with pytest.raises(BuktiDitolak) as info:
        process(name, data, **overrides)
    return str(info.value)


# --- fixtures built in memory -------------------------------------------------------------------


def two_tone(size=(400, 300), mode="RGB", left=(255, 0, 0), right=(0, 0, 255)) -> Image.Image:
    """Left half `left`, right half `right`: shows where a rotation moved things."""
    img = Image.new(mode, size, right)
    img.paste(left, (0, 0, size[0] // 2, size[1]))
    return img


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def phone_exif(orientation=6, original="2024:05:17 08:30:00", offset=None, plain=None) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "Apple"
    exif[MODEL] = "iPhone 13"
    if plain:
        exif[DATETIME] = plain
    sub = exif.get_ifd(EXIF_IFD)
    if original:
        sub[DATETIME_ORIGINAL] = original
    if offset:
        sub[OFFSET_TIME_ORIGINAL] = offset
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (6.0, 48.0, 30.0), 3: "E", 4: (110.0, 50.0, 0.0)})
    return exif


def noisy_jpeg(size=(400, 300)) -> bytes:
    """Random pixels compress badly, so half of the file is really half of the picture."""
    return encode(Image.effect_noise(size, 80).convert("RGB"), "JPEG", quality=95)


def png_header_only(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width x height that is a few KB on disk: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def minimal_pdf() -> bytes:
    """A one-page PDF with a correct xref table, written by hand."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_zip(entries: dict[str, bytes], stored_first: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for index, (name, body) in enumerate(entries.items()):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            zf.writestr(name, body, compress_type=method)
    return buf.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
RELS = b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'


def ooxml(part: str) -> bytes:
    return make_zip(
        {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, part: b"<?xml version='1.0'?><x/>"}
    )


def odf(mimetype: bytes) -> bytes:
    return make_zip(
        {"mimetype": mimetype, "content.xml": b"<?xml version='1.0'?><x/>", "META-INF/manifest.xml": b"<m/>"},
        stored_first=True,
    )


def xlsx_from_openpyxl() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Tanggal", "Uraian"])
    book.active.append(["2024-05-17", "Rapat pleno"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def heic(img: Image.Image, **params) -> bytes:
    pillow_heif.register_heif_opener()
    try:
        return encode(img, "HEIF", **params)
    except (OSError, ValueError, KeyError) as exc:  # libheif built without an HEVC encoder
        pytest.skip(f"HEIC encoding is not available here: {exc}")


# --- images -------------------------------------------------------------------------------------


def test_phone_jpeg_is_rotated_shrunk_stripped_and_dated():
    original = encode(two_tone((4000, 3000)), "JPEG", quality=90, exif=phone_exif())
    assert b"Apple" in original

    result = process("IMG_0001.JPG", original)

    assert (result.extension, result.content_type, result.is_image) == ("jpg", "image/jpeg", True)
    # Orientation 6 means "turn 90° clockwise to view": landscape becomes portrait, the left half the top.
    assert (result.width, result.height) == (768, 1024)
    stored = Image.open(io.BytesIO(result.content))
    assert stored.format == "JPEG" and stored.size == (768, 1024)
    assert stored.convert("RGB").getpixel((384, 100))[0] > 200  # red on top
    assert stored.convert("RGB").getpixel((384, 900))[2] > 200  # blue below
    # No metadata left: no EXIF (so no GPS, no Make, no orientation to apply twice), no comments.
    assert len(stored.getexif()) == 0
    assert not {"exif", "icc_profile", "comment", "xmp"} & set(stored.info)
    assert b"Apple" not in result.content and b"Exif" not in result.content
    # The capture time survives as data, read in the office's zone.
    assert result.taken_at == datetime.datetime(2024, 5, 17, 8, 30, tzinfo=JAKARTA)
    assert result.taken_at.utcoffset() == datetime.timedelta(hours=7)
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert result.size == len(result.content)
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert thumb.format == "JPEG" and max(thumb.size) == 320 and thumb.size[0] < thumb.size[1]
    assert len(result.thumbnail) < len(result.content)


def test_small_image_is_not_enlarged():
    result = process("kecil.jpg", encode(two_tone((200, 100)), "JPEG"))
    assert (result.width, result.height) == (200, 100)


@pytest.mark.parametrize(
    "exif, expected",
    [
        (phone_exif(offset="+08:00"), datetime.datetime(2024, 5, 17, 7, 30, tzinfo=JAKARTA)),
        (phone_exif(original=None, plain="2023:12:31 23:59:59"), datetime.datetime(2023, 12, 31, 23, 59, 59)),
        (phone_exif(original="0000:00:00 00:00:00"), None),
        (phone_exif(original="kemarin sore"), None),
        (Image.Exif(), None),
    ],
    ids=["camera-offset", "datetime-fallback", "zeroes", "garbage", "no-exif"],
)
def test_taken_at(exif, expected):
    taken_at = process("foto.jpg", encode(two_tone(), "JPEG", exif=exif)).taken_at
    if expected is None:
        assert taken_at is None
    else:
        assert taken_at == expected.replace(tzinfo=JAKARTA) and taken_at.tzinfo is not None


def test_png_with_transparency_stays_png():
    img = two_tone(mode="RGBA", left=(255, 0, 0, 128), right=(0, 0, 255, 0))
    result = process("logo.png", encode(img, "PNG"))
    assert (result.extension, result.content_type) == ("png", "image/png")
    assert Image.open(io.BytesIO(result.content)).mode == "RGBA"
    assert Image.open(io.BytesIO(result.thumbnail)).format == "JPEG"


def test_palette_png_with_transparent_colour_stays_png():
    img = two_tone(mode="P", left=1, right=0)
    result = process("ikon.png", encode(img, "PNG", transparency=0))
    assert result.extension == "png"


def test_opaque_png_screenshot_becomes_jpeg():
    result = process("layar.png", encode(two_tone(mode="RGBA", left=(255, 0, 0, 255)), "PNG"))
    assert result.extension == "jpg"


def test_webp_becomes_jpeg():
    result = process("foto.webp", encode(two_tone((1600, 1200)), "WEBP", quality=90))
    assert (result.extension, result.width, result.height) == ("jpg", 1024, 768)


def test_cmyk_jpeg_becomes_rgb_jpeg():
    result = process(
        "scan.jpg", encode(two_tone(mode="CMYK", left=(0, 255, 255, 0), right=(0, 0, 0, 0)), "JPEG")
    )
    assert Image.open(io.BytesIO(result.content)).mode == "RGB"


def test_heic_from_iphone_becomes_jpeg():
    data = heic(two_tone((2000, 1500)), exif=phone_exif().tobytes())
    result = process("IMG_4711.HEIC", data)
    assert (result.extension, result.content_type) == ("jpg", "image/jpeg")
    stored = Image.open(io.BytesIO(result.content)).convert("RGB")
    assert (result.width, result.height) == stored.size == (768, 1024)  # rotated once, not twice
    assert stored.getpixel((384, 100))[0] > 200
    assert result.taken_at == datetime.datetime(2024, 5, 17, 8, 30, tzinfo=JAKARTA)
    assert len(Image.open(io.BytesIO(result.content)).getexif()) == 0


def test_multi_picture_jpeg_from_android_is_a_jpeg():
    data = encode(two_tone((2000, 1500)), "MPO", save_all=True, append_images=[two_tone()], exif=phone_exif())
    assert Image.open(io.BytesIO(data)).format == "MPO"
    result = process("IMG_20240517.jpg", data)
    assert (result.extension, result.width, result.height) == ("jpg", 768, 1024)
    assert result.taken_at is not None


def test_name_and_extension_do_not_matter_for_images():
    result = process("laporan.pdf", encode(two_tone(), "PNG"))
    assert result.extension == "jpg"


# --- documents ----------------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@pytest.mark.parametrize(
    "name, data, extension, content_type",
    [
        ("Laporan rapat – Kudus ✓.pdf", minimal_pdf(), "pdf", "application/pdf"),
        ("notulen.docx", ooxml("word/document.xml"), "docx", DOCX),
        ("rekap.xlsx", xlsx_from_openpyxl(), "xlsx", XLSX),
        ("paparan.pptx", ooxml("ppt/presentation.xml"), "pptx", PPTX),
        (
            "surat.odt",
            odf(b"application/vnd.oasis.opendocument.text"),
            "odt",
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "tabel.ods",
            odf(b"application/vnd.oasis.opendocument.spreadsheet"),
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("tanpa-ekstensi", minimal_pdf(), "pdf", "application/pdf"),
    ],
)
def test_documents_are_kept_byte_for_byte(name, data, extension, content_type):
    result = process(name, data)
    assert result.content == data
    assert (result.extension, result.content_type, result.is_image) == (extension, content_type, False)
    assert (result.size, result.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert (result.width, result.height, result.taken_at, result.thumbnail) == (None, None, None, None)


def test_handmade_pdf_is_a_real_pdf():
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(minimal_pdf())).pages) == 1


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data",
    [
        ("foto.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"PE\x00\x00"),
        ("foto.jpg", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200),
        ("laporan.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        (
            "grafik.svg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
        ),
        ("grafik.png", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
        ("catatan.txt", "Rapat pleno – 17 Mei ✓\n".encode()),
        ("animasi.jpg", encode(two_tone(), "GIF")),
        ("notulen.docx", make_zip({"readme.txt": b"bukan dokumen"})),
        ("notulen.docx", make_zip({"[Content_Types].xml": CONTENT_TYPES, "other/x.xml": b"<x/>"})),
        ("surat.odt", odf(b"application/vnd.oasis.opendocument.graphics")),
        (
            "surat.odt",
            make_zip({"content.xml": b"<x/>", "mimetype": b"application/vnd.oasis.opendocument.text"}),
        ),
    ],
    ids=[
        "pe-exe",
        "elf",
        "html-as-pdf",
        "svg",
        "svg-as-png",
        "text",
        "gif",
        "zip",
        "ooxml-other",
        "odg",
        "odf-order",
    ],
)
def test_unsupported_kinds_are_refused(name, data):
    assert refused(name, data) == f"Jenis berkas «{name}» tidak didukung. {ALLOWED}"


def test_macro_document_is_refused():
    data = make_zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": b"<x/>",
            "word/vbaProject.bin": b"\x00" * 8,
        }
    )
    assert refused("notulen.docx", data) == "Dokumen «notulen.docx» berisi makro dan tidak diterima."


def test_damaged_zip_is_refused():
    data = ooxml("word/document.xml")
    assert (
        refused("notulen.docx", data[: len(data) // 2]) == "Dokumen «notulen.docx» rusak atau tidak lengkap."
    )


def test_zip_with_bad_crc_is_refused():
    data = bytearray(make_zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"A" * 100}, True))
    data[data.index(b"<?xml") + 2] ^= 0xFF  # flip a byte of the stored (uncompressed) first entry
    assert refused("notulen.docx", bytes(data)) == "Dokumen «notulen.docx» rusak atau tidak lengkap."


def test_truncated_jpeg_is_refused():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    data = noisy_jpeg()
    assert (
        refused("IMG_0002.jpg", data[: len(data) // 2]) == "Gambar «IMG_0002.jpg» rusak atau tidak lengkap."
    )
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_jpeg_header_only_is_refused():
    assert "rusak atau tidak lengkap" in refused("x.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20)


def test_decompression_bomb_is_refused_before_decoding():
    bomb = png_header_only(12000, 9000)  # 108 megapixels
    assert len(bomb) < 100_000
    message = refused("bom.png", bomb)
    assert message == "Gambar «bom.png» terlalu besar: lebih dari 60 juta piksel."


def test_pillow_bomb_guard_still_applies_with_a_generous_limit():
    # 108 MP is past Pillow's own guard (~89 MP), which must not turn into a "damaged" message.
    assert "terlalu besar" in refused("bom.png", png_header_only(12000, 9000), max_pixels=500_000_000)


def test_our_pixel_limit_is_checked_from_the_header(monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixel data must not be decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    message = refused("besar.png", png_header_only(8000, 8000), max_pixels=60_000_000)  # 64 MP
    assert message == "Gambar «besar.png» terlalu besar: lebih dari 60 juta piksel."


def test_empty_file_is_refused():
    assert refused("kosong.pdf", b"") == "Berkas «kosong.pdf» kosong."


def test_file_over_the_limit_is_refused():
    assert refused("besar.pdf", minimal_pdf() + b"\x00" * 5000, max_bytes=4096) == (
        "Berkas «besar.pdf» melebihi batas 4 KB."
    )


class CountingFile(io.BytesIO):
    """Records how many bytes were asked for, to prove the read is bounded."""

    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_read_is_bounded_even_when_the_declared_size_lies():
    body = CountingFile(minimal_pdf() + b"\x00" * 100_000)
    upload = SimpleUploadedFile("bohong.pdf", b"")
    upload.file, upload.size = body, 10  # the client claims 10 bytes
    with pytest.raises(BuktiDitolak, match="melebihi batas 8 KB"):
        process_upload(upload, tz=JAKARTA, **{**LIMITS, "max_bytes": 8192})
    assert body.bytes_read == 8193


def test_declared_size_over_the_limit_is_refused_without_reading():
    body = CountingFile(minimal_pdf())
    upload = SimpleUploadedFile("besar.pdf", b"")
    upload.file, upload.size = body, 11 * MIB
    with pytest.raises(BuktiDitolak, match=r"^Berkas «besar\.pdf» melebihi batas 10 MB\.$"):
        process_upload(upload, tz=JAKARTA, **LIMITS)
    assert body.bytes_read == 0


def test_messages_use_the_safe_display_name():
    assert refused("../../rahasia\x00.txt", b"teks biasa").startswith(
        "Jenis berkas «rahasia.txt» tidak didukung."
    )


def test_settings_provide_the_limits(settings):
    settings.EVIDENCE_MAX_BYTES = 3 * MIB // 2
    settings.EVIDENCE_IMAGE_LONG_SIDE = 500
    settings.EVIDENCE_THUMB_SIDE = 100
    result = process_upload_with_settings(
        SimpleUploadedFile("a.jpg", encode(two_tone((1000, 750)), "JPEG")), tz=JAKARTA
    )
    assert (result.width, result.height) == (500, 375)
    assert max(Image.open(io.BytesIO(result.thumbnail)).size) == 100
    upload = SimpleUploadedFile("b.pdf", minimal_pdf())
    upload.size = 2 * MIB
    with pytest.raises(BuktiDitolak, match="melebihi batas 1,5 MB"):
        process_upload_with_settings(upload, tz=JAKARTA)


# --- display names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("/var/www/index.php", "index.php"),
        ("C:\\Users\\ASN\\Desktop\\Laporan.docx", "Laporan.docx"),
        ("Foto rapat – Pleno ✓.jpg", "Foto rapat – Pleno ✓.jpg"),
        ("Laporan rapat – Kudus ✓.pdf", "Laporan rapat – Kudus ✓.pdf"),
        ("lap\x00oran\r\n\t.pdf", "laporan.pdf"),
        ("foto\u202egpj.exe", "fotogpj.exe"),  # right-to-left override would show "fotoexe.jpg"
        ("  spasi.pdf  ", "spasi.pdf"),
        ("", "berkas"),
        ("..", "berkas"),
        ("folder/", "berkas"),
        ("\x00\x01", "berkas"),
    ],
)
def test_safe_display_name(raw, expected):
    assert safe_display_name(raw) == expected


def test_long_name_is_trimmed_keeping_the_extension():
    name = safe_display_name("Laporan " + "sangat panjang " * 40 + ".xlsx")
    assert len(name) == 255 and name.endswith(".xlsx")
    assert safe_display_name("x" * 300) == "x" * 255


@given(st.text(max_size=400))
def test_safe_display_name_is_always_safe(raw):
    name = safe_display_name(raw)
    assert 0 < len(name) <= 255
    assert "/" not in name and "\\" not in name
    assert not any(ord(c) < 32 or ord(c) == 127 for c in name)
    assert name not in {".", ".."}


# --- macros and bombs found by content (silabu.lib.zipcheck) -------------------------------------------------


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "bytes-only"])
def test_a_docx_whose_vba_project_is_renamed_is_refused(declared):
    data = hostile_zips.docx_with_renamed_vba(declared=declared)
    assert refused("notulen.docx", data) == "Dokumen «notulen.docx» berisi makro dan tidak diterima."


def test_an_odt_with_libreoffice_basic_macros_is_refused():
    data = hostile_zips.odt_with_basic()
    assert refused("surat.odt", data) == "Dokumen «surat.odt» berisi makro dan tidak diterima."
    assert process("surat.odt", hostile_zips.odt()).extension == "odt"


def test_a_docx_with_an_embedded_ole_object_is_refused():
    data = hostile_zips.docx(word__embeddings__oleObject1_bin=hostile_zips.OLE + b"\x00" * 504)
    assert refused("notulen.docx", data) == "Dokumen «notulen.docx» berisi makro dan tidak diterima."
    assert process("notulen.docx", hostile_zips.docx()).extension == "docx"


def test_a_docx_member_inflating_to_a_gigabyte_is_refused():
    data = hostile_zips.bomb("word/", mib=1100)
    assert len(data) < 2 * MIB
    assert refused("notulen.docx", data) == "Dokumen «notulen.docx» terlalu besar setelah dibuka (bom zip)."


def test_a_small_docx_inflating_a_hundredfold_is_refused():
    data = hostile_zips.bomb("word/", mib=40)
    assert refused("notulen.docx", data) == "Dokumen «notulen.docx» terlalu besar setelah dibuka (bom zip)."


def test_a_docx_whose_directory_understates_a_member_is_refused():
    # zipfile believes the directory and stops after 100 bytes; the real stream is inflated and counted
    data = hostile_zips.bomb("word/", mib=40, declared=100)
    assert refused("notulen.docx", data) == "Dokumen «notulen.docx» terlalu besar setelah dibuka (bom zip)."


@pytest.mark.parametrize(
    "name, extension, expected",
    [
        ("laporan.html", "pdf", "laporan.pdf"),
        ("IMG_0001.HEIC", "jpg", "IMG_0001.jpg"),
        ("foto.JPEG", "jpg", "foto.JPEG"),
        ("Notulen.DOCX", "docx", "Notulen.DOCX"),
        ("laporan", "pdf", "laporan.pdf"),
        (".htaccess", "pdf", ".htaccess.pdf"),
        ("surat.pdf.exe", "odt", "surat.pdf.odt"),
        ("x" * 300 + ".html", "pdf", "x" * 250 + ".pdf"),
    ],
)
def test_the_kept_name_carries_the_extension_of_what_the_file_is(name, extension, expected):
    from kinerja.evidence import named_as_kind

    assert named_as_kind(name, extension) == expected


def grey_ramp_16bit(width: int = 256, height: int = 32, transparent_level: int | None = None) -> bytes:
    """A 16-bit greyscale PNG, black on the left to white on the right (0 ... 65535)."""
    row = b"".join(struct.pack("<H", x * 257) for x in range(width))
    img = Image.frombytes("I;16", (width, height), row * height)
    params = {} if transparent_level is None else {"transparency": transparent_level}
    data = encode(img, "PNG", **params)
    assert data[24:26] == b"\x10\x00"  # bit depth 16, colour type 0 (greyscale)
    return data


def test_a_16_bit_greyscale_png_keeps_its_tones():
    from PIL import ImageStat

    result = process("ramp.png", grey_ramp_16bit())
    stored = Image.open(io.BytesIO(result.content))
    assert stored.format == "JPEG" and stored.mode == "L"
    assert 124 <= ImageStat.Stat(stored).mean[0] <= 131  # was 254: every value above 255 clipped to white
    left, right = stored.crop((0, 0, 16, 32)), stored.crop((240, 0, 256, 32))
    assert ImageStat.Stat(left).mean[0] < 20 and ImageStat.Stat(right).mean[0] > 235
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert 120 <= ImageStat.Stat(thumb.convert("L")).mean[0] <= 135


def test_a_16_bit_greyscale_png_with_a_transparent_grey_keeps_it_transparent():
    result = process("ramp.png", grey_ramp_16bit(transparent_level=0))
    stored = Image.open(io.BytesIO(result.content))
    assert result.extension == "png" and stored.mode == "RGBA"
    assert stored.getpixel((0, 0))[3] == 0 and stored.getpixel((255, 0)) == (255, 255, 255, 255)
    assert 124 <= stored.getpixel((128, 0))[0] <= 131
