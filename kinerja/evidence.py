"""Evidence files: sniffed by content, images re-encoded, documents kept as sent."""

import datetime
import hashlib
import io
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from django.utils import timezone
from PIL import Image, ImageCms, ImageFile, ImageOps

from kinerja.errors import BuktiDitolak
from silabu.lib.zipcheck import ZipRefused, inspect_zip

pillow_heif.register_heif_opener()  # iPhones send HEIC by default

ALLOWED_KINDS = "foto (JPEG, PNG, WebP, HEIC) dan dokumen (PDF, DOCX, XLSX, PPTX, ODT, ODS)"

_MIB = 1024 * 1024
_READ_CHUNK = 64 * 1024
# A document may unpack to at most this many times the upload limit (silabu.lib.zipcheck also caps the ratio).
MAX_UNPACKED_RATIO = 40
_HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# What each stored kind is served as. A download's Content-Type is looked up here from what the bytes were found to
# be (the stored name's extension, or the type stored with the row), never from the name the user gave.
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    **{ext: content_type for ext, content_type in _OOXML.values()},
    **{ext: mimetype.decode() for mimetype, ext in _ODF.items()},
}
EXTENSIONS = {content_type: ext for ext, content_type in CONTENT_TYPES.items()}
# Only these may open in the browser (images, and PDF in its viewer); every other kind is always an attachment.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
_SAME_EXTENSION = {"jpg": {"jpg", "jpeg"}}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_LANCZOS = Image.Resampling.LANCZOS


@dataclass(frozen=True)
class ProcessedFile:
    """What gets stored: the (possibly re-encoded) bytes and the facts about them."""

    content: bytes
    extension: str
    content_type: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    taken_at: datetime.datetime | None
    thumbnail: bytes | None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def safe_display_name(name: str) -> str:
    """The user's file name as data: no path parts, no control characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    # Cc: NUL, newlines...; Cf: bidi overrides that disguise "exe.jpg" (ZWJ/ZWNJ kept for emoji and scripts).
    name = "".join(
        c for c in name if c in "\u200c\u200d" or unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp")
    ).strip()
    if not name.strip(". "):
        return "berkas"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and 0 < len(ext) <= 16:
            name = stem[: 255 - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:255]
    return name


def named_as_kind(name: str, extension: str) -> str:
    """The user's file name with the extension of what the file is: "laporan.html" that holds a PDF is kept, and
    downloaded, as "laporan.pdf"; a HEIC photo re-encoded as JPEG becomes "IMG_0001.jpg". So no saved copy can be
    opened by another program than the one its bytes are for."""
    name = safe_display_name(name)
    stem, dot, ext = name.rpartition(".")
    if dot and stem and ext.lower() in _SAME_EXTENSION.get(extension, {extension}):
        return name
    base = stem if dot and stem and 0 < len(ext) <= 16 else name
    return f"{base[: 255 - len(extension) - 1].rstrip()}.{extension}"


def stored_kind(stored_name: str) -> tuple[str, str]:
    """(extension, content type) of a stored evidence file from its stored name, which process_upload's extension
    made (kinerja.models.evidence_name); anything else is served as opaque bytes."""
    ext = stored_name.rsplit(".", 1)[-1].lower() if "." in stored_name else ""
    if ext in CONTENT_TYPES:
        return ext, CONTENT_TYPES[ext]
    return "bin", "application/octet-stream"


def process_upload(
    upload, *, max_bytes: int, long_side: int, max_pixels: int, thumb_side: int, tz: datetime.tzinfo
) -> ProcessedFile:
    """Check an uploaded file by its content and return what to store. Raises BuktiDitolak."""
    display = safe_display_name(getattr(upload, "name", "") or "")
    data = _read_bounded(upload, max_bytes, display)
    if data.startswith(b"%PDF-"):
        return _stored(data, "pdf", CONTENT_TYPES["pdf"])
    image_format = _image_format(data)
    if image_format:
        return _process_image(data, image_format, display, long_side, max_pixels, thumb_side, tz)
    if data.startswith(b"PK\x03\x04"):
        return _stored(data, *_zip_kind(data, display, max_bytes))
    raise BuktiDitolak(f"Jenis berkas «{display}» tidak didukung. Yang diterima: {ALLOWED_KINDS}.")


def process_upload_with_settings(upload, *, tz: datetime.tzinfo) -> ProcessedFile:
    """process_upload with the limits configured in settings."""
    return process_upload(
        upload,
        max_bytes=settings.EVIDENCE_MAX_BYTES,
        long_side=settings.EVIDENCE_IMAGE_LONG_SIDE,
        max_pixels=settings.EVIDENCE_MAX_PIXELS,
        thumb_side=settings.EVIDENCE_THUMB_SIDE,
        tz=tz,
    )


def device_capture_time(value: str, tz: datetime.tzinfo) -> datetime.datetime | None:
    """The capture time a phone read from a photo before it shrank it (its EXIF DateTimeOriginal, else the
    file's own time), as ISO 8601; a naive time is read in `tz`. The shrunk file carries no EXIF, so this is
    what is left to store. Nonsense is dropped, never refused: before 2000 or more than a day ahead of now."""
    try:
        moment = datetime.datetime.fromisoformat((value or "").strip()[:40])
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = timezone.make_aware(moment, tz)
    if moment.year < 2000 or moment > timezone.now() + datetime.timedelta(days=1):
        return None
    return moment.astimezone(tz)


def _read_bounded(upload, max_bytes: int, display: str) -> bytes:
    """Read at most max_bytes + 1 bytes, whatever the client claimed the size to be."""
    too_large = BuktiDitolak(f"Berkas «{display}» melebihi batas {_format_bytes(max_bytes)}.")
    if (getattr(upload, "size", None) or 0) > max_bytes:
        raise too_large
    upload.seek(0)
    buf, total = io.BytesIO(), 0
    while total <= max_bytes:
        part = upload.read(min(_READ_CHUNK, max_bytes + 1 - total))
        if not part:
            break
        buf.write(part)
        total += len(part)
    if total > max_bytes:
        raise too_large
    if total == 0:
        raise BuktiDitolak(f"Berkas «{display}» kosong.")
    return buf.getvalue()


def _image_format(data: bytes) -> str | None:
    """The Pillow format name for the allowed image kinds, from magic bytes."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":  # ISO-BMFF: major brand, minor version, then compatible brands
        box_end = min(int.from_bytes(data[:4], "big"), 256)
        brands = {data[8:12]} | {data[i : i + 4] for i in range(16, box_end - 3, 4)}
        if brands & _HEVC_BRANDS:
            return "HEIF"
    return None


def _stored(content: bytes, extension: str, content_type: str, **image_facts) -> ProcessedFile:
    """The result, with size and hash always taken from the bytes that will be stored."""
    facts = {"width": None, "height": None, "taken_at": None, "thumbnail": None, **image_facts}
    size, sha256 = len(content), hashlib.sha256(content).hexdigest()
    return ProcessedFile(content, extension, content_type, size, sha256, **facts)


def _zip_kind(data: bytes, display: str, max_bytes: int) -> tuple[str, str]:
    """(extension, content type) of an OOXML/ODF zip; refuses other zips, damaged ones, bombs and macros."""
    unsupported = BuktiDitolak(f"Jenis berkas «{display}» tidak didukung. Yang diterima: {ALLOWED_KINDS}.")
    damaged = BuktiDitolak(f"Dokumen «{display}» rusak atau tidak lengkap.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            kind = None
            if infos and names[0] == "mimetype" and infos[0].file_size <= 100:
                mimetype = zf.read(infos[0])
                if mimetype in _ODF:
                    kind = (_ODF[mimetype], mimetype.decode())
            elif "[Content_Types].xml" in names:
                kind = next((k for p, k in _OOXML.items() if any(n.startswith(p) for n in names)), None)
    except Exception as exc:  # anything zipfile/zlib raise on hostile bytes means "damaged"
        raise damaged from exc
    if kind is None:
        raise unsupported
    try:
        contents = inspect_zip(data, max_unpacked=MAX_UNPACKED_RATIO * max_bytes)
    except ZipRefused as exc:
        if exc.kind == "too_big":
            raise BuktiDitolak(f"Dokumen «{display}» terlalu besar setelah dibuka (bom zip).") from exc
        raise damaged from exc
    if contents.macro:
        raise BuktiDitolak(f"Dokumen «{display}» berisi makro dan tidak diterima.")
    return kind


def _process_image(
    data: bytes,
    image_format: str,
    display: str,
    long_side: int,
    max_pixels: int,
    thumb_side: int,
    tz: datetime.tzinfo,
) -> ProcessedFile:
    """Decode (size checked first), orient, shrink and re-encode, dropping all metadata."""
    too_big = BuktiDitolak(
        f"Gambar «{display}» terlalu besar: lebih dari {_format_pixels(max_pixels)} piksel."
    )
    try:
        # Pillow's own bomb guard warns before it refuses; make the warning stop us too.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=[image_format])
            if img.width * img.height > max_pixels:  # header only, nothing decoded yet
                raise too_big
            taken_at = _taken_at(img, tz)
            img.draft(None, (long_side, long_side))  # JPEG: let the decoder downscale, saves memory
            # Damaged files must raise here. The flag is process-wide and WeasyPrint sets it on import,
            # so do not rely on whoever imported what first.
            ImageFile.LOAD_TRUNCATED_IMAGES = False
            img.load()
            img = _normalize(_to_srgb(_eight_bit(ImageOps.exif_transpose(img))))
    except BuktiDitolak:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except Exception as exc:  # decoders raise many kinds on hostile bytes; all mean "damaged"
        raise BuktiDitolak(f"Gambar «{display}» rusak atau tidak lengkap.") from exc

    img.thumbnail((long_side, long_side), _LANCZOS)  # downscale only, keeps aspect
    img.info = {}  # savers fall back to info for ICC, comments, XMP: start clean
    buf = io.BytesIO()
    if img.mode == "RGBA":
        img.save(buf, "PNG")
        extension, content_type = "png", "image/png"
    else:
        img.save(buf, "JPEG", quality=85, optimize=True, progressive=True)
        extension, content_type = "jpg", "image/jpeg"
    thumbnail = _thumbnail(img, thumb_side)
    return _stored(
        buf.getvalue(),
        extension,
        content_type,
        width=img.width,
        height=img.height,
        taken_at=taken_at,
        thumbnail=thumbnail,
    )


def _eight_bit(img: Image.Image) -> Image.Image:
    """16-bit greyscale (PNG opens it as I;16) scaled to 8-bit L. Converting it straight to L or RGB clips every
    value above 255, which is all but the darkest 0.4 %: a black-to-white ramp came out white."""
    if not (img.mode.startswith("I;16") or img.mode == "I"):
        return img
    transparency = img.info.get("transparency")
    scaled = img.convert("I").point(lambda value: value * (1 / 257)).convert("L")  # 65535 -> 255
    if isinstance(transparency, int):  # tRNS names one grey level, in the same 16-bit scale
        scaled.info["transparency"] = transparency // 257
    return scaled


def _to_srgb(img: Image.Image) -> Image.Image:
    """Convert to sRGB while the profile is known: we strip it, and P3/CMYK photos would shift colour."""
    icc = img.info.get("icc_profile")
    if not icc or img.mode not in ("RGB", "RGBA", "CMYK"):
        return img
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(
            img, source, _SRGB, outputMode="RGBA" if img.mode == "RGBA" else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return img  # a broken profile is not worth refusing the photo


def _normalize(img: Image.Image) -> Image.Image:
    """RGBA when some pixel is see-through (kept as PNG), else RGB or L (JPEG)."""
    if img.has_transparency_data:
        img = img.convert("RGBA")
        if img.getchannel("A").getextrema()[0] < 255:
            return img
    return img if img.mode in ("RGB", "L") else img.convert("RGB")


def _thumbnail(img: Image.Image, side: int) -> bytes:
    thumb = img.copy()
    thumb.thumbnail((side, side), _LANCZOS)
    if thumb.mode == "RGBA":  # JPEG has no alpha: show transparency as white, like the page behind it
        background = Image.new("RGB", thumb.size, "white")
        background.paste(thumb, mask=thumb.getchannel("A"))
        thumb = background
    buf = io.BytesIO()
    thumb.save(buf, "JPEG", quality=80, optimize=True)
    return buf.getvalue()


def _taken_at(img: Image.Image, tz: datetime.tzinfo) -> datetime.datetime | None:
    """Capture time from EXIF (DateTimeOriginal, else DateTime); naive times are read in `tz`."""
    try:
        exif = img.getexif()
        sub = exif.get_ifd(0x8769)
        raw, offset = (sub.get(36867), sub.get(36881)) if sub.get(36867) else (exif.get(306), sub.get(36880))
        if isinstance(raw, bytes):
            raw = raw.decode("ascii")
        moment = datetime.datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except Exception:  # missing or garbage EXIF is common and never a reason to refuse
        return None
    try:  # OffsetTimeOriginal/OffsetTime, e.g. "+07:00": when the camera knew its zone, believe it
        zone = datetime.datetime.strptime(str(offset).strip("\x00 "), "%z").tzinfo
        return moment.replace(tzinfo=zone).astimezone(tz)
    except (TypeError, ValueError, OverflowError):
        return timezone.make_aware(moment, tz)


def _format_bytes(limit: int) -> str:
    value, unit = (limit / _MIB, "MB") if limit >= _MIB else (limit / 1024, "KB")
    return f"{_trim_number(value)} {unit}"


def _format_pixels(limit: int) -> str:
    return f"{_trim_number(limit / 1_000_000)} juta" if limit >= 1_000_000 else f"{limit:,}".replace(",", ".")


def _trim_number(value: float) -> str:
    """10.0 -> "10", 1.5 -> "1,5" (Indonesian decimal comma)."""
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
